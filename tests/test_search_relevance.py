"""Relevance on a site with more articles than content/ holds: content/ and the three held-out
articles of tests/relevance/heldout/articles.txt, measured on the tuning set, the unseen set
(measured once, by hand, then kept as a regression set) and the public examples of every kind
(out-of-domain ones included: those must get no answer); and with a sixth article written for
these tests (tests/relevance/mine/), on its own set of every kind and on the unseen set again;
and with the seven articles of the second held-out set (tests/relevance/fresh/), on its questions.

``KB_RELEVANCE_REPORT=1`` prints each miss; ``KB_RELEVANCE_SETS=a.tsv,b.tsv`` measures other
sets by hand.
"""

import os
import time
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from django.conf import settings

from kb.content import import_paths
from kb.models import SearchQueryDay
from kb.search.engine import search

from .test_search import RELEVANCE, read_queries

HELDOUT = RELEVANCE / "heldout"
ARTICLES = {
    "H": "花呗分期后无法还款的原因",
    "F": "朋友欠分期乐，催收人员打电话给用户的原因",
    "A": "借呗额度被降低或关闭的原因",
    "B": "分期乐无法提前还款的原因",
    "C": "京东白条还清后仍然接到催收电话的原因",
    "D": "360借条借款审核不通过的原因",
}
MINE = RELEVANCE / "mine"
FRESH = RELEVANCE / "fresh"
FRESH_ARTICLES = dict(read_queries(FRESH / "codes.tsv"))
FRESH_2 = RELEVANCE / "fresh2"
FRESH_2_ARTICLES = dict(read_queries(FRESH_2 / "codes.tsv"))
OUT_OF_DOMAIN = "N"


@dataclass
class Figures:
    """article@1, cause@1 and the out-of-domain questions left without an answer, per kind."""

    answerable: int = 0
    article_hits: int = 0
    with_cause: int = 0
    cause_hits: int = 0
    out_of_domain: int = 0
    no_answer: int = 0
    misses: list = field(default_factory=list)
    codes: dict = field(default_factory=lambda: ARTICLES)  # article code -> title

    def add(self, query, article, cause, kind):
        results = search(query).results
        top = results[0] if results else None
        if article == OUT_OF_DOMAIN:
            self.out_of_domain += 1
            self.no_answer += top is None
            if top is not None:
                self.misses.append((kind, query, "N", top.cause_title or top.article_title))
            return
        self.answerable += 1
        right_article = top is not None and top.article_title == self.codes[article]
        right_cause = right_article and (
            cause == "-" or (top.type == "cause" and cause in top.cause_title)
        )
        self.article_hits += right_article
        if cause != "-":
            self.with_cause += 1
            self.cause_hits += right_cause
        if not right_cause:
            got = "-" if top is None else f"{top.article_title} / {top.cause_title}"
            self.misses.append((kind, query, f"{article} {cause}", got))

    def rate(self, hits, total):
        return hits / total if total else 1.0

    @property
    def article_at_1(self):
        return self.rate(self.article_hits, self.answerable)

    @property
    def cause_at_1(self):
        return self.rate(self.cause_hits, self.with_cause)

    @property
    def no_answer_rate(self):
        return self.rate(self.no_answer, self.out_of_domain)

    def __str__(self):
        return (
            f"article@1 {self.article_at_1:.3f} ({self.article_hits}/{self.answerable}), "
            f"cause@1 {self.cause_at_1:.3f} ({self.cause_hits}/{self.with_cause}), "
            f"ood no answer {self.no_answer_rate:.3f} ({self.no_answer}/{self.out_of_domain})"
        )


def measure(rows, codes=ARTICLES):
    figures, by_kind = Figures(codes=codes), defaultdict(lambda: Figures(codes=codes))
    for row in rows:
        query, article, cause = row[:3]
        kind = row[3] if len(row) > 3 else "-"
        figures.add(query, article, cause, kind)
        by_kind[kind].add(query, article, cause, kind)
    return figures, by_kind


def report(name, figures, by_kind, capsys):
    with capsys.disabled():
        print(f"\n{name}: {figures}")
        if os.environ.get("KB_RELEVANCE_REPORT"):
            for kind, kind_figures in sorted(by_kind.items()):
                print(f"  {kind}: {kind_figures}")
            for miss in figures.misses:
                print("  miss", *miss, sep="\t")


@pytest.fixture
def larger_site(imported):
    """content/ and the held-out articles, imported as `manage.py import_content` would."""
    import_paths([settings.KB_CONTENT_DIR, HELDOUT / "articles.txt"])


