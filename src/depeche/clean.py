"""Clean stage: normalise the text for the parser and judge its quality.

The parser sees a normalised copy of the text (composed accents, straight
apostrophes, plain spaces for no-break spaces, no zero-width characters).
``Cleaned.span`` maps offsets in that copy back to the text as given, so every
offset depeche outputs indexes the user's own string.

Mojibake (UTF-8 read as Windows-1252 or Latin-1: "prÃ©sident") is repaired
before the text is normalised, by :func:`depeche.encoding.repair` (ftfy), and
only when the language's mojibake pattern finds some: the parser reads the
repaired text, and ``Cleaned.span`` maps through the repair too, so the
offsets still index the text as given (a repaired "é" spans the "Ã©" it was
read from).

Quality problems become warnings with spans: ``empty``, ``encoding``
(mojibake, repaired or not), ``not_french``, ``truncated`` and
``boilerplate``. They are kept in normalised offsets, so later stages can
read them from ``doc._.warnings``; ``Cleaned.to_original`` maps one back and
``Cleaned.from_original`` gives a warning in original offsets (one from the
reading of the article) to the stages.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from . import encoding
from . import lang as langdata
from .model import Warning

# One character in, one character out: the offsets do not move.
_SAME_LENGTH = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u2002": " ",
    "\u2003": " ", "\u2005": " ", "\u2006": " ", "\u3000": " ",
    "\u2028": "\n", "\u2029": "\n", "\t": " ",
}
# Characters dropped from the normalised copy.
_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}

_WORD = re.compile(r"\w+", re.UNICODE)

# Characters no text should carry: C0/C1 controls (but line breaks and tabs),
# lone surrogates (a str from a bad decode) and bidirectional overrides that
# can disguise text. Each becomes a space in the parser's copy (same length).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
                     "\u202a-\u202e\u2066-\u2069]")
# A run of characters without a space longer than this is cut for the parser
# (a space every ``LONG_RUN`` characters): the tokenizer is quadratic in the
# length of a token, and no word, number or address of a news text is so long.
LONG_RUN = 200
_LONG = re.compile(r"\S{%d,}" % (LONG_RUN + 1))


@dataclass
class Cleaned:
    original: str
    text: str
    # origin[i] is the index in ``original`` where normalised character i
    # starts, origin[len(text)] is len(original); origin_end[i] is where it
    # ends (after any combining marks composed into it).
    origin: list[int]
    origin_end: list[int]
    warnings: list[Warning] = field(default_factory=list)
    french: bool = True

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalised span [start, end)."""
        if end <= start:
            o = self.origin[start]
            return o, o
        return self.origin[start], self.origin_end[end - 1]

    def original_text(self, start: int, end: int) -> str:
        s, e = self.span(start, end)
        return self.original[s:e]

    def warn(self, code: str, start: int, end: int, message: str) -> None:
        """Add a warning, in normalised offsets (the parser's)."""
        self.warnings.append(Warning(code, start, end, message))

    def to_original(self, w: Warning) -> Warning:
        """``w`` with its offsets mapped to the original text."""
        s, e = self.span(w.start, w.end)
        return Warning(w.code, s, e, w.message)

    def from_original(self, w: Warning) -> Warning:
        """``w``, in offsets of the original text, in normalised offsets:
        the normalised characters read from the original span."""
        s = bisect.bisect_left(self.origin, w.start)
        e = max(s, bisect.bisect_left(self.origin, w.end))
        return Warning(w.code, s, e, w.message)


@lru_cache(maxsize=None)
def _settings(lang: str):
    data = langdata.load(lang, "text")
    return {
        "lang": lang,
        "function_words": frozenset(data["function_words"]),
        "final": tuple(data["final_punctuation"]),
        "boilerplate": [re.compile(p, re.IGNORECASE) for p in data["boilerplate_lines"]],
        "mojibake": re.compile(data["mojibake"]),
    }


# Any character ``normalise`` may change; text without one (and in NFC) is kept as is.
_SPECIAL = re.compile("[" + re.escape("".join(sorted(set(_SAME_LENGTH) | _DROP | {"\r"}))) + "]")


@lru_cache(maxsize=None)
def _elision_space(lang: str) -> re.Pattern:
    """Spaces typed after an elided word's apostrophe ("d' après")."""
    words = langdata.load(lang, "text").get("elisions", [])
    alt = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True)) or "(?!)"
    return re.compile(r"(?<!\w)(?:%s)['\u2019]( +)(?=\w)" % alt, re.IGNORECASE)


def normalise(text: str, lang: str = langdata.DEFAULT_LANG) -> tuple[str, list[int], list[int]]:
    """The normalised copy of ``text`` and its offset maps (starts, ends)."""
    spaced = {i for m in _elision_space(lang).finditer(text) for i in range(m.start(1), m.end(1))}
    if not spaced and _SPECIAL.search(text) is None and unicodedata.is_normalized("NFC", text):
        return text, list(range(len(text) + 1)), list(range(1, len(text) + 1))
    out: list[str] = []
    origin: list[int] = []
    origin_end: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DROP or i in spaced:
            continue
        if ch == "\r":
            if i + 1 < len(text) and text[i + 1] == "\n":
                continue
            ch = "\n"
        ch = _SAME_LENGTH.get(ch, ch)
        if out and unicodedata.combining(ch):
            composed = unicodedata.normalize("NFC", out[-1] + ch)
            if len(composed) == 1:
                out[-1] = composed
                origin_end[-1] = i + 1
                continue
        out.append(ch)
        origin.append(i)
        origin_end.append(i + 1)
    origin.append(len(text))
    return "".join(out), origin, origin_end


