"""Everyday words for the formal ones of the newer articles' kind (see 0005, 0011): late fees,
nuisance calls, borrowing often, regional spellings; and the English words readers mix into
Chinese for the domain's key terms. Rows staff already have for these phrases are left as they
are."""

from django.db import migrations

DEFAULT_SYNONYMS = {
    "滞纳金": "违约金",
    "罚息": "违约金",
    "骚扰": "催收电话",
    "网路": "网络",
    "骗子": "诈骗",
    "无需还款": "待还款 已还清",
    "不用还": "待还款 已还清",
    "不需要还": "待还款 已还清",
    "天天借": "频繁借款",
    "经常借": "频繁借款",
    "借了又还": "频繁借款",
    # English among Chinese (花呗 还款 fail)
    "fail": "失败",
    "failed": "失败",
    "overdue": "逾期",
    "late": "逾期",
    "penalty": "违约金",
    "fee": "手续费 违约金",
    "limit": "限额 额度",
    "refund": "退货",
    "scam": "诈骗",
    "fraud": "诈骗",
    "contacts": "通讯录 联系人",
    "balance": "余额",
    "wifi": "网络",
    "network": "网络",
    "credit": "征信 信用",
    "debt": "负债 欠款",
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
    dependencies = [("kb", "0017_best_bets")]

    operations = [migrations.RunPython(add_synonyms, remove_synonyms)]
