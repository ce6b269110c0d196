"""The Markdown editor in the admin, in a browser: images by button or drop, each asked for its
alt text first and put on a line of its own; a refused upload shows its reason and leaves the
text as it was."""

import base64
import re

import pytest
from playwright.sync_api import expect

from tests.test_editor import image_bytes, png_of_declared_size

DROP_FILE = """([selector, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "bomb.png", { type: "image/png" }));
  document.querySelector(selector).dispatchEvent(
    new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true })
  );
}"""


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def open_new_article(site, page, editor):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("input[type=submit]").click()
    page.goto(site + "/admin/kb/article/add/")


def answer_prompts(page, *answers):
    """Answer the alt-text questions in turn; record what each asked."""
    asked, queue = [], list(answers)

    def reply(dialog):
        asked.append(dialog.message)
        dialog.accept(queue.pop(0)) if queue else dialog.dismiss()

    page.on("dialog", reply)
    return asked


def test_a_refused_upload_shows_its_reason_and_leaves_the_text_alone(site, page, editor):
    open_new_article(site, page, editor)
    answer_prompts(page, "一张很大的图")
    summary = page.locator("#id_summary")
    summary.fill("已经写好的摘要")
    bomb = base64.b64encode(png_of_declared_size(13000, 13000)).decode()
    page.evaluate(DROP_FILE, ["#id_summary", bomb])
    alert = page.locator(".upload-error")
    expect(alert).to_have_text(
        "图片尺寸 13000×13000 太大：最多 1678 万像素（如 4096×4096），请缩小后再上传。"
    )
    expect(alert).to_have_attribute("role", "alert")
    expect(summary).to_have_value("已经写好的摘要")


def test_the_image_button_asks_for_alt_text_and_puts_the_image_on_its_own_line(
    site, page, editor, media_root, tmp_path
):
    open_new_article(site, page, editor)
    asked = answer_prompts(page, "", "还款页面的截图")  # an empty answer is asked again
    summary = page.locator("#id_summary")
    summary.fill("第一段。第二段。")
    summary.evaluate("(box) => box.setSelectionRange(4, 4)")  # after 第一段。
    picture = tmp_path / "shot.png"
    picture.write_bytes(image_bytes("PNG"))
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="插入图片：摘要").click()
    chooser.value.set_files(picture)

    expect(summary).to_have_value(
        re.compile(r"^第一段。\n\n!\[还款页面的截图\]\(/media/[^)]+\.png\)\n\n第二段。$")
    )
    assert len(asked) == 2 and "不能为空" in asked[1]


def test_cancelling_the_alt_text_uploads_nothing(site, page, editor, media_root):
    open_new_article(site, page, editor)
    answer_prompts(page)  # dismissed
    summary = page.locator("#id_summary")
    summary.fill("原文")
    page.evaluate(DROP_FILE, ["#id_summary", base64.b64encode(image_bytes("PNG")).decode()])
    page.wait_for_timeout(300)
    expect(summary).to_have_value("原文")
    assert not any(media_root.rglob("*.png"))
