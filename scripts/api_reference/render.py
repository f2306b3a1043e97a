"""Rendering: the reference's Markdown, from the Jinja templates below `templates/` and what `read` found."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import jinja2

from .read import DOCS_SITE, Element, Entry, Example, LedgerItem, Mark

TEMPLATES = Path(__file__).resolve().parent / "templates"


def cell(text: Any) -> str:
    """Text for one table cell or one line: no line breaks, no bare `|`."""
    return " ".join(str(text).split()).replace("|", "\\|")


def badge(grade: str, reason: str = "") -> str:
    title = f' title="{html.escape(reason, quote=True)}"' if reason else ""
    return f'<span class="grade grade-{html.escape(grade)}"{title}>{html.escape(grade)}</span>'


def doc_link(page: str) -> str:
    return "unknown" if page == "unknown" else f"[{page}]({DOCS_SITE}{page})"


def graded(grade: str, reason: str = "", where: str = "") -> str:
    """A grade's badge, what inside the element it is about, and its reason beside it."""
    text = badge(grade, reason)
    if where:
        text += f" <code>{html.escape(where)}</code>"
    if reason:
        text += f' <span class="airudder-reason">{cell(html.escape(reason))}</span>'
    return text


def marks(items: list[Mark]) -> str:
    return "<br>".join(graded(m.grade, m.reason, m.where) for m in items)


def table(elements: list[Element]) -> str:
    lines = ["| element | type | required | grade | description |", "|---|---|---|---|---|"]
    for e in elements:
        shown = [*e.also, *e.within]
        grade = "<br>".join([graded(e.grade, e.reason), *(graded(m.grade, m.reason, m.where) for m in shown)])
        required = "yes" if e.required else ""
        lines.append(f"| `{e.name}` | {cell(e.type)} | {required} | {grade} | {cell(e.description)} |")
    return "\n".join(lines)


def example(item: Example) -> str:
    title = cell(item.title).replace('"', "'")
    lines = [f"{graded(item.grade, item.reason)}", "", "```json", *item.json.splitlines(), "```"]
    body = "\n".join(f"    {line}" if line else "" for line in lines)
    return f'???+ example "{title} ({item.grade})"\n{body}\n'


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, whose HTML parts are escaped where they are built
    )
    env.filters["cell"] = cell
    env.globals.update(badge=badge, graded=graded, marks=marks, doc_link=doc_link, table=table, example=example)
    entry_template = env.get_template("entry.md.jinja")
    env.globals["entry"] = lambda e: entry_template.render(entry=e)
    return env


def page(operations: list[Entry], webhooks: list[Entry], ledger: list[LedgerItem]) -> str:
    entries = sorted([*operations, *webhooks], key=lambda e: e.nav)
    template = environment().get_template("airudder-api.md.jinja")
    return template.render(entries=entries, operations=operations, webhooks=webhooks, ledger=ledger)
