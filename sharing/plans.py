"""A plan and a plan's dashboard as people without an account see them.

The figures come from the same selectors as the members' pages, and the pages
reuse the members' templates (the plan page's ``allocation`` partial, the
dashboard's ``dashboard-body``). What is taken out is what leads into the
workspace: every link, the "to fix" list, and the places to act on signals.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from planning.actuals import actual_totals
from planning.dashboard import build_dashboard
from planning.dashboard_page import dashboard_rows
from planning.models import Plan
from planning.plan_page import Shown
from planning.selectors import PlanView, plan_view, with_actuals


def unlinked(view: PlanView) -> PlanView:
    """The plan's view with no link left in it, nor the fixes meant for the team."""
    for row in view.personas:
        row.url = ""
        for line in row.lines:
            line.url = ""
    for rollup in [*view.channels, *view.experiments]:
        rollup.url = ""
    view.warnings = []
    return view


def shared_plan_context(
    plan: Plan, query: QueryDict | None = None, url: str = ""
) -> dict[str, Any]:
    """The shared page shows what the plan page shows (the first personas, their
    lines on request, the top rows; "show all" links to the same shared address
    with ``query``); the PDF (no ``query``) the whole plan."""
    view = unlinked(with_actuals(plan_view(plan), actual_totals(plan)))
    shown = Shown.whole_plan() if query is None else Shown.from_query(url, query)
    return {"plan": plan, "view": view, "whatif_form": None, "shown": shown}


def shared_dashboard_context(plan: Plan, query: QueryDict | None = None) -> dict[str, Any]:
    # The plan's dashboard as shared: its split and signals, not the workspace's pace.
    data = build_dashboard(plan.workspace, str(plan.pk), with_pace=False)
    unlinked(data.view)
    for row in data.channels:
        row.url = ""
    for signal in data.signals:
        signal.url = ""
    data.plans = [data.plan]
    rows = dashboard_rows(data, query, everything=query is None)
    return {"data": data, "view": data.view, "plan": data.plan, "shared": True, "rows": rows}
