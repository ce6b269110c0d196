"""Reader escape routes (issue 17): official route and safety note per product or topic, the
article's closing words apart from its answer-first summary, the troubleshooter's switch and
order. Data: an imported summary (the source's closing paragraph, 「…与以上原因有关」) moves to
``closing``, so the page opens with the answer-first summary (``Article.causes_summary`` when empty);
collection topics get the default safety note and their articles no troubleshooter, both
editable in admin."""

import hashlib
import json

import markdownx.models
from django.db import migrations, models

from kb.models.categories import DEFAULT_COLLECTION_SAFETY_NOTE

# ImportTracked.imported_fields of Article before and after: the summary is no longer imported.
OLD_FIELDS = ("title", "question", "summary", "category_id")
NEW_FIELDS = ("title", "question", "closing", "category_id")


def _digest(record, names):
    # ImportTracked.content_digest, over the fields the importer wrote then and writes now.
    values = {name: getattr(record, name) for name in names}
    payload = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def move_closing_paragraphs(apps, schema_editor):
    Article = apps.get_model("kb", "Article")
    for article in Article.objects.exclude(import_digest=""):
        untouched = article.import_digest == _digest(article, OLD_FIELDS)
        if untouched or "以上" in article.summary:
            if article.summary != article.question:  # the importer's fallback: no closing
                article.closing = article.summary
            article.summary = ""
        if untouched:  # as the importer now writes it: the next import changes nothing
            article.import_digest = _digest(article, NEW_FIELDS)
        article.save(update_fields=["summary", "closing", "import_digest"])


def collection_defaults(apps, schema_editor):
    """As the importer now does for new articles: collection topics carry the safety note, and
    their articles offer no troubleshooter (a reader cannot tell how a collector got a number)."""
    Article = apps.get_model("kb", "Article")
    Article.objects.filter(category__name__contains="催收").update(offer_troubleshooter=False)
    Category = apps.get_model("kb", "Category")
    for topic in Category.objects.filter(name__contains="催收", safety_note=""):
        product = topic.parent or topic
        topic.safety_note = DEFAULT_COLLECTION_SAFETY_NOTE.format(product=product.name)
        topic.save(update_fields=["safety_note"])


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0013_synonym_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="closing",
            field=markdownx.models.MarkdownxField(
                blank=True,
                help_text="放在所有原因之后、通用建议之前的总结，支持 Markdown。",
                verbose_name="结语",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="offer_troubleshooter",
            field=models.BooleanField(
                default=True,
                help_text="读者能否凭自己看到的情况回答每个原因的是非题？答不了（例如催收从哪里拿到号码）就取消勾选。",
                verbose_name="提供自助排查",
            ),
        ),
        migrations.AddField(
            model_name="category",
            name="official_route",
            field=models.CharField(
                blank=True,
                help_text="产品填写：读者在本站没解决问题时该去哪里，例如“在花呗 App 内联系官方在线客服”。不要填写未经核实的电话号码。留空则提示读者在该产品 App 内联系官方客服。",
                max_length=300,
                verbose_name="官方求助渠道",
            ),
        ),
        migrations.AddField(
            model_name="category",
            name="official_route_url",
            field=models.URLField(
                blank=True,
                help_text="选填：官方帮助或客服页面的网址（https://…）。",
                verbose_name="官方渠道链接",
            ),
        ),
        migrations.AddField(
            model_name="category",
            name="safety_note",
            field=models.TextField(
                blank=True,
                help_text="显示在该产品或话题的每篇文章上方，例如只通过官方 App 还款。话题留空则用产品的；催收类话题留空时显示默认的防骗提示。",
                verbose_name="安全提示",
            ),
        ),
        migrations.AddField(
            model_name="cause",
            name="troubleshoot_order",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="自助排查中第几个问这个原因，数字小的先问（读者最容易判断、或最严重的放前面）；留空则按序号。",
                null=True,
                verbose_name="排查顺序",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="summary",
            field=markdownx.models.MarkdownxField(
                blank=True,
                help_text="文章开头先回答问题：这篇文章解答什么、有哪几种原因，用读者的话写，支持 Markdown。也用作搜索引擎和分享卡片的描述。留空则按原因自动生成。",
                verbose_name="摘要",
            ),
        ),
        migrations.RunPython(move_closing_paragraphs, migrations.RunPython.noop),
        migrations.RunPython(collection_defaults, migrations.RunPython.noop),
    ]
