"""More of readers' everyday phrasings for the default set (see 0005): a word that covers its
variants (信号 for 信号不好, 信号弱, 没信号), and what a stuck app looks like to a reader.
Rows staff already have for these phrases are left as they are."""

from django.db import migrations

DEFAULT_SYNONYMS = {
    "信号": "网络 不稳定",
    "转圈": "网络繁忙",
    "没反应": "网络繁忙 不稳定",
    "打不开": "网络繁忙 维护",
    "还完": "已还清 待还款",
}


def add_synonyms(apps, schema_editor):
    Synonym = apps.get_model("kb", "Synonym")
    for phrase, expansions in DEFAULT_SYNONYMS.items():
        Synonym.objects.get_or_create(
            phrase=phrase, defaults={"expansions": expansions, "note": "默认词表"}
        )


def remove_synonyms(apps, schema_editor):
    Synonym = apps.get_model("kb", "Synonym")
    Synonym.objects.filter(phrase__in=DEFAULT_SYNONYMS, note="默认词表").delete()


class Migration(migrations.Migration):
    dependencies = [("kb", "0010_search_terms")]

    operations = [migrations.RunPython(add_synonyms, remove_synonyms)]
