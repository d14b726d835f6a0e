"""Stored reports: the dashboard and the exports read a period's figures from report_snapshots while they are fresh,
exactly the figures a fresh computation gives; stale ones are computed again; staff can ask for fresh figures; and
`flask report refresh` stores the periods staff open most."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select, update

from tests.conftest import csrf_token, page_text, sibling_app, visible
from tests.factories import PASSWORD
from tests.webapp.reports.test_reports_dashboard import make_history, rows_of_csv
from webapp.accounts.services import find_by_email
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.reports import figures, services, snapshots
from webapp.reports.models import ReportSnapshot
from webapp.reports.periods import parse, period_of, previous, same_period_a_year_earlier

Q1 = "2026-Q1"
ROW_RE = re.compile(r'<tr><th scope="row">([^<]+)</th>((?:\s*<td class="num">[^<]*</td>)+)</tr>')
CELL_RE = re.compile(r'<td class="num">([^<]*)</td>')
TOKEN_RE = re.compile(r'name="csrf_token"[^>]*>')


@pytest.fixture
def history(make):
    """29 requests in February 2026 in five wijken (test_reports_dashboard.py): some cells "<5", some "x"."""
    return make_history(make)


def stored(make) -> dict[str, datetime]:
    def read() -> dict[str, datetime]:
        return dict(db.session.execute(select(ReportSnapshot.period, ReportSnapshot.computed_at)).all())

    return make.run(read)


def age(make, minutes: float) -> None:
    """Make every stored report `minutes` older."""
    def older() -> None:
        for row in db.session.execute(select(ReportSnapshot)).scalars():
            row.computed_at -= timedelta(minutes=minutes)
        db.session.commit()

    make.run(older)


def add_request_in_europawijk(make) -> None:
    resident = make.user("resident", wijk_code="WK039218")
    item = make.request(resident, category_key="digital")
    make.set_request(item, created_at=datetime(2026, 2, 20, 10))


def without_tokens(response) -> str:
    """The page without its CSRF tokens (they hold the second they were made)."""
    return TOKEN_RE.sub("", page_text(response))


def table_rows(response) -> dict[str, list[str]]:
    """The dashboard's table per wijk (or district ...): row name → the texts of its cells."""
    section = page_text(response).split('id="groups-title"', 1)[1].split("</table>", 1)[0]
    return {name: CELL_RE.findall(cells) for name, cells in ROW_RE.findall(section)}


@pytest.fixture
def computations(monkeypatch):
    """Counts the periods computed (not read from a snapshot)."""
    computed: list[str] = []
    real = services.compute_reports

    def spy(periods, *args, **kwargs):
        computed.extend(p.code for p in periods)
        return real(periods, *args, **kwargs)

    monkeypatch.setattr(services, "compute_reports", spy)
    return computed


def test_a_stored_report_has_exactly_the_figures_of_a_fresh_computation(app, history):
    period = parse(Q1)
    with app.app_context():
        reference = services.load_reference("en")
        fresh = services.compute_reports([period], reference)[period]
        states = {cell.state for row in fresh.tables["wijk"].rows for cell in row.cells.values()}
        assert {figures.State.SMALL, figures.State.HIDDEN, figures.State.SHOWN} <= states  # suppressed cells too
        snapshots.store(fresh, utcnow())
        db.session.commit()
        db.session.remove()
    with app.app_context():
        read = snapshots.reports([period], services.load_reference("en"), max_age=timedelta(minutes=10))[period]
        assert read.report == fresh
        assert read.report.tables["wijk"].rows[0].label == fresh.tables["wijk"].rows[0].label
        # Row names are put in when read, in the reader's language; only numbers and states are stored.
        text = db.session.execute(select(ReportSnapshot.figures)).scalar_one()
        assert "Europawijk" not in text and "WK039218" in text
        dutch = snapshots.reports([period], services.load_reference("nl"), max_age=timedelta(minutes=10))[period]
        assert dutch.report.tables["category"].rows != fresh.tables["category"].rows  # other names ...
        assert [r.cells for r in dutch.report.tables["category"].rows] == \
            [r.cells for r in fresh.tables["category"].rows]  # ... the same figures


def test_the_warm_dashboard_is_the_cold_one_and_computes_nothing(make, login, history, computations):
    client = login(make.user("staff", locale="en").email, lang="en")
    url = f"/rapportage/?period={Q1}&by=wijk&measure=posted"
    cold = client.get(url)
    assert cold.status_code == 200
    assert sorted(computations) == sorted([Q1, "2025-Q4", "2025-Q1"])  # the period, the one before, the baseline
    assert set(stored(make)) == {Q1, "2025-Q4", "2025-Q1"}
    computations.clear()

    warm = client.get(url)
    assert computations == []
    assert without_tokens(warm) == without_tokens(cold)
    rows = table_rows(warm)
    assert rows["Molenwijk"][0] == "&lt;5" and rows["Boerhaavewijk"][0] == "x" and rows["Europawijk"][0] == "8"

    # A year earlier as baseline: only that one is computed; the others are read.
    client.get(f"/rapportage/?period={Q1}&baseline=2025")
    assert computations == ["2025"]


