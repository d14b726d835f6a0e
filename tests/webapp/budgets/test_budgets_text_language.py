"""A budget plan is marked with the language it is written in (WCAG 3.1.2), as requests are: stored with the plan,
shown with its own lang and dir on the plan, the round and the ballot, and "Written in ..." for other readers."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.webapp import budget_helpers as bh
from webapp.budgets.models import BudgetProposal
from webapp.core.extensions import db

PLAN = {"title": "مقاعد عند الملعب", "cost": "2.500", "wijk": "WK039218", "initiative": "",
        "summary": "ثلاثة مقاعد وبعض الظل، حتى يجلس الآباء وكبار السن."}


def test_the_plan_form_starts_with_the_page_language(make, login):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "proposals")
    page = visible(login(resident.email, lang="ar").get(f"/wijkbudget/{round_.public_id}/plan"))
    assert re.search(r'<option selected value="ar">العربية</option>|<option value="ar" selected>العربية</option>',
                     page)


def test_a_plan_in_arabic_is_right_to_left_on_dutch_pages(make, login, anon, tr):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "proposals")
    answer = login(resident.email, lang="ar").post(f"/wijkbudget/{round_.public_id}/plan",
                                                   data={**PLAN, "text_language": "ar"})
    assert answer.status_code == 302, page_text(answer)[:1000]
    plan = make.run(lambda: db.session.execute(select(BudgetProposal)).scalar_one())
    assert plan.text_language == "ar"

    dutch = visible(anon("nl").get(f"/wijkbudget/plannen/{plan.public_id}"))
    assert '<h1 lang="ar" dir="rtl">مقاعد عند الملعب</h1>' in dutch
    assert '<div class="description" lang="ar" dir="rtl">' in dutch
    assert tr("nl", "Written in %(language)s", language="Arabisch") in dutch
    assert 'lang="ar" dir="rtl">مقاعد عند الملعب</a>' in visible(anon("nl").get(f"/wijkbudget/{round_.public_id}"))


def test_an_unknown_language_is_refused_and_the_plan_kept(make, login):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "proposals")
    answer = login(resident.email).post(f"/wijkbudget/{round_.public_id}/plan", data={**PLAN, "text_language": "xx"})
    assert answer.status_code == 400
    assert "مقاعد عند الملعب" in visible(answer)
    assert make.run(lambda: db.session.execute(select(BudgetProposal)).first()) is None
