"""Reading text in the wrong encoding: bytes that are not UTF-8, and text
that was mis-decoded before it reached depeche (mojibake).

- :func:`decode` reads bytes: UTF-8 (with or without a byte order mark) as
  is, UTF-16 and UTF-32 by their byte order mark; other bytes in the
  encoding ``charset-normalizer`` finds, first among the legacy encodings
  the language's text comes in (``text.toml legacy_encodings``), then among
  all it knows. Binary data (a NUL byte in the first 8 kB) and bytes no
  encoding reads plausibly raise :class:`EncodingError`.
- :func:`repair` undoes mojibake ("prÃ©sident" for "président": UTF-8
  read as Windows-1252 or Latin-1) with ``ftfy``, set to repair encoding
  only, and gives a character map from the repaired text back to the text as
  given, so that every offset depeche outputs still indexes the user's own
  string.
"""
from __future__ import annotations

import codecs
import difflib
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from . import lang as langdata
from .errors import EncodingError

UTF8 = "utf-8"
# Bytes charset-normalizer reads: it samples large payloads itself.
_NUL_SCAN = 8192
# Byte order marks of the encodings whose text holds NUL bytes.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Decoded:
    """Text read from bytes, and the encoding it was read in."""
    text: str
    encoding: str = UTF8

    @property
    def note(self) -> Optional[str]:
        """The ``encoding`` warning's message, None for UTF-8."""
        if self.encoding == UTF8:
            return None
        return f"decoded as {self.encoding}, not UTF-8"


def decode(data: bytes, where: str, lang: str = langdata.DEFAULT_LANG) -> Decoded:
    """The text of ``data``; EncodingError for binary data or bytes that no
    encoding reads as plausible text."""
    for bom, name in _BOMS:  # UTF-16 and UTF-32 text is full of NUL bytes
        if data.startswith(bom):
            try:
                return Decoded(data.decode(name), name)
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:_NUL_SCAN]:
        raise EncodingError(f"{where}: binary data, not text")
    try:
        return Decoded(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        bad = e
    import charset_normalizer

    encodings, letters = _legacy(lang)
    best = _best(charset_normalizer.from_bytes(data, cp_isolation=list(encodings)), letters)
    if best is None:
        best = _best(charset_normalizer.from_bytes(data), letters)
    if best is None or best[0] in ("utf_8", "ascii"):
        raise EncodingError(f"{where}: not text in UTF-8 or any encoding found "
                            f"(byte {bad.start}: {data[bad.start:bad.start + 1]!r})") from bad
    return Decoded(best[1], best[0])


def _best(matches, letters: frozenset) -> Optional[tuple[str, str]]:
    """(encoding, text) of the match charset-normalizer finds least messy;
    between equally clean ones (Windows-1252 and ISO 8859-15 read most bytes
    alike, "€" or "¤"), the one whose other-than-ASCII characters the
    language uses most."""
    matches = list(matches)
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    tied = [(m.encoding, str(m)) for m in matches if m.chaos <= least]
    if len(tied) == 1 or not letters:
        return tied[0]

    def share(text: str) -> float:
        other = [ch for ch in text if ch >= "\x80"]
        return sum(ch in letters for ch in other) / len(other) if other else 1.0

    return max(tied, key=lambda t: share(t[1]))  # max keeps the first of equals


@lru_cache(maxsize=None)
def _legacy(lang: str) -> tuple[tuple[str, ...], frozenset]:
    data = langdata.load(lang, "text")
    return tuple(data.get("legacy_encodings", ())), frozenset(data.get("letters", ""))


# -- mojibake ---------------------------------------------------------------

@dataclass
class Repair:
    """A repaired text and where each of its characters comes from in the
    text as given: ``start[i]``/``end[i]`` bound the original characters
    repaired character ``i`` was read from ("é" from the two of "Ã©")."""
    text: str
    start: list[int]
    end: list[int]
    # The stretches of the original that were changed, (start, end) each.
    changes: list[tuple[int, int]]
    # How many characters of the repaired text are not their original.
    count: int = 0


@lru_cache(maxsize=1)
def _config():
    """ftfy set to repair mis-decoding only: no quote uncurling, ligature or
    width folding, line-break or HTML-entity changes, Unicode normalisation
    or control-character removal, which would change legitimate text
    (« », ’, œ, "Œuvre", no-break spaces)."""
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False,
        fix_encoding=True, restore_byte_a0=True, replace_lossy_sequences=True,
        decode_inconsistent_utf8=True, fix_c1_controls=True,
        fix_latin_ligatures=False, fix_character_width=False, uncurl_quotes=False,
        fix_line_breaks=False, fix_surrogates=False, remove_control_chars=False,
        normalization=None, explain=False)


def repair(text: str) -> Optional[Repair]:
    """``text`` with its mojibake repaired and its character map, or None
    when ftfy changes nothing."""
    import ftfy

    fixed = ftfy.fix_text(text, _config())
    if fixed == text:
        return None
    start, end, changes = align(fixed, text)
    count = sum(1 for i, ch in enumerate(fixed) if end[i] - start[i] != 1 or text[start[i]] != ch)
    return Repair(fixed, start, end, changes, count)


