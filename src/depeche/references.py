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

from .entities import entity_index
from .model import Entity
from .nlp import state
from .nlp import view as _view
from .numbers import parse_cardinal


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


def has_role_of(e: Entity, names: set) -> bool:
    """Whether some role of ``e`` is of the country or body named ``names``."""
    return any(_norm(r.of) in names for r in e.roles or [])


def span_demonym(span, after: int = -1):
    """(token, country code) of the first nationality adjective of ``span``
    after token index ``after`` ("le ministre italien" → (italien, IT)), or
    (None, None)."""
    from . import kb as _kb

    for t in span:
        if t.i > after and t.pos_ == "ADJ":
            code = _kb.demonym(t.text, lemma=t.lemma_)
            if code:
                return t, code
    return None, None


def agrees(ent: Optional[Entity], gender: set, known: Optional[str] = None) -> bool:
    """Whether ``ent`` may be referred to by a word of ``gender`` (a set of
    grammatical genders; no constraint unless it holds one): its gender, or
    ``known`` when the caller read one elsewhere, is unknown or that one."""
    g = known or (ent.gender if ent is not None else None)
    return len(gender) != 1 or g is None or g in gender


@lru_cache(maxsize=None)
def _latter_words(lang: str) -> tuple[frozenset, dict]:
    """speech.toml's "ce dernier" adjectives and "celui-ci" pronouns (by gender)."""
    from . import lang as _lang

    sp = _lang.load(lang, "speech")
    pron = {**{w.lower(): "Masc" for w in sp.get("latter_pronouns_masc", [])},
            **{w.lower(): "Fem" for w in sp.get("latter_pronouns_fem", [])}}
    return frozenset(w.lower() for w in sp.get("latter_words", [])), pron


def latter_gender(tok, lang: str = "fr") -> Optional[set]:
    """When ``tok`` heads "ce dernier", "cette dernière", "celui-ci" or
    "celle-ci" (the last person named), the gender it asks for (a set of one
    value, or empty); None for any other word."""
    adjectives, pronouns = _latter_words(lang)
    low = tok.lower_
    if low in pronouns:
        return {pronouns[low]}
    if low in adjectives and any(c.dep_ == "det" and "Dem" in c.morph.get("PronType") for c in tok.children):
        return phrase_gender(tok)
    return None


def latest_person(doc, pos: int, gender: set, window: int = 800, skip=None) -> Optional[Entity]:
    """The last person named before character ``pos`` (within ``window``
    characters) who agrees with ``gender``; ``skip(start)`` tells mentions not
    to count (inside a quotation, say)."""
    best, best_pos = None, -1
    for e in state(doc).entities or []:
        if e.type != "PER" or not agrees(e, gender):
            continue
        for m in e.mentions:
            if best_pos < m.start < pos and pos - m.start < window and (skip is None or skip(m.start) is None):
                best, best_pos = e, m.start
    return best


def phrase_gender(tok) -> set:
    """The grammatical gender of the noun phrase headed by ``tok``, as a set of
    one value or empty: its determiners' first, then its adjectives', then its
    own. Epicene nouns ("ministre", "juge", "porte-parole") take the tagger's
    guess; "la ministre suédoise" is feminine by "la" and "suédoise". A masculine
    plural says nothing: it covers mixed groups ("les ministres" of two countries)."""
    g = set()
    for deps in (("det",), ("amod",)):
        g = set()
        for c in tok.children:
            if c.dep_ in deps:
                g |= set(c.morph.get("Gender"))
        if len(g) == 1:
            break
    else:
        g = set(tok.morph.get("Gender"))
    if len(g) != 1 or (g == {"Masc"} and "Plur" in tok.morph.get("Number")):
        return set()
    return g


def age_noun(tok, lang: str = "fr") -> Optional[int]:
    """The first year of the decade an age noun names ("septuagénaire" → 70),
    whatever the tagger made of it (often an adjective); None for other words."""
    ages = _roles_lang(lang).get("age_nouns", {})
    return ages.get(tok.lower_, ages.get(tok.lemma_.lower()))


