"""The events stage's language data: trigger lexicon, frames, modality cues
and group words (``lang/<lang>/events.toml``, ``modality.toml``,
``groups.toml``, with a few words of ``text.toml``, ``times.toml`` and
``speech.toml``) read into one ``Lexicon`` per language."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from .. import lang as langdata
from .. import references as _refs


@dataclass(frozen=True)
class Body:
    """A body a group word stands for ("les Alliés" → OTAN)."""
    key: str
    name: str
    aliases: tuple[str, ...]


@dataclass
class Lexicon:
    verb: dict
    human_objects: frozenset
    toll_verbs: frozenset
    noun: dict
    reflexive: dict
    negated: dict
    pairs: dict          # lemma -> list of (other lemma, type, trigger role, self is head?, prepositions, dependent stays?)
    retype: list
    family: dict
    location_preps: frozenset
    dative_preps: frozenset
    agent_preps: frozenset
    of_preps: frozenset
    place_types: frozenset
    dative_types: frozenset
    object_place_types: frozenset
    first_named_types: frozenset
    meeting_adjunct_types: frozenset
    meeting_adjuncts: frozenset
    owner_types: frozenset
    opposition_verbs: frozenset
    addressed_types: frozenset
    named_after_place: frozenset
    host_lemmas: frozenset
    coordinators: frozenset
    recipients: dict     # type -> frozenset of labels/preps
    lemma_recipients: dict
    of_is_recipient: frozenset
    light_verbs: frozenset
    reflexive_only: frozenset
    needs_party: frozenset
    party_nouns: frozenset
    object_control: frozenset
    etre_verbs: frozenset
    negation: frozenset
    negation_particle: frozenset
    negation_determiners: frozenset
    planned_governors: frozenset
    occurrence_verbs: frozenset
    hypothetical_governors: frozenset
    planned_noun_governors: frozenset
    conditional_marks: frozenset
    negation_cancelling: frozenset
    cancelling_governors: frozenset
    postponing_governors: frozenset
    restriction: frozenset
    planned_modifiers: frozenset
    hypothetical_modifiers: frozenset
    planned_participles: frozenset
    hypothetical_adjectives: frozenset
    hypothetical_noun_governors: frozenset
    relative_subject: frozenset
    relative_object: frozenset
    between_preps: frozenset
    opposition_preps: frozenset
    bodies: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)
    collective_heads: frozenset = frozenset()
    default_actor_types: frozenset = frozenset()
    salient_kinds: frozenset = frozenset()
    state_nouns: frozenset = frozenset()
    subject_retype: tuple = ()  # (verb lemmas, subject lemmas, new type)
    final_punctuation: tuple = (".", "!", "?")
    lemma_rules: tuple = ()          # (form ending, lemma ending)
    participle_endings: tuple = ()
    present_endings: tuple = ()
    verb_lemmas: frozenset = frozenset()  # every verb a trigger can be made of
    time_units: frozenset = frozenset()
    frame_nouns: frozenset = frozenset()  # "à l'issue de pourparlers": a moment of the act
    party_preps: frozenset = frozenset()
    synonyms: dict = field(default_factory=dict)  # family -> its synonym set's key
    framing_families: frozenset = frozenset()
    symmetric_families: frozenset = frozenset()  # acts between parties in no order ("se sont rencontrés")
    report_verbs: frozenset = frozenset()  # speech verbs (speech.toml): clauses they report
    place_relatives: frozenset = frozenset()  # "où": a relative clause on a place
    gerund_marks: frozenset = frozenset()  # "en" + present participle
    region_parts: frozenset = frozenset()  # "le sud du Liban": the part stands for the place


def _low(words: Iterable[str]) -> frozenset:
    return frozenset(w.lower() for w in words)


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    """The trigger lexicon, frames, modality cues and group words of a language."""
    ev = langdata.load(lang, "events")
    mo = langdata.load(lang, "modality")
    gr = langdata.load(lang, "groups")
    tx = langdata.load(lang, "text")
    tm = langdata.load(lang, "times")
    verb = {w.lower(): t for t, ws in ev.get("verb", {}).items() for w in ws}
    noun = {w.lower(): t for t, ws in ev.get("noun", {}).items() for w in ws}
    pairs: dict = {}
    for p in ev.get("pair", []):
        # Either word may be a list: the pair stands for every combination.
        heads, deps = ([w] if isinstance(w, str) else w for w in p["words"])
        role = p.get("trigger", "both")
        case = _low(p.get("case", []))  # the dependent's preposition, when the pair needs one
        stays = bool(p.get("dependent_stays", False))  # the dependent is an act of its own too
        for a in heads:
            for b in deps:
                a, b = a.lower(), b.lower()
                pairs.setdefault(a, []).append((b, p.get("type", ""), role, True, case, stays))
                pairs.setdefault(b, []).append((a, p.get("type", ""), role, False, case, stays))
    retype = [(_low(r["heads"]), _low(r["modifiers"]), r["type"]) for r in ev.get("retype", [])]
    family = {w.lower(): k for k, ws in ev.get("family", {}).items() for w in ws}
    fr = ev.get("frame", {})
    recipients = {t: _low(v) for t, v in fr.get("type", {}).items()}
    bodies = {k: Body(k, name, aliases) for k, (name, aliases) in _refs.bodies(lang).items()}
    return Lexicon(
        verb=verb, noun=noun,
        reflexive={k.lower(): v for k, v in ev.get("reflexive", {}).items()},
        negated={k.lower(): v for k, v in ev.get("negated", {}).items()},
        pairs=pairs, retype=retype, family=family,
        location_preps=_low(fr.get("location_preps", [])),
        dative_preps=_low(fr.get("dative_preps", [])),
        agent_preps=_low(fr.get("agent_preps", [])),
        of_preps=_low(fr.get("of_preps", [])),
        place_types=frozenset(fr.get("place_types", [])),
        dative_types=frozenset(fr.get("dative_types", [])),
        object_place_types=frozenset(fr.get("object_place_types", [])),
        region_parts=_low(fr.get("region_parts", [])),
        first_named_types=frozenset(fr.get("first_named_types", [])),
        meeting_adjunct_types=frozenset(fr.get("meeting_adjunct_types", [])),
        meeting_adjuncts=_low(fr.get("meeting_adjuncts", [])),
        owner_types=frozenset(fr.get("owner_types", [])),
        opposition_verbs=_low(fr.get("opposition_verbs", [])),
        addressed_types=frozenset(fr.get("addressed_types", [])),
        named_after_place=_low(fr.get("named_after_place", [])),
        host_lemmas=_low(fr.get("host_lemmas", [])), coordinators=_low(fr.get("coordinators", [])),
        recipients=recipients,
        lemma_recipients={k.lower(): _low(v) for k, v in fr.get("lemma", {}).items()},
        of_is_recipient=_low(fr.get("of_is_recipient", {}).get("lemmas", [])),
        light_verbs=_low(ev.get("light_verbs", {}).get("lemmas", [])),
        reflexive_only=_low(ev.get("reflexive_only", {}).get("lemmas", [])),
        needs_party=_low(ev.get("needs_party", {}).get("lemmas", [])),
        human_objects=_low(ev.get("human_objects", {}).get("lemmas", [])),
        toll_verbs=_low(ev.get("toll_verbs", {}).get("lemmas", [])),
        party_nouns=_low(ev.get("party_nouns", {}).get("lemmas", [])),
        object_control=_low(ev.get("object_control", {}).get("lemmas", [])),
        etre_verbs=_low(ev.get("etre_verbs", {}).get("lemmas", [])),
        negation=_low(mo.get("negation", [])),
        negation_particle=_low(mo.get("negation_particle", [])),
        negation_determiners=_low(mo.get("negation_determiners", [])),
        planned_governors=_low(mo.get("planned_governors", [])),
        occurrence_verbs=_low(mo.get("occurrence_verbs", [])),
        # what one demands, urges or calls for is not done yet: the REQUEST verbs govern as "demander" does
        hypothetical_governors=_low(mo.get("hypothetical_governors", [])) | frozenset(
            lem for lem, typ in verb.items() if typ == "REQUEST"),
        planned_noun_governors=_low(mo.get("planned_noun_governors", [])),
        conditional_marks=_low(mo.get("conditional_marks", [])),
        negation_cancelling=_low(mo.get("negation_cancelling", [])),
        cancelling_governors=_low(mo.get("cancelling_governors", [])),
        postponing_governors=_low(mo.get("postponing_governors", [])),
        restriction=_low(mo.get("restriction", [])),
        planned_modifiers=_low(mo.get("planned_modifiers", [])),
        hypothetical_modifiers=_low(mo.get("hypothetical_modifiers", [])),
        planned_participles=_low(mo.get("planned_participles", [])),
        hypothetical_adjectives=_low(mo.get("hypothetical_adjectives", [])),
        hypothetical_noun_governors=_low(mo.get("hypothetical_noun_governors", [])),
        relative_subject=_low(fr.get("relative_subject", [])),
        relative_object=_low(fr.get("relative_object", [])),
        between_preps=_low(fr.get("between_preps", [])),
        opposition_preps=_low(fr.get("opposition_preps", [])),
        bodies=bodies,
        groups=list(_refs.group_words(lang)),
        collective_heads=_low(gr.get("collective_heads", [])),
        default_actor_types=frozenset(gr.get("default_actor_types", [])),
        salient_kinds=frozenset(gr.get("salient_kinds", [])),
        state_nouns=_low(gr.get("state_nouns", [])),
        subject_retype=tuple((_low(r["lemmas"]), _low(r["subjects"]), r["type"])
                             for r in ev.get("subject_retype", [])),
        final_punctuation=tuple(tx.get("final_punctuation", [".", "!", "?"])),
        lemma_rules=tuple((a, b) for a, b in ev.get("lemma_rules", {}).get("forms", [])),
        participle_endings=tuple(ev.get("lemma_rules", {}).get("participles", [])),
        present_endings=tuple(ev.get("lemma_rules", {}).get("present", [])),
        verb_lemmas=frozenset(verb) | frozenset(k.lower() for k in ev.get("reflexive", {}))
        | frozenset(k.lower() for k in ev.get("negated", {})) | frozenset(pairs)
        | _low(ev.get("light_verbs", {}).get("lemmas", [])),
        time_units=_low(w for ws in tm.get("units", {}).values() for w in ws),
        frame_nouns=_low(ev.get("frame_nouns", {}).get("words", [])),
        party_preps=_low(fr.get("dative_preps", [])) | _low(fr.get("between_preps", [])),
        synonyms={f: k for k, fs in ev.get("synonyms", {}).items() for f in fs},
        framing_families=frozenset(ev.get("framing", {}).get("families", [])),
        symmetric_families=frozenset(ev.get("symmetric", {}).get("families", [])),
        report_verbs=_low(langdata.load(lang, "speech").get("speech_verbs", [])),
        place_relatives=_low(fr.get("place_relatives", [])),
        gerund_marks=_low(fr.get("gerund_marks", [])),
    )
