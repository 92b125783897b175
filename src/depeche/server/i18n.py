"""The interface's language: French by default, English on request.

The words are in ``lang/<code>/ui.toml``; dates and TIMEX3 values are written
by :mod:`depeche.readable` with ``lang/<code>/readable.toml``. The language of
a request is, in order: ``?lang=``, the ``lang`` cookie (set when ``?lang=``
is given), the browser's ``Accept-Language``, French.
"""
from __future__ import annotations

from typing import Any, Optional

from .. import lang as _lang
from .. import readable

LANGS = ("fr", "en")
DEFAULT = "fr"


def pick(query: Optional[str], cookie: Optional[str], accept: Optional[str]) -> str:
    """The language of a request from its ``?lang=``, cookie and Accept-Language."""
    for v in (query, cookie):
        if v and v.lower() in LANGS:
            return v.lower()
    best, best_q = None, -1.0
    for part in (accept or "").split(","):
        bits = part.strip().split(";")
        code = bits[0].strip().lower().split("-")[0]
        q = 1.0
        for b in bits[1:]:
            b = b.strip()
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if code in LANGS and q > best_q:
            best, best_q = code, q
    return best or DEFAULT


def words(lang: str) -> dict[str, Any]:
    return _lang.load(lang if lang in LANGS else DEFAULT, "ui")


class Translator:
    """``t("nav.events")``, ``t("text.n_sources", n=3)`` (``a|b``: singular|plural
    by ``n``), and the readable values of :mod:`depeche.readable` in one language."""

    def __init__(self, lang: str):
        self.lang = lang if lang in LANGS else DEFAULT
        self.words = words(self.lang)

    def __call__(self, key: str, **kw) -> str:
        section, _, name = key.partition(".")
        text = self.words.get(section, {}).get(name)
        if text is None:
            return name or key
        if "|" in text:
            one, many = text.split("|", 1)
            n = kw.get("n", 0)
            text = one if n == 1 or (n == 0 and self.lang == "fr") else many
        return text.format(**kw) if kw else text

    def label(self, section: str, value: Optional[str]) -> str:
        """A code's word (``label("modes", "planned")`` 'prévu'); unknown codes as they are."""
        if value is None:
            return "–"
        return self.words.get(section, {}).get(value, value)

    def date(self, value: Optional[str]) -> str:
        """A TIMEX3 date value or ISO date, readable ("avril 2024"); "–" for none."""
        if not value:
            return "–"
        return readable.timex(value, lang=self.lang) or value

    def timex(self, value: Optional[str], type: Optional[str] = None) -> str:
        if not value:
            return "–"
        return readable.timex(value, type=type, lang=self.lang) or value
