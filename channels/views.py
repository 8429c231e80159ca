from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import retarget

from channels import services
from channels.forms import (
    USAGE_ROWS_PREFIX,
    ChannelForm,
    MergeForm,
    UsageAddForm,
    UsageForm,
    UsageShareForm,
    UsageStageForm,
    usage_rows,
    usage_rows_save,
)
from channels.models import Stage, get_channel, get_usage
from channels.selectors import catalog, channel_personas, persona_mix
from experiments.selectors import channel_experiments
from pacekeeper.htmx import form_status, render_page, see_other, wants_fragment
from personas.models import Persona, get_persona
from personas.views import persona_page_context
from planning.selectors import persona_plan_annotations
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.archive_views import archive_views
from workspaces.exports import export_view
from workspaces.history_views import history_page
from workspaces.models import Workspace
from workspaces.roles import Action
from workspaces.versioning import StaleVersion, versioned_edit

PERSONA_PAGE = "personas/detail.html"


# --- The catalog -------------------------------------------------------------


@require_GET
@workspace_view()
def channel_list(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    archived = request.GET.get("show") == "archived"
    rows = catalog(workspace, archived=archived)
    return render_page(request, "channels/list.html", {"rows": rows, "archived": archived})


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def channel_create(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    form = ChannelForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        channel = services.channel_save(
            channel=form.save(commit=False), workspace=workspace, user=request.user
        )
        messages.success(request, f"{channel.name} is in the catalog.")
        return see_other(request, reverse("channels:list", args=[workspace.slug]))
    return render_page(
        request, "channels/form.html", {"form": form}, status=form_status(request, form)
    )


@require_GET
@workspace_view()
def channel_detail(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    channel = get_channel(workspace, pk)
    context = {
        "channel": channel,
        "rows": channel_personas(channel, workspace),
        "experiments": channel_experiments(channel, workspace),
    }
    return render_page(request, "channels/detail.html", context)


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def channel_edit(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    channel = get_channel(workspace, pk)
    form = ChannelForm(request.POST or None, instance=channel, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        services.channel_update(
            channel=form.save(commit=False), user=request.user, fields=ChannelForm.Meta.fields
        )
        messages.success(request, f"{channel.name} is saved.")
        return see_other(request, channel.get_absolute_url())
    context = {"form": form, "channel": channel}
    return render_page(request, "channels/form.html", context, status=form_status(request, form))


@require_http_methods(["GET", "POST"])
@workspace_view(Action.DELETE)
def channel_delete(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    channel = get_channel(workspace, pk)
    impact = services.channel_delete_impact(channel=channel)
    if request.method == "POST":
        if impact.in_use and request.POST.get("confirm") != "yes":
            messages.error(request, "Tick the box to confirm what goes with this channel.")
            return render_page(
                request, "channels/delete.html", {"channel": channel, "impact": impact}, status=422
            )
        services.channel_delete(channel=channel, user=request.user)
        messages.success(request, f"{channel.name} is deleted for good.")
        return see_other(request, reverse("channels:list", args=[workspace.slug]))
    return render_page(request, "channels/delete.html", {"channel": channel, "impact": impact})


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def channel_merge(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    source = get_channel(workspace, pk)
    form = MergeForm(request.POST or request.GET or None, source=source)
    context = {"channel": source, "form": form}
    if form.is_bound and form.is_valid():
        target = form.cleaned_data["target"]
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            services.channel_merge(source=source, target=target, user=request.user)
            messages.success(
                request, f"{source.name} is merged into {target.name}. Nothing was lost."
            )
            return see_other(request, target.get_absolute_url())
        context |= {
            "target": target,
            "plan": services.channel_merge_plan(source=source, target=target),
        }
    elif form.is_bound:
        return render_page(request, "channels/merge.html", context, status=422)
    return render_page(request, "channels/merge.html", context)


# --- A persona's channel mix ---------------------------------------------------


def _mix_context(
    persona: Persona, workspace: Workspace, row_errors: dict[int, str] | None = None, **extra
) -> dict:
    mix = persona_mix(persona, workspace)
    for row in mix.rows:
        row.error = (row_errors or {}).get(row.usage.pk, "")
        if row.error:
            row.attempted = extra.get("attempted")
    return {
        "persona": persona,
        "mix": mix,
        "usage_rows": usage_rows(persona=persona),
        **extra,
    }


def _mix_response(
    request: WorkspaceRequest,
    persona: Persona,
    workspace: Workspace,
    message: str,
    *,
    status: int = 200,
    **extra,
) -> HttpResponse:
    """htmx: the refreshed channel-mix section. Without JavaScript: back to the persona."""
    if wants_fragment(request):
        context = _mix_context(persona, workspace, **extra)
        return render_page(request, PERSONA_PAGE, context, partial="section-mix", status=status)
    if status < 400:
        messages.success(request, message)
    else:
        messages.error(request, message)
    return see_other(request, f"{persona.get_absolute_url()}#section-mix")


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def usage_add(request: WorkspaceRequest, workspace: Workspace, persona_pk: int) -> HttpResponse:
    """Add to a persona's mix: several rows at once from the persona's page, or
    one channel with every detail from this page's own form."""
    persona = get_persona(workspace, persona_pk)
    if f"{USAGE_ROWS_PREFIX}-TOTAL_FORMS" in request.POST:
        return _usage_rows_add(request, workspace, persona)
    form = UsageAddForm(request.POST or None, persona=persona)
    if request.method == "POST":
        if form.is_valid():
            usage = form.save(commit=False)
            usage.channel = form.cleaned_data["channel"] or services.channel_find_or_create(
                workspace=workspace,
                name=form.cleaned_data["new_channel"],
                category=form.cleaned_data["new_channel_category"] or "other",
                user=request.user,
            )
            services.usage_add(persona=persona, usage=usage, user=request.user)
            added = f"{usage.channel.name} is in {persona.name}'s mix."
            # The form stays open for the next channel.
            return _mix_response(request, persona, workspace, added, adding=True, added=added)
        return render_page(
            request,
            "channels/usage_form.html",
            {"persona": persona, "form": form, "adding": True},
            status=422,
        )
    return render_page(
        request, "channels/usage_form.html", {"persona": persona, "form": form, "adding": True}
    )


def _usage_rows_add(
    request: WorkspaceRequest, workspace: Workspace, persona: Persona
) -> HttpResponse:
    """The rows of the persona page's add form: all saved, or none with each
    error beside its row; "Another row" shows the rows again with one more."""
    rows = usage_rows(request.POST, persona=persona)
    if "more" in request.POST:
        rows = usage_rows(persona=persona, initial=rows.as_typed(), extra=1)
        rows.forms[-1].fields["channel"].widget.attrs["autofocus"] = True
        return _rows_page(request, workspace, persona, rows, status=200)
    if not rows.is_valid():
        first = next((form for form in rows.forms if form.errors), None)
        if first is not None:
            field = next((name for name in first.errors if name in first.fields), "channel")
            first.fields[field].widget.attrs["autofocus"] = True
        return _rows_page(request, workspace, persona, rows, status=422)
    with transaction.atomic():
        added = usage_rows_save(rows, persona=persona, user=request.user)
    names = [usage.channel.name for usage in added]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    message = f"{listed} {'is' if len(names) == 1 else 'are'} in {persona.name}'s mix."
    # The form stays open for the next channels.
    return _mix_response(request, persona, workspace, message, adding=True, added=message)


def _rows_page(
    request: WorkspaceRequest, workspace: Workspace, persona: Persona, rows, *, status: int
) -> HttpResponse:
    """The rows again, as typed: the mix section for htmx, the persona page without."""
    if wants_fragment(request):
        context = _mix_context(persona, workspace, usage_rows=rows, adding=True)
        return render_page(request, PERSONA_PAGE, context, partial="section-mix", status=status)
    persona = get_persona(workspace, persona.pk, persona_plan_annotations(workspace))
    context = persona_page_context(persona, usage_rows=rows, adding=True)
    return render_page(request, PERSONA_PAGE, context, status=status)


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def usage_edit(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    usage = get_usage(workspace, pk)
    persona, stored = usage.persona, services.usage_values(usage)
    edit = versioned_edit(
        request,
        UsageForm,
        usage,
        lambda form, **saving: services.usage_update(usage=usage, stored=stored, **saving),
    )
    if edit.saved:
        response = _mix_response(request, persona, workspace, f"{usage.channel.name} is saved.")
        # The row's form asked to swap itself; the whole mix changes.
        return retarget(response, "#section-mix") if wants_fragment(request) else response
    context = {"persona": persona, "usage": usage, "form": edit.form, "conflict": edit.conflict}
    if wants_fragment(request):
        return render_page(
            request, PERSONA_PAGE, context, partial="usage-row-form", status=edit.status
        )
    return render_page(request, "channels/usage_form.html", context, status=edit.status)


@require_POST
@workspace_view(Action.EDIT)
def usage_share(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """The quick share edit: the mix re-renders with the new percentages and bar."""
    return _quick_update(request, workspace, pk, UsageShareForm)


@require_POST
@workspace_view(Action.EDIT)
def usage_stage(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Promote an emerging channel to core, or demote a core channel to emerging."""
    return _quick_update(request, workspace, pk, UsageStageForm)


def _quick_update(
    request: WorkspaceRequest, workspace: Workspace, pk: int, form_class
) -> HttpResponse:
    usage = get_usage(workspace, pk)
    persona = usage.persona
    stored = services.usage_values(usage)
    form = form_class(request.POST, instance=usage)
    if not form.is_valid():
        errors = "; ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        return _mix_response(
            request,
            persona,
            workspace,
            f"{usage.channel.name}: {errors}",
            status=422,
            row_errors={usage.pk: errors},
            attempted=request.POST.get("share"),
        )
    try:
        services.usage_update(
            usage=usage,
            stored=stored,
            expected_version=form.cleaned_data["version"],
            user=request.user,
            fields=list(form_class.Meta.fields),
        )
    except StaleVersion as stale:
        current = stale.current
        who = current.updated_by or "Someone"
        message = (
            f"Not saved: {who} changed {usage.channel.name} since you opened the page "
            f"(share {current.share.normalize():f}, {current.get_stage_display().lower()}). "
            "Check and try again."
        )
        return _mix_response(
            request, persona, workspace, message, status=409, row_errors={usage.pk: message}
        )
    if form_class is UsageStageForm:
        where = "where they are (core)" if usage.stage == Stage.CORE else "emerging"
        return _mix_response(request, persona, workspace, f"{usage.channel.name} is now {where}.")
    return _mix_response(request, persona, workspace, f"{usage.channel.name}'s share is saved.")


@require_http_methods(["GET", "POST"])
@workspace_view(Action.DELETE)
def usage_remove(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Take a channel out of a persona's mix for good, after a confirmation."""
    usage = get_usage(workspace, pk)
    if request.method == "POST":
        services.usage_remove(usage=usage, user=request.user)
        return _mix_response(
            request, usage.persona, workspace, f"{usage.channel.name} is deleted from the mix."
        )
    observations = usage.observations.count()
    context = {"usage": usage, "persona": usage.persona, "observations": observations}
    return render_page(request, "channels/usage_delete.html", context)


channel_archive, channel_restore = archive_views(
    get_channel,
    archived="{obj.name} is archived: out of the catalog, the pickers and new plans.",
    restored="{obj.name} is restored.",
)
usage_archive, usage_restore = archive_views(
    get_usage,
    archived="{obj.channel.name} is archived: out of the mix and of new plans.",
    restored="{obj.channel.name} is back in the mix.",
    respond=lambda request, usage, message: _mix_response(
        request, usage.persona, usage.workspace, message
    ),
)


# Every persona's channel mix, as the import reads it.
mix_export = export_view("channel-mix")


channel_history = history_page("channel", get_channel)
usage_history = history_page(
    "usage", get_usage, back=lambda usage: f"{usage.persona.get_absolute_url()}#section-mix"
)
