"""Numbers written in words or digits, ordinals and Roman numerals.

One module for every stage that needs a quantity out of text:

- :func:`parse_cardinal` ("vingt-trois" → 23, "2 000" → 2000, "30,4" → 30.4,
  "1,5 million" → 1500000, "deux mille" → 2000),
- :func:`parse_ordinal` ("1er" → 1, "3e" → 3, "troisième" → 3, "XXe" → 20),
- :func:`parse_roman` ("XXI" → 21),
- :func:`cardinal_pattern` / :func:`ordinal_pattern`: regular-expression
  sources that match those forms, to embed in a stage's own grammar,
- :func:`find_numbers`: every number in a text with its offsets.

The words come from ``lang/<code>/numbers.toml``; nothing here spells a
word of any language. Malformed input gives None, never an exception.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Union

from . import lang as langdata

Number = Union[int, float]

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_RE = re.compile(r"^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def _alternation(words) -> str:
    """A regex alternation of ``words``, longest first, escaped."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class _Lexicon:
    cardinals: dict
    multipliers: dict
    twenty: frozenset
    joiners: frozenset
    fractions: dict
    ordinal_words: dict
    ordinal_suffixes: tuple
    ordinal_stems: dict
    restore: str
    marks_first: tuple
    marks_other: tuple
    group: tuple
    decimal: tuple
    word_re: "re.Pattern"
    digits_re: "re.Pattern"
    cardinal_src: str
    ordinal_src: str
    find_re: "re.Pattern"


@lru_cache(maxsize=None)
def _lex(lang: str = "fr") -> _Lexicon:
    d = langdata.load(lang, "numbers")
    cardinals = {k.lower(): v for k, v in d["cardinals"].items()}
    multipliers = {k.lower(): v for k, v in d["multipliers"].items()}
    joiners = frozenset(w.lower() for w in d["joiners"]["words"])
    fractions = {k.lower(): v for k, v in d["fractions"].items()}
    ordw = {k.lower(): v for k, v in d["ordinal_words"].items()}
    suf = d["ordinal_suffix"]
    marks = d["ordinal_marks"]
    group = tuple(d["digits"]["group"])
    decimal = tuple(d["digits"]["decimal"])

    number_words = list(cardinals) + list(multipliers)
    word = _alternation(number_words)
    join = _alternation(joiners)
    # A run of number words joined by hyphens, spaces or a joiner word.
    words_src = rf"(?:{word})(?:(?:-|\s+|\s+(?:{join})\s+|-(?:{join})-)(?:{word}))*"
    grp = "".join(re.escape(g) for g in group)
    dec = "".join(re.escape(c) for c in decimal)
    # 2 000 / 2.000 / 30,4 / 12 — groups of exactly three digits after a separator.
    digits_src = rf"\d{{1,3}}(?:[{grp}]\d{{3}})+(?:[{dec}]\d+)?(?!\d)|\d+(?:[{dec}]\d+)?"
    mult = _alternation(multipliers)
    cardinal_src = rf"(?:(?:{digits_src})(?:\s+(?:{mult}))?|{words_src})"
    # Ordinals: 1er, 3e, XXe, troisième, premier.
    stems = list(cardinals) + [s for s in suf["stems"]] + \
        [c[:-len(suf["restore"])] for c in cardinals if c.endswith(suf["restore"])]
    stem_alt = _alternation(stems)
    suffix_alt = _alternation(suf["words"])
    marks_alt = _alternation(list(marks["first"]) + list(marks["other"]))
    ord_words = _alternation(ordw)
    ordinal_src = (rf"(?:(?:\d+|[MDCLXVI]+)(?:{marks_alt})(?![\w])"
                   rf"|(?:(?:{word})-)*(?:{stem_alt})(?:{suffix_alt})|(?:{ord_words}))")
    find_re = re.compile(rf"(?<![\w,.]){cardinal_src}(?![\w])", re.IGNORECASE)
    return _Lexicon(
        cardinals=cardinals, multipliers=multipliers,
        twenty=frozenset(w.lower() for w in d["scaling"]["twenty"]),
        joiners=joiners, fractions=fractions, ordinal_words=ordw,
        ordinal_suffixes=tuple(sorted(suf["words"], key=len, reverse=True)),
        ordinal_stems=dict(suf["stems"]), restore=suf["restore"],
        marks_first=tuple(marks["first"]), marks_other=tuple(marks["other"]),
        group=group, decimal=decimal,
        word_re=re.compile(rf"^{words_src}$", re.IGNORECASE),
        digits_re=re.compile(rf"^(?:{digits_src})$"),
        cardinal_src=cardinal_src, ordinal_src=ordinal_src, find_re=find_re,
    )


def cardinal_pattern(lang: str = "fr") -> str:
    """Regex source (no groups) matching a cardinal number in digits or words."""
    return _lex(lang).cardinal_src


def ordinal_pattern(lang: str = "fr") -> str:
    """Regex source (no groups) matching an ordinal ("1er", "3e", "XXe", "troisième")."""
    return _lex(lang).ordinal_src