def _age_after(doc, span, units: frozenset) -> Optional[int]:
    """The age given in apposition right after a name ("X, 74 ans,")."""
    k = span.end
    if k + 2 < len(doc) and doc[k].text == "," and doc[k + 2].lower_ in units:
        n = parse_cardinal(doc[k + 1].text)
        return int(n) if n is not None else None
    return None


def described_person(doc, tok, pos: int, window: int = 2000, lang: str = "fr") -> Optional[Entity]:
    """"a déclaré l'ancien banquier": the person the text described before with
    the same noun, in apposition ("X, 54 ans, ancien banquier,", "son avocate,
    X,") or right before the name ("le banquier X"), agreeing in gender. A
    noun of an age ("le septuagénaire") is the person given that age ("X,
    74 ans"), else the last person named."""
    lemma = tok.lemma_.lower()
    gender = phrase_gender(tok)
    decade = age_noun(tok, lang)
    units = frozenset(_roles_lang(lang).get("age_units", {}).get("words", []))
    people, named = [], []
    for e in state(doc).entities or []:
        if e.type != "PER" or (gender and e.gender and e.gender not in gender):
            continue
        for m in e.mentions:
            if not (0 <= pos - m.start <= window) or m.start >= tok.idx:
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            if decade is not None:
                named.append(e)
                age = _age_after(doc, span, units)
                if age is not None and decade <= age < decade + 10:
                    people.append(e)
                    break
                continue
            root = span.root
            nouns = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
            if root.dep_ == "appos" and root.head.pos_ == "NOUN":  # "son avocate, X"
                nouns.append(root.head)
            if span.start > 0 and doc[span.start - 1].pos_ == "NOUN" and doc[span.start - 1].is_lower:
                nouns.append(doc[span.start - 1])
            if any(n.lemma_.lower() == lemma and n.i != tok.i for n in nouns):
                people.append(e)
                break
    return closest_person(people or named, pos)


def demonym_person(doc, tok, pos: int) -> Optional[Entity]:
    """"a dit l'Italien", "selon la Chilienne": the person of that country the
    article names (by a role of that country, from the text or the KB, or by
    a nationality the text gives the name: "la diplomate chilienne X"),
    agreeing in gender with the noun."""
    code = word_demonym(tok)
    if not code:
        return None
    people = [e for e in demonym_candidates(doc, tok) if code in nationalities(doc, e)]
    return closest_person(people, pos)


def word_demonym(tok) -> Optional[str]:
    """The country code of a nationality word, or of the country of a
    place's demonym ("le Valaisan" → CH), or None."""
    from . import kb as _kb

    code = _kb.demonym(tok.text, lemma=tok.lemma_)
    if code:
        return code
    place = _kb.place_demonym(tok.text, lemma=tok.lemma_)
    return place[0] if place else None


def demonym_candidates(doc, tok) -> list[Entity]:
    """The persons of the article a demonym noun may stand for: those
    agreeing in gender with it."""
    gender = demonym_noun_gender(tok)
    return [e for e in state(doc).entities or [] if e.type == "PER" and agrees(e, gender)]


def demonym_noun_gender(tok) -> set:
    """The gender of a demonym noun: its phrase's ("la Russe"), else its own
    form's ("l'Autrichienne")."""
    from . import kb as _kb

    g = phrase_gender(tok)
    if not g:
        own = _kb.demonym_gender(tok.text)
        g = {own} if own else set()
    return g


