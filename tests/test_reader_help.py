"""Issue 17: a stuck reader is never left alone. The 「还是没解决？」 block at every dead end,
answer-first summaries and per-cause share cards, safety notes, the troubleshooter's 不确定 and
end pages, votes that can be changed and comments without personal numbers, 繁體 that keeps
meanings. Everything through HTTP, as a reader or an editor sees it."""

import re

import pytest
from django.urls import reverse
from reversion.models import Version

from kb.models import Category, Feedback
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

IDENTITY = "本站不是花呗官方，无法查询你的账户"


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def still_stuck(html):
    """The text of the 「还是没解决？」 block, or None when the page has none."""
    found = re.search(r'<section class="card still-stuck".*?</section>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(0)) if found else None


def meta(html, name):
    found = re.search(rf'<meta (?:name|property)="{name}" content="([^"]*)"', html)
    return found.group(1) if found else None


def troubleshoot(article, name="kb:troubleshoot", **kwargs):
    return reverse(name, kwargs={"slug": article.slug, **kwargs})


# 1. 「还是没解决？」 at every dead end, with the product's route and who we are.


def test_every_dead_end_ends_in_the_still_stuck_block(client, huabei):
    thanks = reverse("kb:feedback_thanks", kwargs={"slug": huabei.slug})
    for url in [
        huabei.get_absolute_url(),
        troubleshoot(huabei, "kb:troubleshoot_advice"),
        troubleshoot(huabei, "kb:troubleshoot_match", position=4),
        f"{thanks}?helpful=no&cause=2",
        reverse("kb:cause", kwargs={"slug": huabei.slug, "position": 3}),
    ]:
        block = still_stuck(page(client, url))
        assert block is not None, url
        assert "还是没解决？" in block and "在「花呗」App 内" in block and "官方在线客服" in block
        assert IDENTITY in block and "关于本站" in block
    assert still_stuck(page(client, f"{thanks}?helpful=yes")) is None


def test_search_results_and_zero_results_end_in_the_block_without_naming_a_product(client):
    for query in ["余额不足", "huabeii"]:
        html = page(client, f"/search/?q={query}")
        block = still_stuck(html)
        assert "在你所用产品的官方 App 内" in block
        assert "本站不是任何贷款或支付平台的官方，无法查询你的账户" in block
        results = 'class="results"' if query == "余额不足" else 'class="no-results"'
        assert html.index('class="card still-stuck"') > html.index(results)


def test_staff_route_with_a_link_replaces_the_default(client, huabei):
    product = huabei.category.product
    product.official_route = "打开支付宝，搜索“花呗客服”，选择在线客服。"
    product.official_route_url = "https://example.com/help"
    product.save()
    block = page(client, huabei.get_absolute_url())
    text = still_stuck(block)
    assert "打开支付宝，搜索“花呗客服”" in text and "在「花呗」App 内" not in text
    assert '<a href="https://example.com/help" rel="noopener">打开花呗官方帮助</a>' in block


def test_about_page_says_what_the_site_cannot_do_and_lists_each_route(client, huabei):
    html = page(client, reverse("kb:about"))
    assert "<h1>关于本站</h1>" in html
    assert "无法查询、修改你的账户" in html
    assert "<strong>花呗：</strong>在「花呗」App 内" in html
    assert "<strong>分期乐：</strong>在「分期乐」App 内" in html
    assert 'href="/about/"' in page(client, "/")  # from every page's footer
    assert "/about/</loc>" in page(client, "/sitemap.xml")


# 2. Answer-first summary, closing words after the causes, share cards per cause.


def test_article_opens_with_the_answer_and_keeps_the_closing_words_after_the_causes(client, huabei):
    html = page(client, huabei.get_absolute_url())
    summary = html.index('<div class="summary">')
    answer = html.index("常见的原因有 4 种：没有待还款金额；网络繁忙或不稳定", summary)
    assert summary < answer < html.index('id="cause-1"')
    closing = html.index("花呗分期还款不了通常与以上原因有关")
    assert closing > html.index('id="cause-4"') and closing > html.index('id="advice"')


def test_descriptions_never_point_at_text_above(client, huabei, fenqile):
    fenqile.summary = "朋友欠分期乐，通常就是以上两种原因造成的。"  # an old-style summary
    fenqile.save()
    for article in (huabei, fenqile):
        html = page(client, article.get_absolute_url())
        for name in ("description", "og:description"):
            assert "以上" not in meta(html, name)
    assert meta(page(client, fenqile.get_absolute_url()), "description").startswith(
        "朋友欠分期乐，催收人员打电话给用户，常见的原因有 2 种"
    )


def test_staff_summary_opens_the_page_and_is_the_share_card(client, huabei):
    huabei.summary = "多半是余额不够或网络不好，先看看这两条。"
    huabei.save()
    html = page(client, huabei.get_absolute_url())
    assert '<div class="summary"><p>多半是余额不够或网络不好，先看看这两条。</p>' in html
    assert meta(html, "og:description") == "多半是余额不够或网络不好，先看看这两条。"


def test_a_shared_cause_link_has_a_card_about_that_cause(client, huabei):
    html = page(client, huabei.get_absolute_url())
    share_url = reverse("kb:cause", kwargs={"slug": huabei.slug, "position": 3})
    assert f'<a class="copy-link" href="{share_url}"' in html
    cause_page = page(client, share_url)
    description = meta(cause_page, "og:description")
    assert (
        description.startswith("可能的原因：还款方式余额不足。") and "先存钱再还款" in description
    )
    assert meta(cause_page, "og:url") == f"http://testserver{share_url}"
    assert meta(cause_page, "og:title") == f"还款方式余额不足 - {huabei.title}"
    assert "这个办法解决了吗？" in cause_page and 'href="#cause-1"' not in cause_page
    assert f'href="{huabei.get_absolute_url()}#cause-3">在全文中查看这个原因' in cause_page
    page(client, reverse("kb:cause", kwargs={"slug": huabei.slug, "position": 9}), status=404)


def test_no_link_to_general_advice_that_does_not_exist(client, huabei):
    cause = huabei.causes.get(position=2)
    cause.remedies.all().delete()
    html = page(client, huabei.get_absolute_url())
    assert html.count('href="/articles/huabei-fenqi-wufa-huankuan/#advice"') == 1  # it exists
    huabei.remedies.filter(cause=None).delete()
    huabei.closing = ""
    huabei.save()
    html = page(client, huabei.get_absolute_url())
    assert "#advice" not in html and 'id="advice"' not in html
    assert "这个原因暂时没有具体的办法" in html


# 3. Safety notes, per product or topic, versioned.


def test_collection_articles_carry_the_default_safety_note(client, huabei, fenqile):
    html = page(client, fenqile.get_absolute_url())
    assert "只通过「分期乐」官方 App 还款，不要向任何个人账户转账" in html
    assert "在官方 App 内核实对方身份" in html
    assert "安全提示" not in page(client, huabei.get_absolute_url())


def test_a_safety_note_edited_in_admin_shows_on_every_article_and_is_versioned(
    admin_client, client, huabei
):
    product = huabei.category.product
    url = reverse("admin:kb_category_change", args=[product.pk])
    data = form_data(admin_client.get(url).content.decode(), "category_form")
    data["safety_note"] = "花呗只在支付宝内还款，客服不会让你转账。"
    assert admin_client.post(url, data).status_code == 302
    assert Version.objects.get_for_object(Category.objects.get(pk=product.pk)).count() == 1
    html = page(client, huabei.get_absolute_url())
    assert "<strong>安全提示：</strong>花呗只在支付宝内还款，客服不会让你转账。" in html
    assert "花呗只在支付宝内还款" in page(
        client, troubleshoot(huabei, "kb:troubleshoot_match", position=1)
    )


# 4. The troubleshooter: 不确定, staff's order, the switch, end pages that fit.


def test_unsure_goes_on_and_says_which_causes_stay_possible(client, huabei):
    first = page(client, troubleshoot(huabei))
    unsure = troubleshoot(huabei, "kb:troubleshoot_question", position=2) + "?unsure=1"
    assert f'href="{unsure}">不确定，先跳过' in first
    second = page(client, unsure)
    assert "你不确定的，仍有可能：" in second and "原因 1：没有待还款金额" in second
    last = page(client, troubleshoot(huabei, "kb:troubleshoot_question", position=4) + "?unsure=1")
    end = troubleshoot(huabei, "kb:troubleshoot_advice") + "?unsure=1"
    assert f'href="{end}">不是，都不是' in last
    end_page = page(client, end)
    assert "<h1>还有原因没法确定</h1>" in end_page
    assert 'href="/articles/huabei-fenqi-wufa-huankuan/#cause-1">原因 1：没有待还款金额' in end_page
    assert "没有找到" not in end_page and still_stuck(end_page)


def test_no_after_a_confirmed_cause_does_not_say_no_cause_was_found(client, huabei):
    match = page(client, troubleshoot(huabei, "kb:troubleshoot_match", position=4))
    end = troubleshoot(huabei, "kb:troubleshoot_advice") + "?tried=4"
    assert f'href="{end}">没解决？看看接下来怎么办' in match
    end_page = page(client, end)
    assert "<h1>试过的办法没有解决问题</h1>" in end_page
    assert "你确认了「不支持分期还款」，但对应的办法没有解决问题" in end_page
    assert "都不符合" not in end_page and still_stuck(end_page)


def test_staff_order_decides_which_question_comes_first(client, huabei):
    serious = huabei.causes.get(position=4)
    serious.troubleshoot_order = 1
    serious.save()
    first = page(client, troubleshoot(huabei))
    assert "你的情况是「不支持分期还款」吗？" in first and "第 1 题，共 4 题" in first
    assert page(client, troubleshoot(huabei, "kb:troubleshoot_question", position=1)).count(
        "第 2 题，共 4 题"
    )
    response = client.get(troubleshoot(huabei, "kb:troubleshoot_question", position=4))
    assert response.status_code == 301 and response["Location"] == troubleshoot(huabei)


def test_an_article_whose_questions_readers_cannot_answer_offers_no_troubleshooter(
    client, huabei, fenqile
):
    # Imported into a collection topic: off (which way a collector got a number is unknowable).
    html = page(client, fenqile.get_absolute_url())
    assert "开始自助排查" not in html and "/troubleshoot/" not in html
    page(client, troubleshoot(fenqile), status=404)
    thanks = reverse("kb:feedback_thanks", kwargs={"slug": fenqile.slug})
    assert "用自助排查" not in page(client, f"{thanks}?helpful=no&cause=1")
    fenqile.offer_troubleshooter = True  # staff turn it on
    fenqile.save()
    assert "开始自助排查" in page(client, fenqile.get_absolute_url())
    huabei.offer_troubleshooter = False  # or off
    huabei.save()
    assert "开始自助排查" not in page(client, huabei.get_absolute_url())
    page(client, troubleshoot(huabei), status=404)


@pytest.mark.parametrize("query", ["?unsure=٣,x,99999999999", "?tried=-1&unsure=", "?unsure=,,"])
def test_odd_answers_in_the_query_are_ignored(client, huabei, query):
    html = page(client, troubleshoot(huabei, "kb:troubleshoot_advice") + query)
    assert "<h1>这些原因都不符合你的情况</h1>" in html


# 5. 繁體: characters only, suggestions in the variant.


def test_traditional_pages_convert_characters_not_words(client, huabei):
    cause = huabei.causes.get(position=1)
    cause.explanation = "注销账户之前要先还清。"
    cause.save()
    html = page(client, f"/zh-hant{huabei.get_absolute_url()}")
    assert "註銷賬戶之前要先還清。" in html and "登出" not in html


def test_suggestions_on_traditional_pages_stay_traditional_and_in_the_variant(client, huabei):
    html = page(client, "/zh-hant/")
    assert 'data-suggest="/api/suggest?variant=zh-hant"' in html
    assert 'data-suggest="/api/suggest"' in page(client, "/")
    data = client.get("/api/suggest", {"q": "餘額不足", "variant": "zh-hant"}).json()
    first = data["suggestions"][0]
    assert first["title"] == "還款方式餘額不足"
    assert first["url"] == f"/zh-hant{huabei.get_absolute_url()}#cause-3"
    simplified = client.get("/api/suggest", {"q": "余额不足"}).json()["suggestions"][0]
    assert simplified["url"] == f"{huabei.get_absolute_url()}#cause-3"


# 6. Votes that can be changed; 没解决 offers a next step; no personal numbers stored.


def test_a_mis_tapped_vote_can_be_changed_from_the_thank_you_page(client, huabei):
    vote = reverse("kb:feedback", kwargs={"slug": huabei.slug})
    thanks = client.post(vote, {"helpful": "yes", "cause": "2"}, follow=True).content.decode()
    assert "你选的是「解决了」" in thanks
    data = form_data(
        thanks.replace('class="change-vote"', 'id="change" class="change-vote"'), "change"
    )
    data["helpful"] = "no"
    changed = client.post(vote, data, follow=True).content.decode()
    assert "抱歉没能帮上忙" in changed
    assert Feedback.objects.get().helpful is False


def test_no_offers_another_cause_the_troubleshooter_and_the_official_route(client, huabei):
    vote = reverse("kb:feedback", kwargs={"slug": huabei.slug})
    thanks = client.post(vote, {"helpful": "no", "cause": "3"}, follow=True).content.decode()
    assert (
        'href="/articles/huabei-fenqi-wufa-huankuan/#cause-4">看看另一个可能的原因：原因 4'
        in thanks
    )
    assert f'href="{troubleshoot(huabei)}">用自助排查一步步找原因' in thanks
    assert 'href="#still-stuck">还是没解决？' in thanks and still_stuck(thanks)
    answer = client.post(vote, {"helpful": "no", "cause": "4"}, HTTP_ACCEPT="application/json")
    steps = answer.json()["next_steps"]
    assert steps[0] == {
        "text": "看看另一个可能的原因：原因 1：没有待还款金额",
        "url": f"{huabei.get_absolute_url()}#cause-1",
    }
    assert [s["url"] for s in steps[1:]] == [troubleshoot(huabei), "#still-stuck"]


@pytest.mark.parametrize(
    "comment",
    [
        "我的手机是13800138000，请联系我",
        "138 0013 8000",
        "手机１３８００１３８０００",
        "身份证 11010519491231002X",
        "卡号 6222-0212-3456-7890",
    ],
)
def test_a_comment_with_a_personal_number_is_refused_and_not_stored(client, huabei, comment):
    vote = reverse("kb:feedback", kwargs={"slug": huabei.slug})
    response = client.post(vote, {"helpful": "no", "cause": "3", "comment": comment})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请不要填写手机号、身份证号或银行卡号" in html
    assert f">{comment}</textarea>" in html  # kept, so only the number needs deleting
    as_json = client.post(
        vote, {"helpful": "no", "comment": comment}, HTTP_ACCEPT="application/json"
    )
    assert as_json.status_code == 400 and "身份证号" in as_json.json()["detail"]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("comment", ["还了2000元还是显示逾期", "2024年3月5日扣款失败"])
def test_ordinary_numbers_in_a_comment_are_kept(client, huabei, comment):
    vote = reverse("kb:feedback", kwargs={"slug": huabei.slug})
    assert client.post(vote, {"helpful": "no", "comment": comment}).status_code == 303
    assert Feedback.objects.get().comment == comment


def test_the_migration_moves_an_imported_closing_paragraph_out_of_the_summary(huabei):
    import importlib

    from django.apps import apps

    from kb.content import import_paths

    migration = importlib.import_module("kb.migrations.0014_reader_escape_routes")
    closing = huabei.closing
    # As the importer wrote it before: the closing paragraph as the summary.
    huabei.summary, huabei.closing = closing, ""
    huabei.import_digest = migration._digest(huabei, migration.OLD_FIELDS)
    huabei.save()
    migration.move_closing_paragraphs(apps, None)
    huabei.refresh_from_db()
    assert (huabei.summary, huabei.closing) == ("", closing)
    report = import_paths()
    assert report.articles.conflicts == 0 and report.articles.updated == 0
