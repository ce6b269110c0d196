"""The staff loop in admin, through HTTP and the admin's own forms: import source texts
(upload, preview, 导入), best bets, the search work queue and the charts (issue 13)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from kb.models import Article, BestBet, OutOfScopeQuery, SearchQueryDay
from kb.search import log as search_log
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).parent / "fixtures" / "sources" / "jiebei_other_phrasings.txt"
IMPORT = reverse("admin:kb_article_import")
APPLY = reverse("admin:kb_article_import_apply")
QUEUE = reverse("admin:kb_search_queue")
NONSENSE = "咕噜咕噜怎么办"  # no article has it


def upload(client, *files, publish=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"files": [SimpleUploadedFile(name, content) for name, content in files]}
    if publish:
        data["publish"] = "on"
    return client.post(IMPORT, data)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def streamed(response):
    return b"".join(response.streaming_content).decode()


class TestImport:
    def test_preview_shows_what_will_be_stored_and_changes_nothing(
        self, publisher_client, imported
    ):
        before = Article.objects.count()
        gbk = SOURCE.read_text().replace("唄", "呗").encode("gb18030")
        page = text(upload(publisher_client, ("jiebei.txt", gbk)))
        assert "借呗无法更换还款银行卡的原因" in page and "新建" in page
        assert "GB18030/GBK" in page
        assert "用户需要先等待当期扣款完成，然后再更换还款银行卡。" in page
        assert "凡是要求先交保证金才能放款的都是诈骗。" in page  # general advice
        assert 'value="导入"' in page
        assert Article.objects.count() == before

    def test_apply_imports_new_articles_as_drafts_in_the_article_list(
        self, publisher_client, imported
    ):
        page = upload(publisher_client, ("jiebei.txt", SOURCE.read_bytes())).content.decode()
        data = form_data(
            page.replace('<form method="post" action', '<form id="apply" method="post" action'),
            "apply",
        )
        done = streamed(publisher_client.post(APPLY, data))
        assert "已处理 1 / 1 篇" in done and "导入完成" in done
        article = Article.objects.get(title="借呗无法更换还款银行卡的原因")
        assert article.status == Article.Status.DRAFT
        assert [r.text for r in article.causes.get(position=1).remedies.all()] == [
            "用户需要先等待当期扣款完成，然后再更换还款银行卡。"
        ]
        listing = publisher_client.get(reverse("admin:kb_article_changelist")).content.decode()
        assert "借呗无法更换还款银行卡的原因" in listing
        # The preview's files are gone: posting again imports nothing twice.
        again = publisher_client.post(APPLY, data)
        assert again.status_code == 302 and again.url == IMPORT

    def test_publish_chosen_publishes_new_articles(self, publisher_client, imported):
        page = upload(publisher_client, ("jiebei.txt", SOURCE.read_bytes()), publish=True)
        token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
        streamed(publisher_client.post(APPLY, {"token": token}))
        assert Article.objects.get(title__startswith="借呗").status == Article.Status.PUBLISHED

    def test_errors_are_file_line_reason_for_every_bad_file(self, publisher_client, imported):
        long_line = ("问" * 80_000 + "的原因如下:\n1、原因\n说明。\n").encode()
        latin1 = "问题如下:\n1、原因\n".encode() + "crème\n".encode("latin-1")
        page = text(upload(publisher_client, ("long.txt", long_line), ("latin.txt", latin1)))
        assert "long.txt:1: 标题：" in page
        assert "latin.txt:3: not valid UTF-8, UTF-16 or GB18030/GBK text" in page
        assert 'value="导入"' not in page

    def test_an_editor_may_preview_but_not_apply(self, editor_client, imported):
        page = upload(editor_client, ("jiebei.txt", SOURCE.read_bytes())).content.decode()
        assert "借呗无法更换还款银行卡的原因" in page and 'value="导入"' not in page
        assert 'name="publish"' not in page
        assert editor_client.post(APPLY, {"token": "x"}).status_code == 403

    def test_a_large_batch_streams_its_progress(self, publisher_client, imported):
        batch = "".join(
            f"第{n}号产品无法登录,原因如下:\n1、账号异常\n账号被冻结。请联系客服解冻。\n"
            for n in range(40)
        )
        page = upload(publisher_client, ("batch.txt", batch.encode())).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', page).group(1)
        response = publisher_client.post(APPLY, {"token": token})
        assert response.streaming and "no-store" in response["Cache-Control"]
        chunks = [chunk.decode() for chunk in response.streaming_content]
        progress = [c for c in chunks if "已处理" in c]
        assert len(progress) == 20 and "已处理 40 / 40 篇" in progress[-1]
        assert Article.objects.filter(title__endswith="号产品无法登录的原因").count() == 40

    def test_preview_names_conflicts_with_staff_edits(self, publisher_client, huabei, content_dir):
        cause = huabei.causes.get(position=1)
        cause.title = "编辑改过的标题"
        cause.save()
        real = (content_dir / "000_1740def839575a46.txt").read_bytes()
        page = text(upload(publisher_client, ("000.txt", real)))
        assert "冲突" in page and "edited by staff since the last import" in page
        assert "无改动" in page  # the other article

    def test_an_oversized_upload_is_refused(self, publisher_client, imported):
        page = text(upload(publisher_client, ("big.txt", b"a" * (2 * 1024 * 1024 + 1))))
        assert "文件合计不能超过 2 MB。" in page


def add_best_bet(client, phrase, article, cause=None, query=""):
    url = reverse("admin:kb_bestbet_add") + query
    data = form_data(client.get(url).content.decode(), "bestbet_form")
    data.update(phrase=phrase, article=str(article.pk), cause=str(cause.pk) if cause else "")
    return client.post(url, data)


def first_result(client, query):
    page = client.get(reverse("kb:search"), {"q": query}).content.decode()
    found = re.search(r'class="result__title" href="([^"]+)"', page)
    return found.group(1) if found else None


class TestBestBets:
    def test_a_best_bet_is_the_first_result_at_once_and_counts_as_an_answer(
        self, publisher_client, client, huabei
    ):
        assert first_result(client, NONSENSE) is None
        cause = huabei.causes.get(position=3)
        assert add_best_bet(publisher_client, "咕噜咕噜", huabei, cause).status_code == 302
        url = first_result(client, "咕嚕咕嚕怎麼辦？")  # traditional, punctuation
        assert url == f"/articles/{huabei.slug}/#cause-3"
        response = client.get("/api/search", {"q": "ｇｕ咕噜咕噜"})
        assert response.json()["results"][0]["cause"]["position"] == 3
        search_log.searches.flush()
        day = SearchQueryDay.objects.get(query="咕噜咕噜怎么办?")
        assert (day.searches, day.zero_results) == (1, 0)

    def test_a_best_bet_beats_the_ranking_and_a_disabled_one_does_not(
        self, publisher_client, client, huabei, fenqile
    ):
        assert first_result(client, "花呗分期还款").startswith(f"/articles/{huabei.slug}/")
        add_best_bet(publisher_client, "花呗分期", fenqile)
        assert first_result(client, "花呗分期还款") == f"/articles/{fenqile.slug}/"
        bet = BestBet.objects.get()
        bet.enabled = False
        bet.save()
        assert first_result(client, "花呗分期还款").startswith(f"/articles/{huabei.slug}/")

    def test_a_cause_of_another_article_is_refused(self, publisher_client, huabei, fenqile):
        response = add_best_bet(publisher_client, "咕噜", huabei, fenqile.causes.first())
        assert "这个原因不属于所选的文章。" in response.content.decode()
        assert not BestBet.objects.exists()

    def test_editors_read_best_bets_but_do_not_add_them(self, editor_client, imported):
        assert editor_client.get(reverse("admin:kb_bestbet_changelist")).status_code == 200
        assert editor_client.get(reverse("admin:kb_bestbet_add")).status_code == 403


def searched(query, searches, zero, days_ago=0, clicks=0):
    day = timezone.localdate() - timezone.timedelta(days=days_ago)
    SearchQueryDay.objects.create(
        query=query,
        day=day,
        searches=searches,
        zero_results=zero,
        clicks=clicks,
        last_at=timezone.now(),
    )


def not_clicked_list(page):
    """The queue's 有结果、但没有人点 section."""
    return page.split("有结果、但没有人点")[1].split("<h2>")[0]


