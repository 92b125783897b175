"""Reference: which entity of the article an expression that is not a name
stands for (a demonym used as a noun, a title, a document or a spokesperson).

The quotes and events stages both ask these questions about the same
article; the answers come from the entities stage's output (entities, their
roles from the text and the KB) and from the parse, never from a fixed window
of characters. Functions take the spaCy ``Doc`` (with ``doc._.entities``) and
return an :class:`~depeche.model.Entity` or ``None``.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Optional

from .model import Entity
from .nlp import state


def _norm(s: Optional[str]) -> str:
    from .kb import norm

    return norm(s or "")


def _last_before(e: Entity, pos: int) -> int:
    return max((m.start for m in e.mentions if m.start < pos), default=-1)


def _first_after(e: Entity, pos: int) -> int:
    return min((m.start for m in e.mentions if m.start >= pos), default=10 ** 12)


def closest_person(people: Iterable[Entity], pos: int) -> Optional[Entity]:
    """The person last mentioned before ``pos``; else the first one mentioned
    after it (a name the text gives only later)."""
    people = list(people)
    before = [(p, _last_before(p, pos)) for p in people]
    before = [(p, k) for p, k in before if k >= 0]
    if before:
        return max(before, key=lambda x: x[1])[0]
    if people:
        return min(people, key=lambda p: _first_after(p, pos))
    return None


def country_names(doc, code: str) -> set[str]:
    """Normalised names the article and the KB give the country or body ``code``."""
    names = set()
    for e in state(doc).entities or []:
        if e.kb_id and str(e.kb_id).upper() == str(code).upper():
            names.add(_norm(e.name))
            names.update(_norm(a) for a in e.aliases or [])
    from .entities import kb_or_none
    from .errors import DepecheError

    kb = kb_or_none()
    if kb is not None:
        try:
            rec = kb.get(code)
        except DepecheError:
            rec = None
        if rec is not None:
            names.add(_norm(rec.name))
    names.discard("")
    return names


def demonym_person(doc, tok, pos: int) -> Optional[Entity]:
    """"a dit l'Italien", "selon la Chilienne": the person of that country the
    article names (by a role of that country, from the text or the KB),
    agreeing in gender with the noun."""
    from . import kb as _kb

    code = _kb.demonym(tok.text, lemma=tok.lemma_)
    if not code:
        return None
    names = country_names(doc, code)
    if not names:
        return None
    gender = set(tok.morph.get("Gender"))
    people = []
    for e in state(doc).entities or []:
        if e.type != "PER":
            continue
        if len(gender) == 1 and e.gender and e.gender not in gender:
            continue
        if any(_norm(r.of) in names for r in e.roles or []):
            people.append(e)
    return closest_person(people, pos)


def body_in(doc, start: int, end: int, types=("ORG", "GPE", "PER")) -> Optional[Entity]:
    """The first entity of the given types mentioned inside [start, end)."""
    best, best_pos = None, None
    for e in state(doc).entities or []:
        if e.type not in types:
            continue
        for m in e.mentions:
            if start <= m.start and m.end <= end and (best_pos is None or m.start < best_pos):
                best, best_pos = e, m.start
    return best


def passive_agent(span, agent_preps: frozenset) -> Optional[tuple[int, int]]:
    """"(le texte) publié par X": the character span of X, the agent of a
    participle that modifies the noun phrase ``span``'s head."""
    root = span.root
    for c in root.children:
        if c.dep_ != "acl" or "Part" not in c.morph.get("VerbForm"):
            continue
        for a in c.children:
            if a.dep_ in ("obl:agent", "obl") and any(k.dep_ == "case" and k.lower_ in agent_preps
                                                      for k in a.children):
                return a.left_edge.idx, a.right_edge.idx + len(a.right_edge)
    return None


# -- titles and periphrases ------------------------------------------------------

def _roles_lang(lang: str = "fr") -> dict:
    from . import lang as _lang

    return _lang.load(lang, "roles")