def nationalities(doc, ent: Entity) -> set[str]:
    """Country codes the article ties a person to: the countries of their
    roles (text and KB) and the nationality words or country names of the
    phrase their name stands in ("la diplomate sénégalaise X", "son homologue
    russe, X", "la représentante de la France, X", "X, le ministre italien")."""
    from . import kb as _kb

    v = _view(doc)
    cache = v.cache.setdefault("nationalities", {})
    key = (ent.id, len(ent.mentions))
    if key in cache:
        return cache[key]
    codes = set()
    tokents = entity_index(doc)
    for e in state(doc).entities or []:
        if is_country(e) and has_role_of(ent, {_norm(e.name)} | {_norm(a) for a in e.aliases or []}):
            codes.add(str(e.kb_id).upper())
    for m in ent.mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        for t in _title_words(doc, span):
            other = tokents.get(t.i)
            if other is not None and other is not ent:
                if is_country(other):
                    codes.add(str(other.kb_id).upper())
                continue
            if t.pos_ in ("ADJ", "NOUN", "PROPN"):
                code = word_demonym(t)
                if code and len(code) == 2 and code.isupper():  # a country, not a body ("européen")
                    codes.add(code)
    cache[key] = codes
    return codes


def may_be_of(doc, ent: Entity, code: str) -> bool:
    """Whether ``ent`` may be of country ``code``: the article gives them
    that nationality, or none."""
    nat = nationalities(doc, ent)
    return not nat or code in nat


_TITLE_POS = frozenset({"NOUN", "ADJ", "DET", "ADP", "PROPN", "PUNCT", "CCONJ"})
_TITLE_STOPS = frozenset({",", ";", ":", ".", "(", ")"})


def _title_words(doc, span, reach: int = 10) -> list:
    """The words of the title a name stands beside: before it back to the
    clause's start ("le vice-ministre russe des Affaires étrangères, X"), and
    an apposition after it up to the next comma ("X, le ministre italien,")."""
    out = []
    j = span.start - 1
    if j >= 0 and doc[j].text == ",":
        j -= 1
    while j >= 0 and span.start - j <= reach and doc[j].pos_ in _TITLE_POS and doc[j].text not in _TITLE_STOPS \
            and not doc[j].is_sent_end:
        out.append(doc[j])
        j -= 1
    k = span.end
    if k + 1 < len(doc) and doc[k].text == "," and doc[k + 1].pos_ == "DET":
        k += 1
        while k < len(doc) and k - span.end <= reach and doc[k].pos_ in _TITLE_POS and doc[k].text not in _TITLE_STOPS:
            out.append(doc[k])
            k += 1
    return out


def medium_before(doc, pos: int, nouns: frozenset, window: int = 3000) -> Optional[Entity]:
    """The last medium the article named before character ``pos``: an ORG
    the KB knows as a medium, or one the text introduced with a media noun
    ("le quotidien X", "X, la chaîne publique"); None when there is none
    within ``window`` characters."""
    from .entities import kb_or_none

    kb = kb_or_none()
    best, best_pos = None, -1
    tokents = entity_index(doc)
    for e in state(doc).entities or []:
        if e.type != "ORG":
            continue
        before = [m.start for m in e.mentions if m.start < pos and pos - m.start <= window]
        if not before or max(before) <= best_pos:
            continue
        rec = kb.lookup(e.name) if kb is not None else None
        medium = rec is not None and rec.kind == "media"
        if not medium:
            # a media noun just before a mention or in apposition to it
            idx = {t.i for t in doc if tokents.get(t.i) is e}
            medium = any(t.lemma_.lower() in nouns and (t.i + 1 in idx or t.head.i in idx or
                                                        any(c.i in idx for c in t.children if c.dep_ in ("appos", "nmod", "flat:name")))
                         for t in doc if t.pos_ == "NOUN")
        if medium:
            best, best_pos = e, max(before)
    return best


def last_agent(doc, before: int, types, window: int = 200) -> Optional[tuple]:
    """(character position, entity) of the last passive agent naming an
    entity of ``types`` before token ``before`` ("annoncée par le ministère"),
    within ``window`` tokens, or None."""
    tokents = entity_index(doc)
    for i in range(before - 1, max(-1, before - window), -1):
        t = doc[i]
        if t.dep_ == "obl:agent":
            e = tokents.get(t.i)
            if e is not None and e.type in types:
                return t.idx, e
    return None


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
    text = f" {norm(span.text).replace(chr(39), ' ')}"  # "de l'Élysée": the seat after an elided article
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
    from .kb import role_covers

    eqs = role_covers(key)
    keys = doc.user_data.get(ROLE_KEYS, {}) if hasattr(doc, "user_data") else {}
    return [of for k, of in keys.get(ent.id, []) if k in eqs]


