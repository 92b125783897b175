"""What a valid analysis is, as one function: every offset indexes the text as
given, every party is an entity of the analysis, every TIMEX3 value (times,
duration points, event dates) is well formed and names a real calendar day.

``problems(analysis, text)`` is used by the property tests
(tests/test_properties.py) and the stress run (scripts/stress.py).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterator, Optional

from .model import Analysis

# TIMEX3 values (GUIDELINES §2): dates, weeks, seasons, parts of day, times,
# durations and the reference words.
_DATE = r"(\d{4}|\d{3}X|\d{2}XX|XXXX)(-(\d{2}|XX)(-(\d{2}|XX))?|-W(\d{2}|XX)(-\d)?|-(SP|SU|FA|WI|Q[1-4]|H[12]))?"
_TIME = r"(T(\d{2}(:\d{2}(:\d{2})?)?|MO|AF|EV|NI|DT)Z?)?"
_DURATION = r"P(\d+(\.\d+)?|X)+([YMWDHS]|T\d*[HMS]|T?X?[YMWDHS])*|PT(\d+|X)[HMS]"
TIMEX_VALUE = re.compile(rf"^({_DATE}{_TIME}|{_DURATION}|PRESENT_REF|PAST_REF|FUTURE_REF|"
                         r"P(\d+|X)[YMWD]|PT(\d+|X)[HMS]|XXXX-XX-XX(T\S+)?)$", re.ASCII)
_YMD = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?", re.ASCII)
_WEEK = re.compile(r"^\d{4}-W(\d{2})", re.ASCII)


def timex_value_problem(value: Optional[str]) -> Optional[str]:
    """Why ``value`` is not a valid TIMEX3 value, or None when it is."""
    if not isinstance(value, str) or not TIMEX_VALUE.match(value):
        return f"malformed TIMEX3 value {value!r}"
    m = _YMD.match(value)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
        if not 1 <= month <= 12:
            return f"month {month} in {value!r}"
        if day is not None:
            try:
                dt.date(year, month, int(day))
            except ValueError:
                return f"no such day {value!r}"
    w = _WEEK.match(value)
    if w and not 1 <= int(w.group(1)) <= 53:
        return f"week {w.group(1)} in {value!r}"
    return None


def spans(an: Analysis) -> Iterator:
    """Every span of the analysis that carries offsets and its text."""
    for e in an.entities:
        yield from e.mentions
    yield from an.times
    for q in an.quotes:
        yield q
        if q.cue is not None:
            yield q.cue
    for ev in an.events:
        yield ev.trigger
        if ev.evidence is not None:
            yield ev.evidence


def problems(an: Analysis, text: str) -> list[str]:
    """What is wrong with ``an`` as the analysis of ``text`` (empty: valid)."""
    out: list[str] = []
    if an.text != text:
        out.append("the analysis text is not the input text")
    n = len(text)
    for sp in spans(an):
        if not (isinstance(sp.start, int) and isinstance(sp.end, int) and 0 <= sp.start <= sp.end <= n):
            out.append(f"offsets {sp.start}-{sp.end} outside the text ({n} characters)")
        elif text[sp.start:sp.end] != sp.text:
            out.append(f"text[{sp.start}:{sp.end}] is {text[sp.start:sp.end]!r}, not {sp.text!r}")
    for w in an.warnings:
        if not 0 <= w.start <= w.end <= n:
            out.append(f"warning {w.code} at {w.start}-{w.end} outside the text")
    names = {e.name for e in an.entities}
    for q in an.quotes:
        if q.speaker is not None and q.speaker not in names:
            out.append(f"quote speaker {q.speaker!r} is not an entity")
    for ev in an.events:
        for slot in ("actor", "recipient", "location"):
            v = getattr(ev, slot)
            if v is not None and v not in names:
                out.append(f"event {slot} {v!r} is not an entity")
        if ev.date is not None:
            p = timex_value_problem(ev.date)
            if p:
                out.append(f"event date: {p}")
    for t in an.times:
        p = timex_value_problem(t.value)
        if p:
            out.append(f"time value: {p}")
        if t.point is not None:
            p = timex_value_problem(t.point)
            if p:
                out.append(f"time point: {p}")
    return out
