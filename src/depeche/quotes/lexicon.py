"""The quotes stage's language data (``lang/<lang>/speech.toml`` and the role
titles of ``roles.toml``) read into one frozen lexicon, and the parse labels
the stage relies on."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lang as langdata

_SUBJ = ("nsubj", "nsubj:pass", "expl:subj")
_TYPE_RANK = {"PER": 0, "ORG": 1, "GPE": 2, "LOC": 3}
_SENT_PUNCT = frozenset(".!?…")
_CLAUSE_STOP = frozenset(".!?…;")
_MAX_SCAN = 10  # tokens scanned between a verb and its "que"
# Lemmas of the auxiliaries, for tokens the tagger left untagged.
_AUX_LEMMAS = langdata.words(langdata.DEFAULT_LANG, "speech", "auxiliary_lemmas")


@dataclass(frozen=True)
class _Lex:
    speech: frozenset
    infinitive: frozenset
    causative: frozenset
    causative_speech: frozenset
    addressee: frozenset
    complementizers: frozenset
    according_ends: dict  # last word -> the "according to" phrases it ends
    opinion: frozenset
    relatives: frozenset
    pronouns: frozenset
    connectors: frozenset
    documents: frozenset
    titles: frozenset
    abbreviations: frozenset
    closers_of: dict  # opening mark -> closing marks
    openers: frozenset
    closers: frozenset
    family: dict      # mark -> family id (marks that continue each other)
    term_dets: frozenset
    anonymous: frozenset
    sources: frozenset
    non_sources: frozenset
    lemma_rules: tuple
    agent_preps: frozenset
    question_verbs: frozenset
    question_marks: frozenset
    light_speech: frozenset
    speech_nouns: frozenset
    statement_nouns: frozenset
    of_words: frozenset
    copulas: frozenset
    narrator_openers: tuple
    negation: frozenset
    negation_adverbs: frozenset
    impersonal: frozenset
    infinitive_marks: frozenset
    impersonal_governors: frozenset
    que_locutions: tuple
    relatives_after: frozenset
    demand_verbs: frozenset
    joint_modifiers: frozenset
    media: frozenset
    generic_pronouns: frozenset
    contrast_openers: frozenset
    according_relatives: frozenset
    state_voices: frozenset
    voice_nouns: frozenset
    mark_re: re.Pattern
    end_re: re.Pattern
    iterative_prefixes: tuple = ()  # (prefix, "vowel" or "consonant": what the verb after it starts with)
    iterative_vowels: str = ""
    question_only: frozenset = frozenset()


def _role_heads(lang: str) -> frozenset:
    """The first word of every role title of ``roles.toml`` ("contre-amiral",
    "chancelière"), but modifiers that open a title ("Premier ministre")."""
    r = langdata.load(lang, "roles")
    skip = {w.lower() for w in r.get("title_modifiers", [])}
    out = set()
    for phrases in r.get("titles", {}).values():
        for p in phrases:
            w = p.split()[0].lower() if p.split() else ""
            if w and w not in skip and "'" not in w and "’" not in w:
                out.add(w)
    # "vice-ministre", "ex-président": a title behind a prefix is a title
    out |= {f"{p}-{w}" for p in r.get("title_prefixes", []) for w in list(out) if "-" not in w}
    return frozenset(out)


@lru_cache(maxsize=None)
def _lexicon(lang: str) -> _Lex:
    d = langdata.load(lang, "speech")
    low = lambda key: frozenset(w.lower() for w in d.get(key, []))  # noqa: E731
    closers_of: dict[str, set] = {}
    for o, c in d["quote_pairs"]:
        closers_of.setdefault(o, set()).add(c)
    family: dict[str, int] = {}
    for n, (o, c) in enumerate(d["quote_pairs"]):
        fid = family.get(o, family.get(c, n))
        family.setdefault(o, fid)
        family.setdefault(c, fid)
    marks = set(closers_of) | {c for cs in closers_of.values() for c in cs}
    mark_re = re.compile("[" + "".join(re.escape(m) for m in sorted(marks)) + "\n]")
    according = tuple(tuple(a.split()) if " " in a else (a,) for a in low("according_to"))
    according_ends: dict[str, list] = {}
    for phrase in according:
        according_ends.setdefault(phrase[-1], []).append(phrase)
    return _Lex(
        speech=low("speech_verbs"), infinitive=low("infinitive_verbs"), causative=low("causative_verbs"),
        causative_speech=low("causative_speech_verbs"), addressee=low("addressee_verbs"),
        complementizers=low("complementizers"),
        according_ends={k: tuple(v) for k, v in according_ends.items()},
        opinion=low("opinion_preps"), relatives=low("relatives"), pronouns=low("person_pronouns"),
        connectors=low("leading_connectors"), documents=low("document_nouns"),
        titles=low("title_nouns") | _role_heads(lang), abbreviations=low("abbreviations"),
        closers_of={k: frozenset(v) for k, v in closers_of.items()},
        openers=frozenset(closers_of), closers=frozenset(c for cs in closers_of.values() for c in cs),
        family=family, term_dets=low("term_determiners"), anonymous=low("anonymous_sources"), sources=low("source_nouns"),
        non_sources=low("according_non_sources"),
        lemma_rules=tuple((a, b) for a, b in d.get("lemma_rules", [])), mark_re=mark_re,
        iterative_prefixes=tuple(d.get("iterative_prefixes", {}).items()),
        iterative_vowels=d.get("iterative_vowels", ""),
        question_only=low("question_only_verbs"),
        agent_preps=low("agent_prepositions"), question_verbs=low("question_verbs"),
        question_marks=low("question_complementizers"), light_speech=low("light_speech_verbs"),
        speech_nouns=low("speech_nouns"),
        statement_nouns=low("statement_nouns"), of_words=low("of_words"), copulas=low("copulas"),
        narrator_openers=tuple(w.lower() for w in langdata.load(lang, "speech").get("narrator_openers", [])),
        negation=frozenset(w.lower() for w in langdata.load(lang, "modality").get("negation_particle", [])),
        negation_adverbs=frozenset(w.lower() for w in langdata.load(lang, "modality").get("negation", [])),
        impersonal=low("impersonal_pronouns"), infinitive_marks=low("infinitive_markers"),
        impersonal_governors=low("impersonal_governors"),
        que_locutions=tuple(sorted(low("que_locutions"), key=len, reverse=True)),
        relatives_after=low("narrator_relatives"), demand_verbs=low("demand_verbs"),
        joint_modifiers=low("joint_modifiers"), media=frozenset(w.lower() for w in langdata.load(lang, "entities").get("media_nouns", [])),
        generic_pronouns=low("generic_pronouns"),
        voice_nouns=low("voice_nouns"), contrast_openers=low("contrast_openers"),
        according_relatives=low("according_relatives"), state_voices=low("state_voices"),
        end_re=re.compile(r"[.!?…]+|\n"),
    )