def office_without_body(doc, ent: Entity, key: str) -> bool:
    """Whether the text gives ``ent`` office ``key`` (or an equivalent) and for
    no body ("X, la ministre de l'Économie")."""
    held = offices_held(doc, ent, key)
    return bool(held) and all(b is None for b in held)


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


def is_country(ent: Entity) -> bool:
    """A state the KB knows by its ISO code (not a city, region or body)."""
    k = str(ent.kb_id or "")
    return ent.type == "GPE" and len(k) == 2 and k.isalpha() and k.isupper()


def country_entity(doc, code: str, said_by=None) -> Optional[Entity]:
    """The article's entity for country ``code``. With ``said_by`` (the
    nationality word of "un porte-parole du gouvernement soudanais", "le
    ministre brésilien"), a country the text names only by that word becomes
    an entity of the article, from the KB, with the word as its mention: the
    words of an unnamed official go to their country (GUIDELINES §6)."""
    for e in state(doc).entities or []:
        if e.kb_id and str(e.kb_id).upper() == str(code).upper() and e.type == "GPE":
            return e
    if said_by is None or not (len(code) == 2 and code.isupper()):
        return None
    from .entities import add_entity, kb_or_none
    from .errors import DepecheError

    kb = kb_or_none()
    try:
        rec = kb.get(code) if kb is not None else None
    except DepecheError:
        rec = None
    if rec is None:
        return None
    return add_entity(doc, rec.name, "GPE", code, said_by.idx, said_by.idx + len(said_by.text))


def ranks(lang: str = "fr") -> frozenset:
    """Role keys of ranks and missions, which go with an office (roles.toml)."""
    return frozenset(_roles_lang(lang).get("ranks", []))


def holds_other_office(doc, ent: Entity, key: str) -> bool:
    """Whether the text gives ``ent`` only offices other than ``key``."""
    from .entities import ROLE_KEYS
    from .kb import role_covers

    keys = {k for k, _ in doc.user_data.get(ROLE_KEYS, {}).get(ent.id, [])} - ranks()
    return bool(keys) and not keys & role_covers(key)


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
    return office_holder(doc, *office, pos, phrase_gender(span.root))


# -- groups and plural pronouns ---------------------------------------------------

@lru_cache(maxsize=None)
def _groups_lang(lang: str) -> dict:
    from . import lang as _lang

    g = _lang.load(lang, "groups")
    low = lambda k: frozenset(w.lower() for w in g.get(k, []))  # noqa: E731
    words = tuple((frozenset(w.lower() for w in ([x["head"]] if isinstance(x["head"], str) else x["head"])),
                   (x.get("modifier") or "").lower(), bool(x.get("capitalized")), x["body"])
                  for x in g.get("group", []))
    bodies = {k: (v["name"], tuple(v.get("aliases", []))) for k, v in g.get("body", {}).items()}
    return {"collective": low("collective_heads"), "states": low("state_nouns"),
            "implicit": low("implicit_party_heads"), "persons": low("person_nouns"),
            "plural_possessives": low("plural_possessives"), "quantity": low("quantity_heads"),
            "words": words, "bodies": bodies}


def group_words(lang: str = "fr") -> tuple:
    """groups.toml's group words: (head lemmas, modifier lemma, capitalised
    only, body key)."""
    return _groups_lang(lang)["words"]


def bodies(lang: str = "fr") -> dict:
    """groups.toml's bodies: key → (canonical name, aliases)."""
    return _groups_lang(lang)["bodies"]


def group_key(tok, lang: str = "fr") -> Optional[str]:
    """The body a group word stands for ("les Alliés" → nato, "les
    Vingt-Sept" → eu, "les dirigeants européens" → eu), by its key in
    groups.toml; None when ``tok`` is no group word."""
    lem, low = tok.lemma_.lower(), tok.lower_
    mods = None
    for heads, mod, cap, key in group_words(lang):
        if lem not in heads and low not in heads:
            continue
        if mod:
            if mods is None:
                mods = {c.lemma_.lower() for c in tok.children if c.dep_ in ("amod", "nmod", "compound", "appos")}
            if mod not in mods:
                continue
        if cap and not tok.text[:1].isupper():
            continue
        return key
    return None


