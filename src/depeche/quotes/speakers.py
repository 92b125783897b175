"""Resolving speakers: the entity a source phrase names (names, titles by role
key, documents and organs to their issuer, demonyms, pronouns by salience);
the shared reference logic lives in :mod:`depeche.references`."""
from __future__ import annotations

import re
from typing import Optional

from .. import entities as _entities
from .. import references as _refs
from ..model import Entity
from ..nlp import state, view
from .document import _Cand, _Doc
from .lexicon import _SUBJ, _TYPE_RANK, _Lex



_ISSUER_REACH = 15  # tokens after a document noun where its issuer may be named


class Speakers:
    """Methods of the finder that resolve a source to an entity."""

    d: _Doc
    lex: _Lex
    lang: str

    def resolve(self, c: _Cand):
        if c.done:
            return c.speaker
        c.done = True
        kind = c.src[0]
        ent = None
        if kind == "same":
            ent = self.resolve(c.src[1])
        elif kind == "np":
            ent = self.np_entity(c.src[1], c.src[2], c.anchor)
        elif kind == "pron":
            tok = self.doc[c.src[1]]
            # "les Vingt-Sept", tagged a pronoun: the body the group word stands for
            ent = _refs.group_body(state(self.doc).entities or [], tok, self.lang) or self.pronoun(tok, c.anchor)
        elif kind == "prev":
            ent = self.previous(c.anchor)
            # the last speaker, or a person or body that was the subject since
            last_pos = max((p for p, e in self.history if p <= c.anchor), default=-1)
            for ms, me, subj in reversed(self.subject_mentions()):
                if any(o.start <= ms < o.end or (o.cue and o.done and o.cue[0] <= ms < o.attr_end)
                       for o in self.cands if o is not c):
                    continue  # a subject inside a claim, or the source of a resolved quote, goes on as is
                if ms < c.anchor:
                    if ms > last_pos and subj.type in ("PER", "ORG") and c.anchor - ms < 1500:
                        ent = subj
                    break
        c.speaker = ent
        if ent is not None and not self.nested(c):
            self.history.append((c.anchor, ent))
        return ent

    def shifted_antecedent(self, tok, gender: set, prev: Entity) -> Optional[Entity]:
        """"X parle. […] La présidente s'est entretenue avec le Premier ministre Y.
        Il lui a assuré que …": when the sentence before the pronoun has a subject
        of the other gender and names one person of the pronoun's own (not the
        last speaker), the pronoun takes up that person."""
        if len(gender) != 1:
            return None
        v = view(self.doc)
        start = v.sent_start_of[tok.i]
        if start == 0:
            return None
        lo, hi = v[v.sent_start_of[start - 1]].idx, v[start].idx
        subjects = [m for m in self.subject_mentions() if lo <= m[0] < hi]
        if not subjects or any(m[2] is prev or m[2].type != "PER" or self.agrees(m[2], gender) for m in subjects):
            return None
        named = {id(m[2]): m[2] for m in self.d.ments if lo <= m[0] < hi and m[2].type == "PER"}
        if any(e is prev for e in named.values()):
            return None
        fits = [e for e in named.values() if self.agrees(e, gender) and e.gender in gender]
        return fits[0] if len(fits) == 1 else None

    def in_claim(self, pos: int) -> bool:
        """Whether character ``pos`` is inside a reported claim (a subject
        there is the claim's, not the narrative's)."""
        return any(o.kind == "indirect" and o.start <= pos < o.end for o in self.cands)

    def nested(self, c: _Cand) -> bool:
        """Whether ``c`` is a report inside another quote ("Il affirme que X lui
        a assuré que …"): its speaker does not become the last speaker, the
        one who reports it stays so."""
        return c.cue is not None and any(o is not c and o.start <= c.cue[0] < o.end for o in self.cands)

    def previous(self, pos: int) -> Optional[Entity]:
        best = None
        for p, e in self.history:
            if p <= pos:
                best = e
        return best

    def np_entity(self, lo: int, hi: int, anchor: int) -> Optional[Entity]:
        doc, d, lex = self.doc, self.d, self.lex
        if hi < lo:
            return None
        span = doc[lo:hi + 1]
        s, e = span.start_char, span.end_char
        root = span.root
        if hi + 2 < len(doc) and doc[hi + 1].text in lex.openers and root.pos_ == "NOUN":
            # "l'agence de presse « Tass »": the name in marks right after the phrase names it
            named = [m for m in d.ents_in(doc[hi + 2].idx, doc[hi + 2].idx + 1) if d.name_in_marks(m)]
            if named and named[0][2].type in ("ORG", "PER"):
                return named[0][2]
        ments = [m for m in d.ents_in(s, e) if d.region_of(m[0]) == d.region_of(s) or d.name_in_marks(m)]
        words = {root.lemma_.lower(), root.lower_}
        if root.pos_ == "NOUN" and (words & lex.documents or not words & (lex.titles | lex.anonymous | lex.sources)):
            # "le texte publié par X", "d'après l'agenda publié par X": a document's or
            # a thing's words go to the agent that issued it (not a person's: "un
            # habitant interrogé par X" speaks for himself)
            agent = _refs.passive_agent(span, lex.agent_preps)
            who = _refs.body_in(doc, *agent) if agent is not None else None
            if who is not None:
                return who
        if root.lemma_.lower() not in lex.documents and root.lower_ not in lex.documents:
            # a name deep in a complement does not speak ("une habitante, bénévole au X"),
            # nor any in a complement of a noun that takes up a person ("cette habitante, bénévole au X")
            takes_up = root.pos_ == "NOUN" and any(c.dep_ == "det" and "Dem" in c.morph.get("PronType")
                                                   for c in root.children)
            near = [m for m in ments if m[2].type == "PER" or self.np_distance(m, span) <= (0 if takes_up else 2)]
            # "la télévision d'État chinoise CCTV": a name that closes the phrase is its name
            ments = near or [m for m in ments if m[1] == span.end_char and m[2].type in ("ORG", "PER")
                             and root.lemma_.lower() not in lex.titles and self.bare_name(m)]
        latter = _refs.latter_gender(root, self.lang) if not ments else None
        if latter is not None:
            # "Celui-ci a assuré", "ce dernier": the last person named before, of that gender
            return self.latest_person(span.start_char, latter)
        if not ments and root.pos_ == "PRON" and root.lemma_.lower() in lex.pronouns:
            return self.pronoun(root, anchor)
        if root.pos_ in ("NOUN", "PROPN", "ADJ") and all(m[0] >= root.idx and m[1] <= root.idx + len(root) for m in ments) \
                and any(c.dep_ == "det" for c in root.children):
            # "a dit l'Italien": the person of that country the article names;
            # else, as a reader would, the person the text is about ("le
            # Valaisan", "la Bretonne"), unless the text gives them another country
            who = _refs.demonym_person(doc, root, anchor)
            if who is not None:
                return who
            code = _refs.word_demonym(root)
            if code and "Plur" not in root.morph.get("Number"):
                return self.salient_person(anchor, _refs.demonym_noun_gender(root),
                                           lambda e: _refs.may_be_of(doc, e, code))
        first = next((t for t in span if t.pos_ != "DET"), root)
        if not ments and _refs.age_noun(first, self.lang) is not None:
            # "a déclaré le septuagénaire": the person given that age, else the last named
            return _refs.described_person(doc, first, anchor, lang=self.lang)
        if not ments:
            # "ont souligné les Vingt-Sept": the body the group word stands for
            body = _refs.group_body(state(doc).entities or [], root, self.lang)
            if body is not None:
                return body
        if not ments and root.pos_ == "NOUN" and "Plur" in root.morph.get("Number") \
                and root.lemma_.lower() not in lex.titles:
            # "les signataires", "les deux délégations": the parties the text named
            parties = _refs.group_parties(doc, root)
            if parties:
                return parties[0]
        if not ments and (root.pos_ == "NOUN" or root.pos_ == "ADJ" and any(c.dep_ == "det" for c in root.children)) \
                and root.lemma_.lower() in lex.media:  # "le même quotidien", "quotidien" tagged an adjective
            # "écrit ce quotidien", "selon le journal": the medium named before
            who = _refs.medium_before(doc, span.start_char, lex.media)
            if who is not None:
                return who
        doc_head = root.lemma_.lower() in lex.documents or root.lower_ in lex.documents
        if doc_head and not ments and any(c.dep_ == "amod" and c.lower_ in lex.joint_modifiers for c in root.children):
            # "selon un communiqué conjoint": its first-named signatory
            parties = _refs.last_parties(doc, root)
            if parties:
                return parties[0]
        if doc_head and not ments:
            poss = next((c for c in root.children if "Yes" in c.morph.get("Poss")), None)
            if poss is not None:
                # "a indiqué son porte-parole", "selon leur communiqué": whom it speaks for
                who = self.possessor(poss, anchor)
                if who is not None:
                    return who
        if doc_head and ments and not any(m[2].type == "PER" for m in ments):
            # "une porte-parole de X", "le communiqué de X": the body it speaks for,
            # unless the text named the spokesperson
            if root.lemma_.lower() in lex.titles or root.lower_ in lex.titles:
                who = self.title(span, root, anchor)
                if who is not None and who.type == "PER":
                    return who
            ments.sort(key=lambda m: m[0])
            return ments[0][2]
        if root.lemma_.lower() in lex.anonymous or root.lower_ in lex.anonymous:
            if "Plur" not in root.morph.get("Number") and any(
                    c.dep_ == "det" and "Def" in c.morph.get("Definite") for c in root.children):
                # "le diplomate russe" after the text named him: the person of that
                # nationality, before his country
                adj = next((c for c in root.children if c.dep_ == "amod" and _refs.word_demonym(c)), None)
                who = _refs.demonym_person(doc, adj, anchor) if adj is not None else None
                if who is not None:
                    return who
            # "un haut responsable américain à bord de l'avion de X": the country
            # speaks, not a name in a complement
            who = self.nationality(root)
            if who is not None:
                return who
        if not ments and (root.lemma_.lower() in lex.state_voices or root.lower_ in lex.state_voices) \
                and not any(c.dep_ in ("amod", "nmod") for c in root.children):
            # "les autorités, elles, assurent", "selon le gouvernement": the
            # state the article is about (GUIDELINES §6: its officials speak for it)
            who = self.context_country(span.start_char) or self.main_country(span.start_char)
            if who is not None:
                return who
        office = _refs.seat_office(span)
        if office is not None:
            # "le maître du Kremlin": whoever holds the office the seat names
            who = _refs.office_holder(doc, *office, anchor, _refs.phrase_gender(root))
            if who is not None:
                return who
        pers = [m for m in ments if m[2].type == "PER"]
        if pers:
            # the person the phrase is about, not one in a complement ("l'avocate de X, Y")
            pers.sort(key=lambda m: (self.np_distance(m, span), m[0]))
            return pers[0][2]
        # the first title or document head in the phrase
        titled = [t for t in span if t.lemma_.lower() in lex.titles and t.pos_ in ("NOUN", "ADJ", "PROPN")]
        if titled and ments and titled[0].idx < ments[0][0]:
            close = [m for m in ments if self.np_distance(m, span) == 0 and not self.acronym_aside(m)]
            if close:  # "son directeur général, X": the name in apposition, whatever its type
                return close[0][2]
        if titled and (not ments or titled[0].idx < ments[0][0]):
            head = titled[0]
            sub = doc[max(head.left_edge.i, lo):min(head.right_edge.i, hi) + 1]
            who = self.title(sub if len(sub) else span, head, anchor)
            return who if who is not None else self.description(span, head, anchor, ments)
        if ments:
            ments.sort(key=lambda m: (_TYPE_RANK.get(m[2].type, 9), m[0]))
            return ments[0][2]
        if root.pos_ in ("NOUN", "PROPN") and root.text[:1].isupper() and root.i > span.start:
            return self.short_name(root, anchor)
        if root.lemma_.lower() in self.lex.anonymous or root.lower_ in self.lex.anonymous:
            return self.nationality(root)
        demonstrative = any(c.dep_ == "det" and "Dem" in c.morph.get("PronType") for c in root.children)
        if root.pos_ == "NOUN" and demonstrative \
                and not ({root.lemma_.lower(), root.lower_} & (lex.documents | lex.anonymous)):
            # "explique cette habitante": the person the previous sentence is about
            return self.salient_person(span.start_char, _refs.phrase_gender(root), window=600, last_speaker=False)
        definite = any(c.dep_ == "det" and "Def" in c.morph.get("Definite") for c in root.children)
        if root.pos_ == "NOUN" and definite and not ments and not doc_head and "Plur" not in root.morph.get("Number"):
            # "a déclaré l'ancien banquier": the person the text described so
            who = _refs.described_person(doc, root, anchor)
            if who is not None:
                return who
        if doc_head:
            # "selon le communiqué": the communiqué the text mentioned before, to its issuer
            issuer = self.earlier_document(root)
            if issuer is not None:
                return issuer
            # "précise le texte": the body whose statement was reported before
            prev_pos = max((p for p, e in self.history if p <= anchor), default=None)
            prev = self.previous(anchor)
            if prev is not None and prev.type != "PER" and anchor - prev_pos < 1500:
                return prev
            # "L'OTAN a publié un texte. « … », indique le texte"; "la nouvelle a été
            # annoncée par X. « … », précise le communiqué": the last body that acted
            subj = next(((ms, ent) for ms, me, ent in reversed(self.subject_mentions())
                         if ms < span.start_char and ent.type in ("ORG", "GPE")), None)
            agent = _refs.last_agent(doc, span.start, ("ORG", "GPE"))
            best = max((x for x in (subj, agent) if x is not None), key=lambda x: x[0], default=None)
            if best is not None:
                return best[1]
        return None

    def earlier_document(self, root, window: int = 1500) -> Optional[Entity]:
        """The issuer of the document a definite document noun takes up ("un
        communiqué commun publié par X et Y … selon le communiqué"): the last
        earlier mention of the same noun, its joint signatories' first, else
        the subject of the clause it was named in."""
        doc, lex = self.doc, self.lex
        if not any(c.dep_ == "det" and ("Def" in c.morph.get("Definite") or "Dem" in c.morph.get("PronType"))
                   for c in root.children):
            return None
        lemma = root.lemma_.lower()
        prev = next((t for t in reversed(doc[:root.i]) if t.lemma_.lower() == lemma and t.pos_ == "NOUN"
                     and root.idx - t.idx < window and self.d.in_accepted(t.idx) is None), None)
        if prev is None:
            return None
        if any(c.dep_ == "amod" and c.lower_ in lex.joint_modifiers for c in prev.children):
            parties = _refs.last_parties(doc, prev)
            if parties:
                return parties[0]
        # "un sondage paru dans le quotidien X", "un rapport de l'institut X": the
        # body the earlier mention names in its own complements
        tokents = _entities.entity_index(doc)
        for t in prev.subtree:
            ent = tokents.get(t.i)
            if prev.i < t.i <= prev.i + _ISSUER_REACH and ent is not None and ent.type in ("ORG", "PER"):
                return ent
        gov = prev.head
        while gov.pos_ not in ("VERB", "AUX") and gov.head.i != gov.i:
            gov = gov.head
        src = self.subject(gov) if gov.pos_ in ("VERB", "AUX") else ("none",)
        if src[0] == "np":
            return self.np_entity(src[1], src[2], prev.idx)
        return None

    def possessor(self, poss, anchor: int) -> Optional[Entity]:
        """The person or body a possessive determiner ("son", "leur") refers
        to: the last speaker, else the last subject named before it."""
        if _refs.plural_possessive(poss):
            ant = _refs.plural_antecedent(self.doc, poss)
            parties = _refs.group_parties(self.doc, ant) if ant is not None else []
            return parties[0] if parties else None
        prev_pos = max((p for p, e in self.history if p <= anchor), default=-1)
        for ms, me, ent in reversed(self.subject_mentions()):
            if ms < poss.idx and ms > prev_pos and poss.idx - ms < 1500:
                return ent
        return self.previous(anchor)

    def description(self, span, head, anchor: int, ments) -> Optional[Entity]:
        """A title or a person noun the text ties to nobody by name ("le président
        russe", "la chancelière", "le militaire"): the holder of that office of
        that country in the article, else the country ("le ministre brésilien de
        la Défense" → Brésil, GUIDELINES §6), else, for a definite phrase, the
        person the article is talking about (its last subject of that gender)."""
        doc = self.doc
        gender = _refs.phrase_gender(head)
        code, country, adj = None, None, None
        inside = self.d.ents_in(span.start_char, span.end_char)  # complements too, however deep
        gpes = sorted((m for m in inside if m[2].type == "GPE"), key=lambda m: m[0])
        if gpes:  # "les chefs de la diplomatie d'Iran et d'Oman": the first named
            country = gpes[0][2]
            code = country.kb_id
        else:
            adj, code = _refs.span_demonym(span, head.i)
            if code:
                country = _refs.country_entity(doc, code)
        key = _entities.role_key(doc, span)
        definite = any(t.pos_ == "DET" and "Def" in t.morph.get("Definite") for t in span if t.i < head.i) \
            and "Plur" not in head.morph.get("Number")
        if key is not None:
            who = _refs.holder_in_text(doc, key, code, anchor, gender)
            if who is None and code and definite:
                # "la ministre française" after "X, la ministre de l'Économie": the
                # office the text gave without a country, of a person not of another one
                who = _refs.closest_person([e for e in state(doc).entities or [] if e.type == "PER"
                                            and self.agrees(e, gender) and _refs.may_be_of(doc, e, code)
                                            and _refs.office_without_body(doc, e, key)], anchor)
            if who is not None:
                return who
            who = self.introduced_after(span, key, gender) if definite else None
            if who is not None:
                return who
            if code is None:
                # "le chef de l'État" with no country: the office of the country the
                # text is about, when the article names its holder
                ctx = self.context_country(span.start_char)
                if ctx is not None:
                    who = _refs.office_holder(doc, key, ctx.kb_id, anchor, gender)
                    if who is not None and who.type == "PER":
                        return who
        if adj is not None and (key is None or definite):
            # "le dirigeant éthiopien", "le diplomate russe": the person the text
            # gives that nationality (not one holding another office)
            who = _refs.demonym_person(doc, adj, anchor)
            if who is not None and (key is None or not _refs.holds_other_office(doc, who, key)):
                return who
        soft = key is None or key in _refs.ranks(self.lang)  # "la diplomate suisse": no office to look up
        if country is not None and soft and definite and not ments and head.pos_ == "NOUN":
            # "la diplomate suisse" after the text introduced her: the person it is
            # about, unless the text gives them another country
            who = self.salient_person(anchor, gender, lambda e: _refs.may_be_of(doc, e, code))
            if who is not None:
                return who
        if country is None and code and adj is not None and not (soft and definite):
            # "un porte-parole du gouvernement soudanais" with Sudan named nowhere else
            country = _refs.country_entity(doc, code, said_by=adj)
        if country is not None:
            return country
        if ments and definite and key is not None and all(m[2].type == "ORG" for m in ments):
            # "le président du Conseil militaire (CMSN)" after the text introduced
            # "le colonel X": the person it is about, if they hold no other office
            return self.salient_person(anchor, gender, lambda e: not _refs.holds_other_office(doc, e, key))
        if ments and not definite and "Plur" not in head.morph.get("Number"):
            # "selon un négociateur de l'Union européenne": the body an unnamed
            # member speaks for (GUIDELINES §6)
            bodies = sorted((m for m in ments if m[2].type in ("ORG", "GPE")), key=lambda m: m[0])
            if bodies:
                return bodies[0][2]
        if ments or not definite:
            return None
        return self.salient_person(span.start_char, gender,
                                   lambda e: key is None or not _refs.holds_other_office(doc, e, key),
                                   last_speaker=False, named=False)

    def context_country(self, pos: int, window: int = 1500) -> Optional[Entity]:
        """The country the text is about at ``pos``: the last country that was a
        subject before it, within ``window`` characters."""
        for ms, me, ent in reversed(self.subject_mentions()):
            if ms < pos and pos - ms < window and ent.type == "GPE" and _refs.is_country(ent):
                return ent
        return None

    def main_country(self, pos: int) -> Optional[Entity]:
        """The country the article names most often before ``pos``."""
        best, most = None, 0
        for e in state(self.doc).entities or []:
            if _refs.is_country(e):
                n = sum(1 for m in e.mentions if m.start < pos)
                if n > most:
                    best, most = e, n
        return best

    def introduced_after(self, span, key: str, gender: set, reach: int = 400) -> Optional[Entity]:
        """A title whose holder the text names only afterwards ("le ministre de
        la Santé a affirmé … Omar Diallo a indiqué …"): the first person
        introduced as a subject after the title, within ``reach`` characters,
        named nowhere before it and given no other office."""
        doc, d = self.doc, self.d
        end = span.end_char
        for ms, me, ent in self.subject_mentions():
            if ms <= end:
                continue
            if ms - end > reach:
                break
            if ent.type != "PER":
                continue
            if any(m.start < span.start_char for m in ent.mentions):
                return None  # the next subject was named before: the title is not his introduction
            if (gender and not self.agrees(ent, gender)) or _refs.holds_other_office(doc, ent, key):
                return None
            return ent
        return None

    def bare_name(self, m) -> bool:
        """A mention written right after its noun phrase's words with no
        preposition ("la chaîne publique NHK", not "un responsable du Hamas")."""
        t = self.d.tok_at(m[0])
        if t is None or t.i == 0:
            return False
        prev = self.doc[t.i - 1]
        return prev.pos_ not in ("ADP", "DET") and not prev.is_punct

    def nationality(self, head) -> Optional[Entity]:
        """"une source officielle américaine" → the country the adjective names,
        when the text names it."""
        try:
            from .. import kb as _kb
        except ImportError:
            return None
        for c in head.children:
            if c.dep_ != "amod" or c.pos_ != "ADJ":
                continue
            code = _kb.demonym(c.lower_, lemma=c.lemma_.lower())
            if not code:
                continue
            for e in state(self.doc).entities or []:
                if e.kb_id and e.kb_id.upper() == str(code).upper() and e.type in ("GPE", "ORG"):
                    return e
        return None

    def acronym_aside(self, m) -> bool:
        """Whether mention ``m`` stands in parentheses ("(CMSN)"): the short name
        of the complement before it, not an apposition to the phrase's head."""
        tok = self.d.tok_at(m[0])
        return tok is not None and tok.i > 0 and self.doc[tok.i - 1].text == "("

    def np_distance(self, m, span) -> int:
        """0 when mention ``m`` is the head of ``span`` or in apposition to it,
        more when it sits in a complement."""
        ms = self.doc.char_span(m[0], m[1], alignment_mode="expand")
        if ms is None:
            return 9
        t, root, cost = ms.root, span.root, 0
        for _ in range(6):
            if t.i == root.i or not (span.start <= t.i < span.end):
                break
            if t.dep_ not in ("appos", "flat:name", "flat", "fixed", "compound"):
                cost += 2
            t = t.head
        return cost

    def short_name(self, tok, anchor: int) -> Optional[Entity]:
        """"la Cour", "la Commission": the entity whose name starts with the
        word, the most mentioned one first."""
        w = tok.lower_
        best, key = None, None
        for e in state(self.doc).entities or []:
            names = [e.name] + list(e.aliases or [])
            if not any(n.lower().split()[:1] == [w] for n in names if n):
                continue
            before = [m.start for m in e.mentions if m.start < anchor]
            k = (len(e.mentions), max(before) if before else -1)
            if key is None or k > key:
                best, key = e, k
        return best

    def title(self, span, head, anchor: int) -> Optional[Entity]:
        """The person a title phrase ("le secrétaire général de l'OTAN") names."""
        gender = _refs.phrase_gender(head)
        ent = _entities.resolve(self.doc, span.start_char, span.end_char)
        words = {t.lemma_.lower() for t in span if t.is_alpha and t.pos_ in ("NOUN", "ADJ", "PROPN") and t.i >= head.i}
        words |= {t.lower_ for t in span if t.is_alpha and t.pos_ in ("NOUN", "ADJ", "PROPN") and t.i >= head.i}
        nouns = {t.lower_ for t in span if t.is_alpha and t.pos_ in ("NOUN", "PROPN") and t.i > head.i}
        if ent is not None and ent.type == "PER" and not self.fits_demonyms(span, ent):
            ent = None  # "le dirigeant éthiopien" is not the Kenyan president
        if ent is not None and ent.type == "PER" and not (len(gender) == 1 and ent.gender and ent.gender not in gender):
            known = _name_words(ent) | {w for p, e, tw in self.title_index() if e is ent for w in tw}
            # a resolution that ignores a noun of the title ("du bureau de vote") is a guess
            if not (nouns - known):
                return ent
        best, best_pos = None, None
        for pos, ent, tw in self.title_index():
            if head.lemma_.lower() not in tw and head.lower_ not in tw:
                continue
            if words - tw:
                continue
            if len(gender) == 1 and ent.gender and ent.gender not in gender:
                continue
            if pos <= anchor and (best_pos is None or best_pos > anchor or pos > best_pos):
                best, best_pos = ent, pos
            elif best is None:
                best, best_pos = ent, pos
        return best

    def fits_demonyms(self, span, ent: Entity) -> bool:
        """Whether person ``ent`` fits the nationality adjectives of a title
        phrase: some role of theirs is of that country (true when the text
        gives them no role, or the phrase has no such adjective)."""
        if not ent.roles:
            return True
        _, code = _refs.span_demonym(span)
        if not code:
            return True
        names = _refs.country_names(self.doc, code)
        return not names or _refs.has_role_of(ent, names)

    def title_index(self):
        """(position, PER entity, words of a title in apposition) for the document."""
        if self.d._titles is not None:
            return self.d._titles
        out = []
        doc, d, lex = self.doc, self.d, self.lex
        for s, e, ent in d.ments:
            if ent.type != "PER":
                continue
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                continue
            r = span.root
            cands = []
            h = r.head
            if r.dep_ in ("appos", "nmod", "flat:name") and h.i != r.i and h.lemma_.lower() in lex.titles:
                own = {x.i for x in r.subtree}
                cands.append([t for t in h.subtree if not (span.start <= t.i < span.end) and t.i not in own])
            for c in r.children:
                if c.dep_ in ("appos", "nmod", "acl") and c.lemma_.lower() in lex.titles:
                    cands.append(list(c.subtree))
            # "le ministre X", "la ministre de Y, X", "X, ministre de Y": read without the parse
            k = span.start - 1
            if k >= 0 and doc[k].text == ",":
                k -= 1
            toks = []
            while k >= 0 and span.start - k <= 10 and not doc[k].is_punct and doc[k].pos_ not in ("VERB", "AUX"):
                toks.append(doc[k])
                if doc[k].lemma_.lower() in lex.titles and doc[k].pos_ == "NOUN":
                    cands.append(list(reversed(toks)))
                    break
                k -= 1
            k = span.end
            if k + 1 < len(doc) and doc[k].text == ",":
                k += 1
                if doc[k].pos_ == "DET":
                    k += 1
                if k < len(doc) and doc[k].lemma_.lower() in lex.titles and doc[k].pos_ == "NOUN":
                    toks = []
                    while k < len(doc) and len(toks) < 10 and not doc[k].is_punct and doc[k].pos_ not in ("VERB", "AUX"):
                        toks.append(doc[k])
                        k += 1
                    cands.append(toks)
            for toks in cands:
                words = {t.lemma_.lower() for t in toks if t.is_alpha} | {t.lower_ for t in toks if t.is_alpha}
                out.append((s, ent, words))
            for role in ent.roles or []:
                words = {w.lower() for w in re.findall(r"\w+", (role.title or "") + " " + (role.of or ""))}
                out.append((s, ent, words))
        d._titles = out
        return out

    def pronoun(self, tok, anchor: int) -> Optional[Entity]:
        """The entity a subject pronoun stands for."""
        gender = set(tok.morph.get("Gender"))
        plural = "Plur" in tok.morph.get("Number")
        prev_pos, prev = None, None
        for p, e in self.history:
            if p <= anchor:
                prev_pos, prev = p, e
        if prev is not None and not plural and self.agrees(prev, gender):
            rivals = [m for m in self.subject_mentions() if prev_pos < m[0] < tok.idx and m[2] is not prev
                      and m[2].type in ("PER", "ORG") and self.agrees(m[2], gender) and not self.in_claim(m[0])]
            if prev.type != "PER":
                # a country or a body spoke last ("un haut responsable américain"): a
                # person of that gender named since is the nearer antecedent of "il"
                rivals += [m for m in self.d.ments if prev_pos < m[0] < tok.idx and m[2].type == "PER"
                           and self.agrees(m[2], gender) and self.d.in_accepted(m[0]) is None]
            if not rivals:
                return self.shifted_antecedent(tok, gender, prev) or prev
        if plural:
            # "ils", "elles": the plural subject before ("X et Y ont …", "les
            # ministres du G20 …"), its first party speaking for all
            ant = _refs.plural_antecedent(self.doc, tok)
            if ant is None or self.d.in_accepted(ant.idx) is not None:
                return None
            parties = _refs.group_parties(self.doc, ant)
            return parties[0] if parties else None
        shifted = None if plural else self.shifted_antecedent(tok, gender, prev)
        if shifted is not None:
            return shifted
        for s, e, ent in reversed(self.subject_mentions()):
            if s < tok.idx and ent.type == "PER" and self.agrees(ent, gender) and tok.idx - s < 1500:
                return ent
        for s, e, ent in reversed(self.d.ments):  # a person just named, whatever its role
            if s < tok.idx and tok.idx - s < 400 and ent.type == "PER" and self.agrees(ent, gender) \
                    and self.d.in_accepted(s) is None:
                return ent
            if tok.idx - s >= 400:
                break
        ent = _entities.resolve(self.doc, tok.idx, tok.idx + len(tok))
        if ent is not None:
            return ent
        for s, e, ent in reversed(self.subject_mentions()):
            if s < tok.idx and ent.type in ("PER", "ORG", "GPE") and self.agrees(ent, gender):
                return ent
        for s, e, ent in reversed(self.d.ments):
            if s < tok.idx and ent.type == "PER" and self.agrees(ent, gender) and self.d.in_accepted(s) is None:
                return ent
        return None

    def salient_person(self, anchor: int, gender: set, fits=lambda e: True, window: int = 1500,
                       last_speaker: bool = True, named: bool = True) -> Optional[Entity]:
        """The person a description refers to when nothing in it names them:
        the last speaker (unless ``last_speaker`` is false), else the last
        person that was a subject, else (unless ``named`` is false) the last
        person named, within ``window`` characters, agreeing in gender and
        passing ``fits``."""
        prev_pos = max((p for p, e in self.history if p <= anchor), default=None)
        prev = self.previous(anchor) if last_speaker else None
        # a person of that gender known first, then one whose gender is unknown
        for strict in ((True, False) if len(gender) == 1 else (False,)):
            def ok(e):
                return e is not None and e.type == "PER" and self.agrees(e, gender) and fits(e) \
                    and (not strict or e.gender in gender)

            if ok(prev) and anchor - prev_pos < window:
                return prev
            for pool in (self.subject_mentions(), self.d.ments) if named else (self.subject_mentions(),):
                for ms, me, ent in reversed(pool):
                    if ms < anchor and anchor - ms < window and ok(ent) and self.d.in_accepted(ms) is None:
                        return ent
        return None

    def agrees(self, ent: Entity, gender: set) -> bool:
        return len(gender) != 1 or _refs.agrees(ent, gender, ent.gender or self.mention_gender(ent))

    def mention_gender(self, ent: Entity) -> Optional[str]:
        if ent.type == "PER":
            return None
        for m in ent.mentions[:3]:
            t = self.d.tok_at(m.start)
            if t is None:
                continue
            det = self.doc[t.i - 1] if t.i > 0 else None
            for x in (det, t):
                if x is not None and x.pos_ == "DET":
                    g = x.morph.get("Gender")
                    if len(g) == 1:
                        return g[0]
            g = t.morph.get("Gender")
            if len(g) == 1 and t.pos_ == "NOUN":
                return g[0]
        return None

    def subject_mentions(self):
        if self.d._subject_ments is not None:
            return self.d._subject_ments
        out = []
        for s, e, ent in self.d.ments:
            if self.d.in_accepted(s) is not None:
                continue  # a name inside a quotation is not who speaks
            span = self.doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                continue
            t = span.root
            for _ in range(3):
                if t.dep_ in _SUBJ:
                    out.append((s, e, ent))
                    break
                if t.dep_ in ("appos", "flat:name", "nmod", "flat", "fixed", "compound", "conj") and t.head.i != t.i:
                    t = t.head
                    continue
                break
        # A subject that takes up a person without naming them: "Ce dernier a
        # plaidé …" (the last person named), "Le chef de la diplomatie a
        # rappelé …" (the holder of that title): the topic goes on through it.
        named = {s for s, e, ent in out}
        self.d._subject_ments = list(out)  # what resolving a title below may ask for: the names alone
        for t in self.doc:
            if t.dep_ not in _SUBJ or t.pos_ not in ("NOUN", "ADJ") or self.d.in_accepted(t.idx) is not None:
                continue
            dets = [c for c in t.children if c.dep_ == "det"]
            latter = _refs.latter_gender(t, self.lang)
            if latter is not None:
                ent = self.latest_person(t.idx, latter)
            elif dets and "Def" in dets[0].morph.get("Definite") and _refs.age_noun(t, self.lang) is not None:
                # "Le septuagénaire est apparu au balcon": the person given that age
                ent = _refs.described_person(self.doc, t, t.idx, lang=self.lang)
            elif dets and "Def" in dets[0].morph.get("Definite") and t.lemma_.lower() in self.lex.titles \
                    and "Sing" in t.morph.get("Number"):
                lo, hi = self.np_bounds(t)
                span = self.doc[lo:hi + 1]
                if self.d.ents_in(span.start_char, span.end_char):
                    continue
                ent = self.title(span, t, t.idx) or self.description(span, t, t.idx, [])
                ent = ent if ent is not None and ent.type == "PER" else None
            else:
                continue
            if ent is not None and t.idx not in named:
                out.append((t.idx, t.idx + len(t), ent))
        out.sort(key=lambda m: m[0])
        self.d._subject_ments = out
        return out

    def latest_person(self, pos: int, gender: set, window: int = 800) -> Optional[Entity]:
        """The last person named before character ``pos``, outside quotations,
        agreeing with ``gender`` ("ce dernier", "cette dernière")."""
        return _refs.latest_person(self.doc, pos, gender, window, skip=self.d.in_accepted)


def _name_words(ent: Entity) -> set[str]:
    out = set()
    for n in [ent.name] + list(ent.aliases or []):
        out |= {w.lower() for w in re.findall(r"\w+", n)}
    for role in ent.roles or []:
        out |= {w.lower() for w in re.findall(r"\w+", (role.title or "") + " " + (role.of or ""))}
    return out
