"""Home and a category page at a thousand articles, as a reader on a phone sees them."""

import os
import re

from playwright.sync_api import expect

from kb.models import Article, Category
from tests.bulk import add_articles

MAX_LISTING_BYTES = 30_000
SCREENSHOTS = os.environ.get("KB_SCREENSHOTS", "/tmp")


def no_sideways_scrolling(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_thousand_articles_on_a_phone_home_and_category_pages(site, page):
    add_articles(1000)
    qita = Category.objects.get(slug="qita")
    total = Article.objects.published().filter(category__in=[qita, *qita.children.all()]).count()

    home = page.goto(f"{site}/")
    assert len(home.body()) < MAX_LISTING_BYTES
    assert no_sideways_scrolling(page)
    page.screenshot(path=f"{SCREENSHOTS}/kb-scale-home.png", full_page=True)
    # Every product is within a few screens of the top, not after hundreds of links.
    products = page.locator(".card.product")
    expect(products).to_have_count(3)
    assert products.nth(2).bounding_box()["y"] < 6 * page.viewport_size["height"]
    # A topic's count is a badge apart from its name, and is read out as "N 篇".
    chip = page.locator('.chip[href="/categories/qita-changjian/"]')
    expect(chip).to_have_accessible_name(re.compile(r"^常见问题 \d+ 篇$"))
    name, badge = chip.evaluate(
        "c => [c.firstChild.nodeValue, c.querySelector('.chip__count').getBoundingClientRect()]"
    )
    text = chip.evaluate(
        "c => { const r = document.createRange(); r.selectNodeContents(c.firstChild);"
        " return r.getBoundingClientRect().right; }"
    )
    assert name == "常见问题" and badge["left"] - text >= 4

    page.get_by_role("link", name=f"查看全部 {total} 篇").click()
    expect(page).to_have_url(f"{site}/categories/qita/")
    expect(page.locator(".pagination")).to_contain_text("第 1 页")
    assert len(page.goto(page.url).body()) < MAX_LISTING_BYTES
    assert no_sideways_scrolling(page)
    page.screenshot(path=f"{SCREENSHOTS}/kb-scale-category.png", full_page=True)

    page.get_by_role("link", name="下一页").click()
    expect(page).to_have_url(f"{site}/categories/qita/?page=2")
    expect(page.locator(".pagination")).to_contain_text("第 2 页")
    page.get_by_role("link", name="上一页").click()
    expect(page).to_have_url(f"{site}/categories/qita/")

    page.get_by_role("link", name="常见问题").first.click()
    expect(page).to_have_url(f"{site}/categories/qita-changjian/")
    expect(page.locator('.chip[aria-current="page"]')).to_have_text("常见问题")