def group_body(entities: Iterable[Entity], tok, lang: str = "fr") -> Optional[Entity]:
    """The entity of the article a group word stands for: the one bearing a
    name of its body ("les Vingt-Sept ont souligné" → Union européenne, when
    the article names it); None when the article names no such body."""
    key = group_key(tok, lang)
    names = bodies(lang).get(key) if key else None
    if names is None:
        return None
    wanted = {_norm(names[0])} | {_norm(a) for a in names[1]}
    return next((e for e in entities if _norm(e.name) in wanted or any(_norm(a) in wanted for a in e.aliases)),
                None)


_SUBJECTS = ("nsubj", "nsubj:pass")
_SKIP_SUBTREE = ("acl:relcl", "acl", "advcl", "parataxis", "ccomp", "xcomp")


def _first_conjunct(tok):
    """The first of coordinated subjects: the parser sometimes makes "X et Y"
    two subjects of one verb, the second with the "et"."""
    if tok.dep_ in _SUBJECTS and any(c.dep_ == "cc" for c in tok.children):
        first = next((s for s in tok.head.children if s.dep_ in _SUBJECTS and s.i < tok.i), None)
        if first is not None:
            return first
    return tok


def _co_subjects(tok) -> list:
    """Subjects of the same verb coordinated after ``tok`` (see :func:`_first_conjunct`)."""
    if tok.dep_ not in _SUBJECTS:
        return []
    return [s for s in tok.head.children if s.dep_ in _SUBJECTS and s.i > tok.i
            and any(c.dep_ == "cc" for c in s.children)]


def _phrase_entities(doc, tok, tokents: dict) -> list:
    """The entities a noun phrase names, in text order: the head's own name,
    its coordinated names, and names in its complements (not in a relative
    clause or another clause hanging on it)."""
    seen, out = set(), []
    stack = [tok] + _co_subjects(tok)
    while stack:
        t = stack.pop()
        e = tokents.get(t.i)
        if e is not None and id(e) not in seen and (t.i == tok.i or t.dep_ != "acl:relcl"):
            seen.add(id(e))
            out.append((t.i, e))
        for c in t.children:
            if c.dep_ not in _SKIP_SUBTREE and c.dep_ != "punct":
                stack.append(c)
    out.sort(key=lambda x: x[0])
    return [e for _, e in out]


def _last_parties(doc, before: int, tokents: dict, types, window: int) -> list:
    """The last set of two or more entities the text coordinated before token
    ``before`` ("X et Y", "entre X et Y"), in text order."""
    def named(t):
        # the name, or the name in apposition to a title ("le Premier ministre X")
        e = tokents.get(t.i)
        if e is None:
            e = next((tokents[c.i] for c in t.children if c.dep_ in ("appos", "flat:name", "nmod")
                      and c.i in tokents and tokents[c.i].type == "PER"), None)
        return e

    for i in range(before - 1, max(-1, before - window), -1):
        t = doc[i]
        if t.dep_ != "conj" and not any(c.dep_ == "cc" for c in t.children):
            continue
        first = t.head if t.dep_ == "conj" else _first_conjunct(t)
        if first.i == t.i:
            continue
        a, b = named(first), named(t)
        if a is not None and b is not None and a is not b and a.type in types and b.type in types:
            return [a, b]
    return []


def last_named(tokents: dict, before: int, types, n: int, window: int = 400) -> list:
    """The last ``n`` distinct entities of the given types named before token
    ``before`` (``tokents``: token index → entity), in text order; empty when
    the text names fewer."""
    seen: list = []
    for i in range(before - 1, max(-1, before - window), -1):
        e = tokents.get(i)
        if e is not None and e.type in types and e not in seen:
            seen.append(e)
            if len(seen) == n:
                break
    return list(reversed(seen)) if len(seen) == n else []


