"""Clicks on search results counted per query and day (SearchQueryDay.clicks), so the work
queue can list queries that are answered but whose results nobody clicks."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0018_everyday_synonyms"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchqueryday",
            name="clicks",
            field=models.PositiveIntegerField(
                default=0, help_text="读者点了这个查询的搜索结果的次数。", verbose_name="点击次数"
            ),
        ),
        migrations.AlterField(
            model_name="searchqueryday",
            name="last_at",
            field=models.DateTimeField(
                help_text="最近一次搜索（或点击结果）的时间。", verbose_name="最近一次"
            ),
        ),
    ]
