"""kb.markdown.plain_text: the one way a Markdown text becomes plain text (index, descriptions)."""

from kb.markdown import plain_text


def test_markup_is_removed_and_entities_decoded_once():
    assert plain_text("请**先**确认 [余额](https://example.com) & 网络") == "请先确认 余额 & 网络"
    assert plain_text("a &amp; b") == "a & b"  # typed as an entity, read as the character
    assert plain_text("<script>x</script>1 < 2") == "1 < 2"


def test_text_without_markup_reads_the_same_as_rendered():
    text = "用户可以在支付宝中查看账单。\n然后再还款"
    assert plain_text(text) == text


def test_one_line_folds_every_run_of_white_space():
    assert plain_text("第一行\n\n- 第二行\n- 第三行", one_line=True) == "第一行 第二行 第三行"
    assert plain_text("  只有  空格  ", one_line=True) == "只有 空格"


def test_nothing_is_empty():
    assert plain_text("") == "" and plain_text(None) == ""