def named_pair(tokents: dict, at: int, types, window: int = 120) -> list:
    """The two entities "les deux hommes / pays" at token ``at`` stands for:
    the last two of the given types named before it; at the opening of an
    article that has named none yet, the first two named after it, within
    ``window`` tokens (the text names them in the next sentence)."""
    pair = last_named(tokents, at, types, 2)
    if pair or any(e.type in types for i, e in tokents.items() if i < at):
        return pair
    seen: list = []
    for i in range(at + 1, at + window):
        e = tokents.get(i)
        if e is not None and e.type in types and e not in seen:
            seen.append(e)
            if len(seen) == 2:
                return seen
    return []


def group_parties(doc, tok, lang: str = "fr") -> list:
    """The entities a plural noun phrase headed by ``tok`` stands for, in the
    order the text named them (GUIDELINES §6: a joint act goes to its first
    party): the names in the phrase ("les ministres du G20", "le Mali et le
    Niger"), "les deux pays/présidents" → the last two countries/people named,
    a noun for the parties of an act ("les signataires", "les deux
    délégations") → the last names the text coordinated. Empty when nothing
    in the text tells."""
    tokents = entity_index(doc)
    named = _phrase_entities(doc, tok, tokents)
    if named:
        return named
    g = _groups_lang(lang)
    lem = tok.lemma_.lower()
    two = any(c.dep_ == "nummod" and (parse_cardinal(c.text, lang) or 0) == 2 for c in tok.children)
    if two and (lem in g["states"] or lem in g["persons"] or lem in g["collective"]):
        types = ("GPE",) if lem in g["states"] else ("PER",)
        pair = named_pair(tokents, tok.i, types)
        if pair:
            return pair
    if lem in g["implicit"] or (two and lem in g["collective"]):
        return _last_parties(doc, tok.i, tokents, ("PER", "ORG", "GPE"), 300)
    return []


def last_parties(doc, tok, window: int = 400) -> list:
    """The last names the text coordinated before token ``tok`` ("X et Y
    ont …"), in text order: the parties of a joint act or statement."""
    return _last_parties(doc, tok.i, entity_index(doc), ("PER", "ORG", "GPE"), window)


def plural_possessive(tok, lang: str = "fr") -> bool:
    """Whether a possessive determiner has a plural owner ("leur")."""
    return tok.lower_ in _groups_lang(lang)["plural_possessives"]


def _quantity_of(tok, lang: str = "fr"):
    """The plural phrase a noun of quantity measures ("une dizaine de
    délégués", "la plupart des ministres"), or None."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in _groups_lang(lang)["quantity"]:
        return None
    return next((c for c in tok.children if c.dep_ == "nmod" and c.i > tok.i and c.pos_ in ("NOUN", "PROPN")
                 and "Plur" in c.morph.get("Number")), None)


def plural_antecedent(doc, tok, window: int = 120):
    """The token heading the phrase a plural subject pronoun ("ils", "elles")
    stands for: the nearest plural subject before it, or a subject with
    coordinated names, within ``window`` tokens; None when there is none."""
    tokents = entity_index(doc)
    gender = set(tok.morph.get("Gender"))
    for i in range(tok.i - 1, max(-1, tok.i - window), -1):
        t = doc[i]
        if t.dep_ not in _SUBJECTS or t.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        first = _first_conjunct(t)
        if first is not t:
            return first
        coord = any(c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") for c in t.children)
        if not coord and "Plur" not in t.morph.get("Number"):
            if _quantity_of(t) is not None:
                return t  # "une dizaine de délégués de X ont …": the delegates, with all the phrase names
            continue
        if t.pos_ == "PRON":
            if "Plur" in t.morph.get("Number") and "3" in t.morph.get("Person"):
                return plural_antecedent(doc, t, window)
            continue
        g = set(t.morph.get("Gender"))
        if len(gender) == 1 and len(g) == 1 and g != gender and not coord and tokents.get(t.i) is None:
            continue
        return t
    return None
