"""A starting set of readers' phrasings, mapped to the words the articles use. Staff extend and
correct them in admin (同义词); removing this migration's rows is safe."""

from django.db import migrations

DEFAULT_SYNONYMS = {
    # cannot repay
    "还不了": "无法还款 还款失败",
    "还不上": "无法还款 还款失败",
    "还款不了": "无法还款 还款失败",
    "还不进去": "无法还款 还款失败",
    "没法还": "无法还款",
    "不能还": "无法还款",
    "付不了": "无法还款 还款失败",
    "扣款失败": "还款失败 余额不足",
    "扣不了款": "还款失败 余额不足",
    "还款不成功": "还款失败",
    # not enough money
    "钱不够": "余额不足",
    "没钱": "余额不足",
    "余额不够": "余额不足",
    "卡里没钱": "余额不足",
    "存钱": "余额",
    # network and maintenance
    "网不好": "网络 不稳定",
    "网速": "网络",
    "没网": "网络",
    "断网": "网络",
    "信号差": "网络 不稳定",
    "卡顿": "网络繁忙",
    "维护中": "维护 升级",
    "升级中": "维护 升级",
    "系统维护": "维护 升级",
    # already paid
    "还完了": "已还清 待还款",
    "还清了": "已还清 待还款",
    "已经还了": "已还清 待还款",
    "已经还过": "已还清 待还款",
    # overdue, instalments
    "过期": "逾期",
    "超期": "逾期",
    "晚还": "逾期",
    "没按时还": "逾期",
    "分期不了": "分期还款 不支持",
    "不能分期": "分期还款 不支持",
    "一次还清": "一次性还清 全额还款",
    "提前还": "提前还款",
    "利息": "手续费",
    # collection calls
    "骚扰电话": "催收电话 陌生电话",
    "一直打电话": "催收电话",
    "天天打电话": "催收电话",
    "打电话催": "催收电话",
    "催债": "催收",
    "要债": "催收",
    "拉黑": "拦截",
    "屏蔽": "拦截",
    "电话本": "通讯录",
    "手机联系人": "通讯录",
    # someone else's debt
    "帮别人": "紧急联系人",
    "替朋友": "紧急联系人 朋友",
    "朋友欠钱": "朋友欠 紧急联系人",
    "朋友借钱": "朋友欠 紧急联系人",
    "别人欠钱": "紧急联系人",
    "别人借钱": "紧急联系人",
    "担保": "担保人",
    "要我还": "还款责任 不需要承担",
    "替他还": "还款责任 不需要承担",
    "代还": "代为还款 还款责任",
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
    dependencies = [("kb", "0004_search_backends")]

    operations = [migrations.RunPython(add_synonyms, remove_synonyms)]
