"""The Markdown editor in the admin, in a browser: what an editor sees when an upload is refused."""

import base64

from playwright.sync_api import expect

from tests.test_editor import png_of_declared_size

DROP_FILE = """([selector, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "bomb.png", { type: "image/png" }));
  document.querySelector(selector).dispatchEvent(
    new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true })
  );
}"""


def test_a_refused_upload_shows_its_reason_and_leaves_the_text_alone(site, page, editor):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("input[type=submit]").click()
    page.goto(site + "/admin/kb/article/add/")
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