@pytest.fixture
def sixth_site(larger_site):
    """The larger site and one more article, written for these tests (tests/relevance/mine/)."""
    import_paths([settings.KB_CONTENT_DIR, HELDOUT / "articles.txt", MINE / "article.txt"])


@pytest.fixture
def seventh_site(larger_site):
    """The larger site and the two articles of the second held-out set (tests/relevance/fresh/):
    seven articles, 美团月付 and 信用卡分期手续费 among them."""
    import_paths([settings.KB_CONTENT_DIR, HELDOUT / "articles.txt", FRESH / "articles.txt"])


@pytest.fixture
def eighth_site(larger_site):
    """Seven articles and the third held-out set's (tests/relevance/fresh2/: 抖音月付)."""
    import_paths(
        [
            settings.KB_CONTENT_DIR,
            HELDOUT / "articles.txt",
            FRESH / "articles.txt",
            FRESH_2 / "articles.txt",
        ]
    )


# Thresholds at what the search reaches (issue 12's targets: 0.97, 0.90, 0.85).
TUNING = {"article": 1.0, "cause": 0.94, "no_answer": 0.93}
UNSEEN = {"article": 1.0, "cause": 0.93, "no_answer": 1.0}
PUBLIC_2 = {"article": 1.0, "cause": 0.85, "no_answer": 1.0}
MINE_KINDS = {"article": 1.0, "cause": 0.95, "no_answer": 0.8}
UNSEEN_ON_SIX = {"article": 1.0, "cause": 0.91, "no_answer": 1.0}
FRESH_SET = {"article": 0.98, "cause": 0.93, "no_answer": 0.95}
ROUND_2 = {"article": 0.96, "cause": 0.8, "no_answer": 1.0}
FRESH_2_SET = {"article": 0.92, "cause": 0.82, "no_answer": 0.9}


@pytest.mark.django_db
class TestLargerSite:
    @pytest.mark.parametrize(
        ("name", "thresholds"),
        [
            ("heldout/tuning.tsv", TUNING),
            ("heldout/unseen.tsv", UNSEEN),
            ("public-2.tsv", PUBLIC_2),
        ],
    )
    def test_each_set_scores_its_thresholds(self, larger_site, capsys, name, thresholds):
        figures, by_kind = measure(read_queries(RELEVANCE / name))
        report(name, figures, by_kind, capsys)
        assert figures.article_at_1 >= thresholds["article"]
        assert figures.cause_at_1 >= thresholds["cause"]
        assert figures.no_answer_rate >= thresholds["no_answer"]

    @pytest.mark.skipif(
        not os.environ.get("KB_RELEVANCE_SETS"), reason="a measurement by hand, not a test"
    )
    def test_measure_by_hand(self, larger_site, capsys):
        for name in os.environ["KB_RELEVANCE_SETS"].split(","):
            report(name, *measure(read_queries(RELEVANCE / name)), capsys)


@pytest.mark.django_db
class TestSixArticles:
    """One article more than the held-out sets were written for: the others' answers hold."""

    @pytest.mark.parametrize(
        ("name", "thresholds"),
        [("mine/kinds.tsv", MINE_KINDS), ("heldout/unseen.tsv", UNSEEN_ON_SIX)],
    )
    def test_each_set_scores_its_thresholds(self, sixth_site, capsys, name, thresholds):
        figures, by_kind = measure(read_queries(RELEVANCE / name))
        report(f"{name} (six articles)", figures, by_kind, capsys)
        assert figures.article_at_1 >= thresholds["article"]
        assert figures.cause_at_1 >= thresholds["cause"]
        assert figures.no_answer_rate >= thresholds["no_answer"]


@pytest.mark.django_db
class TestSevenArticles:
    """The second held-out set, measured once on main, kept as a regression set; and the
    questions of every kind written for its round (tests/relevance/mine/round2.tsv)."""

    @pytest.mark.parametrize(
        ("name", "thresholds"),
        [("fresh/unseen.tsv", FRESH_SET), ("mine/round2.tsv", ROUND_2)],
    )
    def test_each_set_scores_its_thresholds(self, seventh_site, capsys, name, thresholds):
        figures, by_kind = measure(read_queries(RELEVANCE / name), FRESH_ARTICLES)
        report(f"{name} (seven articles)", figures, by_kind, capsys)
        assert figures.article_at_1 >= thresholds["article"]
        assert figures.cause_at_1 >= thresholds["cause"]
        assert figures.no_answer_rate >= thresholds["no_answer"]