@lru_cache(maxsize=None)
def day_of_month_pattern(lang: str = "fr") -> str:
    """Regex source (no groups) matching a day of the month: "3", "03", "1er",
    "31", "premier"."""
    lx = _lex(lang)
    first_words = [w for w, v in lx.ordinal_words.items() if v == 1]
    return (rf"(?:(?:[12]\d|3[01]|0?[1-9])(?:{_alternation(lx.marks_first)})?(?![\w])"
            rf"|(?:{_alternation(first_words)})(?![\w]))")


def _digits(text: str, lx: _Lexicon) -> Optional[Number]:
    s = text.strip()
    if not lx.digits_re.match(s):
        return None
    for g in lx.group:
        # a group separator is only one when three digits follow it
        s = re.sub(rf"{re.escape(g)}(?=\d{{3}}(?!\d))", "", s)
    for c in lx.decimal:
        s = s.replace(c, ".")
    try:
        v = float(s) if "." in s else int(s)
    except ValueError:
        return None
    return v


def _words(text: str, lx: _Lexicon) -> Optional[int]:
    parts = [p for p in re.split(r"[\s\-]+", text.lower().strip()) if p]
    if not parts:
        return None
    total = 0      # closed groups (thousands, millions)
    current = 0    # the group being built
    prev: Optional[str] = None
    seen_any = False
    for p in parts:
        if p in lx.joiners:
            if prev is None:
                return None
            prev = p
            continue
        if p in lx.cardinals:
            v = lx.cardinals[p]
            if p in lx.twenty and prev is not None and prev in lx.cardinals \
                    and 1 < lx.cardinals[prev] < 10 and current % 100 == lx.cardinals[prev]:
                current = current - lx.cardinals[prev] + lx.cardinals[prev] * v  # quatre-vingt
            else:
                last = current % 100
                # after a word of this group, only "tens + unit" (vingt-trois,
                # dix-huit) or "soixante/quatre-vingt + teen" continue it
                if prev is not None and prev in lx.cardinals and last:
                    tens_unit = last % 10 == 0 and v < 10
                    tens_teen = last in (60, 80) and 10 <= v < 20
                    if not (tens_unit or tens_teen):
                        return None
                current += v
        elif p in lx.multipliers:
            m = lx.multipliers[p]
            if m < 1000:
                current = (current or 1) * m
            else:
                total += (current or 1) * m
                current = 0
        else:
            return None
        prev = p
        seen_any = True
    if not seen_any or (prev is not None and prev in lx.joiners):
        return None
    return total + current


def parse_cardinal(text: str, lang: str = "fr") -> Optional[Number]:
    """The value of a cardinal in digits or words, or None.

    "vingt-trois" → 23, "deux mille" → 2000, "2 000" → 2000, "30,4" → 30.4,
    "1,5 million" → 1500000, "quatre-vingt-dix-huit" → 98.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > 200:
        return None
    lx = _lex(lang)
    s = text.strip()
    v = _digits(s, lx)
    if v is not None:
        return v
    # digits followed by a multiplier word: "2 millions", "1,5 milliard"
    m = re.match(r"^(.*?\d)\s+(\w+)$", s)
    if m and m.group(2).lower() in lx.multipliers:
        base = _digits(m.group(1), lx)
        if base is not None:
            r = base * lx.multipliers[m.group(2).lower()]
            return int(r) if float(r).is_integer() else r
        return None
    if lx.word_re.match(s):
        return _words(s, lx)
    return None


def parse_roman(text: str) -> Optional[int]:
    """The value of a Roman numeral in capitals ("XXI" → 21), or None."""
    if not isinstance(text, str):
        return None
    s = text.strip()
    if not s or not _ROMAN_RE.match(s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN[ch]
        if i + 1 < len(s) and _ROMAN[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total or None


def parse_ordinal(text: str, lang: str = "fr") -> Optional[int]:
    """The value of an ordinal, or None.

    "1er" / "1re" → 1, "3e" / "3ème" → 3, "XXe" → 20, "premier" → 1,
    "vingt-troisième" → 23.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > 100:
        return None
    lx = _lex(lang)
    s = text.strip()
    low = s.lower()
    if low in lx.ordinal_words:
        return lx.ordinal_words[low]
    m = re.match(r"^(\d+|[MDCLXVI]+)(\S+)$", s)
    if m:
        num, mark = m.group(1), m.group(2).lower()
        value = int(num) if num.isdigit() else parse_roman(num)
        if value is None:
            return None
        if mark in lx.marks_first:
            return value if value == 1 else None
        if mark in lx.marks_other:
            return value
        return None
    for suffix in lx.ordinal_suffixes:
        if low.endswith(suffix):
            stem = low[: -len(suffix)]
            head, _, last = stem.rpartition("-")
            if last in lx.ordinal_stems:
                last = lx.ordinal_stems[last]
            elif last not in lx.cardinals and (last + lx.restore) in lx.cardinals:
                last += lx.restore
            if last == "un" and not head:
                return None  # "unième" only exists in compounds
            whole = f"{head}-{last}" if head else last
            return _words(whole, lx)
    return None


def find_numbers(text: str, lang: str = "fr") -> list[tuple[int, int, Number]]:
    """Every cardinal number in ``text``: (start, end, value), in order."""
    if not isinstance(text, str):
        return []
    out = []
    for m in _lex(lang).find_re.finditer(text):
        v = parse_cardinal(m.group(0), lang)
        if v is not None:
            out.append((m.start(), m.end(), v))
    return out
