"""Links in a digest are built once and then by string formatting (`external_links`): each must be exactly the link
`external_url` builds, for any value (quoted the same way) and on a site that lives under a path."""

from __future__ import annotations

import pytest

from webapp.core.mail import external_links, external_url

VALUES = ["AbC-_9xyz012", "a b", "x/y?z#w", "één&twee=3", "%41"]


@pytest.mark.parametrize("site", ["https://samen.example", "https://example.org/samen/"])
def test_a_link_built_by_formatting_is_the_link_flask_builds(app, monkeypatch, site):
    monkeypatch.setitem(app.config, "MAIL_SITE_URL", site)
    with app.app_context():
        for endpoint in ("asks.show", "initiatives.show"):
            link = external_links(endpoint, "public_id")
            for value in VALUES:
                assert link(value) == external_url(endpoint, public_id=value), (endpoint, value)


def test_the_formatted_link_points_where_the_site_is(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SITE_URL", "https://example.org/samen/")
    with app.app_context():
        assert external_links("asks.show", "public_id")("Xy_1").startswith("https://example.org/samen/")
        assert external_links("asks.show", "public_id")("Xy_1").endswith("/Xy_1")
