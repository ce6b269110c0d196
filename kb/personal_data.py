"""Personal data in what readers write: one home for both rules about it.

People in debt paste their phone, ID card or bank card number into a feedback comment. Two
rules apply, deliberately different:

- **Refused when written** (``contains_personal_number``, the public feedback form): only what
  is surely such a number (a mainland mobile, an 18- or 15-digit ID, a 12-19 digit card), so a
  reader quoting an order or bill number is not turned away.
- **Redacted by staff** (``redact_personal_data``, the admin's action on stored comments):
  broadly, any run of 7 or more digits and anything shaped like an e-mail address, since staff
  choose to run it and can read the result.
"""

import re
import unicodedata

# Personal numbers a worried reader might paste into a comment: a mainland mobile number, a
# resident ID number, a bank card number. Digits may be split by spaces or dashes
# (138 0013 8000); full-width digits are folded first (NFKC). People in debt must not have
# such numbers pile up in our table, so a comment holding one is refused, not stored.
_DIGIT_RUN = re.compile(r"\d(?:[\s\-]*\d)*(?:[\s\-]*[xX])?")
PERSONAL_NUMBER_REFUSED = (
    "为了保护你的隐私，请不要填写手机号、身份证号或银行卡号，我们不会保存这类信息。"
    "请删掉号码后再提交。"
)


def contains_personal_number(text):
    """Whether ``text`` holds what looks like a phone, ID card or bank card number."""
    for run in _DIGIT_RUN.findall(unicodedata.normalize("NFKC", text)):
        digits = re.sub(r"[\s\-]", "", run)
        if re.fullmatch(r"1[3-9]\d{9}", digits):  # mobile
            return True
        if re.fullmatch(r"\d{17}[\dxX]|\d{15}", digits):  # ID card (18 or old 15 digits)
            return True
        if re.fullmatch(r"\d{12,19}", digits):  # bank card
            return True
    return False


# Readers paste their phone, ID card or bank card number, or an e-mail address, into comments
# ("请打电话 13812345678"): any run of 7 or more digits (spaces and dashes allowed inside, an
# ID card's final X included) and anything shaped like an address.
PERSONAL_DATA = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|(?<!\d)\d(?:[\s-]?\d){6,}[\dXx]?(?!\d)")
REDACTED = "［已隐去］"


def redact_personal_data(text):
    return PERSONAL_DATA.sub(REDACTED, text)


def has_personal_data(text):
    """Whether ``text`` holds what ``redact_personal_data`` would redact."""
    return bool(text) and PERSONAL_DATA.search(text) is not None
