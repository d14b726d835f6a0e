"""The remembered number format writes exactly what Flask-Babel's format_decimal writes, in every language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import force_locale
from flask_babel import format_decimal as babel_decimal

from webapp.core.numbers import format_decimal

VALUES = (0, 7, 1234, -1234567, 0.5, 2.25, 1234.567, -0.04, Decimal("1234.5"), 12.3456)
PATTERNS = (None, "#,##0", "#,##0.0", "#,##0.00", "+#,##0.0;-#,##0.0")


@pytest.mark.parametrize("locale", ["nl_NL", "en_GB", "tr_TR", "ar", "pl_PL", "uk_UA"])
def test_the_same_string_as_flask_babel(app, locale):
    with app.test_request_context(), force_locale(locale):
        for pattern in PATTERNS:
            for value in VALUES:
                assert format_decimal(value, pattern) == babel_decimal(value, format=pattern), (pattern, value)


def test_each_language_writes_its_own_separators(app):
    with app.test_request_context():
        with force_locale("nl_NL"):
            assert format_decimal(1234.5, "#,##0.0") == "1.234,5"
        with force_locale("en_GB"):
            assert format_decimal(1234.5, "#,##0.0") == "1,234.5"
