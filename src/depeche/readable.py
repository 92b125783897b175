"""TIMEX3 values and dates written for people: "3 avril 2024", "avril 2024",
"à venir", "2 semaines", "chaque mardi".

Pure functions of a value (and the TIMEX3 type for sets); the words come from
``lang/<lang>/readable.toml``. A value they cannot read is returned as it is,
so a caller can always show something.

    >>> timex("2024-04-03")                 # '3 avril 2024'
    >>> timex("XXXX-WXX-2", type="SET")     # 'chaque mardi'
    >>> duration("P2W")                     # '2 semaines'
    >>> date("2024-04-03")                  # '3 avril 2024' (ISO dates only)
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from . import lang as _lang

_YMD = re.compile(r"^(\d{4}|XXXX)-(\d{2}|XX)-(\d{2}|XX)$", re.ASCII)
_YM = re.compile(r"^(\d{4}|XXXX)-(\d{2})$", re.ASCII)
_YEAR = re.compile(r"^\d{4}$", re.ASCII)
_DECADE = re.compile(r"^(\d{3})X$", re.ASCII)
_CENTURY = re.compile(r"^(\d{2})XX$", re.ASCII)
_WEEK = re.compile(r"^(\d{4}|XXXX)-W(\d{2}|XX)(?:-(\d))?$", re.ASCII)
_WEEKEND = re.compile(r"^(\d{4})-W(\d{2})-WE$", re.ASCII)
_PART = re.compile(r"^(\d{4}|XXXX)-(SP|SU|FA|WI|Q[1-4]|H[12])$", re.ASCII)
_TIME = re.compile(r"^(?P<date>[^T]+)T(?:(?P<part>MO|AF|EV|NI|DT)|(?P<h>\d{2})(?::(?P<m>\d{2}))?(?::\d{2})?)Z?$",
                   re.ASCII)
_DURATION = re.compile(r"^P(?:(?P<date>(?:(?:\d+(?:\.\d+)?|X)(?:DE|CE|WE|[YMWD]))+))?"
                       r"(?:T(?P<time>(?:(?:\d+(?:\.\d+)?|X)[HMS])+))?$", re.ASCII)
_PIECE = re.compile(r"(\d+(?:\.\d+)?|X)(DE|CE|WE|[YMWDHS])", re.ASCII)


@lru_cache(maxsize=None)
def words(lang: str = "fr") -> dict:
    """The words of ``lang/<lang>/readable.toml``."""
    return _lang.load(lang, "readable")


def _num(s: str) -> str:
    return s.lstrip("0") or "0"


def date(value: Optional[str], lang: str = "fr") -> Optional[str]:
    """An ISO date (YYYY-MM-DD, or YYYY-MM, YYYY) for people; None stays None."""
    if value is None:
        return None
    return timex(value, lang=lang)


def _day(y: str, m: str, d: str, w: dict) -> Optional[str]:
    t = w["templates"]
    if m == "XX":
        return t["day_of_month"].format(day=_num(d)) if d != "XX" else None
    mi = int(m)
    if not 1 <= mi <= 12:
        return None
    month = w["months"][mi - 1]
    if d == "XX":
        return t["month_no_year"].format(month=month) if y == "XXXX" else t["month"].format(month=month, year=y)
    key = ("first_day" if d == "01" else "day") + ("_no_year" if y == "XXXX" else "")
    return t[key].format(day=_num(d), month=month, year=y)


def _date_part(value: str, w: dict) -> Optional[str]:
    t = w["templates"]
    if value in w["refs"]:
        return w["refs"][value]
    if _YEAR.match(value):
        return value
    m = _YMD.match(value)
    if m:
        if m.group(1) == "XXXX" and m.group(2) == "XX" and m.group(3) == "XX":
            return t["any_date"]
        return _day(*m.groups(), w)
    m = _YM.match(value)
    if m:
        return _day(m.group(1), m.group(2), "XX", w)
    m = _DECADE.match(value)
    if m:
        return t["decade"].format(decade=f"{m.group(1)}0")
    m = _CENTURY.match(value)
    if m:
        return t["century"].format(century=int(m.group(1)) + 1)
    m = _WEEKEND.match(value)
    if m:
        return t["weekend"].format(week=_num(m.group(2)), year=m.group(1))
    m = _WEEK.match(value)
    if m:
        y, wk, wd = m.groups()
        if wd is not None:
            if not 1 <= int(wd) <= 7:
                return None
            day = t["weekday"].format(weekday=w["weekdays"][int(wd) - 1])
            if wk == "XX" and y == "XXXX":
                return day
            week = t["week" if y != "XXXX" else "week_no_year"].format(week=_num(wk), year=y)
            return f"{day}, {week}"
        if wk == "XX":
            return None
        return t["week" if y != "XXXX" else "week_no_year"].format(week=_num(wk), year=y)
    m = _PART.match(value)
    if m:
        y, code = m.groups()
        if code in w["seasons"]:
            return t["season_no_year" if y == "XXXX" else "season"].format(season=w["seasons"][code], year=y)
        if code in w["quarters"]:
            return t["quarter"].format(quarter=w["quarters"][code], year=y).replace(" XXXX", "")
        return t["half"].format(half=w["halves"][code], year=y).replace(" XXXX", "")
    return None


def duration(value: str, lang: str = "fr") -> str:
    """A TIMEX3 duration for people: P2W '2 semaines', PT3H30M '3 heures et
    30 minutes', PXY 'des années'; another value is returned as it is."""
    return _duration(value, words(lang)) or value


