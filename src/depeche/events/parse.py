"""Reading the dependency parse: lemmas, the clause a word belongs to, the
preposition of a nominal, reflexives and passives, the tokens of an argument
phrase and its conjuncts, title nouns."""
from __future__ import annotations


SUBJ = ("nsubj", "nsubj:pass", "csubj")
CLAUSAL = ("acl", "acl:relcl", "advcl", "ccomp", "parataxis", "csubj", "xcomp", "conj")
ARG_DEPS = ("obj", "iobj", "obl", "obl:arg", "obl:mod", "obl:agent", "nmod")


# --- the parse ---------------------------------------------------------------

def _lemma(tok) -> str:
    return tok.lemma_.lower()


def _nominal_of(tok):
    """The argument phrase a name in apposition belongs to ("la ministre X, qui
    …": the relative hangs on X, the phrase is "la ministre")."""
    for _ in range(4):
        if tok.dep_ in ("appos", "flat:name", "flat") and tok.head.i != tok.i:
            tok = tok.head
        else:
            break
    return tok


def _clause_verb(tok):
    """The verb whose clause word ``tok`` belongs to (itself when a verb)."""
    if tok.pos_ in ("VERB", "AUX"):
        return tok
    head = _nominal_of(tok).head
    return head if head.pos_ in ("VERB", "AUX") else tok


def _case(tok) -> str:
    """The preposition introducing a nominal (its first case/mark child)."""
    for c in tok.lefts:
        if c.dep_ in ("case", "mark"):
            return c.lower_
    return ""


def _is_reflexive(tok) -> bool:
    for c in tok.lefts:
        if c.pos_ != "PRON":
            continue
        if c.dep_.startswith("expl") or "Yes" in c.morph.get("Reflex"):
            return True
        # "nous concerter", "vous entretenir": first and second persons.
        if c.dep_ in ("obj", "iobj") and set(c.morph.get("Person")) & {"1", "2"}:
            return True
    return False


def _passive(tok, agent_preps=frozenset()) -> bool:
    if "Pass" in tok.morph.get("Voice"):
        return True
    kids = list(tok.children)
    if any(c.dep_ == "nsubj:pass" for c in kids):
        return True
    return any(c.dep_ == "aux:pass" for c in kids) and any(
        c.dep_.startswith("obl") and _case(c) in agent_preps for c in kids)


def _arg_tokens(tok) -> list:
    """The tokens of a nominal argument, without its clauses and its own
    conjuncts (conjuncts deeper in the phrase stay: "les présidents du
    Rwanda et de la RDC")."""
    out = []
    stack = [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in ("cc", "punct"):
                continue
            if c.dep_ == "conj" and t.i != tok.i and c.pos_ in ("NOUN", "PROPN"):
                stack.append(c)
                continue
            if c.dep_ == "conj" and _appositive(c):
                stack.append(c)  # "le Premier ministre du Canada, Paul Lebrun,": a name in apposition
                continue
            if c.dep_ in CLAUSAL:
                continue
            stack.append(c)
    return sorted(out, key=lambda t: t.i)


def _has_article(tok) -> bool:
    """ "à la France", "au Mali" (a country) rather than "à Oslo" (a city)."""
    return any(c.dep_ == "det" or (c.dep_ == "case" and "Art" in c.morph.get("PronType")) for c in tok.children)


def _is_title(tok) -> bool:
    """A person's title noun ("ambassadeur", "président"), from the roles lexicon."""
    from ..entities import _lex as _entity_lex, _tnorm

    return tok.pos_ == "NOUN" and _tnorm(tok) in _entity_lex("fr").title_words


def _appositive(c) -> bool:
    """A "conjunct" the parser made of a name in apposition to a title: after
    a comma, with no coordinator nor article ("le ministre, Paul Lebrun, a dit")."""
    if c.pos_ != "PROPN" or any(x.dep_ in ("cc", "det") for x in c.children) or c.i == 0:
        return False
    return c.doc[c.i - 1].text == "," and _is_title(c.head)


def _conjuncts(tok) -> list:
    """The phrases coordinated with ``tok``, also those the parser hung on
    the last word of its name ("entre Piotr Lis et Jan Novak" with "Jan" a
    conjunct of "Lis")."""
    words = [tok] + [c for c in tok.children if c.dep_ in ("flat:name", "flat")]
    out = [c for w in words for c in w.children
           if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON") and not _appositive(c)]
    if tok.dep_.startswith("nsubj"):
        # "X et Y sont parvenus à …" parsed as two subjects of the verb, the
        # coordinator hung on the verb between them
        verb = tok.head
        later = [c for c in verb.children if c.dep_ == tok.dep_ and tok.i < c.i < verb.i
                 and c.pos_ in ("NOUN", "PROPN")]
        for c in later:
            if any(k.dep_ == "cc" and tok.i < k.i < c.i for k in verb.children) and c not in out:
                out.append(c)
    return out