def align(fixed: str, original: str) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    """Map each character of ``fixed`` to the characters of ``original`` it
    was repaired from: (start, end) lists, one entry per character of
    ``fixed``, both non-decreasing, and the changed stretches of ``original``.

    One walk through both texts: a character is itself, or one of its
    mojibake forms (its UTF-8 bytes read in a single-byte encoding ftfy
    knows, once or twice over: "é" from "Ã©", "’" from "â€™"). Where neither
    holds (a repair of another kind), the walk goes on at the next run of
    ASCII characters both texts share, and the stretch between is aligned
    by ``difflib.SequenceMatcher``. Linear in the length of the text but
    for those stretches, which are short: 25 ms for a 20,000-character
    article mis-decoded throughout, where one SequenceMatcher over the whole
    text takes 80 s (it is quadratic on a long line)."""
    nf, no = len(fixed), len(original)
    start = [0] * nf
    end = [0] * nf
    changes: list[tuple[int, int]] = []
    i = j = 0
    while i < nf:
        ch = fixed[i]
        if j < no:
            oc = original[j]
            if ch == oc and ch < "\x80":
                start[i], end[i] = j, j + 1
                i += 1
                j += 1
                continue
            n = _form_length(ch, original, j)
            if n:
                start[i], end[i] = j, j + n
                if n > 1 or oc != ch:
                    _changed(changes, j, j + n)
                i += 1
                j += n
                continue
        i2, j2 = _resync(fixed, original, i, j)
        if max(i2 - i, j2 - j) > _LONGEST:  # too long to diff: one stretch
            _changed(changes, j, j2)
            for k in range(i, i2):
                start[k], end[k] = j, j2
        else:
            _align_window(fixed[i:i2], original[j:j2], i, j, start, end, changes)
        i, j = i2, j2
    if j < no:  # original characters left at the end: to the last character
        if nf:
            end[nf - 1] = no
        _changed(changes, j, no)
    return start, end, changes


def _changed(changes: list, a: int, b: int) -> None:
    if changes and changes[-1][1] >= a:
        changes[-1] = (changes[-1][0], max(b, changes[-1][1]))
    else:
        changes.append((a, b))


_ANCHOR = 4  # ASCII characters in a row that both texts must share to go on
_WINDOW = 64  # how far past the stretch the original is searched for them
_LONGEST = 2000  # a longer stretch is not diffed (SequenceMatcher is quadratic)


def _resync(fixed: str, original: str, i: int, j: int) -> tuple[int, int]:
    """Where the walk goes on after a character it cannot read at ``i``
    (``fixed``) and ``j`` (``original``): the next run of ``_ANCHOR`` ASCII
    characters of ``fixed`` found in ``original`` nearby, or both ends."""
    nf = len(fixed)
    k = i + 1
    while k + _ANCHOR <= nf:
        run = fixed[k:k + _ANCHOR]
        if run.isascii():
            o = original.find(run, j, j + (k - i) * 8 + _WINDOW)
            if o >= 0:
                return k, o
        k += 1
    return nf, len(original)


def _align_window(f: str, o: str, f0: int, o0: int, start: list[int], end: list[int],
                  changes: list) -> None:
    """Map the characters of ``f`` (from ``f0``) to ``o`` (from ``o0``) by
    ``difflib.SequenceMatcher``'s opcodes."""
    lead = None  # original characters dropped before the first character of the text
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, f, o, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                start[f0 + i1 + k] = o0 + j1 + k
                end[f0 + i1 + k] = o0 + j1 + k + 1
            continue
        _changed(changes, o0 + j1, o0 + j2)
        # (opcodes turn ``f`` into ``o``: "insert" is original characters
        # the repair dropped, "delete" characters it added)
        if tag == "insert":  # dropped: to the character before
            if f0 + i1 > 0:
                end[f0 + i1 - 1] = max(end[f0 + i1 - 1], o0 + j2)
            else:
                lead = o0 + j1
        elif tag == "delete":  # added: an empty span where they stand
            for k in range(i1, i2):
                start[f0 + k] = end[f0 + k] = o0 + j1
        else:
            _split(f[i1:i2], o[j1:j2], f0 + i1, o0 + j1, start, end)
    if lead is not None and start:
        start[0] = lead


def _split(f: str, o: str, fi: int, oi: int, start: list[int], end: list[int]) -> None:
    """A replaced stretch: each fixed character takes the original
    characters of its mojibake form; what cannot be cut so goes whole to
    every character left."""
    j = 0
    for k, ch in enumerate(f):
        n = _form_length(ch, o, j)
        if not n:
            for r in range(k, len(f)):
                start[fi + r] = oi + j
                end[fi + r] = oi + len(o)
            return
        start[fi + k] = oi + j
        end[fi + k] = oi + j + n
        j += n
    if j < len(o) and f:  # original characters left over: to the last one
        end[fi + len(f) - 1] = oi + len(o)


def _form_length(ch: str, o: str, j: int) -> int:
    """How many characters of ``o`` from ``j`` ``ch`` was repaired from: its
    longest mojibake form found there, else 1 when it is itself, else 0."""
    for form in _forms(ch):
        if o.startswith(form, j):
            return len(form)
    return 1 if o.startswith(ch, j) else 0


@lru_cache(maxsize=8192)
def _forms(ch: str) -> tuple[str, ...]:
    """The ways ``ch`` reads when its UTF-8 bytes are decoded in one of the
    single-byte encodings ftfy repairs, once or twice over, with a no-break
    space typed as a space; and as a Windows-1252 character read as Latin-1
    (a C1 control). Longest first."""
    if ch < "\x80":
        return ()
    from ftfy.chardata import CHARMAP_ENCODINGS

    out: set[str] = set()
    layer = {ch}
    for _ in range(2):
        nxt = set()
        for s in layer:
            data = s.encode("utf-8", "surrogatepass")
            for enc in CHARMAP_ENCODINGS:
                try:
                    form = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                nxt.add(form)
                nxt.add(form.replace("\u00a0", " "))
        out |= nxt
        layer = nxt
    try:
        out.add(ch.encode("cp1252").decode("latin-1"))
    except UnicodeEncodeError:
        pass
    out.discard(ch)
    return tuple(sorted(out, key=len, reverse=True))