def test_stale_figures_are_computed_again(make, login, history, computations):
    client = login(make.user("staff", locale="en").email, lang="en")
    url = f"/rapportage/?period={Q1}&by=wijk"
    assert table_rows(client.get(url))["Europawijk"][0] == "8"
    add_request_in_europawijk(make)
    computations.clear()
    assert table_rows(client.get(url))["Europawijk"][0] == "8"  # fresh for ten minutes: read, not computed
    assert computations == []

    age(make, 11)
    assert table_rows(client.get(url))["Europawijk"][0] == "9"
    assert Q1 in computations
    assert all(utcnow() - moment < timedelta(minutes=1) for moment in stored(make).values())


def test_the_exports_read_the_stored_figures_and_match_the_dashboard(make, login, history, computations, tr):
    client = login(make.user("staff", locale="en").email, lang="en")
    dashboard = table_rows(client.get(f"/rapportage/?period={Q1}&by=wijk"))
    computations.clear()
    add_request_in_europawijk(make)  # not in the stored figures: the export must not show it either

    response = client.get(f"/rapportage/export.csv?period={Q1}&by=wijk")
    assert response.status_code == 200 and computations == []
    rows = rows_of_csv(response.get_data(as_text=True))
    header = rows[0]
    by_name = {row[0]: row for row in rows[1:] if row}
    for measure in ("posted", "matched", "done", "unanswered", "volunteers_active", "handovers"):
        csv_column = header.index(tr("en", dict(posted="Requests posted", matched="Requests matched",
                                                done="Requests done", unanswered="Still unanswered",
                                                volunteers_active="Active volunteers",
                                                handovers="Hand-overs to professionals")[measure]))
        html_column = figures.measures_for("wijk").index(measure)
        for name, cells in dashboard.items():
            assert by_name[name][csv_column] == cells[html_column].replace("&lt;", "<"), (name, measure)
    assert by_name["Europawijk"][header.index(tr("en", "Requests posted"))] == "8"

    sheet = client.get(f"/rapportage/export.xlsx?period={Q1}&by=wijk")
    assert sheet.status_code == 200 and computations == []


@pytest.fixture
def as_of_fixed(app, make, monkeypatch):
    """A stored Q1 report computed at 23 Nov 2026 02:40 UTC (03:40 in Haarlem), and kept fresh for the test."""
    monkeypatch.setitem(app.config, "REPORT_SNAPSHOT_MINUTES", 60 * 24 * 365 * 5)

    def store() -> None:
        reference = services.load_reference("nl")
        for period in services.dashboard_periods(parse(Q1)):
            snapshots.store(services.compute_reports([period], reference)[period], datetime(2026, 11, 23, 2, 40))
        db.session.commit()

    make.run(store)


@pytest.mark.parametrize(("lang", "moment"), [("en", "23 Nov 2026 03:40"), ("nl", "23 nov 2026 03:40")])
def test_the_dashboard_and_exports_say_when_the_figures_were_computed(make, login, history, as_of_fixed, tr,
                                                                      lang, moment):
    client = login(make.user("staff").email, lang=lang)
    expected = tr(lang, "Figures as of %(moment)s", moment=moment)
    assert expected in visible(client.get(f"/rapportage/?period={Q1}"))
    assert expected in client.get(f"/rapportage/export.csv?period={Q1}").get_data(as_text=True)
    made_on = "23 november 2026" if lang == "nl" else "23 November 2026"
    assert made_on in client.get(f"/rapportage/export.csv?period={Q1}").get_data(as_text=True)


