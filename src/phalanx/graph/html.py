"""A self-contained HTML page around the SVG: no script, no stylesheet or font from the net."""

from __future__ import annotations

from phalanx.graph import theme
from phalanx.graph.layout import Layout
from phalanx.graph.svg import escape, svg

_STYLE = f"""
body {{ margin: 0; padding: 1.5rem; background: #fafafa; color: {theme.TEXT};
       font-family: Helvetica, Arial, 'DejaVu Sans', sans-serif; }}
h1 {{ font-size: 1.25rem; margin: 0 0 1rem; }}
figure {{ margin: 0; overflow: auto; background: {theme.BACKGROUND};
          border: 1px solid #d5dbdb; border-radius: 8px; padding: 0.5rem; }}
figcaption {{ margin-top: 0.75rem; font-size: 0.875rem; color: {theme.MUTED}; }}
ul.legend {{ list-style: none; padding: 0; margin: 0.75rem 0 0; display: flex;
             flex-wrap: wrap; gap: 1rem; font-size: 0.875rem; }}
ul.legend span {{ display: inline-block; width: 0.9rem; height: 0.9rem; border-radius: 3px;
                  vertical-align: -0.1rem; margin-right: 0.35rem; border: 2px solid; }}
"""


def page(placed: Layout) -> str:
    """An HTML5 document showing the drawing, with a legend when an execution is drawn."""
    diagram = placed.diagram
    title = escape(diagram.name)
    legend = ""
    if diagram.trace is not None:
        counts: dict[str, int] = {}
        for node in diagram.states():
            if node.outcome is not None:
                counts[node.outcome] = counts.get(node.outcome, 0) + 1
        items = "".join(
            f'<li><span style="background:{style.fill};border-color:{style.stroke}"></span>'
            f"{escape(outcome)}: {counts.get(outcome, 0)}</li>"
            for outcome, style in theme.OUTCOME_STYLES.items()
        )
        legend = f'<ul class="legend" aria-label="States by outcome">{items}</ul>'
    caption = f"Execution {escape(diagram.trace.status.lower())}" if diagram.trace else "Graph"
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} · Phalanx</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{title}</h1>\n<figure>\n{svg(placed)}"
        f"<figcaption>{caption} of state machine {title}.</figcaption>\n</figure>\n"
        f"{legend}\n</main>\n</body>\n</html>\n"
    )