@pytest.mark.django_db
class TestEightArticles:
    """The third held-out set, measured once on main (its README), kept as a regression set."""

    def test_the_set_scores_its_thresholds(self, eighth_site, capsys):
        figures, by_kind = measure(read_queries(FRESH_2 / "unseen.tsv"), FRESH_2_ARTICLES)
        report("fresh2/unseen.tsv (eight articles)", figures, by_kind, capsys)
        assert figures.article_at_1 >= FRESH_2_SET["article"]
        assert figures.cause_at_1 >= FRESH_2_SET["cause"]
        assert figures.no_answer_rate >= FRESH_2_SET["no_answer"]


@pytest.mark.django_db
class TestWhatTheQuestionIsAbout:
    """On seven articles, two of them about 美团月付 and 信用卡's 分期手续费."""

    @pytest.mark.parametrize(
        "question",
        [
            "车贷提前还款有违约金吗",  # a loan no article is about, its words in others
            "公积金贷款逾期了怎么办",
            "信用卡换汇手续费多少",  # another kind of 手续费 than the article's
            "信用卡最低还款有手续费吗",  # a term of credit no article has, only its pieces
            "美团月付能关闭吗",  # 关闭: the topic of another article (借呗's)
        ],
    )
    def test_a_question_about_another_thing_gets_no_answer(self, seventh_site, question):
        page = search(question)
        assert page.results == [] and page.related

    @pytest.mark.parametrize(
        ("question", "article"),
        [
            ("美团月付一直开不了", "D"),  # 开不了: what the article says 无法开通
            ("美团月付 activate 不了", "D"),  # an English word among Chinese is no name
            ("十九岁了想用月付点外卖 一直开通失败", "D"),  # 用月付: 用 + 月付, no product 用月付
            ("下班在地铁上看到京东白条那笔早还清了 怎么催收电话还是一天打好几个", "C"),
        ],
    )
    def test_an_answerable_question_keeps_its_answer(self, seventh_site, question, article):
        top = search(question).results[0]
        assert top.article_title == FRESH_ARTICLES[article]


@pytest.mark.django_db
class TestConfidence:
    def test_a_question_no_article_covers_gets_no_answer_but_related_reading(
        self, client, larger_site
    ):
        # 日利率 is in no article: the 借呗 article is related reading, not the answer.
        body = client.get("/api/search", {"q": "借呗日利率是多少"}).json()
        assert body["results"] == [] and body["count"] == 0
        assert body["related"][0]["article"]["title"] == ARTICLES["A"]
        page = client.get("/search/", {"q": "借呗日利率是多少"}).content.decode()
        assert "暂时还没有能回答“借呗日利率是多少”的内容" in page
        assert "你可能想看" in page and ARTICLES["A"] in page
        assert "常见问题" in page and "按产品浏览" in page

    @pytest.mark.parametrize(
        "question",
        [
            "花呗年费多少钱",  # a topic of credit no article covers
            "京东白条利率是多少",
            "度小满额度怎么恢复",  # a product no article names
            "信用卡分期手续费怎么算",  # a product an article only mentions in passing
            "借呗提前还款要手续费吗",  # another product's article has 提前还款 as its topic
        ],
    )
    def test_a_question_on_what_no_article_covers_gets_no_answer(self, larger_site, question):
        page = search(question)
        assert page.results == [] and page.related

    @pytest.mark.parametrize(
        ("story", "cause"),
        [
            ("周五发工资去还花呗，卡里余额不够，扣款失败了", "余额"),
            ("分期乐商城买的耳机还在售后，剩下几期能提前还吗", "售后"),
        ],
    )
    def test_a_story_with_words_no_article_has_keeps_its_answer(self, larger_site, story, cause):
        top = search(story).results[0]
        assert top.type == "cause" and cause in top.cause_title

    def test_an_unanswered_search_counts_as_a_zero_result_search(self, client, larger_site):
        from kb.search import log

        client.get("/search/", {"q": "车贷逾期会被拖车吗"})
        log.searches.flush()
        day = SearchQueryDay.objects.get(query="车贷逾期会被拖车吗")
        assert (day.searches, day.zero_results) == (1, 1)

    def test_a_cause_result_carries_its_remedies_as_plain_text(self, client, larger_site):
        body = client.get("/api/search", {"q": "白条违约金没结清"}).json()
        top = body["results"][0]
        assert top["type"] == "cause" and "违约金" in top["cause"]["title"]
        assert [r["position"] for r in top["remedies"]] == sorted(
            r["position"] for r in top["remedies"]
        )
        assert top["remedies"] and all("**" not in r["text"] for r in top["remedies"])
        page = client.get("/search/", {"q": "白条违约金没结清"}).content.decode()
        assert "怎么办" in page and top["remedies"][0]["text"][:20] in page


