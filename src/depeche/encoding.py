"""Reading text in the wrong encoding: bytes that are not UTF-8.

- :func:`decode` reads bytes: UTF-8 (with or without a byte order mark) as
  is, UTF-16 and UTF-32 by their byte order mark; other bytes in the
  encoding ``charset-normalizer`` finds, first among the legacy encodings
  the language's text comes in (``text.toml legacy_encodings``), then among
  all it knows. Binary data (a NUL byte in the first 8 kB) and bytes no
  encoding reads plausibly raise :class:`EncodingError`.
"""
from __future__ import annotations

import codecs
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
