from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from channels.forms import UsageRowsFormSet, usage_rows, usage_rows_save
from channels.selectors import persona_mix
from experiments.selectors import persona_experiments
from pacekeeper.htmx import render_page, see_other, wants_fragment
from personas import services
from personas.forms import SECTIONS, PersonaCreateForm, PersonaFilterForm, ResearchNoteForm
from personas.models import Persona, ResearchNote, get_persona
from planning.selectors import (
    load_pace,
    persona_in_plan,
    persona_pace_view,
    persona_plan_annotations,
    read_persona_pace,
)
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.archive_views import archive_views
from workspaces.exports import export_view
from workspaces.history_views import history_page
from workspaces.models import Workspace
from workspaces.revision import cached_page
from workspaces.roles import Action
from workspaces.versioning import StaleVersion, posted_version, versioned_edit

DETAIL = "personas/detail.html"


# Cards on one page of the persona list (and added by each "Load more").
PAGE_SIZE = 24


@require_GET
@workspace_view()
def persona_list(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """One page of the filtered personas. htmx asks for the results (a new search)
    or, from "Load more", for the next page's cards to append."""
    filters = PersonaFilterForm(request.GET)
    queryset = filters.filter(Persona.objects.in_workspace(workspace).with_evidence_counts())
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    personas = list(page)
    context = {
        "filters": filters,
        "page": page,
        "next_page": page.paginator.page(page.next_page_number()) if page.has_next() else None,
        "personas": personas,
        "pace": load_pace(workspace, {p.pk: p.name for p in personas if not p.archived}),
        "any_personas": bool(personas) or Persona.objects.in_workspace(workspace).exists(),
    }
    more = getattr(request.htmx, "target", None) == "persona-more"
    return render_page(
        request, "personas/list.html", context, partial="more" if more else "results"
    )


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def persona_create(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """One form for a whole persona: every section but the name optional, and
    the channels they use today, several at once."""
    form = PersonaCreateForm(request.POST or None)
    # The channel rows are optional: a request without them adds no channel.
    rows = UsageRowsFormSet(
        request.POST if "channels-TOTAL_FORMS" in request.POST else None,
        prefix="channels",
        form_kwargs={"workspace": workspace},
    )
    rows_valid = rows.is_valid() if rows.is_bound else True
    if request.method == "POST" and form.is_valid() and rows_valid:
        persona = services.persona_create(
            workspace=workspace, user=request.user, persona=form.save(commit=False)
        )
        added = usage_rows_save(rows, persona=persona, user=request.user)
        messages.success(
            request,
            f"{persona.name} is created"
            + (f" with {len(added)} channel{'s' if len(added) != 1 else ''}." if added else "."),
        )
        return see_other(request, persona.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    return render_page(request, "personas/create.html", {"form": form, "rows": rows}, status=status)


def persona_page_context(persona: Persona, **extra) -> dict:
    notes = list(
        ResearchNote.objects.in_workspace(persona.workspace)
        .filter(persona=persona)
        .select_related("created_by")
    )
    persona.research_count = sum(1 for n in notes if n.kind != "assumption")
    # Her pace reads her plans and her observations in one query; the mix reuses them.
    reading = read_persona_pace(persona)
    mix = persona_mix(persona, persona.workspace, reading.mix_rows)
    return {
        "persona": persona,
        "notes": notes,
        "note_form": ResearchNoteForm(),
        "sections": SECTIONS,
        "mix": mix,
        "experiments": persona_experiments(persona, persona.workspace),
        "usage_rows": usage_rows(persona=persona),
        "in_plan": persona_in_plan(persona),
        "pace": persona_pace_view(persona, reading),
        **extra,
    }


@require_GET
@workspace_view()
def persona_detail(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    def read() -> Persona:
        return get_persona(workspace, pk, persona_plan_annotations(workspace))

    section = request.GET.get("section", "")
    partial = f"section-{section}" if section in (*SECTIONS, "evidence", "mix") else None
    if partial is None and not wants_fragment(request):
        # The page as it stands comes from the cache until the workspace's data
        # changes. A part cached under this revision and address proves she is
        # this workspace's: she is read (or refused) only when it is not there.
        return cached_page(request, DETAIL, lambda: persona_page_context(read()), keep=("persona",))
    return render_page(request, DETAIL, persona_page_context(read()), partial=partial)


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def persona_edit_section(
    request: WorkspaceRequest, workspace: Workspace, pk: int, section: str
) -> HttpResponse:
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404("No such section.")
    persona = get_persona(workspace, pk)
    edit = versioned_edit(
        request,
        spec.form_class,
        persona,
        lambda form, **saving: services.persona_update(persona=persona, **saving),
    )
    if edit.saved:
        if wants_fragment(request):
            # The saved section, and the page heading out of band (a new name or
            # adoption stage shows at the top too).
            fresh = persona_page_context(persona, oob_heading=True)
            html = render_to_string(f"{DETAIL}#section-{spec.key}", fresh, request)
            html += render_to_string(f"{DETAIL}#persona-heading", fresh, request)
            return HttpResponse(html)
        messages.success(request, f"{spec.title} saved.")
        return see_other(request, f"{persona.get_absolute_url()}#section-{spec.key}")
    context = {
        "persona": edit.current or persona,
        "section": spec,
        "form": edit.form,
        "conflict": edit.conflict,
    }
    return render_page(
        request, "personas/section_edit.html", context, partial="section-form", status=edit.status
    )


@require_POST
@workspace_view(Action.EDIT)
def persona_use_suggestion(
    request: WorkspaceRequest, workspace: Workspace, pk: int
) -> HttpResponse:
    persona = get_persona(workspace, pk)
    try:
        services.persona_use_suggestion(
            persona=persona, expected_version=posted_version(request), user=request.user
        )
    except StaleVersion as stale:
        persona = stale.current
        message = (
            f"{persona.updated_by or 'Someone'} changed this persona since you opened the page; "
            "nothing was changed. Check the ratio below and try again."
        )
        if wants_fragment(request):
            context = persona_page_context(persona, adoption_error=message)
            return render_page(request, DETAIL, context, partial="section-adoption", status=409)
        messages.error(request, message)
        return see_other(request, persona.get_absolute_url())
    return _after_change(
        request, persona, "adoption", "The suggested ratio is now the persona's own."
    )


@require_POST
@workspace_view(Action.EDIT)
def persona_mark_reviewed(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    persona = get_persona(workspace, pk)
    services.persona_mark_reviewed(persona=persona, user=request.user)
    return _after_change(
        request, persona, "evidence", f"{persona.name} is marked as reviewed today."
    )


@require_POST
@workspace_view(Action.EDIT)
def persona_note_add(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    persona = get_persona(workspace, pk)
    form = ResearchNoteForm(request.POST)
    if not form.is_valid():
        context = persona_page_context(persona, note_form=form)
        return render_page(request, DETAIL, context, partial="section-evidence", status=422)
    services.research_note_add(persona=persona, note=form.save(commit=False), user=request.user)
    return _after_change(request, persona, "evidence", "Research note added.")


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def persona_note_delete(
    request: WorkspaceRequest, workspace: Workspace, pk: int, note_pk: int
) -> HttpResponse:
    """Remove a research note: htmx asks in place, without JavaScript a page asks first."""
    persona = get_persona(workspace, pk)
    note = (
        ResearchNote.objects.in_workspace(workspace).filter(persona=persona).get_or_404(pk=note_pk)
    )
    if request.method == "POST":
        services.research_note_delete(note=note, user=request.user)
        return _after_change(request, persona, "evidence", "Research note removed.")
    return render_page(request, "personas/note_delete.html", {"persona": persona, "note": note})


def _after_change(
    request: WorkspaceRequest, persona: Persona, section: str, message: str
) -> HttpResponse:
    """htmx: the refreshed section. Without JavaScript: back to the page, with a message."""
    if wants_fragment(request):
        return render_page(
            request, DETAIL, persona_page_context(persona), partial=f"section-{section}"
        )
    messages.success(request, message)
    return see_other(request, f"{persona.get_absolute_url()}#section-{section}")


persona_archive, persona_restore = archive_views(
    get_persona,
    archived="{obj.name} is archived: out of the list and of new plans.",
    restored="{obj.name} is restored.",
)


@require_POST
@workspace_view(Action.EDIT)
def persona_duplicate(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    persona = get_persona(workspace, pk)
    copy = services.persona_duplicate(persona=persona, user=request.user)
    messages.success(request, f"{copy.name} is created with every section of {persona.name}.")
    return see_other(request, copy.get_absolute_url())


@require_http_methods(["GET", "POST"])
@workspace_view(Action.DELETE)
def persona_delete(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    persona = get_persona(workspace, pk)
    if request.method == "POST":
        name = persona.name
        services.persona_delete(persona=persona, user=request.user)
        messages.success(request, f"{name} is deleted for good.")
        return see_other(request, reverse("personas:list", args=[workspace.slug]))
    impact = services.persona_delete_impact(persona=persona)
    return render_page(request, "personas/delete.html", {"persona": persona, "impact": impact})


persona_history = history_page("persona", get_persona, template="personas/history.html")


# Personas as the import reads them; the workbook adds their channel mixes.
persona_export = export_view("personas")