def _make_safe(c: Cleaned) -> None:
    """Replace unsafe characters and cut overlong runs in the parser's copy
    (one character for one: offsets do not move), with a warning each."""
    unsafe = list(_UNSAFE.finditer(c.text))
    runs = list(_LONG.finditer(c.text))
    if not unsafe and not runs:
        return
    chars = list(c.text)
    if unsafe:
        for m in unsafe:
            chars[m.start()] = " "
        c.warn("encoding", unsafe[0].start(), unsafe[-1].end(),
               f"{len(unsafe)} control, surrogate or bidirectional character(s) ignored")
    for m in runs:
        for k in range(m.start() + LONG_RUN, m.end(), LONG_RUN):
            chars[k] = " "
        c.warn("long_token", m.start(), m.end(),
               f"{m.end() - m.start():,} characters without a space, cut every {LONG_RUN} for the parser")
    c.text = "".join(chars)


def clean(text: str, lang: str = langdata.DEFAULT_LANG) -> Cleaned:
    """Normalise ``text`` (its mojibake repaired) and report what makes it
    untrustworthy."""
    cfg = _settings(lang)
    hits = list(cfg["mojibake"].finditer(text))
    fixed = encoding.repair(text) if hits else None
    if fixed is None:
        norm, origin, origin_end = normalise(text, lang)
    else:
        norm, origin, origin_end = normalise(fixed.text, lang)
        origin, origin_end = _through(fixed, origin, origin_end, len(text))
    c = Cleaned(text, norm, origin, origin_end)
    _make_safe(c)
    if not norm.strip():
        c.warn("empty", 0, len(norm), "the article has no text")
        c.french = False
        return c
    _check_encoding(c, hits, fixed)
    _check_language(c, cfg)
    _check_boilerplate(c, cfg)
    _check_truncation(c, cfg)
    return c


def _through(fixed: "encoding.Repair", origin: list[int], origin_end: list[int],
             n: int) -> tuple[list[int], list[int]]:
    """The offset maps of the normalised copy of a repaired text, taken on to
    the text as given (``n`` characters long)."""
    start, end = fixed.start, fixed.end
    out = [start[o] for o in origin[:-1]]
    out.append(n)
    return out, [end[o - 1] for o in origin_end]


def _check_encoding(c: Cleaned, hits: list, fixed) -> None:
    """The ``encoding`` warning of mojibake (``hits`` in the original text),
    repaired (``fixed``) or not."""
    if not hits:
        return
    if fixed is not None:
        a, b = fixed.changes[0][0], fixed.changes[-1][1]
        example = c.original[a:min(fixed.changes[0][1], a + 12)]
        message = (f"{fixed.count} mis-decoded character(s) repaired (UTF-8 read as Windows-1252 "
                   f"or Latin-1), e.g. {example!r}; offsets index the text as given")
    else:
        a, b = hits[0].start(), hits[-1].end()
        message = f"{len(hits)} mis-decoded character sequence(s), e.g. {hits[0].group()!r}, not repaired"
    c.warnings.append(c.from_original(Warning("encoding", a, b, message)))


def _check_language(c: Cleaned, cfg) -> None:
    """A text of eight words or more that py3langid (a maintained n-gram
    classifier trained on 97 languages) reads as another language."""
    words = _WORD.findall(c.text)
    if len(words) < 8:
        return
    found = _identify(c.text, cfg["lang"])
    if found != cfg["lang"]:
        c.french = False
        c.warn("not_french", 0, len(c.text), f"the text reads as language {found!r}, not {cfg['lang']!r}")


def _identify(text: str, lang: str = langdata.DEFAULT_LANG) -> str:
    return _identifier(lang).classify(text)[0]


@lru_cache(maxsize=None)
def _identifier(lang: str):
    """A py3langid classifier of its own (the module-level one stays the
    user's), over the candidate languages of text.toml."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE)
    langs = langdata.load(lang, "text").get("language_candidates")
    if langs:
        ident.set_languages(langs)
    return ident


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _check_boilerplate(c: Cleaned, cfg) -> None:
    for pos, line in _lines(c.text):
        stripped = line.strip()
        if not stripped:
            continue
        if any(p.fullmatch(stripped) for p in cfg["boilerplate"]):
            lead = len(line) - len(line.lstrip())
            c.warn("boilerplate", pos + lead, pos + lead + len(stripped),
                   f"site furniture, not article text: {stripped[:40]!r}")


def _is_byline(words: list[str], cfg) -> bool:
    """A closing signature ("Pascal CHEVILLOT"): a few capitalised words."""
    return 1 <= len(words) <= 4 and all(w[0].isupper() for w in words) \
        and not any(w.lower() in cfg["function_words"] for w in words)


def _check_truncation(c: Cleaned, cfg) -> None:
    text = c.text.rstrip()
    if not text or text.endswith(cfg["final"]):
        return
    last_break = text.rfind("\n")
    last_line = text[last_break + 1:]
    lead = len(last_line) - len(last_line.lstrip())
    line_start = last_break + 1 + lead
    words = _WORD.findall(last_line)
    if _is_byline(words, cfg):
        return
    if len(words) <= 3:
        c.warn("truncated", line_start, len(text),
               f"the text ends with a fragment: {last_line.strip()!r}")
        return
    # The unfinished sentence: from the last sentence end to the end of text.
    start = line_start
    for m in re.finditer(r"[.!?…»]\s+", text[line_start:]):
        start = line_start + m.end()
    c.warn("truncated", start, len(text), "the text ends mid-sentence")
