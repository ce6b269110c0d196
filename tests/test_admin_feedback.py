"""Staff act on reader comments: mark them handled, take personal data out; both roles may,
and each step is in the entry's history."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from kb.models import Feedback
from kb.personal_data import redact_personal_data

pytestmark = pytest.mark.django_db

LISTING = reverse("admin:kb_feedback_changelist")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("请打 138 1234 5678 联系我", "请打 ［已隐去］ 联系我"),
        ("身份证 11010519491231002X 被盗用", "身份证 ［已隐去］ 被盗用"),
        ("邮箱 wang.li+kb@example.com 收不到", "邮箱 ［已隐去］ 收不到"),
        ("还了 3 期，每期 500 元", "还了 3 期，每期 500 元"),
    ],
)
def test_personal_data_is_taken_out_and_amounts_are_kept(text, expected):
    assert redact_personal_data(text) == expected


@pytest.mark.parametrize("group", ["编辑", "发布"])
def test_staff_redact_a_comment_and_mark_it_handled(client, staff_in, huabei, group):
    client.force_login(staff_in(group))
    feedback = Feedback.objects.create(
        article=huabei, helpful=False, comment="打我电话13812345678", visitor="v"
    )
    page = client.get(LISTING + "?handled=no").content.decode()
    assert "打我电话13812345678" in page and "未处理" in page

    client.post(LISTING, {"action": "redact_comments", "_selected_action": [feedback.pk]})
    client.post(LISTING, {"action": "mark_handled", "_selected_action": [feedback.pk]})
    feedback.refresh_from_db()
    assert feedback.comment == "打我电话［已隐去］"
    assert feedback.handled_at is not None and feedback.redacted_at is not None
    logged = LogEntry.objects.filter(object_id=str(feedback.pk)).values_list(
        "change_message", flat=True
    )
    assert set(logged) == {"隐去了补充说明中的个人信息", "标记为已处理"}
    assert "13812345678" not in client.get(LISTING).content.decode()
