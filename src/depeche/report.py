"""Terminal report of an analysis, with rich: warnings, entities, a timeline
of dated facts, quotes grouped by speaker, events, and a legend of the
markers. Dates are written for people (``depeche.readable``) beside their
TIMEX3 value; when the console is not a terminal, lines carry no trailing
spaces."""
from __future__ import annotations

import re
from collections import OrderedDict

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from . import readable
from .model import Analysis

TYPE_STYLE = {"PER": "bold cyan", "ORG": "bold magenta", "GPE": "bold green", "LOC": "green"}
MODE_STYLE = {"asserted": "", "planned": "yellow", "negated": "red", "hypothetical": "dim"}


# Control characters (ANSI and OSC escapes start with one) never reach the terminal.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _plain(s: str) -> str:
    return _CONTROL.sub(" ", s)


def _short(s: str, n: int) -> str:
    s = " ".join(_plain(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _row(table: Table, *cells, **kw) -> None:
    """Add a row whose text cells are shown as they are: article text is never
    read as rich markup, and carries no control characters."""
    table.add_row(*(Text(_plain(c)) if isinstance(c, str) else c for c in cells), **kw)


LEGEND = ("→ actor to recipient  ·  ? actor unknown  ·  – none (no recipient, place or date)  ·  "
          "«» direct quote  ·  ~ indirect quote")
NARROW = 72  # below this width: events listed, not tabled; no kb, roles or raw values
TRIGGER_CHARS = 40  # longer triggers are shortened: a cell never wraps over a few lines


def _when(value: str, type: str = None) -> str:
    return readable.timex(value, type=type) or value


def _header(an: Analysis, dct_given: bool = None) -> Text:
    """The article's id, date, size and first words. ``dct_given``: whether
    the publication date came with the article (None: unknown)."""
    t = Text()
    t.append(f"{_plain(an.id or 'article')}", style="bold")
    if an.dct and dct_given is not False:
        t.append(f"  ·  published {_when(an.dct)} ({an.dct})")
    t.append(f"  ·  {len(an.text):,} chars  ·  lang {an.lang}")
    if an.dct and dct_given is False:
        t.append(f"\nno --dct: weekdays resolved against the dateline, {_when(an.dct)} ({an.dct})", style="yellow")
    elif not an.dct:
        t.append("\nno --dct and no date in the text: weekdays left unresolved", style="yellow")
    t.append("\n" + _short(an.text, 150), style="italic")
    return t


def _warnings(an: Analysis):
    if not an.warnings:
        return None
    t = Table(box=box.SIMPLE, show_header=False, expand=True, padding=(0, 1))
    t.add_column("code", style="bold red", no_wrap=True)
    t.add_column("where", no_wrap=True)
    t.add_column("what", ratio=1)
    for w in an.warnings:
        _row(t, w.code, f"{w.start}–{w.end}", f"{w.message}: {_short(an.text[w.start:w.end], 40)!r}")
    return Panel(t, title="Warnings", border_style="red")


def _entities(an: Analysis, width: int = 100):
    narrow = width < NARROW
    t = Table(box=box.SIMPLE_HEAD, expand=True, title="Entities", title_justify="left")
    t.add_column("name", ratio=2)
    t.add_column("type", no_wrap=True)
    if not narrow:
        t.add_column("kb", no_wrap=True)
    t.add_column("n", justify="right", no_wrap=True)
    if not narrow:
        t.add_column("also / role", ratio=3)
    for e in sorted(an.entities, key=lambda e: (-len(e.mentions), e.name)):
        extra = ", ".join(e.aliases[:3])
        roles = "; ".join(r.title + (f" ({r.of})" if r.of else "") for r in e.roles[:2])
        if roles:
            extra = (extra + " · " if extra else "") + roles
        typ = Text(e.type, style=TYPE_STYLE.get(e.type, ""))
        if narrow:
            _row(t, e.name, typ, str(len(e.mentions)))
        else:
            _row(t, e.name, typ, e.kb_id or "–", str(len(e.mentions)), _short(extra, 60))
    return t


def _timeline(an: Analysis, width: int = 100):
    rows = []
    for tx in an.times:
        rows.append((tx.value, _when(tx.value, tx.type), "time", f"{tx.type} {_short(tx.text, 60)!r}"))
    for ev in an.events:
        if ev.date:
            label = f"{ev.type} {ev.actor or '?'} → {ev.recipient or '–'}"
            rows.append((ev.date, _when(ev.date), "event", label + ("" if ev.mode == "asserted" else f" [{ev.mode}]")))
    if not rows:
        return None
    t = Table(box=box.SIMPLE_HEAD, expand=True, title="Timeline", title_justify="left")
    narrow = width < NARROW
    t.add_column("when", ratio=1, min_width=10)
    if not narrow:
        t.add_column("value", no_wrap=True, style="dim")
    t.add_column("", no_wrap=True)
    t.add_column("what", ratio=2, min_width=12)
    for value, when, kind, label in sorted(rows, key=lambda r: (r[0][:1].isdigit() is False, r[0], r[2])):
        cells = (when, kind, label) if narrow else (when, value, kind, label)
        _row(t, *cells, style="bold" if kind == "event" else "")
    return t


def _quotes(an: Analysis):
    if not an.quotes:
        return None
    by_speaker: "OrderedDict[str, list]" = OrderedDict()
    for q in an.quotes:
        by_speaker.setdefault(q.speaker or "(speaker unknown)", []).append(q)
    parts = []
    for speaker, qs in by_speaker.items():
        body = Text()
        for q in qs:
            mark = "«»" if q.kind == "direct" else "~"
            body.append(f" {mark} ", style="dim")
            body.append(_short(q.text, 220), style="italic" if q.kind == "direct" else "")
            if q.cue:
                body.append(f"  ({_short(q.cue.text, 40)})", style="dim")
            body.append("\n")
        parts.append(Text(_plain(speaker), style="bold cyan"))
        parts.append(body)
    return Panel(Group(*parts), title="Quotes", title_align="left", border_style="blue")


def _events(an: Analysis, width: int = 100):
    if not an.events:
        return None
    evs = sorted(an.events, key=lambda e: (e.date is None, e.date or ""))
    if width < NARROW:
        body = Text()
        for ev in evs:
            body.append(_when(ev.date) if ev.date else "–")
            body.append(f"  {ev.type}", style="bold " + MODE_STYLE.get(ev.mode, ""))
            if ev.mode != "asserted":
                body.append(f" {ev.mode}", style="italic " + MODE_STYLE.get(ev.mode, ""))
            body.append("\n")
            body.append(_plain(f"  {ev.actor or '?'} → {ev.recipient or '–'}  ·  {ev.location or '–'}  ·  "
                               f"{_short(ev.trigger.text, TRIGGER_CHARS)}"))
            body.append("\n")
        return Group(Text("Events", style="italic"), body)
    t = Table(box=box.SIMPLE_HEAD, expand=True, title="Events", title_justify="left")
    t.add_column("date", no_wrap=True)
    t.add_column("type", no_wrap=True)
    t.add_column("who → whom", ratio=2, min_width=14)
    t.add_column("where", ratio=1, min_width=10, no_wrap=True, overflow="ellipsis")
    t.add_column("trigger", ratio=2, min_width=12, no_wrap=True, overflow="ellipsis")
    for ev in evs:
        who = f"{ev.actor or '?'} → {ev.recipient or '–'}"
        typ = Text(ev.type, style=MODE_STYLE.get(ev.mode, ""))
        if ev.mode != "asserted":
            typ.append(f"\n{ev.mode}", style="italic " + MODE_STYLE.get(ev.mode, ""))
        _row(t, _when(ev.date) if ev.date else "–", typ, who, ev.location or "–",
             _short(ev.trigger.text, TRIGGER_CHARS))
    return t


def render(an: Analysis, console: Console, dct_given: bool = None) -> None:
    """Print the report of ``an`` on ``console``. ``dct_given`` tells whether
    the publication date came with the article (False: the times stage took
    it from the text); on a console that is not a terminal, lines end
    without padding."""
    if console.is_terminal:
        _render(an, console, dct_given)
        return
    with console.capture() as cap:
        _render(an, console, dct_given)
    console.file.write("".join(line.rstrip() + "\n" for line in cap.get().splitlines()))


def _render(an: Analysis, console: Console, dct_given: bool = None) -> None:
    console.rule(style="dim")
    console.print(_header(an, dct_given))
    parts = [p for p in (_warnings(an), _entities(an, console.width), _timeline(an, console.width), _quotes(an), _events(an, console.width)) if p is not None]
    for part in parts:
        console.print(part)
    if an.events or an.quotes:
        console.print(Text(LEGEND, style="dim"))
