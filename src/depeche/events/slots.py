"""A trigger's frame: which complements of a verb or a noun trigger are its
actor, its recipient and its place (the subject, the "par" agent, the
object, the prepositions its type allows, "de X" of a noun, the verb a noun
is the object of, a complement hung lower in the clause, the owner of the
object)."""
from __future__ import annotations

from typing import Optional

from .document import ACTOR_TYPES, PLACE_TYPES, _Arg, _Cand, _Doc
from .parse import _arg_tokens, _case, _has_article, _is_reflexive, _is_title, _lemma, _passive
from .words import Lexicon


class Slots:
    """Methods of the coder that fill an event's actor, recipient and location."""

    lex: Lexicon
    _extra: list

    def _slots(self, c: _Cand, ctx: _Doc):
        lex = self.lex
        head = c.head
        rec_ok = lex.lemma_recipients.get(_lemma(head)) or lex.recipients.get(c.type) \
            or lex.recipients.get("default", frozenset())
        actor = recipient = location = None
        actor_from_pronoun = False
        subject_received = False  # the recipient is a passive's subject, named before its agent
        coordinated = []

        def take_recipient(dep, label):
            nonlocal recipient, location
            # What one supports, condemns or rejects stands for its owner
            # ("a salué les réformes de l'UA"); elsewhere an object is a
            # party only by its own name.
            strict = label in ("obj", "iobj") and c.type not in lex.owner_types
            a = None
            if label == "obj" and not strict and dep.pos_ == "NOUN":
                # "a condamné l'occupation de X par Y": the act's agent owns it
                agent = next((k for k in dep.children if k.dep_ == "nmod" and _case(k) in lex.agent_preps), None)
                a = self._arg(agent, ctx, allow_salient=False) if agent is not None else None
            if a is None:
                a = self._arg(dep, ctx, allow_salient=False, strict=strict)
            if a is None:
                return
            if a.type == "GPE" and label in lex.location_preps and _lemma(head) in lex.host_lemmas:
                # "la visite du président au Portugal": the host receives the visit
                location = location or a
                recipient = recipient or a
                return
            if a.type in PLACE_TYPES and label in lex.location_preps and \
                    (c.type in lex.place_types or label not in rec_ok
                     or (c.type not in lex.dative_types and not _has_article(dep))):
                location = location or a
                return
            if a.type == "LOC":
                return
            if label == "obj" and a.type == "GPE" and c.type in lex.object_place_types and not _has_article(dep):
                location = location or a  # "rallier Vienne", "visiter Kiev"
                return
            if label in rec_ok and recipient is None:
                recipient = a
                coordinated.extend(self._others(dep, ctx, a))

        if not c.is_noun:
            passive = (_passive(head, lex.agent_preps) and _lemma(head) not in lex.etre_verbs
                       and not _is_reflexive(head)) or (head.dep_ == "acl" and "Part" in head.morph.get("VerbForm")
                                         and "Past" in head.morph.get("Tense") and not _is_reflexive(head)
                                         and any(_case(d) in lex.agent_preps for d in head.children))
            subj = self._subject(head, ctx)
            # With a pair ("exprimer sa gratitude envers X"), the noun's complements count too.
            own = {t.i for t in c.tokens}
            kids = list(head.children) + [k for t in c.tokens if t.i != head.i for k in t.children
                                          if k.i not in own and k.dep_ == "nmod"]
            # "a rencontré mercredi le ministre X": the parser hangs the object on
            # the day; a determined phrase under a time word is the verb's object
            for dep in list(kids):
                if dep.i > head.i and dep.i in ctx.tok_time and dep.dep_ in ("obj", "obl:mod", "obl", "nmod"):
                    kids += [k for k in dep.children if k.i not in ctx.tok_time and k.dep_ in ("nmod", "appos")
                             and not any(x.dep_ == "case" for x in k.children)
                             and any(x.dep_ == "det" for x in k.children)]
            for dep in kids:
                label = dep.dep_
                if dep.head.i in ctx.tok_time and dep.head.i != head.i and label in ("nmod", "appos"):
                    label = "obj"
                if label == "nsubj" and subj is not None and subj.i < head.i < dep.i and ctx.entity_of_token(dep):
                    take_recipient(dep, "obj")  # "X a rencontré Y", Y parsed as a second subject
                elif label in ("obj", "iobj") or (label == "xcomp" and dep.pos_ in ("PROPN", "NOUN")):
                    if dep.pos_ == "PRON" and dep.lower_ in lex.relative_object:
                        continue
                    take_recipient(dep, "iobj" if label == "iobj" else "obj")
                elif label.startswith("obl") or label == "nmod":
                    prep = _case(dep)
                    if prep in lex.agent_preps and passive:
                        if actor is None:
                            actor = self._arg(dep, ctx)
                            coordinated.extend(self._extra)
                            coordinated.extend(self._others(dep, ctx, actor))
                    elif prep:
                        take_recipient(dep, prep)
                    elif not passive and dep.i > head.i and dep.i not in ctx.tok_time and ctx.entity_of_token(dep) \
                            and not any(k.dep_ in ("obj", "iobj") for k in head.children):
                        take_recipient(dep, "obj")  # "a bombardé Gaza" with the name parsed as an adjunct
            if subj is not None:
                if passive:
                    # The one the act is done to: a name, a pronoun, a title
                    # ("le président a été reçu"), not a thing named after one
                    # ("la Déclaration de Panmunjom a été signée").
                    if recipient is None and (subj.pos_ in ("PRON", "PROPN") or ctx.entity_of_token(subj)
                                              or _lemma(subj) in lex.collective_heads
                                              or any(k.dep_ in ("appos", "flat:name") for k in subj.children)
                                              or not any(k.dep_ == "nmod" for k in subj.children)):
                        a = self._arg(subj, ctx, allow_salient=False)
                        if a is not None and a.type != "LOC":
                            recipient = a
                            subject_received = subj.i < head.i and subj.pos_ != "PRON"  # named, not a pronoun
                else:
                    if actor is None:
                        actor = self._arg(subj, ctx)
                        actor_from_pronoun = subj.pos_ == "PRON"
                        coordinated.extend(self._extra)
                    for b in self._others(subj, ctx, actor):
                        coordinated.insert(0, b)
        else:
            of_rec = _lemma(head) in lex.of_is_recipient
            # A participle right after the noun's phrase that the parser hung
            # elsewhere ("des implications de la guerre menée par X").
            adjacent_acl = None
            right = _arg_tokens(head)[-1].i + 1
            if right < len(head.doc):
                nxt = head.doc[right]
                if nxt.dep_ == "acl" and nxt.pos_ == "VERB" and nxt.head.i != head.i \
                        and "Part" in nxt.morph.get("VerbForm"):
                    adjacent_acl = nxt
            kids = list(head.children) + ([adjacent_acl] if adjacent_acl is not None else [])
            # "les pourparlers prévus jeudi à Lomé entre X et Y": the parser hangs
            # the "entre" phrase on the time or place before it
            kids += [g for k in list(head.children) if k.dep_ in ("nmod", "obl", "acl") for g in k.children
                     if g.dep_ == "nmod" and _case(g) in lex.between_preps and g.i > k.i
                     and (ctx.tok_ent.get(k.i) is not None or ctx.tok_time.get(k.i) is not None or k.dep_ == "acl")]
            # "l'offensive d'envergure de X contre Y": the complements hung on a
            # bare noun that qualifies the act are the act's
            kids += [g for k in list(head.children) if k.dep_ == "nmod" and k.pos_ == "NOUN" and k.i > head.i
                     and _case(k) in lex.of_preps and not any(x.dep_ == "det" for x in k.children)
                     and ctx.tok_ent.get(k.i) is None
                     for g in k.children if g.dep_ == "nmod" and g.i > k.i and _case(g)]
            if head.dep_ == "nmod" and head.i != head.head.i:
                # "à l'issue de pourparlers entre X et Y": the phrase hung on the noun's governor
                kids += [g for g in head.head.children if g.dep_ == "nmod" and _case(g) in lex.between_preps
                         and g.i > head.i and g not in kids]
            for dep in kids:
                label = dep.dep_
                if label == "amod" and actor is None:
                    actor = self._demonym(dep, ctx)
                    continue
                if label in ("nmod", "obl", "obl:arg", "obl:mod", "obl:agent"):
                    prep = _case(dep)
                    if prep in lex.agent_preps:
                        actor = actor or self._arg(dep, ctx)
                    elif prep in lex.of_preps:
                        # Only a "de" complement that is itself a name or a group
                        # ("l'aide de 50 milliards d'euros à l'Ukraine" is not).
                        if ctx.entity_of_token(dep) is None and _lemma(dep) not in lex.collective_heads \
                                and not any(_lemma(dep) in h for h, _, _, _ in lex.groups) \
                                and not any(k.dep_ in ("appos", "flat:name") for k in dep.children) \
                                and not (_is_title(dep) and any(ctx.tok_ent.get(k.i) is not None for k in dep.children)):
                            continue
                        a = self._arg(dep, ctx, allow_salient=False)
                        if a is None:
                            continue
                        if a.type in PLACE_TYPES and c.type == "CONSULT" and _lemma(head) in lex.named_after_place \
                                and a.type != "ORG":
                            location = location or a
                        elif of_rec:
                            recipient = recipient or a
                        else:
                            actor = actor or a
                            coordinated.extend(self._others(dep, ctx, a))
                    elif prep in lex.between_preps:
                        a = self._arg(dep, ctx, allow_salient=False)
                        if a is not None:
                            if actor is None:
                                actor = a
                                coordinated.extend(self._others(dep, ctx, a))
                                if not coordinated:
                                    b = self._next_party(dep, ctx)
                                    if b is not None and b.name != a.name:
                                        coordinated.append(b)
                            else:
                                recipient = recipient or a
                    elif prep:
                        take_recipient(dep, prep)
                elif label in ("acl", "acl:relcl") and dep.pos_ == "VERB" or dep is adjacent_acl:
                    # "la guerre menée par la Russie", "le soutien que l'Iran apporte"
                    if _lemma(dep) in lex.opposition_verbs:
                        sides = [d for d in dep.children if d.dep_ == "obj" or d.dep_.startswith("obl")]
                        sides += [k for d in sides if d.dep_ == "obj" for k in d.children if k.dep_ == "nmod"]
                        for d in sides:
                            if d.dep_ == "obj" and actor is None:
                                actor = self._arg(d, ctx, allow_salient=False)
                            elif _case(d) in lex.opposition_preps \
                                    and recipient is None:
                                recipient = self._arg(d, ctx, allow_salient=False)
                    for d in dep.children:
                        if d.dep_.startswith("obl") and _case(d) in lex.agent_preps:
                            actor = actor or self._arg(d, ctx)
                            # "menée par la Russie contre l'Ukraine", the parser
                            # hanging "contre" on the agent.
                            for dd in d.children:
                                if dd.dep_ == "nmod" and _case(dd) in rec_ok and _case(dd) not in lex.of_preps:
                                    take_recipient(dd, _case(dd))
                        elif d.dep_ in ("obl:arg", "obl:mod") and _case(d) in rec_ok and recipient is None:
                            take_recipient(d, _case(d))
                    if actor is None and (label == "acl:relcl" or any(
                            k.dep_ == "obj" and k.lower_ in lex.relative_object for k in dep.children)):
                        s = self._subject(dep, ctx)
                        if s is not None and s.i != head.i and s.lower_ not in lex.relative_subject:
                            actor = self._arg(s, ctx, allow_salient=False)
            if location is None and c.type == "CONSULT" and _lemma(head) in lex.named_after_place:
                # "le Forum pour la paix de Dakar"
                for t in _arg_tokens(head):
                    e = ctx.tok_ent.get(t.i)
                    if t.i != head.i and e is not None and e.type in PLACE_TYPES and _case(t) in lex.of_preps:
                        location = _Arg(e.name, e.id, e.type)
                        break
            if actor is None:
                # "l'expulsion de l'ambassadeur par le Niger", "par" hung lower.
                for t in _arg_tokens(head):
                    if t.i != head.i and _case(t) in lex.agent_preps and t.pos_ in ("PROPN", "NOUN"):
                        actor = self._arg(t, ctx, allow_salient=False)
                        if actor is not None:
                            break
            # The verb the noun depends on: "a imposé des sanctions", "lors du sommet".
            top = head
            # "adopte un paquet de sanctions": through a noun that only counts it.
            for _ in range(2):
                if top.dep_ == "nmod" and top.head.pos_ == "NOUN" and top.head.dep_ == "obj":
                    top = top.head
            gov = top.head
            top_dep = top.dep_
            if top_dep == "nmod" and gov.i in ctx.tok_time and gov.head.i != gov.i \
                    and gov.head.pos_ in ("VERB", "AUX") and any(k.dep_ == "case" and k.pos_ == "ADP" for k in top.children) \
                    and gov.dep_.startswith("obl"):
                # "ont entamé jeudi des négociations": the parser hangs the object on the day
                gov, top_dep = gov.head, "obj"
            if actor is None and recipient is not None and c.type in lex.meeting_adjunct_types:
                # "à l'issue d'un entretien avec X, Y a annoncé …": Y met X
                actor = self._meeting_participant(head, ctx)
            if gov.i != top.i and gov.pos_ in ("VERB", "AUX") and actor is None:
                light = _lemma(gov) in lex.light_verbs
                if (top_dep == "obj" or top_dep == "nsubj" or top_dep.startswith("obl")) and light:
                    s = self._subject(gov, ctx)
                    if s is not None and s.i != head.i:
                        actor = self._arg(s, ctx)
                        coordinated.extend(self._extra)
                        # "X et Y ont repris les discussions": Y is the other party
                        coordinated.extend(self._others(s, ctx, actor))
                    if top_dep == "obj":
                        for dep in gov.children:
                            if dep.dep_ in ("iobj",) or (dep.dep_.startswith("obl") and _case(dep)):
                                take_recipient(dep, "iobj" if dep.dep_ == "iobj" else _case(dep))
        if not c.is_noun and (actor is None or actor_from_pronoun):
            # "« … », a-t-il déclaré", "Il s'est félicité des « … »": the quotes
            # stage already knows who speaks through this verb
            sp = ctx.speaker_of_cue(head)
            if sp is not None:
                actor = sp
        if recipient is None:
            recipient = self._clause_recipient(c, ctx, rec_ok, actor)
        if recipient is None and not c.is_noun and c.type in lex.owner_types:
            recipient = self._owner(head, ctx, actor)
        if recipient is None and c.is_noun and actor is not None and c.type in lex.addressed_types:
            gov = head.head
            for _ in range(3):
                if gov.pos_ in ("VERB", "AUX") or gov.head.i == gov.i:
                    break
                gov = gov.head
            if gov.pos_ in ("VERB", "AUX") and not (head.dep_ == "obj" and _lemma(gov) in lex.light_verbs):
                s = self._subject(gov, ctx)
                if s is not None and s.i != head.i:
                    a = self._arg(s, ctx, allow_salient=False)
                    if a is not None and a.name != actor.name and a.type in ACTOR_TYPES:
                        recipient = a
        # Two coordinated actors: the first acts, the second receives.
        if recipient is None and coordinated:
            recipient = coordinated[0]
        if actor is not None and recipient is not None and actor.name == recipient.name:
            recipient = None
        if subject_received and actor is not None and recipient is not None and c.type in lex.first_named_types:
            # "X sera reçu par Y": of two parties meeting, the first named is the actor (GUIDELINES §4)
            actor, recipient = recipient, actor
        if location is None:
            location = self._location(c, ctx)
        if location is None and not c.is_noun:
            # "la Déclaration de Panmunjom signée par ...": named after where it was made.
            things = [k for k in head.children if k.dep_ in ("obj", "nsubj:pass")]
            if head.dep_ == "acl":
                things.append(head.head)
            for t in things:
                if _lemma(t) not in lex.named_after_place:
                    continue
                for k in t.children:
                    e = ctx.tok_ent.get(k.i)
                    if k.dep_ == "nmod" and _case(k) in lex.of_preps and e is not None and e.type in PLACE_TYPES:
                        location = _Arg(e.name, e.id, e.type)
                        break
        return actor, recipient, location

    def _meeting_participant(self, noun, ctx: _Doc) -> Optional[_Arg]:
        """"À l'issue d'un entretien avec X, Y a annoncé …", "lors du sommet, Y a
        signé …": a meeting named in a time adjunct of a clause counts the
        clause's subject among its parties."""
        lex = self.lex
        t, words = noun, set()
        for _ in range(3):
            words |= {k.lower_ for k in t.children if k.dep_ == "case"}
            if t.head.i == t.i or t.head.pos_ in ("VERB", "AUX"):
                break
            t = t.head
            words.add(t.lower_)  # "à l'issue de", "lors de": the adjunct's head word
        gov = t.head
        if gov.i == t.i or gov.pos_ not in ("VERB", "AUX") or not (t.dep_.startswith("obl") or t.dep_ == "advmod") \
                or not (words & lex.meeting_adjuncts):
            return None
        s = self._subject(gov, ctx)
        if s is None or s.i == noun.i:
            return None
        a = self._arg(s, ctx, allow_salient=False)
        return a if a is not None and a.type in ACTOR_TYPES else None

    def _owner(self, verb, ctx: _Doc, actor) -> Optional[_Arg]:
        """Whose thing the verb's object is: "les réformes de l'UA", "la
        médiation américaine", "le soutien que l'Iran apporte"."""
        for obj in verb.children:
            if obj.dep_ != "obj" or obj.pos_ != "NOUN":
                continue
            for k in obj.children:
                if k.dep_ == "acl:relcl":
                    s = self._subject(k, ctx)
                    if s is not None and s.i != obj.i and s.pos_ != "PRON":
                        a = self._arg(s, ctx, allow_salient=False)
                        if a is not None and a.type in ACTOR_TYPES:
                            return a
            a = self._arg(obj, ctx, allow_salient=False)
            if a is not None and a.type in ACTOR_TYPES and (actor is None or a.name != actor.name):
                return a
        return None

    def _clause_recipient(self, c: _Cand, ctx: _Doc, rec_ok, actor) -> Optional[_Arg]:
        """A recipient complement the parser hung lower in the clause
        ("un entretien à la Maison Blanche avec X")."""
        preps = {p for p in rec_ok if p not in ("obj", "iobj")
                 and (p not in self.lex.location_preps or c.type in self.lex.dative_types)}
        if _lemma(c.head) in self.lex.host_lemmas:
            preps |= self.lex.location_preps  # the place visited, hung lower by the parser
        if not preps:
            return None
        chain = self._chain(c)
        lo, hi = ctx.win[c.head.i]
        for i in range(c.head.i + 1, hi):
            tok = ctx.doc[i]
            if (tok.pos_ not in ("NOUN", "PROPN") and ctx.tok_ent.get(tok.i) is None) or _case(tok) not in preps:
                continue
            if tok.head.i == tok.i or self._rank(tok.head, chain, c.head) is None:
                continue
            a = self._arg(tok, ctx, allow_salient=False)
            if a is not None and a.type in ACTOR_TYPES and (actor is None or a.name != actor.name):
                return a
        return None
