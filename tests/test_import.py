import hashlib
import io
import re
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.content import ContentError, import_paths, parse_text
from kb.models import Article, Category, Cause, Remedy, SearchDocument
from kb.text import to_simplified
from tests.bulk import write_source_texts

HUABEI_CAUSES = ["没有待还款金额", "网络繁忙或不稳定", "还款方式余额不足", "不支持分期还款"]
FENQILE_CAUSES = [
    "朋友将用户的手机号填写为紧急联系人",
    "分期乐读取朋友通讯录时读取到了用户的手机号",
]
SEED_SHA256 = "510e68dc48cd78b7caf600bd57e51501d9ad38be8b1ded3b23ae5fc06019bb64"
ARTEFACT = re.compile(r"\([a-zA-Z\u00c0-\u024f\u0300-\u036f]+\)")


def all_text(article):
    texts = [article.title, article.question, article.summary]
    for cause in article.causes.all():
        texts += [cause.title, cause.explanation]
    texts += [remedy.text for remedy in article.remedies.all()]
    return texts


def snapshot():
    """Every field the importer writes, to prove a run changed nothing."""
    return (
        list(Article.objects.order_by("pk").values()),
        list(Cause.objects.order_by("pk").values()),
        list(Remedy.objects.order_by("pk").values()),
        list(Category.objects.order_by("pk").values()),
    )


@pytest.mark.django_db
class TestRealTexts:
    def test_import_yields_the_two_articles_with_their_causes_in_order(self, imported):
        assert Article.objects.count() == 2
        huabei = Article.objects.get(title="花呗分期后无法还款的原因")
        fenqile = Article.objects.get(title="朋友欠分期乐，催收人员打电话给用户的原因")
        assert [c.title for c in huabei.causes.all()] == HUABEI_CAUSES
        assert [c.title for c in fenqile.causes.all()] == FENQILE_CAUSES
        assert [c.position for c in huabei.causes.all()] == [1, 2, 3, 4]

    def test_articles_are_filed_under_their_product_and_topic(self, huabei, fenqile):
        assert [c.name for c in huabei.category.path] == ["花呗", "还款问题"]
        assert [c.name for c in fenqile.category.path] == ["分期乐", "催收电话"]

    def test_articles_are_published_with_readable_pinyin_slugs(self, huabei, fenqile):
        assert huabei.slug == "huabei-fenqi-wufa-huankuan"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", fenqile.slug)
        assert "fenqile" in fenqile.slug
        assert huabei.status == fenqile.status == Article.Status.PUBLISHED

    def test_original_question_sentence_is_kept(self, huabei):
        assert huabei.question == "花呗分期后无法还款，通常是以下原因造成的："

    def test_every_huabei_cause_has_a_remedy_taken_from_the_text(self, huabei, content_dir):
        source = to_simplified("".join(p.read_text() for p in content_dir.glob("*.txt")))
        source = source.replace(",", "，")
        for cause in huabei.causes.all():
            remedies = [r.text for r in cause.remedies.all()]
            assert remedies, cause.title
            for text in remedies:
                stripped = ARTEFACT.sub("", source)
                assert text.rstrip("。") in stripped, text

    @pytest.mark.parametrize(
        ("cause", "advice"),
        [
            (1, "提前还款"),
            (2, "确保网络畅通"),
            (2, "维护、升级完成后再进行还款"),
            (3, "先存钱再还款"),
            (4, "按照催收人员的要求还款"),
        ],
    )
    def test_huabei_remedies_are_the_actionable_sentences(self, huabei, cause, advice):
        texts = [r.text for r in huabei.causes.get(position=cause).remedies.all()]
        assert any(advice in text for text in texts), texts

    def test_remedies_are_not_repeated_in_the_explanation(self, huabei):
        network = huabei.causes.get(position=2)
        assert "确保网络畅通" not in network.explanation
        assert "网络繁忙或者不稳定会直接导致还款失败" in network.explanation

    def test_fenqile_remedies_and_general_advice(self, fenqile):
        contact = fenqile.causes.get(position=1)
        assert any("催促" in r.text for r in contact.remedies.all())
        advice = " ".join(r.text for r in fenqile.remedies.general_advice())
        for phrase in ("不需要承担还款的责任", "提醒对方尽快还钱", "拦截陌生电话"):
            assert phrase in advice

    def test_closing_paragraph_gives_closing_words_and_general_advice(self, huabei):
        assert "与以上原因有关" in huabei.closing
        assert huabei.summary == ""  # staff's answer-first summary; the page makes one meanwhile
        assert [r.text for r in huabei.remedies.general_advice()] == [
            "不管用户的花呗分期能否还款，用户都必须确保自己能按时还款。"
        ]
        assert "按时还款" not in huabei.causes.get(position=4).explanation.split("。")[-1]

    def test_no_artefact_traditional_character_or_ascii_comma_survives(self, imported):
        for article in Article.objects.all():
            for text in all_text(article):
                assert not ARTEFACT.search(text), text
                assert to_simplified(text) == text, text
                assert "," not in text and ":" not in text, text

    def test_raw_text_is_kept_for_provenance(self, huabei, content_dir):
        seed = (content_dir / "000_1740def839575a46.txt").read_text()
        assert huabei.source_raw in seed
        assert huabei.source_raw.startswith("花唄分期后無(wú)法還款")
        assert huabei.source_file == "content/000_1740def839575a46.txt"
        assert huabei.source_line == 1
        assert len(huabei.source_fingerprint) == 64

    def test_content_folder_holds_the_seed_byte_for_byte(self, content_dir):
        seed = content_dir / "000_1740def839575a46.txt"
        digest = hashlib.sha256(seed.read_bytes()).hexdigest()
        assert digest == SEED_SHA256


