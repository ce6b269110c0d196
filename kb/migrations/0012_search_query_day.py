"""Searches counted per query and day (kb.search.log), the single ones kept only as a sample.
The counts start from the single searches logged so far, so the reports keep their history."""

import zoneinfo

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncDate


def count_logged_searches(apps, schema_editor):
    SearchLog = apps.get_model("kb", "SearchLog")
    SearchQueryDay = apps.get_model("kb", "SearchQueryDay")
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    days = (
        SearchLog.objects.annotate(day=TruncDate("created_at", tzinfo=local))
        .values("query", "day")
        .annotate(
            searches=Count("id"),
            zero_results=Count("id", filter=Q(result_count=0)),
            results=Sum("result_count"),
            took_ms=Sum("took_ms"),
            last_at=Max("created_at"),
        )
        .order_by()
    )
    SearchQueryDay.objects.bulk_create(
        (SearchQueryDay(**row) for row in days.iterator()), batch_size=1000
    )


class Migration(migrations.Migration):

    dependencies = [
        ('kb', '0011_more_default_synonyms'),
    ]

    operations = [
        migrations.AlterField(
            model_name='searchlog',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间'),
        ),
        migrations.CreateModel(
            name='SearchQueryDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('query', models.CharField(max_length=200, verbose_name='查询（规范化）')),
                ('day', models.DateField(db_index=True, verbose_name='日期')),
                ('searches', models.PositiveIntegerField(default=0, verbose_name='搜索次数')),
                ('zero_results', models.PositiveIntegerField(default=0, verbose_name='无结果次数')),
                ('results', models.PositiveBigIntegerField(default=0, help_text='除以搜索次数即平均结果数。', verbose_name='结果数合计')),
                ('took_ms', models.PositiveBigIntegerField(default=0, help_text='除以搜索次数即平均耗时。', verbose_name='耗时合计（毫秒）')),
                ('last_at', models.DateTimeField(verbose_name='最近一次')),
            ],
            options={
                'verbose_name': '每日搜索统计',
                'verbose_name_plural': '每日搜索统计',
                'ordering': ['-day', '-searches'],
                'constraints': [models.UniqueConstraint(fields=('query', 'day'), name='kb_searchqueryday_unique_day')],
            },
        ),
        migrations.RunPython(count_logged_searches, migrations.RunPython.noop),
    ]