@pytest.mark.django_db
class TestSlips:
    @pytest.mark.parametrize(
        ("typed", "cause"),
        [("借呗身分证过期", "身份"), ("白条违约今没还清", "违约金"), ("分期乐退获中", "退货")],
    )
    def test_a_slipped_content_word_finds_its_cause(self, larger_site, typed, cause):
        top = search(typed).results[0]
        assert top.type == "cause" and cause in top.cause_title

    @pytest.mark.parametrize(
        ("typed", "cause"),
        [("花呗还款时网落断了", "网络"), ("美团月付年岭太小开通不了", "年龄")],
    )
    def test_a_slip_the_segmenter_cut_across_words_finds_its_cause(
        self, seventh_site, typed, cause
    ):
        # 时网 + 落, 付年 + 岭: the slipped word is found in the characters of both.
        top = search(typed).results[0]
        assert top.type == "cause" and cause in top.cause_title

    def test_a_word_of_the_readers_own_is_no_slip(self):
        from kb.search.lexicon import Lexicon

        lexicon = Lexicon({"紧张": 1, "结果": 1, "逾期": 3, "身份证": 2})
        assert lexicon.correct("进账") is None and lexicon.correct("借过") is None
        assert lexicon.correct("预期") == "逾期"  # to a word of credit
        assert lexicon.correct("身分证") == "身份证"  # the same sound, tones and all

    def test_a_negated_word_does_not_decide_the_match(self, larger_site):
        # 不是紧急联系人: the number came from somewhere else (the friend's contacts).
        top = search("我不是紧急联系人，分期乐催收怎么还打给我").results[0]
        assert "紧急联系人" not in (top.cause_title or "")


@pytest.mark.django_db
class TestRepeatedQueries:
    def test_a_repeated_search_is_answered_from_the_cache_and_still_counted(
        self, client, larger_site
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from kb.search import log

        first = client.get("/api/search", {"q": "分期乐提前还款 银行卡限额"}).json()
        with CaptureQueriesContext(connection) as queries:  # typed otherwise, same query
            again = client.get("/api/search", {"q": "分期樂提前還款  銀行卡限額"}).json()
        assert again == first
        # The index generation is read; no document is.
        assert not [q for q in queries if "kb_search_fts" in q["sql"] or "searchdoc" in q["sql"]]
        log.searches.flush()
        day = SearchQueryDay.objects.get(query="分期乐提前还款 银行卡限额")
        assert day.searches == 2

    def test_a_repeated_results_page_comes_from_the_page_cache_and_still_counts(
        self, client, larger_site
    ):
        from kb.search import log

        # Stored from its second asking: a one-off question never takes a place in the cache.
        asked = [client.get("/search/", {"q": "分期乐退货中 提前还款"}) for _ in range(3)]
        assert [answer["X-Page-Cache"] for answer in asked] == ["miss", "miss", "hit"]
        assert asked[2].content == asked[0].content and "订单正在退货" in asked[2].content.decode()
        log.searches.flush()
        assert SearchQueryDay.objects.get(query="分期乐退货中 提前还款").searches == 3

    def test_an_edited_cause_is_seen_at_once_on_a_repeated_results_page(self, client, larger_site):
        from kb.models import Cause

        assert "订单正在退货或售后处理中" in client.get("/search/", {"q": "退货"}).content.decode()
        cause = Cause.objects.get(title="订单正在退货或售后处理中")
        cause.title = "订单正在退货中"
        cause.save()
        again = client.get("/search/", {"q": "退货"})
        assert again["X-Page-Cache"] == "miss" and "订单正在退货中" in again.content.decode()

    def test_an_edited_cause_is_seen_at_once_by_a_repeated_search(self, larger_site):
        from kb.models import Cause

        assert search("退货").results[0].cause_title == "订单正在退货或售后处理中"
        cause = Cause.objects.get(title="订单正在退货或售后处理中")
        cause.title = "订单正在退货中"
        cause.save()
        assert search("退货").results[0].cause_title == "订单正在退货中"

    def test_a_scheduled_article_appears_when_it_goes_live(self, larger_site):
        from datetime import timedelta

        from django.utils import timezone

        from kb.models import Article

        article = Article.objects.get(title=ARTICLES["B"])
        article.published_at = timezone.now() + timedelta(seconds=1)
        article.save()
        assert not any(r.article_title == ARTICLES["B"] for r in search("退货").results)
        time.sleep(1.1)  # no change to the index: only the time passes
        assert search("退货").results[0].article_title == ARTICLES["B"]
