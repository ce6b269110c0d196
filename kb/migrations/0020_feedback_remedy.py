"""Votes on a single remedy (Feedback.remedy): one per visitor and remedy, beside the votes on
an article and on a cause as a whole."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0019_search_query_clicks"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="feedback",
            name="kb_feedback_one_vote_per_cause",
        ),
        migrations.AddField(
            model_name="feedback",
            name="remedy",
            field=models.ForeignKey(
                blank=True,
                help_text="对原因下某一条办法的评价；留空表示对整个原因或整篇文章的评价。",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="feedback",
                to="kb.remedy",
                verbose_name="解决办法",
            ),
        ),
        migrations.AddConstraint(
            model_name="feedback",
            constraint=models.UniqueConstraint(
                condition=models.Q(("cause__isnull", False), ("remedy__isnull", True)),
                fields=("cause", "visitor"),
                name="kb_feedback_one_vote_per_cause",
            ),
        ),
        migrations.AddConstraint(
            model_name="feedback",
            constraint=models.UniqueConstraint(
                condition=models.Q(("remedy__isnull", False)),
                fields=("remedy", "visitor"),
                name="kb_feedback_one_vote_per_remedy",
            ),
        ),
        migrations.AddConstraint(
            model_name="feedback",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("remedy__isnull", True), ("cause__isnull", False), _connector="OR"
                ),
                name="kb_feedback_remedy_has_cause",
            ),
        ),
    ]