def test_staff_can_have_the_figures_computed_again(make, login, history, computations, tr):
    staff = login(make.user("staff", locale="en").email, lang="en")
    url = f"/rapportage/?period={Q1}&by=wijk&measure=posted"
    assert table_rows(staff.get(url))["Europawijk"][0] == "8"
    add_request_in_europawijk(make)
    age(make, 2)  # still fresh for the dashboard
    before = stored(make)
    assert table_rows(staff.get(url))["Europawijk"][0] == "8"

    computations.clear()
    response = staff.post("/rapportage/ververs", data={"period": Q1, "by": "wijk", "measure": "posted"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/rapportage/?period=2026-Q1&by=wijk&measure=posted")
    assert sorted(computations) == sorted([Q1, "2025-Q4", "2025-Q1"])
    assert all(stored(make)[code] > before[code] for code in before)
    page = staff.get(response.headers["Location"])
    assert tr("en", "The figures have been computed again.") in visible(page)
    assert table_rows(page)["Europawijk"][0] == "9"

    # Pressed again (or by a colleague) within a minute: nothing is computed twice.
    computations.clear()
    assert staff.post("/rapportage/ververs", data={"period": Q1}).status_code == 302
    assert computations == []


def test_only_staff_may_have_the_figures_computed_again(make, login, history, anon):
    for role in ("resident", "volunteer", "organiser"):
        client = login(make.user(role).email)
        assert client.post("/rapportage/ververs", data={"period": Q1}).status_code == 403
    assert "/inloggen" in anon("nl").post("/rapportage/ververs", data={"period": Q1}).headers["Location"]
    assert stored(make) == {}


def test_a_bad_period_to_refresh_computes_nothing(make, login, computations):
    client = login(make.user("staff").email)
    response = client.post("/rapportage/ververs", data={"period": "2026-Q9"})
    assert response.status_code == 302 and "period=2026-Q9" in response.headers["Location"]
    assert computations == [] and stored(make) == {}




def test_the_refresh_button_needs_the_csrf_token(csrf_app, make):
    staff = make.user("staff")
    client = csrf_app.test_client()
    token = csrf_token(page_text(client.get("/inloggen")))
    response = client.post("/inloggen", data={"email": staff.email, "password": PASSWORD, "csrf_token": token})
    step = response.headers["Location"]
    with csrf_app.app_context():
        secret = find_by_email(staff.email).totp_secret
    token = csrf_token(page_text(client.get(step)))
    assert client.post(step, data={"code": pyotp.TOTP(secret).now(), "csrf_token": token}).status_code == 302

    assert client.post("/rapportage/ververs", data={"period": Q1}).status_code == 400
    assert stored(make) == {}
    page = page_text(client.get(f"/rapportage/?period={Q1}"))
    age(make, 5)
    form = page.split('action="/rapportage/ververs"', 1)[1].split("</form>", 1)[0]
    assert client.post("/rapportage/ververs", data={"period": Q1, "csrf_token": csrf_token(form)}).status_code == 302


def test_the_refresh_command_stores_the_periods_staff_open_most(app, make, history, computations, login):
    result = app.test_cli_runner().invoke(args=["reports", "refresh"])
    assert result.exit_code == 0, result.output
    today = date.today()
    expected = set()
    for kind in ("month", "quarter", "year"):
        for period in (period_of(kind, today), previous(period_of(kind, today))):
            expected |= {period.code, previous(period).code, same_period_a_year_earlier(period).code}
    assert set(stored(make)) == expected
    assert f"Stored the figures of {len(expected)} periods" in result.output and " s" in result.output

    computations.clear()
    client = login(make.user("staff").email)
    for url in ("/rapportage/", "/rapportage/?kind=year", "/rapportage/?kind=month",
                f"/rapportage/?period={previous(period_of('quarter', today)).code}",
                f"/rapportage/export.csv?period={period_of('year', today).code}"):
        assert client.get(url).status_code == 200
    assert computations == []

    # Run again: everything is computed again (the job does not trust what is stored).
    computations.clear()
    assert app.test_cli_runner().invoke(args=["reports", "refresh"]).exit_code == 0
    assert sorted(computations) == sorted(expected)


def test_storing_the_same_period_twice_keeps_one_row_with_the_newest_figures(app, history):
    """Two workers computing the same period at once: the second insert meets the key of the first."""
    period = parse(Q1)
    with app.app_context():
        report = services.compute_reports([period], services.load_reference("nl"))[period]
        first, second = datetime(2026, 11, 23, 3, 0), datetime(2026, 11, 23, 3, 5)
        snapshots.store(report, first)
        snapshots.store(report, second)
        db.session.commit()
        snapshots.store(report, first)  # a slower worker finishing later does not put older figures back
        db.session.commit()
        rows = db.session.execute(select(ReportSnapshot.period, ReportSnapshot.computed_at)).all()
        assert rows == [(Q1, second)]


def test_a_snapshot_in_another_format_is_computed_again(make, login, history, computations):
    client = login(make.user("staff").email)
    client.get(f"/rapportage/?period={Q1}")

    def old_format() -> None:
        db.session.execute(update(ReportSnapshot).values(figures='{"format": 0}'))
        db.session.commit()

    make.run(old_format)
    computations.clear()
    assert client.get(f"/rapportage/?period={Q1}").status_code == 200
    assert sorted(computations) == sorted([Q1, "2025-Q4", "2025-Q1"])


def test_two_workers_storing_the_same_period_at_once_both_succeed(app, history):
    """Worker A has stored the period but not yet committed when worker B stores it too: B waits for A and then
    replaces A's figures with its newer ones, instead of failing on the key."""
    period = parse(Q1)
    other = sibling_app(app)
    errors: list[BaseException] = []

    def worker_b(report: figures.Report) -> None:
        try:
            with other.app_context():
                snapshots.store(report, datetime(2026, 11, 23, 3, 1))
                db.session.commit()
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    with app.app_context():
        report = services.compute_reports([period], services.load_reference("nl"))[period]
        snapshots.store(report, datetime(2026, 11, 23, 3, 0))  # A: stored, not committed
        b = threading.Thread(target=worker_b, args=(report,))
        b.start()
        b.join(0.5)  # B is waiting for A's transaction
        db.session.commit()
        db.session.remove()
    b.join(20)
    assert not b.is_alive() and errors == []
    with app.app_context():
        assert db.session.execute(select(ReportSnapshot.computed_at)).scalars().all() == [datetime(2026, 11, 23, 3, 1)]