@pytest.mark.django_db
class TestReimport:
    def test_second_run_reports_no_change_and_changes_nothing(self, imported):
        before = snapshot()
        report = import_paths()
        assert report.changes == 0
        assert report.articles.unchanged == 2
        assert report.causes.unchanged == 6
        assert snapshot() == before

    def test_dry_run_reports_but_writes_nothing(self, db):
        Article.objects.all().delete()
        report = import_paths(dry_run=True)
        assert report.articles.created == 2
        assert Article.objects.count() == 0

    def test_reimport_keeps_staff_edits_and_reports_a_conflict(self, huabei):
        cause = huabei.causes.get(position=2)
        cause.title = "网络不好或花呗在维护"
        cause.save()
        report = import_paths()
        cause.refresh_from_db()
        assert cause.title == "网络不好或花呗在维护"
        assert report.causes.conflicts == 1
        assert any("cause 2" in line for line in report.conflicts)

    def test_staff_edit_to_an_article_survives_reimport(self, huabei):
        huabei.closing = "编辑改写的结语。"
        huabei.save()
        report = import_paths()
        huabei.refresh_from_db()
        assert huabei.closing == "编辑改写的结语。"
        assert report.articles.conflicts == 1

    def test_staff_summary_is_not_the_importers_and_no_conflict(self, huabei):
        huabei.summary = "余额不够、网络不好或逾期，都会让花呗分期还不上。"
        huabei.save()
        report = import_paths()
        huabei.refresh_from_db()
        assert huabei.summary == "余额不够、网络不好或逾期，都会让花呗分期还不上。"
        assert report.articles.conflicts == 0

    def test_changed_source_updates_records_nobody_edited(self, imported, tmp_path, content_dir):
        shutil.copy(content_dir / "catalog.toml", tmp_path)
        text = (content_dir / "000_1740def839575a46.txt").read_text()
        (tmp_path / "faq.txt").write_text(text.replace("4、不支持分期還款", "4、不支持分期还款了"))
        report = import_paths([tmp_path])
        assert report.causes.updated == 1
        assert Cause.objects.filter(title="不支持分期还款了").exists()
        assert report.articles.conflicts == report.causes.conflicts == 0

    @pytest.fixture
    def source_without_huabei_cause_4(self, tmp_path, content_dir):
        shutil.copy(content_dir / "catalog.toml", tmp_path)
        text = (content_dir / "000_1740def839575a46.txt").read_text()
        first, second = text.split("朋友欠分期樂", 1)
        cut = first[: first.index("4、")] + first[first.index("花唄分期還款不了") :]
        (tmp_path / "faq.txt").write_text(cut + "朋友欠分期樂" + second)
        return tmp_path

    def test_causes_gone_from_the_source_are_removed(self, imported, source_without_huabei_cause_4):
        report = import_paths([source_without_huabei_cause_4])
        assert report.causes.deleted == 1
        assert not Cause.objects.filter(title="不支持分期还款").exists()

    def test_causes_gone_from_the_source_but_edited_by_staff_are_kept(
        self, huabei, source_without_huabei_cause_4
    ):
        cause = huabei.causes.get(position=4)
        cause.explanation += "\n\n编辑补充的说明。"
        cause.save()
        report = import_paths([source_without_huabei_cause_4])
        assert report.causes.deleted == 0 and report.causes.conflicts == 1
        assert Cause.objects.filter(title="不支持分期还款").exists()

    def test_command_prints_a_summary(self, db, capsys):
        Article.objects.all().delete()
        call_command("import_content")
        call_command("import_content")
        out = capsys.readouterr().out
        assert "articles  created 2" in out
        assert "made 0 changes" in out