def _duration(value: str, w: dict) -> Optional[str]:
    m = _DURATION.match(value or "")
    if not m or not (m.group("date") or m.group("time")):
        return None
    parts = []
    for section, units in ((m.group("date"), {"M": "M"}), (m.group("time"), {"M": "MIN"})):
        for amount, unit in _PIECE.findall(section or ""):
            unit = units.get(unit, unit)
            if unit not in w["units"]:
                return None
            if amount == "X":
                parts.append(w["some_units"][unit])
                continue
            n = float(amount)
            shown = f"{n:g}".replace(".", ",")
            parts.append(f"{shown} {w['units'][unit][0 if n < 2 else 1]}")
    return w["templates"]["and"].join(parts) if parts else None


def _every(value: str, w: dict) -> Optional[str]:
    """What a SET value recurs on: XXXX-WXX-2 'mardi', P1W 'semaine'."""
    m = re.match(r"^P1(DE|CE|WE|[YMWDH])$", value)
    if m:
        return w["every_unit"].get(m.group(1))
    m = re.match(r"^P(?:T)?1(H|M)$", value)
    if m:
        return w["every_unit"].get("H" if m.group(1) == "H" else "M")
    return _point(value, w)


def _point(value: str, w: dict) -> Optional[str]:
    m = _TIME.match(value)
    if m:
        d = _date_part(m.group("date"), w)
        if d is None:
            return None
        t = w["templates"]
        if m.group("part"):
            return t["with_part"].format(date=d, part=w["parts_of_day"][m.group("part")])
        h, mi = m.group("h"), m.group("m")
        if int(h) > 24 or (mi is not None and int(mi) > 59):
            return None
        clock = t["clock"].format(hour=_num(h), minute=mi) if mi and mi != "00" else t["clock_hour"].format(hour=_num(h))
        return t["with_clock"].format(date=d, clock=clock)
    return _date_part(value, w)


def timex(value: Optional[str], type: Optional[str] = None, lang: str = "fr") -> Optional[str]:
    """A TIMEX3 value for people ("2024-04-03" '3 avril 2024', "FUTURE_REF"
    'à venir', "P2W" '2 semaines'); ``type`` "SET" reads it as a recurrence
    ('chaque mardi'). None stays None; a value it cannot read is returned
    unchanged."""
    if value is None:
        return None
    w = words(lang)
    if type == "SET":
        what = _every(value, w)
        return w["templates"]["every"].format(what=what) if what else value
    if value.startswith("P") and value not in w["refs"]:
        return _duration(value, w) or value
    return _point(value, w) or value