def seat_office(span, lang: str = "fr") -> Optional[tuple[str, str]]:
    """"le maître du Kremlin", "le locataire de la Maison-Blanche": (role key,
    country code) of the office a periphrasis names by its seat, else None."""
    from .kb import norm

    heads, seats = _seat_table(lang)
    if not seats or not len(span):
        return None
    words = [t for t in span if not t.is_punct]
    if not any(norm(t.text) in heads or norm(t.lemma_) in heads for t in words[:3]):
        return None
    text = f" {norm(span.text)}"
    for seat, key, code in seats:
        if seat in text:
            return key, code
    return None


@lru_cache(maxsize=None)
def _seat_table(lang: str) -> tuple[frozenset, tuple]:
    """roles.toml's periphrasis heads and seats, normalised once."""
    from .kb import norm

    data = _roles_lang(lang)
    return (frozenset(norm(w) for w in data.get("periphrasis_heads", [])),
            tuple((f" {norm(seat)}", key, code) for seat, (key, code) in data.get("seats", {}).items()))


def holder_in_text(doc, key: str, code: Optional[str], pos: int, gender: Optional[set] = None) -> Optional[Entity]:
    """The person of the article who holds office ``key`` (or an equivalent)
    for country ``code`` (any when None): by the roles the text and the KB gave
    them; the closest mention to ``pos`` wins."""
    names = country_names(doc, code) if code else None
    people = [e for e in state(doc).entities or [] if e.type == "PER"
              and not (gender and len(gender) == 1 and e.gender and e.gender not in gender)
              and holds_office(offices_held(doc, e, key), names, lenient=False)]
    return closest_person(people, pos)


def offices_held(doc, ent: Entity, key: str) -> list:
    """The bodies (names, or None when the text gave none) for which ``ent``
    holds office ``key`` or an equivalent, by the roles of the text and the KB."""
    from .entities import ROLE_KEYS
    from .kb import _role_equivalents

    eqs = set(_role_equivalents(key)) | {key}
    keys = doc.user_data.get(ROLE_KEYS, {}) if hasattr(doc, "user_data") else {}
    return [of for k, of in keys.get(ent.id, []) if k in eqs]


def holds_office(held: list, names: Optional[set], lenient: bool) -> bool:
    """Whether offices ``held`` (from :func:`offices_held`) fit a title for the
    body of normalised ``names`` (any body when None). ``lenient``: an office
    the text gave without a body fits too, unless the person holds it for
    another body ("le président russe" is not the French president)."""
    if not held:
        return False
    if names is None or any(b is not None and _norm(b) in names for b in held):
        return True
    return lenient and all(b is None for b in held)


def country_entity(doc, code: str) -> Optional[Entity]:
    """The article's entity for country ``code``."""
    for e in state(doc).entities or []:
        if e.kb_id and str(e.kb_id).upper() == str(code).upper() and e.type == "GPE":
            return e
    return None


def holds_other_office(doc, ent: Entity, key: str) -> bool:
    """Whether the text gives ``ent`` only offices other than ``key``."""
    from .entities import ROLE_KEYS
    from .kb import _role_equivalents

    keys = {k for k, _ in doc.user_data.get(ROLE_KEYS, {}).get(ent.id, [])}
    return bool(keys) and not (keys & set(_role_equivalents(key)) or key in keys)


def office_holder(doc, key: str, code: str, pos: int, gender: Optional[set] = None) -> Optional[Entity]:
    """The article's person holding office ``key`` of country ``code``: by the
    roles of the text and the KB, else the KB's holder at the DCT when the
    article names him, else the country itself."""
    from .entities import _norm as _ent_norm, kb_or_none
    from .errors import DepecheError

    who = holder_in_text(doc, key, code, pos, gender)
    if who is not None:
        return who
    kb = kb_or_none()
    if kb is not None and doc._.dct:
        try:
            rec = kb.holder(key, code, doc._.dct)
        except DepecheError:
            rec = None
        if rec is not None:
            for e in state(doc).entities or []:
                if e.type == "PER" and (e.kb_id == rec.ident or _ent_norm(e.name) == _ent_norm(rec.name)):
                    return e
    return country_entity(doc, code)


def periphrasis(doc, span, pos: int) -> Optional[Entity]:
    """"le maître du Kremlin": the holder of the office its seat names."""
    office = seat_office(span)
    if office is None:
        return None
    return office_holder(doc, *office, pos, set(span.root.morph.get("Gender")))