MALFORMED = [
    ("没有问题行的文字。\n1、原因\n说明。\n", 1, "before the first question"),
    ("问题如下:\n1、原因一\n说明。\n3、原因三\n说明。\n总结。\n", 4, "out of order"),
    ("问题如下:\n1、原因一\n说明。\n2、原因二\n", 4, "no text"),
    ("", 0, "no article"),
    ("问题\x00如下:\n1、原因\n说明\n", 1, "NUL"),
]


@pytest.mark.django_db
class TestMalformed:
    @pytest.mark.parametrize(("text", "line", "message"), MALFORMED)
    def test_malformed_text_is_refused_with_file_and_line(self, text, line, message):
        with pytest.raises(ContentError) as error:
            parse_text(text, "bad.txt")
        assert error.value.line == line
        assert message in str(error.value)
        assert str(error.value).startswith(f"bad.txt:{line}" if line else "bad.txt")

    def test_a_malformed_file_changes_nothing_in_the_database(
        self, imported, tmp_path, content_dir
    ):
        shutil.copy(content_dir / "catalog.toml", tmp_path)
        good = (content_dir / "000_1740def839575a46.txt").read_text()
        (tmp_path / "a.txt").write_text(good.replace("1、沒(méi)有", "1、全新的原因標題"))
        (tmp_path / "b.txt").write_text("问题如下:\n1、原因一\n说明。\n5、原因五\n说明。\n")
        before = snapshot()
        with pytest.raises(CommandError, match=r"b\.txt:4: cause number 5 out of order"):
            call_command("import_content", str(tmp_path))
        assert snapshot() == before

    def test_invalid_utf8_names_the_line(self, db, tmp_path):
        (tmp_path / "bad.txt").write_bytes("问题如下:\n1、原因\n".encode() + b"\xff\xfe\n")
        with pytest.raises(ContentError, match=r"bad\.txt:3: not valid UTF-8"):
            import_paths([tmp_path / "bad.txt"])

    def test_missing_path_is_a_clear_error(self, db, tmp_path):
        with pytest.raises(CommandError, match="no such file or folder"):
            call_command("import_content", str(tmp_path / "missing"))

    def test_malformed_catalog_names_the_line(self, db, tmp_path, content_dir):
        shutil.copy(content_dir / "000_1740def839575a46.txt", tmp_path)
        (tmp_path / "catalog.toml").write_text('[[product]]\nname = "花呗"\nslug = \n')
        with pytest.raises(ContentError, match=r"catalog\.toml:3: invalid TOML"):
            import_paths([tmp_path])


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
class TestAtScale:
    def test_an_import_writes_in_bulk_not_article_by_article(self, tmp_path):
        small, large = (
            write_source_texts(tmp_path / "small", 10),
            write_source_texts(tmp_path / "large", 60),
        )
        with CaptureQueriesContext(connection) as few:
            import_paths([small])
        Article.objects.all().delete()
        with CaptureQueriesContext(connection) as many:
            report = import_paths([large])
        assert report.articles.created == 60
        # Writes in bulk (a few more batches of bulk_create), not queries per article.
        assert len(many) <= len(few) + 6
        with CaptureQueriesContext(connection) as again:
            assert import_paths([large]).changes == 0
        assert len(again) <= len(few)

    def test_bulk_imported_articles_are_searchable_and_unchanged_on_a_rerun(self, tmp_path):
        folder = write_source_texts(tmp_path / "corpus", 30)
        first = import_paths([folder])
        assert first.causes.created == 150
        article = Article.objects.order_by("-pk").first()
        assert SearchDocument.objects.filter(article=article).count() == 1 + 5
        before = snapshot()
        assert import_paths([folder]).changes == 0
        assert snapshot() == before

    def test_terminal_shows_a_progress_bar_and_a_pipe_does_not(self, db, tmp_path):
        folder = write_source_texts(tmp_path / "corpus", 3)
        terminal, pipe = Terminal(), io.StringIO()
        call_command("import_content", str(folder), stdout=terminal)
        call_command("import_content", str(folder), stdout=pipe)
        assert "\r索引 [##############################] 3/3" in terminal.getvalue()
        assert "\r" not in pipe.getvalue() and "[" not in pipe.getvalue()
        assert "articles  created 3" in terminal.getvalue()
