"""Every page carries a Content-Security-Policy without inline script or style."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_login_page_has_a_strict_csp(client, db):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_templates_have_no_inline_script_or_style():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if "email" in path.parts:
            continue  # e-mails are read in mail clients, which need inline styles; no page serves them
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path.name}: inline <script>")
        if re.search(r"\sstyle\s*=", text) or "<style" in text:
            offenders.append(f"{path.name}: inline style")
        if re.search(r"\son[a-z]+\s*=", text) or "hx-on" in text:
            offenders.append(f"{path.name}: inline event handler")
    assert not offenders, offenders


def test_workspace_page_sends_the_csrf_token_with_htmx(owner_client, workspace):
    response = owner_client.get(reverse("planning:dashboard", args=[workspace.slug]))
    html = response.content.decode()
    assert re.search(r'data-hx-headers=\'\{"X-CSRFToken": "[A-Za-z0-9]{32,}"\}\'', html)
    # htmx is told to swap conflicts and form errors, and not to inject styles.
    assert '"includeIndicatorStyles": false' in html
    assert '"(400|409|422)", "swap": true' in html