class TestWorkQueue:
    def test_unanswered_queries_are_grouped_counted_and_answered_from_the_queue(
        self, publisher_client, huabei
    ):
        searched("咕噜咕噜怎么办", 3, 3, days_ago=20)
        searched("咕嚕咕嚕 怎麼辦？", 2, 2)
        page = text(publisher_client.get(QUEUE))
        row = '<th scope="row">咕噜咕噜怎么办</th> <td data-label="搜索次数">5</td> '
        assert row + '<td data-label="无结果次数">5</td>' in page
        assert "仍无结果" in page and '<td data-label="趋势">下降</td>' in page
        link = (
            re.search(r'href="([^"]*bestbet/add/\?phrase=[^"]*)"', page)
            .group(1)
            .replace("&amp;", "&")
        )
        response = add_best_bet(
            publisher_client, "咕噜咕噜怎么办", huabei, query=link[link.index("?") :]
        )
        assert response.status_code == 302 and response.url == QUEUE
        page = text(publisher_client.get(QUEUE))
        assert "有答案（最佳答案）" in page

    def test_out_of_scope_leaves_the_queue_reversibly(self, publisher_client, imported):
        searched("天气预报", 4, 4)
        page = publisher_client.get(QUEUE).content.decode()
        link = re.search(r'href="([^"]*outofscopequery/add/\?query=[^"]*)"', page).group(1)
        link = link.replace("&amp;", "&")
        data = form_data(publisher_client.get(link).content.decode(), "outofscopequery_form")
        assert data["query"] == "天气预报"
        assert publisher_client.post(link, data).url == QUEUE
        page = text(publisher_client.get(QUEUE))
        assert "仍无结果" not in page and "撤销标记" in page
        OutOfScopeQuery.objects.get().delete()  # what 撤销标记 leads to: its delete page
        assert "仍无结果" in text(publisher_client.get(QUEUE))

    def test_answered_queries_nobody_clicks_are_listed_until_a_click(
        self, publisher_client, client, huabei
    ):
        searched("花呗 还款失败", 4, 0, days_ago=3)
        searched("花呗 还款", 2, 0)  # too few searches to say anything yet
        searched("借呗", 5, 0, clicks=1)  # readers click its results
        page = text(publisher_client.get(QUEUE))
        listed = not_clicked_list(page)
        assert '<th scope="row">花呗 还款失败</th> <td data-label="搜索次数">4</td>' in listed
        assert '<td data-label="点击次数">0</td>' in listed
        assert "花呗 还款</th>" not in listed and "借呗" not in listed
        assert "有结果</span>" in listed  # what it finds now
        # The same one-click actions as the other lists.
        for action in ("bestbet/add/?phrase=", "synonym/add/?phrase=", "outofscopequery/add/"):
            assert action in listed
        # A reader clicks a result of that search: the query leaves the list.
        client.post(
            "/api/search/click",
            {"slug": huabei.slug, "query": "花呗 还款失败"},
            content_type="application/json",
        )
        page = text(publisher_client.get(QUEUE))
        assert "花呗 还款失败" not in not_clicked_list(page)

    def test_after_a_best_bet_the_queue_counts_searches_and_clicks_since(
        self, publisher_client, client, huabei
    ):
        searched("花呗 还款失败", 4, 0, days_ago=3)
        add_best_bet(publisher_client, "花呗 还款失败", huabei)
        listed = not_clicked_list(text(publisher_client.get(QUEUE)))
        assert "有答案（最佳答案）" in listed and "起：还没有人再搜过" in listed
        client.get(reverse("kb:search"), {"q": "花呗 还款失败"})
        listed = not_clicked_list(text(publisher_client.get(QUEUE)))
        assert "起：搜索 1 次，有结果 1 次，点击 0 次" in listed

    def test_a_query_is_in_one_list_only(self, editor_client, imported):
        searched("咕噜咕噜", 4, 1)  # found nothing once: unanswered, not "nobody clicked"
        page = text(editor_client.get(QUEUE))
        assert page.count('<th scope="row">咕噜咕噜</th>') == 1
        assert "咕噜咕噜" not in not_clicked_list(page)

    def test_out_of_scope_queries_leave_the_no_click_list(self, publisher_client, imported):
        searched("天气预报", 4, 0)
        OutOfScopeQuery.objects.create(query="天气预报")
        assert "天气预报" not in not_clicked_list(text(publisher_client.get(QUEUE)))

    def test_editors_read_the_queue_without_actions(self, editor_client, imported):
        searched("天气预报", 4, 4)
        page = editor_client.get(QUEUE).content.decode()
        assert "天气预报" in page
        assert "bestbet/add" not in page and "outofscopequery/add" not in page
        assert "synonym/add" in page  # editors keep the synonyms (migration 0013)

    def test_readers_of_nothing_are_refused(self, client, django_user_model):
        user = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403
        assert client.get(reverse("admin:kb_charts")).status_code == 403


class TestCharts:
    def test_charts_are_accessible_svg_with_their_numbers(self, editor_client, imported):
        searched("花呗", 8, 2)
        page = editor_client.get(reverse("admin:kb_charts")).content.decode()
        assert page.count('role="img"') >= 2
        assert 'aria-labelledby="chart-searches-title chart-searches-desc"' in page
        assert "<td>8</td><td>2</td>" in page.replace("\n", "")
        assert "25%" in page
        assert "style=" not in page.split('id="content-main"')[1]
        assert "<script" not in page.split('id="content-main"')[1]
