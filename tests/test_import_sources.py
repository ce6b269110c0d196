"""The importer on texts it has not seen: other ways of giving advice, the encodings scraped
text arrives in, and values the models would refuse (kb.content: advice, encodings,
validation)."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kb.content import ContentError, Source, import_sources, parse_source
from kb.content.advice import is_actionable
from kb.models import Article

SOURCES = Path(__file__).parent / "fixtures" / "sources"
OTHER_PHRASINGS = SOURCES / "jiebei_other_phrasings.txt"


def parsed_other_phrasings(encoding="utf-8", bom=b""):
    data = bom + OTHER_PHRASINGS.read_text(encoding="utf-8").encode(encoding)
    return parse_source(data, "jiebei.txt")


ADVICE = [
    "用户需要先等待当期扣款完成，然后再更换还款银行卡。",
    "您应当使用本人名下的储蓄卡。",
    "应该及时联系客服说明情况。",
    "请在借呗页面查看还款日。",
    "建议保留好聊天记录。",
    "用户可以拨打客服电话。",
    "只需在升级结束后重新操作即可。",
    "先解绑旧卡，再绑定新卡。",
    "不要把验证码告诉任何人。",
    "务必保管好自己的账户密码。",
    "打开支付宝，进入借呗页面，点击“还款设置”。",
    "凡是要求先交保证金才能放款的都是诈骗。",
]
EXPLANATIONS = [
    "分期乐在申请贷款时，需要授权读取手机通讯录。",
    "花呗分期需要支付一定的分期手续费。",
    "系统会在每月10日自动扣款。",
    "借呗不会通过电话要求用户转账。",
    "花呗分期还款不了通常与以上原因有关，用户可以根据对应的原因找到解决方法。",
]


@pytest.mark.parametrize("sentence", ADVICE)
def test_the_ways_faq_texts_give_advice_are_remedies(sentence):
    assert is_actionable(sentence)


@pytest.mark.parametrize("sentence", EXPLANATIONS)
def test_sentences_that_explain_are_not_remedies(sentence):
    assert not is_actionable(sentence)


class TestOtherPhrasings:
    def test_every_cause_has_its_remedy(self):
        [article], _ = parsed_other_phrasings()
        remedies = {c.title: c.remedies for c in article.causes}
        assert remedies["当期账单正在扣款"] == [
            "用户需要先等待当期扣款完成，然后再更换还款银行卡。"
        ]
        assert remedies["新银行卡未通过验证"] == [
            "您应当使用本人名下的储蓄卡，并确认预留手机号仍在使用。"
        ]
        assert remedies["借呗系统升级"] == [
            "只需在升级结束后重新操作即可。",
            "打开支付宝，进入借呗页面，点击“还款设置”。",
        ]

    def test_warnings_are_kept_as_general_advice(self):
        [article], _ = parsed_other_phrasings()
        assert article.advice == [
            "凡是要求先交保证金才能放款的都是诈骗。",
            "不要把验证码告诉任何人。",
        ]
        assert "借呗不会通过电话要求用户转账" in article.closing

    def test_straight_quotes_become_chinese_quotes(self):
        [article], _ = parsed_other_phrasings()
        text = " ".join(r for c in article.causes for r in c.remedies)
        assert "“还款设置”" in text and '"' not in text


class TestEncodings:
    @pytest.mark.parametrize(
        ("encoding", "bom", "name"),
        [
            ("utf-8", b"", "UTF-8"),
            ("utf-8", b"\xef\xbb\xbf", "UTF-8（带 BOM）"),
            ("gb18030", b"", "GB18030/GBK"),
            ("gbk", b"", "GB18030/GBK"),
            ("utf-16", b"", "UTF-16"),
            ("utf-16-le", b"", "UTF-16"),
        ],
    )
    def test_scraped_encodings_are_read_and_named(self, encoding, bom, name):
        text = OTHER_PHRASINGS.read_text(encoding="utf-8")
        if encoding in ("gb18030", "gbk"):  # GBK has no traditional 唄: the simplified text
            text = text.replace("唄", "呗")
        [article], found = parse_source(bom + text.encode(encoding), "jiebei.txt")
        assert found == name
        assert article.title == "借呗无法更换还款银行卡的原因"

    def test_another_encoding_is_refused_with_file_and_line(self):
        latin1 = "问题如下:\n1、原因\n".encode() + "crème brûlée\n".encode("latin-1")
        with pytest.raises(
            ContentError, match=r"^latin\.txt:3: not valid UTF-8, UTF-16 or GB18030"
        ):
            parse_source(latin1, "latin.txt")


@pytest.mark.django_db
class TestValidation:
    def test_an_80000_character_question_line_is_refused_and_nothing_stored(self, imported):
        text = "问" * 80_000 + "的原因如下:\n1、原因\n说明。\n总结。\n"
        before = Article.objects.count()
        with pytest.raises(ContentError, match=r"^long\.txt:1: 标题：") as error:
            import_sources([Source("long.txt", text.encode())])
        assert "200" in str(error.value)
        assert Article.objects.count() == before

    def test_the_command_says_file_line_reason(self, imported, tmp_path):
        (tmp_path / "long.txt").write_text("好的问题如下:\n1、" + "原" * 300 + "\n说明。\n总结。\n")
        with pytest.raises(CommandError, match=r"long\.txt:2: 原因 1 的标题："):
            call_command("import_content", str(tmp_path / "long.txt"))

    def test_a_question_without_words_for_a_slug_gets_a_valid_one(self, db):
        [article], _ = parse_source("？？问题如下:\n1、原因\n说明。\n".encode(), "q.txt")
        assert article.source_key

    def test_every_bad_file_is_named(self, db):
        with pytest.raises(ContentError) as error:
            import_sources([Source("a.txt", b""), Source("b.txt", "没有问题行\n".encode())])
        assert [str(e) for e in error.value.errors] == [
            "a.txt: no article found (empty file?)",
            "b.txt:1: text before the first question line (a line ending in a colon and "
            "followed by '1、...')",
        ]
