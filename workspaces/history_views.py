"""History pages, the activity feed and undo: one component for every kind of object.

Each app's history page is ``history_page(kind, get_object)``: the object, then
its changes and its children's a page at a time. The feed is the workspace's
changes, filtered by kind of object, person and period. An undo puts back what
one change changed, as a new version, or answers 409 when those fields changed
since.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from pacekeeper.htmx import render_page, see_other
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.history import CannotUndo, feed, object_history, undo_change, words
from workspaces.models import Activity, Membership, Workspace
from workspaces.registry import HISTORY_KINDS, history_kind
from workspaces.roles import Action
from workspaces.versioning import StaleVersion, posted_version

PERIODS = {"week": 7, "month": 30, "quarter": 91}


def history_page(
    kind_key: str,
    get_object: Callable[[Workspace, int], Any],
    *,
    back: Callable[[Any], str] = lambda subject: subject.get_absolute_url(),
    template: str = "workspaces/history.html",
) -> Callable[..., HttpResponse]:
    """The history page of one kind of object: ``get_object(workspace, pk)`` finds
    it (or 404); ``back`` is the page it belongs to."""

    @require_GET
    @workspace_view()
    def view(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
        subject = get_object(workspace, pk)
        context = {
            "subject": subject,
            "kind": history_kind(kind_key),
            "page": object_history(workspace, kind_key, subject.pk, request.GET.get("page")),
            "back_url": back(subject),
        }
        return render_page(request, template, context, partial="history")

    return view


class FeedFilterForm(forms.Form):
    """The feed's filters; every value optional and checked against its choices."""

    kind = forms.ChoiceField(required=False, label="Kind of object")
    person = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Person")
    period = forms.ChoiceField(
        required=False,
        label="When",
        choices=[
            ("", "Any time"),
            ("week", "Past 7 days"),
            ("month", "Past 30 days"),
            ("quarter", "Past 90 days"),
        ],
    )

    def __init__(self, data, *, workspace: Workspace) -> None:
        super().__init__(data, label_suffix="")
        self.fields["kind"].choices = [
            ("", "Everything"),
            *((kind.key, kind.label) for kind in HISTORY_KINDS),
        ]
        members = Membership.objects.filter(workspace=workspace).select_related("user")
        self.fields["person"].choices = [
            ("", "Anyone"),
            *sorted(((m.user_id, str(m.user)) for m in members), key=lambda c: c[1].lower()),
        ]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        days = PERIODS.get(data.get("period") or "")
        return {
            "kind": data.get("kind") or "",
            "user_id": data.get("person"),
            "since": timezone.now() - timedelta(days=days) if days else None,
        }


@require_GET
@workspace_view()
def activity_feed(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    filters = FeedFilterForm(request.GET, workspace=workspace)
    page = feed(workspace, **filters.values(), page=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    return render_page(request, "workspaces/activity.html", context, partial="history")


def _history_url(workspace: Workspace, kind_key: str, pk: int | None) -> str | None:
    kind = history_kind(kind_key)
    if kind is None or kind.page is None or pk is None:
        return None
    return reverse(kind.page, args=[workspace.slug, pk])


@require_POST
@workspace_view(Action.EDIT)
def activity_undo(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    activity = Activity.objects.in_workspace(workspace).select_related("user").get_or_404(pk=pk)
    # Back to the page the undo was asked from: the object's, or its parent's.
    on_parent = request.POST.get("on") == "parent"
    back = (
        _history_url(workspace, activity.parent_kind, activity.parent_id)
        if on_parent
        else _history_url(workspace, activity.kind, activity.object_id)
    ) or reverse("activity:feed", args=[workspace.slug])
    try:
        instance = undo_change(
            activity, expected_version=posted_version(request), user=request.user
        )
    except StaleVersion as stale:
        return _refused(request, activity, back, stale=stale)
    except CannotUndo as refused:
        return _refused(request, activity, back, reason=str(refused))
    messages.success(
        request,
        f"Undone: {instance} is back as it was before that change, saved as a new version.",
    )
    return see_other(request, back)


def _refused(
    request: WorkspaceRequest,
    activity: Activity,
    back: str,
    *,
    stale: StaleVersion | None = None,
    reason: str = "",
) -> HttpResponse:
    """409: the undo changed nothing; what changed since, field by field."""
    rows = []
    if stale is not None:
        current = stale.current
        for name in activity.fields:
            field = current._meta.get_field(name)
            now = words(type(current), name, getattr(current, field.attname))
            rows.append((str(field.verbose_name).capitalize(), now))
    context = {"activity": activity, "stale": stale, "rows": rows, "reason": reason, "back": back}
    return render_page(request, "workspaces/undo_refused.html", context, status=409)
