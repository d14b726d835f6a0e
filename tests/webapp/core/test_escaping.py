"""Output escaping: what people type is shown as text, never as markup or as a link."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import page_text
from tests.webapp.initiative_helpers import initiative

WEBAPP = Path(__file__).resolve().parents[3] / "webapp"


def test_a_bad_co_organiser_address_is_shown_escaped_in_the_form(make, login):
    organiser = make.user("organiser")
    ini = initiative(make, organiser)
    page = login(organiser.email).post(f"/initiatieven/{ini.public_id}/organisatoren",
                                       data={"email": "<script>alert(1)</script>"})
    html = page_text(page)
    assert page.status_code == 400 and 'class="error-summary"' in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _lazy_calls_with_variables(tree: ast.AST) -> list[int]:
    """Lines where _l()/lazy_gettext() gets a placeholder value that is not a constant (UPPER_CASE or literal)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_l", "lazy_gettext"):
            for keyword in node.keywords:
                value = keyword.value
                if not (isinstance(value, ast.Constant) or (isinstance(value, ast.Name) and value.id.isupper())):
                    lines.append(node.lineno)
    return lines


def test_lazy_strings_never_carry_user_text():
    """flask_babel's LazyString has __html__, so Jinja prints it unescaped: a lazy string formatted with user
    text (a ValidationError message, say) would be stored XSS. Validators use gettext instead."""
    found = {str(path.relative_to(WEBAPP)): lines for path in WEBAPP.rglob("*.py")
             if (lines := _lazy_calls_with_variables(ast.parse(path.read_text())))}
    assert not found, found


def test_the_guard_above_sees_a_lazy_string_with_a_variable():
    assert _lazy_calls_with_variables(ast.parse('_l("Hi %(name)s", name=user.name)')) == [1]
    assert _lazy_calls_with_variables(ast.parse('_l("At least %(num)d", num=MIN_LENGTH)')) == []


def test_links_in_what_people_type_stay_plain_text(make, login):
    """User text is never turned into links (no place on Samen linkifies it), so a link in a request cannot lead
    anyone off the site from a page that looks trusted."""
    resident = make.user("resident")
    help_request = make.request(resident, description="Zie https://evil.example/login of javascript:alert(1) voor info")
    organiser = make.user("organiser")
    ini = initiative(make, organiser, description="Meer op https://evil.example/moestuin en www.evil.example")
    for url in (f"/vragen/{help_request.public_id}", f"/initiatieven/{ini.public_id}", "/vragen/", "/initiatieven/"):
        html = page_text(login(resident.email).get(url))
        if "/vragen/" != url != "/initiatieven/":  # the lists show titles only
            assert "evil.example" in html, url
        assert 'href="https://evil.example' not in html and 'href="javascript:' not in html, url
