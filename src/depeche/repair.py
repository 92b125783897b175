"""Repairs of parser errors that recur in French news, applied once to a
Doc before the depeche stages read its dependencies (the entities stage
runs them; the events stage too when it runs alone).

- A weekday between a verb and its object ("a rencontré mercredi le
  ministre", "ont imposé lundi des sanctions") is often parsed as the verb's
  object, with the real object hung on the day. The day becomes the verb's
  time adjunct (``obl:mod``) and the phrases hung on it after it go to the
  verb: a determined noun phrase or a name as its object, a prepositional
  phrase ("lundi à Accra") as its adjunct. A name parsed as the day's
  determiner ("a bombardé Kherson dimanche") goes back to the verb the same
  way. Parts of the date itself ("lundi 3 mars", "jeudi soir", "mardi
  prochain") stay on the day.
- A determined phrase hung without a preposition on a place or time adjunct
  ("a reçu à Accra le ministre") is the verb's object.
- Subjects hung on the wrong word (``_subjects``).
- A present verb right after the name opening a short sentence, read as the
  name's modifier ("La Russie bombarde Kharkiv"), heads the sentence
  (``promote_verb``; the events stage also calls it for a verb the tagger
  read as a noun).

No repair makes a cycle: ``_attach`` refuses a head inside the child's subtree.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.attrs import DEP, HEAD, LOWER, POS

from . import lang as langdata
from .nlp import view

_DONE = "depeche_repaired"
_OBJECT_DEPS = ("obj", "xcomp", "nsubj", "obl:arg")
_MOVED_DEPS = ("nmod", "appos", "obj", "nsubj", "det")


@lru_cache(maxsize=None)
def _words(lang: str) -> tuple[frozenset, frozenset, frozenset]:
    """(weekday words, words of a date: months and parts of the day, partitive articles)."""
    t = langdata.load(lang, "times")
    days = frozenset(w.lower() for ws in t.get("weekdays", {}).get("names", []) for w in ws)
    date_words = {w.lower() for ws in t.get("months", {}).get("names", []) for w in ws}
    for section in ("day_parts", "day_part_nouns"):
        for ws in (t.get(section) or {}).values():
            date_words.update(w.lower() for w in ws if isinstance(w, str) and " " not in w)
    return days, frozenset(date_words), langdata.words(lang, "grammar", "partitive_articles")


def _attach(child, head, dep: str) -> bool:
    """Hang ``child`` on ``head`` with label ``dep``, unless that would make a
    cycle (``head`` inside ``child``'s subtree)."""
    if head.i == child.i:
        child.head, child.dep_ = child, dep
        return True
    h = head
    for _ in range(len(child.doc)):
        if h.i == child.i:
            return False
        if h.head.i == h.i:
            break
        h = h.head
    child.head = head
    child.dep_ = dep
    return True


def _rows(doc) -> list:
    """(index, lower form, part of speech, label, head index) of every token,
    read from the Doc's arrays: the repairs filter these and build Token
    objects only for the few they look at."""
    strings = doc.vocab.strings
    arr = doc.to_array([LOWER, POS, DEP, HEAD])
    heads = arr[:, 3].astype("int64").tolist()  # relative offsets, stored unsigned
    return [(i, strings[low], strings[pos], strings[dep], i + head)
            for i, ((low, pos, dep, _), head) in enumerate(zip(arr.tolist(), heads))]


def repair(doc, lang: str = langdata.DEFAULT_LANG):
    """Repair ``doc``'s parse in place (once per Doc) and return it."""
    if doc.user_data.get(_DONE) or not doc.has_annotation("DEP"):
        return doc
    doc.user_data[_DONE] = True
    days, date_words, partitives = _words(lang)
    rows = _rows(doc)  # read once: each pass re-checks the live tokens it picks
    for i in [i for i, low, pos, dep, head in rows if low in days and head < i]:
        t = doc[i]
        if t.head.pos_ not in ("VERB", "AUX") or t.head.i >= t.i:
            continue  # a day after its verb only
        verb = t.head
        has_object = any(c.dep_ == "obj" and c.i != t.i for c in verb.children)
        for c in list(t.children):
            if c.dep_ not in _MOVED_DEPS or c.lower_ in date_words or c.lower_ in days or c.like_num:
                continue
            if c.dep_ == "det" and c.pos_ != "PROPN":
                continue  # "ce lundi": the day's own determiner
            if c.i > t.i and c.dep_ != "det" and not any(k.dep_ in ("det", "case") for k in c.children) \
                    and c.pos_ != "PROPN":
                continue  # "lundi prochain", "jeudi soir": the date's own words
            prep = any(k.dep_ == "case" and k.pos_ == "ADP" and k.i < c.i and k.lower_ not in partitives
                       for k in c.children)
            dep = "obl:mod" if prep or has_object else "obj"
            if _attach(c, verb, dep):
                has_object = has_object or dep == "obj"
        if t.dep_ in _OBJECT_DEPS:
            t.dep_ = "obl:mod"
    for i in [i for i, low, pos, dep, head in rows if dep.startswith("obl") and head < i]:
        # "a reçu mardi à Accra le ministre": a determined phrase hung without a
        # preposition on the verb's place or time adjunct is the verb's object
        t = doc[i]
        if not t.dep_.startswith("obl") or t.head.pos_ != "VERB" or t.head.i >= t.i:
            continue
        verb = t.head
        if any(c.dep_ in ("obj", "ccomp") for c in verb.children):
            continue
        for c in t.children:
            if c.dep_ == "nmod" and c.i > t.i and c.pos_ == "NOUN" and c.lower_ not in date_words \
                    and any(k.dep_ == "det" and k.i < c.i for k in c.children) \
                    and not any(k.dep_ == "case" and k.i < c.i for k in c.children):
                _attach(c, verb, "obj")
                break
    verb_tags(doc, rows, lang)
    auxiliary_roots(doc, rows, lang)
    personal_subjects(doc, rows, lang)
    _subjects(doc, rows)
    relative_main_verbs(doc, rows, langdata.words(lang, "grammar", "object_relatives"))
    for i in [i for i, low, pos, dep, head in rows if pos == "VERB"]:
        if "Fin" in doc[i].morph.get("VerbForm"):
            promote_verb(doc, doc[i])
    return doc


@lru_cache(maxsize=None)
def _verb_grammar(lang: str) -> tuple:
    """grammar.toml's participle endings, auxiliaries, complement marks and
    [form ending, lemma ending] of a present that is no participle, read once."""
    g = langdata.load(lang, "grammar")
    return (tuple(tuple(x) for x in g.get("participle_endings", [])), frozenset(g.get("auxiliary_lemmas", [])),
            frozenset(g.get("complement_marks", [])), tuple(g.get("present_not_participle", ["it", "ir"])))


def verb_tags(doc, rows: list, lang: str = langdata.DEFAULT_LANG) -> None:
    """Verbs the tagger read as names or nouns, and nouns it read as pronouns:

    - a past participle right after an auxiliary ("a tweeté", "s'est alors
      écrié", tagged PROPN): a verb, the auxiliary its own;
    - a noun with a subject and a "que" clause ("Le texte juge que …"): a
      finite verb;
    - a capitalised word with an article tagged a pronoun ("l'Estonienne"): a noun;
    - a form in -it of a verb in -ir tagged a participle with no auxiliary
      ("qui réunit"): the present."""
    endings, auxes, marks, (finite_it, ir_ending) = _verb_grammar(lang)
    for i, low, pos, dep, head in rows:
        if pos == "VERB" and low.endswith(finite_it) and doc[i].lemma_.lower().endswith(ir_ending) \
                and "Part" in doc[i].morph.get("VerbForm") and not any(c.dep_.startswith("aux") for c in doc[i].children):
            # "un exercice qui réunit vingt pays": the participle of "réunir" is
            # "réuni"; a form in -it with no auxiliary is the present
            doc[i].set_morph("Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin")
            continue
        if pos == "PRON" and i > 0 and doc[i].text[:1].isupper() and any(c.dep_ == "det" for c in doc[i].children) \
                and _person_demonym(doc[i]):
            doc[i].pos_ = "NOUN"  # "l'Estonienne a ajouté": a demonym with its article, no pronoun
            continue
        if pos not in ("PROPN", "NOUN", "X") or i == 0 or not low[:1].isalpha():
            continue
        t = doc[i]
        if not t.text[:1].islower():
            continue
        ending = next(((suf, rep) for suf, rep in endings if low.endswith(suf) and len(low) > len(suf) + 2), None)
        j = i - 1
        while j > 0 and doc[j].pos_ == "ADV":
            j -= 1
        aux = doc[j]
        if ending is not None and aux.lemma_.lower() in auxes and aux.pos_ in ("AUX", "X", "VERB") \
                and not any(c.dep_ == "det" for c in t.children):
            t.pos_ = "VERB"
            t.set_morph("Tense=Past|VerbForm=Part")
            if t.lemma_.lower() == low:
                t.lemma_ = low[: len(low) - len(ending[0])] + ending[1]
            aux.pos_ = "AUX"
            if aux.head.i == t.i or aux.dep_ == "dep":
                _attach(aux, t, "aux:tense")
            continue
        if pos == "NOUN" and any(c.dep_.startswith("nsubj") for c in t.children) and not any(
                c.dep_ == "det" for c in t.children) and any(
                c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
                for c in t.children):
            t.pos_ = "VERB"
            t.set_morph("Mood=Ind|Tense=Pres|VerbForm=Fin")


def auxiliary_roots(doc, rows: list, lang: str = langdata.DEFAULT_LANG) -> None:
    """"L'UE s'est quant à elle engagée à financer …": an adverbial phrase
    between the auxiliary and the participle makes the parser take the
    auxiliary for the root and the participle for an adjunct. The participle
    becomes the root, the auxiliary and the auxiliary's subject and clitics
    its own."""
    auxes = _verb_grammar(lang)[1]
    for i, low, pos, dep, head in rows:
        if pos != "AUX" or head != i or doc[i].lemma_.lower() not in auxes:
            continue
        aux = doc[i]
        part = next((c for c in aux.children if c.i > i and c.pos_ == "VERB" and "Part" in c.morph.get("VerbForm")
                     and c.dep_ in ("advcl", "xcomp", "acl", "conj", "dep") and c.i - i <= 6), None)
        if part is None or any(t.pos_ not in ("ADV", "ADP", "PRON", "PUNCT", "DET") for t in doc[i + 1:part.i]):
            continue
        _attach(part, part, "ROOT")
        for c in list(aux.children):
            if c.dep_.startswith("nsubj") or c.dep_.startswith("expl") or c.dep_ in ("advmod", "punct", "obl:mod"):
                _attach(c, part, c.dep_)
        _attach(aux, part, "aux:tense")


def _person_demonym(tok) -> bool:
    """Whether ``tok`` is the demonym of a country or a place ("Estonienne",
    "Valaisan"), not a group word ("les Vingt-Sept")."""
    from . import kb as _kb

    code = _kb.demonym(tok.text, lemma=tok.lemma_)
    return bool(code and code.isupper()) or _kb.place_demonym(tok.text, lemma=tok.lemma_) is not None


def relative_main_verbs(doc, rows: list, relatives: frozenset) -> None:
    """"La visite que X effectuera au Japon commencera lundi", parsed with
    the main verb ("commencera") inside the relative clause (its ``xcomp``,
    ``advcl`` or ``conj``) or with the relative verb as the root and the noun
    its subject: the relative verb hangs on the noun (``acl:relcl``, the
    pronoun its object) and the main verb, finite with no subject, mark or
    punctuation before it, takes the noun as its subject and the relative
    verb's place in the sentence."""
    for i in [i for i, low, pos, dep, head in rows if low in relatives and 0 < i]:
        q, noun = doc[i], doc[i - 1]
        rel = q.head
        if noun.pos_ != "NOUN" or rel.pos_ != "VERB" or rel.i <= q.i or "Fin" not in rel.morph.get("VerbForm"):
            continue
        if not any(c.dep_ == "nsubj" and q.i < c.i < rel.i for c in rel.children):
            continue  # "la visite qu'effectuera X": no subject of its own, leave it
        if any(c.dep_ == "obj" and c.i != q.i for c in rel.children):
            continue  # "l'annonce que X signera l'accord": a complement clause, not a relative
        main = next((c for c in rel.children if c.dep_ in ("xcomp", "advcl", "conj", "ccomp") and c.i > rel.i
                     and c.pos_ in ("VERB", "AUX") and "Fin" in c.morph.get("VerbForm")), None)
        if main is None or any(c.dep_.startswith("nsubj") or c.dep_ in ("mark", "cc", "expl:subj")
                               for c in main.children):
            continue
        if any(doc[k].is_punct or doc[k].pos_ in ("CCONJ", "SCONJ") for k in range(rel.i + 1, main.i)):
            continue
        if noun.head.i == rel.i:  # the noun as the relative verb's subject, the relative verb its head
            place, label = (rel.head, rel.dep_) if rel.head.i != rel.i else (main, "ROOT")
        elif noun.head.i == noun.i or noun.head.i == main.i:
            place, label = main, "ROOT"
        else:
            continue
        _attach(main, main if place.i == rel.i else place, label)
        for c in [c for c in (*rel.children, *noun.children) if c.dep_ == "punct" and c.i > main.i]:
            _attach(c, main, "punct")
        if _attach(noun, main, "nsubj"):
            _attach(rel, noun, "acl:relcl")
            _attach(q, rel, "obj")


def subject_before(doc, v):
    """The name that opens ``v``'s sentence right before it ("La Russie
    bombarde …"): the head of a [determiner] proper-noun phrase that ends at
    ``v``, else None."""
    if v.i == 0 or "\n" in doc[v.i - 1].whitespace_:
        return None
    start = doc[v.i - 1].sent.start  # the parser may have cut the sentence at the verb

    def name_start(k):
        while k > start and doc[k].pos_ == "PROPN" and doc[k - 1].pos_ == "PROPN":
            k -= 1
        return k if k >= start and doc[k].pos_ == "PROPN" else None

    k = name_start(v.i - 1)
    if k is not None and k - 2 >= start and doc[k - 1].pos_ == "CCONJ":
        first = name_start(k - 2)  # "Séoul et Tokyo signent …": the first of the two
        k = first if first is not None else k
    if k is None:
        return None
    if k > start and not (k - 1 == start and doc[start].pos_ == "DET"):
        return None
    return doc[k]


def promote_verb(doc, v) -> bool:
    """A finite verb right after the name opening its sentence, which the
    parser read as a modifier of that name or of a noun it made the root
    ("La Russie bombarde Kharkiv" with "bombarde" an adjective of "Russie"):
    the verb becomes the root, the name its subject, the phrase after it its
    object. Only where the sentence has no verb as its root."""
    subj = subject_before(doc, v) if v.is_lower else None
    if subj is None or any(c.dep_.startswith("nsubj") and c.i != subj.i for c in v.children):
        return False
    root = subj.sent.root
    if root.pos_ not in ("NOUN", "PROPN") and root.i != v.i:
        return False
    after = [c for c in subj.children if c.i > v.i and c.dep_ in ("nmod", "appos", "obj")]
    # a name right after the verb that the tagger took for its adjective ("menace Israël")
    after += [c for c in v.children if c.i == v.i + 1 and c.dep_ in ("amod", "nmod", "appos") and c.text[:1].isupper()]
    _attach(v, v, "ROOT")
    if not _attach(subj, v, "nsubj"):
        return False
    has_object = False
    if root.i not in (subj.i, v.i) and root.i > v.i and root.pos_ in ("NOUN", "PROPN"):
        has_object = _attach(root, v, "obj")
    for c in after:
        dep = "obl:mod" if has_object or any(k.dep_ == "case" for k in c.children) else "obj"
        if _attach(c, v, dep):
            has_object = has_object or dep == "obj"
    return True


def coordinated_subjects(doc, rows: list, subjects: set) -> None:
    """"Le Kenya et l'Ouganda ont repris …" parsed with the first name as the
    root and the verb as its conjunct, the second name the verb's only
    subject: the verb heads the sentence, the first name is its subject and
    the second name that subject's conjunct."""
    for i in [i for i, low, pos, dep, head in rows if dep == "ROOT" and pos in ("PROPN", "NOUN")]:
        first = doc[i]
        if first.dep_ != "ROOT":
            continue
        for v in [c for c in first.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and c.i > i]:
            second = next((c for c in v.children if c.dep_ == "nsubj" and first.i < c.i < v.i), None)
            cc = next((c for c in v.children if c.dep_ == "cc" and first.i < c.i < (second.i if second else -1)), None)
            if second is None or cc is None or any(doc[k].pos_ not in ("DET", "PROPN", "NOUN", "ADJ", "CCONJ")
                                                   for k in range(first.i + 1, second.i)):
                continue
            _attach(v, v, "ROOT")
            if _attach(first, v, "nsubj") and _attach(second, first, "conj"):
                _attach(cc, second, "cc")
                subjects.add(v.i)
            break


_NAMED_SUBJECTS = ("PER", "ORG", "GPE", "LOC")


def named_subjects(doc, subjects: set) -> None:
    """A name the NER found opening its sentence right before a verb group
    that has no subject ("Piotr Lis a ensuite rencontré …", where the tagger
    read "Lis" as a verb and hung the name on the verb as adverbs) is the
    verb's subject: its first word becomes ``nsubj``, the others its
    ``flat:name``."""
    for e in doc.ents:
        if e.label_ not in _NAMED_SUBJECTS or e.end >= len(doc):
            continue
        start = _text_sentence_start(doc, e.start)
        if not (e.start == start or e.start == start + 1 and doc[start].pos_ == "DET"):
            continue
        g = doc[e.end]
        v = g.head if g.dep_.startswith("aux") or g.dep_ == "expl:comp" else g
        if v.pos_ not in ("VERB", "AUX") or v.i < e.end or v.i in subjects \
                or any(c.dep_.startswith("nsubj") or c.dep_ in ("expl:subj", "csubj") for c in v.children) \
                or not ("Fin" in v.morph.get("VerbForm") or any(c.dep_.startswith("aux") for c in v.children)):
            continue
        if any(t.dep_.startswith("nsubj") or t.head.i < e.start or t.head.i >= e.end and t.head.i != v.i
               for t in e):
            continue  # the name already has a role of its own
        first = e[0]
        if _attach(first, v, "nsubj"):
            subjects.add(v.i)
            for t in e[1:]:
                if t.head.i != first.i:
                    _attach(t, first, "flat:name")


def personal_subjects(doc, rows: list, lang: str) -> None:
    """"Il l'a remercié": an "il" the parser read as impersonal
    (``expl:subj``) on a verb that never is, with no passive, "y" or
    reflexive beside it, is the verb's subject."""
    pronouns = langdata.words(lang, "grammar", "impersonal_pronouns")
    verbs = langdata.words(lang, "grammar", "impersonal_verbs")
    clitics = langdata.words(lang, "grammar", "impersonal_clitics")
    for i in [i for i, low, pos, dep, head in rows if dep == "expl:subj" and low in pronouns]:
        t, v = doc[i], doc[i].head
        if v.i == t.i or v.pos_ != "VERB" or _may_be(v, verbs):
            continue
        if any(c.dep_ in ("aux:pass", "cop") or c.lower_ in clitics for c in v.children):
            continue
        t.dep_ = "nsubj"


def _may_be(v, verbs: frozenset) -> bool:
    """Whether verb ``v`` may be one of ``verbs`` (infinitives): its lemma is,
    or the tagger left it unlemmatised ("reste") and its form starts with
    the stem of one of them."""
    lemma = v.lemma_.lower()
    if lemma in verbs:
        return True
    return lemma == v.lower_ and any(len(w) > 5 and v.lower_.startswith(w[:-2]) for w in verbs)


def _text_sentence_start(doc, i: int) -> int:
    """The first token of the sentence of token ``i`` as the text marks it (after
    a full stop or a line break), whatever sentences the parser cut."""
    v = view(doc)
    starts = v.cache.get("text_sentence_starts")
    if starts is None:
        starts, k, prev = [], 0, None
        for j, t in enumerate(v.tokens):
            if prev is not None and (prev.text in (".", "!", "?") or "\n" in prev.whitespace_ or prev.is_space):
                k = j
            starts.append(k)
            prev = t
        v.cache["text_sentence_starts"] = starts
    return starts[i]


def _opening_title(doc, m: int) -> bool:
    """Whether the words before the name at ``m`` are only a title opening the
    line ("Le président kényan William Ruto s'est rendu …", parsed in pieces):
    determiners, nouns and adjectives, no verb and no punctuation."""
    j = m - 1
    while j >= 0 and doc[j].pos_ in ("DET", "NOUN", "ADJ") and not doc[j].is_punct:
        if j == 0 or "\n" in doc[j - 1].whitespace_ or doc[j - 1].is_space:
            return m - j >= 2 and doc[j].pos_ == "DET"
        j -= 1
    return j >= 0 and doc[j].text in ".!?" and m - j - 1 >= 2 and doc[j + 1].pos_ == "DET"


def _subjects(doc, rows: list) -> None:
    """Subjects the parser gave to the wrong verb.

    - "La SADC a également, dans le même communiqué, invité X": the subject hung
      on the auxiliary, cut from its participle by a parenthetical, goes to the
      participle.
    - "À l'issue d'un entretien avec X, Y a annoncé …": the name after the comma,
      hung inside the adjunct, is the subject of the verb left without one; so
      is the name ending a title that opens the sentence ("Le président kényan
      William Ruto s'est rendu …" parsed in pieces).
    - "X, rentré samedi de Y, recevra mardi Z", with X parsed as the root: the
      finite verb heads the sentence and takes X as its subject.
    - "X, arrivé dimanche à Y, s'entretiendra lundi avec Z": the detached
      participle parsed as the main verb, with the finite verb below it; the
      finite verb takes the subject and the participle modifies it.
    """
    subjects = {head for i, low, pos, dep, head in rows if dep.startswith("nsubj") or dep in ("expl:subj", "csubj")}
    for i in [i for i, low, pos, dep, head in rows if dep.startswith("aux") and head > i]:
        t = doc[i]
        for c in [c for c in t.children if c.dep_ in ("nsubj", "nsubj:pass")]:
            if not any(k.dep_.startswith("nsubj") for k in t.head.children) and _attach(c, t.head, c.dep_):
                subjects.add(t.head.i)
    for i in [i for i, low, pos, dep, head in rows if pos == "VERB"]:
        # "À l'issue d'un entretien avec X, Y a annoncé …": the name after the
        # comma hung inside the adjunct, the verb left without a subject
        v = doc[i]
        if v.i in subjects:
            continue
        if "Inf" in v.morph.get("VerbForm") or ("Part" in v.morph.get("VerbForm")
                                                and not any(c.dep_.startswith("aux") for c in v.children)):
            continue
        k = min([c.i for c in v.children if (c.dep_.startswith("aux") or c.dep_.startswith("expl"))
                 and c.i < v.i] + [v.i]) - 1
        if k < 1 or doc[k].pos_ != "PROPN":
            continue
        m = k
        while m > 0 and doc[m - 1].pos_ in ("PROPN", "ADJ", "NOUN") and doc[m - 1].text[:1].isupper():
            m -= 1
        if m < 1 or doc[m].head.i > m:
            continue
        if not (doc[m - 1].text == "," and doc[m].head.i < m) and not _opening_title(doc, m):
            continue
        if v in doc[m].subtree:
            # the verb hung on the name ("…, Madagascar accueillera …" with the verb a
            # modifier of the name): the verb heads the sentence, its nominal root an adjunct
            root = v.sent.root
            if root.pos_ not in ("NOUN", "PROPN") or root.i >= m:
                continue
            _attach(v, v, "ROOT")
            _attach(root, v, "obl:mod")
        if not _attach(doc[m], v, "nsubj"):
            continue
        subjects.add(v.i)
        for j in range(m + 1, k + 1):
            if doc[j].head.i != m:
                _attach(doc[j], doc[m], "flat:name")
    for i in [i for i, low, pos, dep, head in rows if pos == "VERB"]:
        # "Okafor, rentré samedi de Lagos, recevra mardi …": the name opening the
        # sentence parsed as its root, the finite verb after the detached clause
        # left without a subject
        v = doc[i]
        auxes = [c.i for c in v.children if c.i < v.i and (c.dep_.startswith("aux") or c.dep_.startswith("expl"))]
        if v.i in subjects or v.i < 4 or not ("Fin" in v.morph.get("VerbForm") or auxes):
            continue
        g = min(auxes + [v.i])  # the verb group: ", recevra", ", a retrouvé", ", s'entretiendra"
        if g < 4 or doc[g - 1].text != ",":
            continue
        start = _text_sentence_start(doc, g)
        n = doc[start + 1] if doc[start].pos_ == "DET" and start + 1 < v.i else doc[start]
        if n.pos_ != "PROPN" or n.dep_ != "ROOT" or v.head.i not in (v.i, n.i):
            continue
        k = n.i
        while k + 1 < v.i and doc[k + 1].pos_ == "PROPN":
            k += 1
        if doc[k + 1].text != "," or not any("Part" in t.morph.get("VerbForm") for t in doc[k + 2:v.i]):
            continue
        _attach(v, v, "ROOT")
        if _attach(n, v, "nsubj"):
            subjects.add(v.i)
    named_subjects(doc, subjects)
    coordinated_subjects(doc, rows, subjects)
    for i in [i for i, low, pos, dep, head in rows if dep == "ROOT" and pos == "VERB"]:
        part = doc[i]
        if part.dep_ != "ROOT" or "Part" not in part.morph.get("VerbForm") \
                or any(c.dep_.startswith("aux") for c in part.children):
            continue
        subj = next((c for c in part.children if c.dep_ == "nsubj" and c.i < part.i), None)
        if subj is None or part.i == 0 or doc[part.i - 1].text != ",":
            continue
        # the first finite verb below it, after a comma, with no subject of its own
        fin = next((c for c in part.subtree if c.i > part.i and c.dep_ in ("advcl", "conj", "parataxis")
                    and c.pos_ in ("VERB", "AUX") and "Fin" in c.morph.get("VerbForm")
                    and not any(k.dep_.startswith("nsubj") or k.dep_ == "expl:subj" for k in c.children)
                    and "," in (c.left_edge.text, doc[c.left_edge.i - 1].text)), None)
        if fin is None:
            continue
        _attach(fin, fin, "ROOT")
        if _attach(subj, fin, "nsubj"):
            _attach(part, subj, "acl")
