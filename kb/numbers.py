"""The one way a number typed by someone else (a URL, a query string, a form, a posted id)
becomes an ``int``.

``str.isdigit()`` is true for ``"²"`` and ``"①"``, which ``int()`` refuses, and ``int()``
itself takes ``" 7 "``, ``"+7"``, ``"٧"`` (Arabic-Indic digits) and ``"1_000"``: every one of
those was a 500 or a surprise somewhere. Only plain ASCII digits, within bounds, are a number
here; anything else is ``None``, which callers turn into a form error, a 404 or "not given".
"""

import re

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
# The largest id any database column here holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def parse_int(value, *, minimum=0, maximum=MAX_ID):
    """``value`` as an int when it is plain ASCII digits between ``minimum`` and ``maximum``
    (inclusive), else ``None``. ``int`` values pass through the same bounds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None
