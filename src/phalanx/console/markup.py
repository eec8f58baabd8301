"""The HTML every page shares: escaping, the page frame, links, dates, badges, tables.

Everything that comes from the store or a request goes through `escape` (or
`attribute`, for values inside quotes): names, ARNs, JSON, error causes.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from phalanx.api.views import duration

STYLESHEET = "/console/console.css"
SCRIPT = "/console/console.js"

STATUS_CLASSES = {
    "RUNNING": "running",
    "SUCCEEDED": "succeeded",
    "FAILED": "failed",
    "TIMED_OUT": "failed",
    "ABORTED": "aborted",
    "PENDING_REDRIVE": "running",
    "ACTIVE": "succeeded",
}


def escape(text: object) -> str:
    """Text safe in HTML content and in double- or single-quoted attributes."""
    return html.escape(str(text), quote=True)


def url(path: str, **query: str) -> str:
    """`/execution?arn=...`: a console address with its query, percent-encoded."""
    return f"{path}?{urlencode(query, quote_via=quote)}" if query else path


def link(href: str, text: str) -> str:
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def moment(seconds: float | None) -> str:
    """`2026-12-06 12:00:10.123` (UTC, as the CLI views show times), or `-`."""
    if seconds is None:
        return "-"
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:23]


def took(started: float, stopped: float | None, now: float) -> str:
    """How long an execution ran (to `now` while it runs)."""
    return duration((now if stopped is None else stopped) - started)


def badge(status: str) -> str:
    """A status as a word in a coloured pill (the word carries the meaning, not the colour)."""
    kind = STATUS_CLASSES.get(status, "aborted")
    return f'<span class="badge badge-{kind}">{escape(status)}</span>'


def pretty_json(text: str | None) -> str:
    """JSON text indented for reading; other text as it is."""
    if text is None:
        return ""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def code_block(text: str | None, label: str) -> str:
    """A scrollable `<pre>` of JSON, reachable by keyboard (it may need scrolling)."""
    return (
        f'<pre class="json" tabindex="0" role="group" aria-label="{escape(label)}"><code>'
        f"{escape(pretty_json(text))}</code></pre>"
    )


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]], empty: str) -> str:
    """A table of already-escaped cells, with a visible caption; `empty` when there are no rows."""
    if not rows:
        return f'<p class="empty">{escape(empty)}</p>'
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        f'<div class="table-wrap"><table><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def page(title: str, body: str, *, trail: Sequence[tuple[str, str]] = ()) -> str:
    """A whole HTML document: banner, breadcrumb navigation, main content.

    `trail` is the breadcrumb above this page: (address, text) pairs.
    """
    crumbs = "".join(f"<li>{link(href, text)}</li>" for href, text in trail)
    crumbs += f'<li aria-current="page">{escape(title)}</li>'
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} · Phalanx console</title>\n"
        f'<link rel="stylesheet" href="{STYLESHEET}">\n'
        f'<script src="{SCRIPT}" defer></script>\n'
        "</head>\n<body>\n"
        '<a class="skip" href="#content">Skip to content</a>\n'
        '<header class="banner"><a class="brand" href="/">Phalanx</a>'
        '<span class="brand-note">local console</span></header>\n'
        f'<nav aria-label="Breadcrumb" class="trail"><ol>{crumbs}</ol></nav>\n'
        f'<main id="content">\n{body}\n</main>\n'
        "</body>\n</html>\n"
    )
