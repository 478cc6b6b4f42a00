"""The editor's HTML report: autoescaped pages under a strict Content Security Policy.

A report that lists every sentence is one self-contained page. An archive's report (detail
"findings") is a main page of summaries and the first findings, errors first, with the other
findings, the claim cards and the article readers on pages in `report-files/` beside it: each
page is small enough to open at once, and its script renders the findings table from data.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from markupsafe import Markup

from checker.formats.context import Page, RenderContext
from checker.formats.environment import environment


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


@cache
def _assets() -> dict[str, str]:
    """Return the pages' one style sheet and one script, and the policy that allows only them."""
    env = environment()
    assert env.loader is not None
    style = env.loader.get_source(env, "report.css")[0]
    script = env.loader.get_source(env, "report.js")[0]
    # No network and nothing else inline: only this style sheet and this script run.
    csp = (
        f"default-src 'none'; style-src '{_digest(style)}'; script-src '{_digest(script)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return {"style": Markup(style), "script": Markup(script), "csp": Markup(csp)}


def _names(context: RenderContext) -> dict[str, object]:
    """Return the short names every page's template uses for the report and its summary."""
    return {"r": context.report, "s": context.report.summary}


def render(context: RenderContext) -> str:
    """Render the editor's HTML report: its main page."""
    template = environment().get_template("report.html.j2")
    return template.render(ctx=context, page=None, **_names(context), **_assets())


def render_page(context: RenderContext, page: Page) -> str:
    """Render one of an archive's report pages (findings, claim cards or article readers)."""
    template = environment().get_template("report-page.html.j2")
    return template.render(ctx=context, page=page, **_names(context), **_assets())
