"""Everyday words for the formal ones of the newer articles' kind (see 0005, 0011): late fees,
nuisance calls, regional spellings. Rows staff already have for these phrases are left as they
are."""

from django.db import migrations

DEFAULT_SYNONYMS = {
    "滞纳金": "违约金",
    "罚息": "违约金",
    "骚扰": "催收电话",
    "网路": "网络",
    "骗子": "诈骗",
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
    dependencies = [("kb", "0013_synonym_permissions")]

    operations = [migrations.RunPython(add_synonyms, remove_synonyms)]
