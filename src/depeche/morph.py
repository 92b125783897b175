"""Verb morphology the parser sometimes misses: future and conditional forms.

The tagger leaves some finite forms without ``Tense=Fut`` or ``Mood=Cnd``
("accueillerait", "soutiendrait", "rencontreront"). They are recognised here
from the lemma and the ending, with the endings of ``lang/<lang>/modality.toml``.
The times stage (direction of a bare weekday or month) and the events stage
(mode) both ask :func:`mood`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from . import lang as langdata

FUTURE, CONDITIONAL = "Fut", "Cnd"


@dataclass(frozen=True)
class _Endings:
    future: tuple
    conditional: tuple
    silent_final: tuple
    stem_letter: str
    infinitive_length: int


@lru_cache(maxsize=None)
def _endings(lang: str) -> _Endings:
    mo = langdata.load(lang, "modality")
    return _Endings(tuple(mo.get("future_endings", [])), tuple(mo.get("conditional_endings", [])),
                    tuple(mo.get("silent_final", [])), mo.get("future_stem_letter", ""),
                    int(mo.get("infinitive_ending_length", 0)))


def mood(tok, lang: str = "fr") -> Optional[str]:
    """``"Fut"`` or ``"Cnd"`` for a future or conditional verb form, else None."""
    return _mood(str(tok.morph), tok.pos_, tok.lower_, tok.lemma_.lower(), lang)


@lru_cache(maxsize=1 << 14)
def _mood(feats: str, pos: str, low: str, lem: str, lang: str) -> Optional[str]:
    values = dict(f.split("=", 1) for f in feats.split("|") if "=" in f)
    e = _endings(lang)
    # Every future and conditional form ends in the stem letter and an ending
    # ("signer-a", "soutiendr-ait"): a tag the form cannot carry is the
    # tagger's slip ("fournit" tagged Tense=Fut).
    fits = (lambda ends: not e.stem_letter or pos not in ("VERB", "AUX")
            or any(low.endswith(e.stem_letter + x) for x in ends))
    if "Cnd" in values.get("Mood", "").split(",") and fits(e.conditional):
        return CONDITIONAL
    if "Fut" in values.get("Tense", "").split(",") and fits(e.future):
        return FUTURE
    if pos not in ("VERB", "AUX"):
        return None
    stems = {lem} | {lem[:-len(s)] for s in e.silent_final if s and lem.endswith(s)}
    if any(low == s + x for s in stems for x in e.conditional):
        return CONDITIONAL
    if any(low == s + x for s in stems for x in e.future):
        return FUTURE
    # Irregular stems ("soutiendrait", "viendront"): the stem letter before the
    # ending, where the form is not the imperfect or past of a verb in "-rer".
    r, cut = e.stem_letter, e.infinitive_length
    if r and len(lem) > cut + 1:
        past_stem = lem[:-cut] if cut else lem
        if any(low.endswith(r + x) and low != past_stem + x for x in e.conditional):
            return CONDITIONAL
        if any(low.endswith(r + x) and low != past_stem + x for x in e.future):
            return FUTURE
    return None
