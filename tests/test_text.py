import pytest

from kb.text import clean_text, normalize_punctuation, pinyin_slug, remove_pinyin_artefacts


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("無(wú)法", "无法"),
        ("沒(méi)有待還款金額", "没有待还款金额"),
        ("網(wǎng)絡(luò)繁忙", "网络繁忙"),
        (
            "花唄分期后無(wú)法還款,通常是以下原因造成的:",
            "花呗分期后无法还款，通常是以下原因造成的：",
        ),
        ("家庭WIFI或者手機(jī)", "家庭WIFI或者手机"),
        ("能還嗎?可以!", "能还吗？可以！"),
    ],
)
def test_clean_text_gives_simplified_chinese_without_artefacts(raw, clean):
    assert clean_text(raw) == clean


def test_parenthesised_latin_that_is_not_a_gloss_is_kept():
    assert remove_pinyin_artefacts("使用 App (iOS) 还款") == "使用 App (iOS) 还款"


def test_ascii_punctuation_between_latin_words_is_kept():
    assert normalize_punctuation("a,b: c") == "a,b: c"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("花呗分期后无法还款", "huabei-fenqi-wufa-huankuan"),
        ("分期乐催收电话", "fenqile-cuishou-dianhua"),
        ("WIFI 还款", "wifi-huankuan"),
    ],
)
def test_pinyin_slug_is_readable_ascii(text, slug):
    assert pinyin_slug(text) == slug


def test_pinyin_slug_of_punctuation_only_is_empty_for_the_caller_to_replace():
    assert pinyin_slug("，。！") == ""
