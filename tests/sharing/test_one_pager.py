"""The persona one-pager: one A4 page, on screen, on paper and as a PDF."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from personas.models import Persona
from sharing.one_pager import LIST_ITEMS, clip, clip_list, one_pager
from sharing.pdf import BASE_URL, HTML, StaticFilesOnly
from tests.factories import ChannelUsageFactory, ExperimentFactory, PersonaFactory
from tests.sharing.conftest import pdf_pages, pdf_text


def page_url(persona) -> str:
    return reverse("sharing:one_pager", args=[persona.workspace.slug, persona.pk])


def pdf_url(persona) -> str:
    return reverse("sharing:one_pager_pdf", args=[persona.workspace.slug, persona.pk])


def pages_at(persona, fit: int) -> int:
    """How many pages the PDF template takes at one fit level, before any fitting."""
    html = render_to_string("sharing/one_pager_pdf.html", {"op": one_pager(persona), "fit": fit})
    return len(HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).render().pages)


# --- Fitting text to its budget -------------------------------------------------


def test_clip_keeps_short_text_and_cuts_long_text_at_a_word():
    assert clip("Cut late deliveries", 40) == "Cut late deliveries"
    cut = clip("Give her team one view of the week's orders and nothing else", 30)
    assert cut == "Give her team one view of the…" and len(cut) <= 30


def test_clip_cuts_an_unbroken_word_too():
    assert clip("W" * 50, 10) == "W" * 9 + "…"


def test_clip_list_keeps_a_budget_and_says_what_is_left_out():
    items = [f"Goal number {i} with a few more words" for i in range(10)]
    clipped = clip_list(items)
    assert len(clipped.items) <= LIST_ITEMS and clipped.more == 10 - len(clipped.items)
    assert sum(len(i) for i in clipped.items) <= 200


# --- The page, for members ---------------------------------------------------------


@pytest.fixture
def olivia(workspace):
    persona = PersonaFactory(
        workspace=workspace,
        name="Operations Olivia",
        quote="Show me someone like us who uses it.",
        goals="Cut late deliveries below 2%\nOne view of the week's orders",
        challenges="Data spread over the ERP",
        objections="Our ERP already does reporting.",
        buying_triggers="A bad quarter of late deliveries",
        says="Show me someone like us.",
        feels="Responsible for overtime.",
    )
    ChannelUsageFactory(persona=persona, channel__name="LinkedIn", share=60, trend="steady")
    ChannelUsageFactory(
        persona=persona, channel__name="YouTube", share=20, stage="emerging", trend="rising"
    )
    ExperimentFactory(
        workspace=workspace, title="Ops podcast", status="running", personas=[persona]
    )
    ExperimentFactory(workspace=workspace, title="Old idea", status="idea", personas=[persona])
    return persona


def test_every_member_sees_the_one_pager(reviewer_client, olivia):
    response = reviewer_client.get(page_url(olivia))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ["Operations Olivia", "Show me someone like us who uses it.", "What they want",
                 "Cut late deliveries below 2%", "Why they might say no", "What makes them act now",
                 "Where to reach them today", "LinkedIn", "75%", "Where they are going", "YouTube",
                 "Ops podcast", "How to talk to them", "Responsible for overtime."]:  # fmt: skip
        assert text in page, text
    assert "Old idea" not in page  # only running experiments
    assert "Share link…" not in page  # reviewers do not share


def test_print_one_pager_opens_the_print_dialog(marketer_client, olivia):
    page = marketer_client.get(page_url(olivia) + "?print=1").content.decode()
    assert "data-print-on-load" in page and "Share link…" in page
    assert "data-print-on-load" not in marketer_client.get(page_url(olivia)).content.decode()


def test_outsider_gets_404(outsider_client, olivia):
    assert outsider_client.get(page_url(olivia)).status_code == 404
    assert outsider_client.get(pdf_url(olivia)).status_code == 404


def test_member_downloads_a_one_page_pdf(reviewer_client, olivia):
    response = reviewer_client.get(pdf_url(olivia))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "operations-olivia-one-pager.pdf" in response["Content-Disposition"]
    assert pdf_pages(response.content) == 1
    text = pdf_text(response.content)
    assert "Operations Olivia" in text and "LinkedIn" in text


@override_settings(PDF_RATE_LIMIT="2/m")
def test_members_pdfs_are_rate_limited_per_person(
    reviewer_client, marketer_client, olivia, still_clock
):
    assert [reviewer_client.get(pdf_url(olivia)).status_code for _ in range(2)] == [200, 200]
    refused = reviewer_client.get(pdf_url(olivia), follow=True)
    assert "Too many PDFs" in refused.content.decode()
    assert marketer_client.get(pdf_url(olivia)).status_code == 200  # someone else


@pytest.mark.parametrize("size", [1, 20])
def test_page_query_count_is_fixed(reviewer_client, workspace, size, django_assert_num_queries):
    persona = PersonaFactory(workspace=workspace)
    for i in range(size):
        ChannelUsageFactory(persona=persona, share=i + 1)
        ExperimentFactory(workspace=workspace, status="running", personas=[persona])
    # session, user, savepoint, membership, persona, mix, mix history,
    # experiments, research kinds, release (the memberships serve the switcher)
    with django_assert_num_queries(10):
        assert reviewer_client.get(page_url(persona)).status_code == 200


# --- Exactly one A4 page ------------------------------------------------------------


def test_every_demo_persona_fits_on_one_page(db, client):
    call_command("seed_demo", "--password", "demo-password-1", stdout=StringIO())
    client.login(username="ravi@example.com", password="demo-password-1")
    personas = Persona.objects.filter(workspace__slug="northwind").select_related("workspace")
    assert personas.count() >= 5
    for persona in personas:
        assert pages_at(persona, fit=0) == 1, f"{persona.name} needs shrinking"
        response = client.get(pdf_url(persona))
        assert pdf_pages(response.content) == 1, persona.name
        assert persona.name in pdf_text(response.content)


def test_a_persona_with_every_field_at_its_maximum_fits_as_designed(reviewer_client, maxed_persona):
    op = one_pager(maxed_persona)
    assert op.summary.endswith("…") and op.quote.endswith("…") and op.goals.more
    assert pages_at(maxed_persona, fit=0) == 1
    response = reviewer_client.get(pdf_url(maxed_persona))
    assert pdf_pages(response.content) == 1
    page = reviewer_client.get(page_url(maxed_persona)).content.decode()
    assert "…and 3 more core channels." in page and "…and 4 more running." in page


def test_even_an_unreal_persona_is_shrunk_onto_one_page(reviewer_client, extreme_persona):
    assert pages_at(extreme_persona, fit=0) > 1  # it does not fit as designed…
    response = reviewer_client.get(pdf_url(extreme_persona))
    assert pdf_pages(response.content) == 1  # …so the PDF sets it tighter


def test_the_pdf_fetches_nothing_but_static_files():
    fetcher = StaticFilesOnly()
    assert fetcher(BASE_URL + "static/css/one-pager.css").read().startswith(b"/*")
    for url in ["https://example.com/x.css", "file:///etc/passwd",
                BASE_URL + "static/../../pacekeeper/settings.py", BASE_URL + "w/northwind/"]:  # fmt: skip
        with pytest.raises(ValueError):
            fetcher(url)


def test_pdf_charts_take_the_stylesheets_colours():
    """WeasyPrint paints inline SVG by its own rules only: each chart in a PDF
    carries the stylesheet's SVG rules, custom properties resolved."""
    from sharing.pdf import _paint_charts, svg_stylesheet

    css = svg_stylesheet()
    assert "var(" not in css
    assert ".chart-present { fill: #" in css and ".chart-future { fill: #" in css
    painted = _paint_charts('<p>x</p><svg class="split-bar" viewBox="0 0 1 1"><rect/></svg>')
    assert painted.startswith('<p>x</p><svg class="split-bar" viewBox="0 0 1 1"><style>.chart')
