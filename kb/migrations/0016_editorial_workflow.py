"""Issue 18, the editorial workflow: drafts of published articles (ArticleDraft), old slugs
(ArticleSlug), staff follow-up of feedback comments; both roles may now change feedback (mark
a comment handled, redact it)."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUPS = ["编辑", "发布"]


def grant_change_feedback(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this one is needed now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="kb", codename="change_feedback")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke_change_feedback(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(codename="change_feedback", content_type__app_label="kb")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*permission)


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0015_content_versions_uploads"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="handled_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="处理时间"),
        ),
        migrations.AddField(
            model_name="feedback",
            name="handled_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="处理人",
            ),
        ),
        migrations.AddField(
            model_name="feedback",
            name="redacted_at",
            field=models.DateTimeField(
                blank=True,
                help_text="补充说明中的手机号、证件号、银行卡号和邮箱已被替换。",
                null=True,
                verbose_name="隐去个人信息的时间",
            ),
        ),
        migrations.CreateModel(
            name="ArticleDraft",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "草稿"),
                            ("submitted", "待审核"),
                            ("returned", "已退回"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                (
                    "serialized",
                    models.TextField(
                        editable=False,
                        help_text="整篇文章（含原因和办法）的 JSON，格式同历史版本。",
                        verbose_name="内容",
                    ),
                ),
                (
                    "based_on",
                    models.DateTimeField(
                        help_text="草稿开始时已发布版本的更新时间：之后若有人直接修改，会提醒。",
                        verbose_name="基于",
                    ),
                ),
                (
                    "submitted_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="提交审核时间"),
                ),
                ("review_comment", models.TextField(blank=True, verbose_name="审核意见")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="保存时间")),
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pending_draft",
                        to="kb.article",
                        verbose_name="文章",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="修改人",
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="审核人",
                    ),
                ),
            ],
            options={
                "verbose_name": "待发布的修改",
                "verbose_name_plural": "待发布的修改",
                "ordering": ["-submitted_at", "-updated_at"],
            },
        ),
        migrations.CreateModel(
            name="ArticleSlug",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=100, unique=True, verbose_name="旧网址名")),
                ("changed_at", models.DateTimeField(auto_now_add=True, verbose_name="修改时间")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="old_slugs",
                        to="kb.article",
                        verbose_name="文章",
                    ),
                ),
            ],
            options={
                "verbose_name": "旧网址",
                "verbose_name_plural": "旧网址",
                "ordering": ["-changed_at"],
            },
        ),
        migrations.RunPython(grant_change_feedback, revoke_change_feedback),
    ]
