"""NLP stage: the spaCy pipeline with depeche's components, run on articles.

``load()`` builds the pipeline once: the French base model followed by the
depeche components, each a spaCy factory (``depeche_entities``,
``depeche_times``, ``depeche_quotes``, ``depeche_events``; spaCy 3.8 forbids
dots in factory names, E853) that a spaCy user can also add, alone or
together, to a pipeline of their own. ``Pipeline.analyze`` and
``Pipeline.analyze_many`` are the one library function behind every entry
point (CLI, Python API, batch and HTTP).

Two copies of every result live with a Doc:

- the *records* (``Entity``, ``Timex``, … of :mod:`depeche.model`) the stages
  share, in :func:`state` (a per-Doc object kept outside the Doc, never
  serialised);
- their *plain* copies (dicts of str, int, float, None and lists) in the
  public extensions ``doc._.entities``, ``doc._.times``, ``doc._.quotes``,
  ``doc._.events``, ``doc._.warnings``, written by :func:`publish` at the
  end of each component, with the entities in ``doc.ents`` and the times,
  quotes, cues and event triggers in ``doc.spans`` groups. Those serialise
  (``doc.to_bytes()``, ``DocBin(store_user_data=True)``, ``nlp.pipe(n_process=2)``),
  and a Doc read back is rebuilt into records on first use.
"""
from __future__ import annotations

import datetime as _dt
import bisect
import re
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Union

from . import clean as _clean
from .errors import (AnalysisError, BadDateError, DepecheError, InputError, ModelNotFoundError,
                     TimeBudgetError, TooLargeError)
from .model import Analysis, Entity, Event, Mention, Quote, Role, Span, Timex, Warning

MODEL = "fr_core_news_md"
STAGES = ("entities", "times", "quotes", "events")
# Base-model components depeche does not use.
UNUSED = ()
MAX_CHARS = 2_000_000  # spaCy's own limit is 1,000,000 per Doc; we raise it.
# Seconds an article may take through the pipeline; checked after every depeche
# stage, so an article over it is reported as a failure once its current stage
# ends (every stage is linear in the text's length, see MAX_SENTENCE_TOKENS).
TIME_BUDGET = 120.0
_STARTED = "depeche_started"  # Doc.user_data key: when the article entered the pipeline
_TEXT = "depeche_text"  # Doc.user_data key: the text the Doc was made from (spaCy joins its tokens at every ``doc.text``)
# The records each Doc carries, in the order the stages write them.
RECORDS = ("warnings", "entities", "times", "quotes", "events")
# Doc extensions (all plain data): the publication date, the article's id,
# what the clean stage did (None: the text was parsed as given), the records.
DOC_EXTENSIONS = ("dct", "article_id", "cleaned") + RECORDS
# doc.spans groups the components fill (doc.ents holds the entities' mentions).
SPANS_KEYS = {"times": "depeche_times", "quotes": "depeche_quotes",
              "cues": "depeche_cues", "events": "depeche_events"}


@dataclass
class Article:
    """One article to analyse."""
    text: str
    dct: Optional[str] = None
    id: Optional[str] = None
    # False when ``id`` was made up from where the text was read (a file
    # name, a line number, "<stdin>"): only an id the data gives names one
    # article in a store (depeche.store).
    id_given: bool = True
    # Warnings from reading the article, in offsets of ``text`` (the
    # encoding its bytes were read in, when not UTF-8); the analysis
    # carries them with its own.
    warnings: list[Warning] = field(default_factory=list)


@dataclass
class Failure:
    """An article that could not be analysed, with the reason."""
    id: Optional[str]
    error: DepecheError

    def to_dict(self) -> dict:
        return {"id": self.id, "error": {"code": self.error.code, "message": str(self.error)}}


# A date, or an ISO date and time whose date part is taken ("2024-04-03T08:15:00Z").
_DCT = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?", re.ASCII)


def check_dct(dct: Optional[str]) -> Optional[str]:
    """``dct`` as a valid ISO date string, or None; BadDateError otherwise."""
    if dct is None or dct == "":
        return None
    if isinstance(dct, (_dt.date, _dt.datetime)):
        return dct.strftime("%Y-%m-%d")
    bad = BadDateError(f"publication date {dct!r} is not a YYYY-MM-DD date")
    if not isinstance(dct, str) or not _DCT.fullmatch(dct):
        raise bad
    try:
        return _dt.date.fromisoformat(dct[:10]).isoformat()
    except ValueError as e:
        raise bad from e


def token_index(doc, items, spans=None) -> dict:
    """Token index → the first item one of whose character spans covers the
    token. ``spans(item)`` gives (start, end) pairs; by default an entity's
    mentions, else the item's own ``start``/``end``."""
    if spans is None:
        def spans(it):
            ms = getattr(it, "mentions", None)
            return [(m.start, m.end) for m in ms] if ms is not None else [(it.start, it.end)]
    index: dict = {}
    for it in items:
        for start, end in spans(it):
            sp = doc.char_span(start, end, alignment_mode="expand")
            if sp is not None:
                for i in range(sp.start, sp.end):
                    index.setdefault(i, it)
    return index


class DocView:
    """A parsed Doc read through its tokens, text and sentences built once.

    spaCy creates a new ``Token`` object at every ``doc[i]`` and every
    iteration, and joins every token at every ``doc.text``; the depeche
    stages read each token many times, so they read the doc through this
    view. ``view[i]`` and iteration give the cached tokens, ``view[a:b]`` a
    spaCy ``Span``; anything else is the Doc's own attribute.
    """
    __slots__ = ("doc", "tokens", "text", "_sents", "_sent_start", "cache",
                 "_", "user_data", "char_span", "has_annotation", "vocab")

    def __init__(self, doc):
        self.doc = doc
        self.tokens = list(doc)
        self.text = doc_text(doc)
        # The Doc's attributes the stages read most, bound once.
        self._ = doc._
        self.user_data = doc.user_data
        self.char_span = doc.char_span
        self.has_annotation = doc.has_annotation
        self.vocab = doc.vocab
        self._sents = None
        self._sent_start = None
        self.cache: dict = {}  # indexes the stages share, each under its own key

    def __getitem__(self, i):
        if type(i) is int:
            return self.tokens[i]
        return self.doc[i]

    def __iter__(self):
        return iter(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)

    def __getattr__(self, name):
        return getattr(self.doc, name)

    @property
    def sents(self) -> list:
        """The sentence spans (a list, built once)."""
        if self._sents is None:
            self._sents = list(self.doc.sents) if self.doc.has_annotation("SENT_START") else [self.doc[:]]
        return self._sents

    @property
    def sent_start_of(self) -> list[int]:
        """Token index → the first token of its sentence (``Token.sent`` walks the doc)."""
        if self._sent_start is None:
            starts = [0] * len(self.tokens)
            for s in self.sents:
                starts[s.start:s.end] = [s.start] * (s.end - s.start)
            self._sent_start = starts
        return self._sent_start


_VIEWS: "OrderedDict[int, DocView]" = OrderedDict()
_VIEWS_LOCK = threading.Lock()
_VIEWS_KEPT = 8  # docs go through the stages one after the other


def view(doc) -> DocView:
    """The :class:`DocView` of ``doc``, shared by the stages that read it.

    The last few views are kept (each holds its doc, so an id cannot be
    reused while it is cached)."""
    if isinstance(doc, DocView):
        return doc
    key = id(doc)
    with _VIEWS_LOCK:
        v = _VIEWS.get(key)
        if v is not None and v.doc is doc and len(v.tokens) == len(doc):
            _VIEWS.move_to_end(key)
            return v
    v = DocView(doc)
    with _VIEWS_LOCK:
        _VIEWS[key] = v
        while len(_VIEWS) > _VIEWS_KEPT:
            _VIEWS.popitem(last=False)
    return v


def register_extensions() -> None:
    """Register depeche's Doc extensions (idempotent; every component calls it)."""
    from spacy.tokens import Doc

    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


# -- the records of a Doc ---------------------------------------------------

class DocState:
    """The records the stages of one Doc share (lists of :mod:`depeche.model`
    records, None for a stage that has not run), the base model's own
    entities once ``doc.ents`` holds depeche's, and per-doc caches. Nothing
    in it may refer to the Doc (a Span, a Token, a view): the state would
    keep its Doc alive."""
    __slots__ = RECORDS + ("base_ents", "cache", "__weakref__")

    def __init__(self):
        for name in RECORDS:
            setattr(self, name, None)
        self.base_ents = None
        self.cache: dict = {}


_STATES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_STATES_LOCK = threading.Lock()


def state(doc) -> DocState:
    """The :class:`DocState` of ``doc`` (a Doc or its view), made on first use
    from the Doc's public extensions (plain dicts are rebuilt into records;
    a list of records set by hand is taken as it is)."""
    if isinstance(doc, DocView):
        doc = doc.doc
    st = _STATES.get(doc)
    if st is not None:
        return st
    st = DocState()
    for name in RECORDS:
        if doc.has_extension(name):
            setattr(st, name, _records(name, doc._.get(name)))
    with _STATES_LOCK:
        return _STATES.setdefault(doc, st)


def _mention(d):
    return Mention(d["start"], d["end"], d["text"])


def _span_rec(d):
    return Span(d["start"], d["end"], d["text"]) if d is not None else None


_FROM_PLAIN = {
    "warnings": lambda d: Warning(d["code"], d["start"], d["end"], d["message"]),
    "entities": lambda d: Entity(
        id=d["id"], name=d["name"], type=d["type"], kb_id=d.get("kb_id"),
        mentions=[_mention(m) for m in d.get("mentions", [])], aliases=list(d.get("aliases", [])),
        roles=[Role(r["title"], r.get("of"), r.get("source", "text")) for r in d.get("roles", [])],
        gender=d.get("gender")),
    "times": lambda d: Timex(d["start"], d["end"], d["text"], d["type"], d["value"], d.get("point")),
    "quotes": lambda d: Quote(d["start"], d["end"], d["text"], d["kind"], d.get("speaker"),
                              d.get("speaker_id"), _span_rec(d.get("cue"))),
    "events": lambda d: Event(
        type=d["type"], mode=d["mode"], trigger=_span_rec(d["trigger"]), actor=d.get("actor"),
        recipient=d.get("recipient"), date=d.get("date"), location=d.get("location"),
        actor_id=d.get("actor_id"), recipient_id=d.get("recipient_id"),
        location_id=d.get("location_id"), confidence=d.get("confidence", 0.5),
        evidence=_span_rec(d.get("evidence"))),
}
_RECORD_TYPES = {"warnings": Warning, "entities": Entity, "times": Timex, "quotes": Quote, "events": Event}


def _records(name: str, value):
    if value is None:
        return None
    cls = _RECORD_TYPES[name]
    if all(isinstance(v, cls) for v in value):
        return value
    return [v if isinstance(v, cls) else _FROM_PLAIN[name](v) for v in value]


def plain(record) -> dict:
    """The plain copy of a record: its JSON contract dict (in the Doc's
    offsets), with an entity's ``gender`` and an event's unrounded
    ``confidence`` (so that the record can be rebuilt from it)."""
    d = record.to_dict()
    if isinstance(record, Entity):
        d["gender"] = record.gender
    elif isinstance(record, Event):
        d["confidence"] = record.confidence
    return d


def publish(doc, *names: str) -> None:
    """Write the plain copies of the named records to the Doc's extensions,
    and their spans to ``doc.ents`` (entities) and ``doc.spans`` groups."""
    if isinstance(doc, DocView):
        doc = doc.doc
    st = state(doc)
    for name in names:
        recs = getattr(st, name)
        if recs is None:
            continue
        if name == "entities":  # republished by later stages only if one was added or grew
            key = (id(recs), len(recs), sum(len(e.mentions) + len(e.roles) + len(e.aliases) for e in recs))
            if st.cache.get("published_entities") == key and doc._.entities is not None:
                continue
            st.cache["published_entities"] = key
        doc._.set(name, [plain(r) for r in recs])
        if name == "entities":
            _set_ents(doc, st, recs)
        elif name == "times":
            doc.spans[SPANS_KEYS["times"]] = _spans(doc, ((t.start, t.end, t.type) for t in recs))
        elif name == "quotes":
            doc.spans[SPANS_KEYS["quotes"]] = _spans(doc, ((q.start, q.end, q.kind) for q in recs))
            doc.spans[SPANS_KEYS["cues"]] = _spans(doc, ((q.cue.start, q.cue.end, "CUE")
                                                         for q in recs if q.cue is not None))
        elif name == "events":
            doc.spans[SPANS_KEYS["events"]] = _spans(doc, ((e.trigger.start, e.trigger.end, e.type)
                                                           for e in recs if e.trigger is not None))


def _spans(doc, triples) -> list:
    out = []
    for start, end, label in triples:
        sp = doc.char_span(start, end, label=label, alignment_mode="expand")
        if sp is not None and len(sp):
            out.append(sp)
    return out


def _set_ents(doc, st: DocState, ents) -> None:
    """depeche's entities as ``doc.ents`` (label: the type, ``kb_id_``: the
    KB identifier, ``id_``: the entity's id; overlapping mentions keep the
    longest). The base model's entities stay readable with :func:`base_ents`."""
    from spacy.util import filter_spans

    if st.base_ents is None:  # offsets, not Spans: a Span holds its Doc, the state must not
        st.base_ents = tuple((e.start, e.end, e.label_, e.kb_id_) for e in doc.ents)
    spans = []
    for e in ents:
        for m in e.mentions:
            sp = doc.char_span(m.start, m.end, label=e.type, kb_id=e.kb_id or "",
                               span_id=e.id or "", alignment_mode="expand")
            if sp is not None and len(sp):
                spans.append(sp)
    doc.ents = filter_spans(spans)


def base_ents(doc) -> tuple:
    """The base model's entity spans, even once ``doc.ents`` holds depeche's
    (the stages read the base NER, whatever the order of the components)."""
    st = state(doc)
    if st.base_ents is None:
        return tuple(doc.ents)
    from spacy.tokens import Span as SpacySpan

    d = doc.doc if isinstance(doc, DocView) else doc
    return tuple(SpacySpan(d, s, e, label=label, kb_id=kb) for s, e, label, kb in st.base_ents)


def base_ent_tags(doc) -> list:
    """Token index → (label, "B"/"I"/"") of the base model's entities."""
    st = state(doc)
    hit = st.cache.get("base_ent_tags")
    if hit is not None and len(hit) == len(doc):
        return hit
    tags = [("", "")] * len(doc)
    for sp in base_ents(doc):
        label = sp.label_
        tags[sp.start] = (label, "B")
        for i in range(sp.start + 1, sp.end):
            tags[i] = (label, "I")
    st.cache["base_ent_tags"] = tags
    return tags


# -- a Doc from an article, and back ----------------------------------------

def _breaks(values: list, shift: int = 0) -> list:
    """``values[i] - i - shift`` as [index, delta] pairs where it changes."""
    out: list = []
    last = None
    for i, v in enumerate(values):
        d = v - i - shift
        if d != last:
            out.append([i, d])
            last = d
    return out


def _unbreak(pairs: list, n: int, shift: int = 0) -> list[int]:
    out = [0] * n
    for k, (i, d) in enumerate(pairs):
        j = pairs[k + 1][0] if k + 1 < len(pairs) else n
        for x in range(i, j):
            out[x] = x + d + shift
    return out


def _cleaned_record(cleaned, lang: str) -> dict:
    """What the clean stage did, as plain data for ``doc._.cleaned``."""
    rec: dict = {"lang": lang, "french": cleaned.french, "original": None,
                 "origin": None, "origin_end": None}
    if cleaned.original != cleaned.text:
        try:
            cleaned.original.encode("utf-8")
            rec["original"] = cleaned.original
        except UnicodeEncodeError:  # lone surrogates: kept as bytes
            rec["original"] = cleaned.original.encode("utf-8", "surrogatepass")
        rec["origin"] = _breaks(cleaned.origin)
        rec["origin_end"] = _breaks(cleaned.origin_end, 1)
    return rec


def cleaned_of(doc):
    """The :class:`depeche.clean.Cleaned` of a Doc: rebuilt from
    ``doc._.cleaned``, or the Doc's text as given when it has none."""
    rec = doc._.get("cleaned") if doc.has_extension("cleaned") else None
    text = doc.text
    if not rec or rec.get("original") is None:
        c = _clean.Cleaned(text, text, list(range(len(text) + 1)), list(range(1, len(text) + 1)))
    else:
        original = rec["original"]
        if isinstance(original, bytes):
            original = original.decode("utf-8", "surrogatepass")
        c = _clean.Cleaned(original, text, _unbreak(rec["origin"], len(text) + 1),
                           _unbreak(rec["origin_end"], len(text), 1))
    if rec:
        c.french = bool(rec.get("french", True))
    return c


def make_doc(nlp, text: str, dct=None, id: Optional[str] = None, lang: str = "fr"):
    """A Doc of an article, ready for ``nlp`` (a Pipeline's or a spaCy
    user's own): the text cleaned as ``depeche analyze`` cleans it (the
    offsets of :func:`depeche.to_contract` index ``text`` as given), with its
    publication date in ``doc._.dct``, its id in ``doc._.article_id`` and the
    clean stage's warnings. Raises TypeError, BadDateError."""
    check_types(text, dct, id)
    doc, _ = _make_doc(nlp, text, dct, id, lang)
    return doc


def check_types(text, dct=None, id=None) -> None:
    """TypeError unless ``text`` is a str, ``dct`` a str, date or None and
    ``id`` a str or None (the Python API's arguments)."""
    if not isinstance(text, str):
        raise TypeError(f"the text must be a str, not {type(text).__name__}")
    if dct is not None and not isinstance(dct, (str, _dt.date)):
        raise TypeError(f"the dct must be a 'YYYY-MM-DD' str, a datetime.date or None, not {type(dct).__name__}")
    if id is not None and not isinstance(id, str):
        raise TypeError(f"the id must be a str or None, not {type(id).__name__}")


def _make_doc(nlp, text, dct, id, lang, notes=()):
    register_extensions()
    dct = check_dct(dct)
    cleaned = _clean.clean(text, lang)
    cleaned.warnings.extend(cleaned.from_original(w) for w in notes)
    doc = nlp.make_doc(cleaned.text)
    doc.user_data[_TEXT] = cleaned.text
    line_starts(doc)
    doc._.dct = dct
    doc._.article_id = id
    doc._.cleaned = _cleaned_record(cleaned, lang)
    state(doc).warnings = list(cleaned.warnings)
    publish(doc, "warnings")
    return doc, cleaned


def make_docs(nlp, items: Iterable, lang: str = "fr") -> Iterator:
    """For ``nlp.pipe(make_docs(nlp, pairs), as_tuples=True)``: each
    ``(text, context)`` pair (context a dict, with optional ``"dct"`` and
    ``"id"``) becomes ``(doc, context)`` with the Doc of :func:`make_doc`."""
    for item in items:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], dict)):
            raise TypeError("make_docs takes (text, context dict) pairs, "
                            f"not {type(item).__name__}")
        text, ctx = item
        yield make_doc(nlp, text, ctx.get("dct"), ctx.get("id"), lang), ctx


# A stretch of more tokens than this with no sentence end gets one before the
# parser: the stages read a sentence in time quadratic in its length, and no
# sentence of a news text is so long (lists and tables without stops are).
MAX_SENTENCE_TOKENS = 250
_SENTENCE_ENDS = frozenset(".!?…")
_SOFT_ENDS = frozenset(",;:")


_LINE_BREAK = re.compile(r"\n\s*")


def doc_text(doc) -> str:
    """``doc.text``, without joining the tokens again when the Doc is one
    :func:`make_doc` made (the tokenizer keeps every character, so the text
    it was made from is the Doc's text)."""
    text = doc.user_data.get(_TEXT)
    if text is None or len(doc) == 0 or doc[-1].idx + len(doc[-1].text_with_ws) != len(text):
        return doc.text
    return text


def line_starts(doc) -> None:
    """Mark a sentence start at every line that does not continue the line
    before (its first letter is not lower case), on the Doc that
    :func:`make_doc` gives, before the parser runs: a
    headline, a caption or a byline without a full stop would otherwise be
    parsed as the subject of the first sentence below it. Lines of a
    hard-wrapped text go on in lower case and stay one sentence."""
    text = doc_text(doc)
    if "\n" not in text:
        return
    from spacy.attrs import IDX

    starts = doc.to_array(IDX).tolist()
    for m in _LINE_BREAK.finditer(text):
        j = bisect.bisect_left(starts, m.end())
        if 0 < j < len(doc) and not text[m.end():m.end() + 1].islower() and not doc[j].is_space:
            doc[j].is_sent_start = True


def limit_sentences(doc, max_tokens: int = MAX_SENTENCE_TOKENS):
    """Mark a sentence start in every run of ``max_tokens`` tokens without a
    sentence end (after the run's last comma or semicolon if it has one),
    with a ``long_sentence`` warning. Texts whose sentences end normally are
    left as they are."""
    register_extensions()
    doc.user_data[_STARTED] = time.monotonic()
    last = soft = 0
    cut = []
    for t in doc:
        text = t.text
        if text in _SENTENCE_ENDS or "\n" in text:
            last = soft = t.i + 1
        elif text in _SOFT_ENDS:
            soft = t.i + 1
        elif t.i - last >= max_tokens:
            at = soft if soft - last > max_tokens // 2 else t.i
            doc[at].is_sent_start = True
            cut.append(at)
            last = soft = at
    if cut:
        st = state(doc)
        if st.warnings is None:
            st.warnings = []
        st.warnings.append(Warning(
            "long_sentence", doc[cut[0]].idx, doc[cut[-1]].idx,
            f"{len(cut)} sentence break(s) added in text of over {max_tokens} tokens without a full stop"))
        publish(doc, "warnings")
    return doc


class TimeBudget:
    """Pipeline component placed after each depeche stage: an article that has
    been in the pipeline longer than ``budget`` seconds raises
    :class:`TimeBudgetError` (the article becomes a Failure, the batch goes on)."""

    def __init__(self, budget: float):
        self.budget = budget

    def __call__(self, doc):
        _over(doc, self.budget, doc.user_data.get(_STARTED))
        return doc


_BUDGET = "depeche_budget"  # Doc.user_data key: the article's time budget in seconds (0: none)


def check_budget(doc) -> None:
    """Raise :class:`TimeBudgetError` when the article of ``doc`` has been in
    the pipeline longer than its budget: for the long loops inside a stage,
    so that one slow stage cannot run past the budget until it ends."""
    data = doc.user_data
    _over(doc, data.get(_BUDGET), data.get(_STARTED))


_OVER = "depeche_over_budget"  # Doc.user_data key: the budget error this article raised


def _over(doc, budget, started) -> None:
    if budget and started is not None:
        spent = time.monotonic() - started
        if spent > budget:
            err = TimeBudgetError(f"the analysis took over {budget:g} s ({spent:.0f} s so far) and was stopped")
            doc.user_data[_OVER] = err  # its batch is re-run article by article: not this one
            raise err


def _make_budget(nlp, name: str, budget: float):
    register_extensions()
    return TimeBudget(budget)


def register_factories() -> None:
    """Register every depeche factory with spaCy (``spacy.load`` finds the
    four stages through the package's entry points as well)."""
    # Importing the stage modules registers their factories, and the helpers'.
    from . import entities, events, quotes, times  # noqa: F401

    register_helpers()


_register_factories = register_factories


def register_helpers() -> None:
    """Register ``depeche_limits`` and ``depeche_budget`` (idempotent; done
    when any stage module is imported)."""
    from spacy.language import Language

    if "depeche_limits" not in Language.factories:
        Language.component("depeche_limits", func=limit_sentences,
                           assigns=["token.is_sent_start", "doc._.warnings"])
    if "depeche_budget" not in Language.factories:
        Language.factory("depeche_budget", default_config={"budget": TIME_BUDGET}, func=_make_budget)


class Pipeline:
    """The loaded depeche pipeline. Build it with :func:`load`."""

    def __init__(self, nlp, model: str = MODEL, lang: str = "fr", max_chars: int = MAX_CHARS):
        self.nlp = nlp
        self.model = model
        self.lang = lang
        self.max_chars = max_chars

    @property
    def time_budget(self) -> float:
        """Seconds an article may take (0: no limit); settable."""
        return next((c.budget for _, c in self.nlp.pipeline if isinstance(c, TimeBudget)), 0.0)

    @time_budget.setter
    def time_budget(self, seconds: float) -> None:
        if not isinstance(seconds, (int, float)) or seconds < 0:
            raise InputError(f"the time budget must be a number of seconds ≥ 0, not {seconds!r}")
        for _, c in self.nlp.pipeline:
            if isinstance(c, TimeBudget):
                c.budget = float(seconds)

    def _prepare(self, article: Article, max_chars: int):
        if not isinstance(article.text, str):
            raise InputError("the article text is not a string")
        if len(article.text) > max_chars:
            raise TooLargeError(
                f"the article has {len(article.text):,} characters, more than the limit of {max_chars:,}")
        return self._doc(article)

    def _doc(self, article: Article):
        """A new Doc of the article, not yet through the pipeline, and its cleaned text."""
        doc, cleaned = _make_doc(self.nlp, article.text, article.dct, article.id, self.lang,
                                 article.warnings)
        doc.user_data[_BUDGET] = self.time_budget
        return doc, cleaned

    def analyze(self, text: str, dct: Optional[str] = None, id: Optional[str] = None) -> Analysis:
        """Analyse one article. Raises an InputError subclass on bad input."""
        result = next(self.analyze_many([Article(text, dct, id)], raise_errors=True))
        if isinstance(result, Failure):
            raise result.error
        return result

    def analyze_many(self, articles: Iterable[Union[Article, Failure]], batch_size: int = 16,
                     raise_errors: bool = False,
                     max_chars: Optional[int] = None) -> Iterator[Union[Analysis, Failure]]:
        """Analyse articles in order, batched through ``nlp.pipe``.

        A bad article yields a :class:`Failure` (or raises, with
        ``raise_errors``) and the others go on. Articles longer than
        ``max_chars`` (default: the pipeline's limit) are refused.
        """
        from .export import to_analysis

        if max_chars is not None and (type(max_chars) is not int or not 0 < max_chars <= MAX_CHARS):
            raise InputError(f"max_chars must be a whole number from 1 to {MAX_CHARS:,}, not {max_chars!r}")
        limit = max_chars or self.max_chars

        def prepared():
            for art in articles:
                if isinstance(art, Failure):
                    yield art, None
                    continue
                try:
                    doc, cleaned = self._prepare(art, limit)
                except InputError as e:
                    if raise_errors:
                        raise
                    yield Failure(art.id, e), None
                    continue
                yield (doc, (art, cleaned)), True

        # nlp.pipe takes (doc, context) tuples; failures bypass it in order.
        pending: list = []
        for item, ok in prepared():
            if ok is None:
                yield from self._run(pending, batch_size, to_analysis)
                pending = []
                yield item
            else:
                pending.append(item)
                if len(pending) >= batch_size:
                    yield from self._run(pending, batch_size, to_analysis)
                    pending = []
        yield from self._run(pending, batch_size, to_analysis)

    def _run(self, items, batch_size, to_analysis):
        """Parse a batch (texts that are not French are not parsed), in order.

        If a stage raises inside the batch, its articles are run again one by
        one, so that only the article that fails becomes a :class:`Failure`."""
        todo = [(doc, i) for i, (doc, (art, cleaned)) in enumerate(items) if cleaned.french]
        try:
            parsed = dict((i, doc) for doc, i in self.nlp.pipe(todo, as_tuples=True, batch_size=batch_size))
        except Exception as e:
            if len(todo) <= 1:
                parsed = {i: e for _, i in todo}
            else:
                # again one by one, each from a new Doc (the stages have
                # written on the old ones: a second pass over a parsed Doc
                # gives other analyses, and can loop); an article that ran
                # out of time already is not given its budget a second time
                for doc, (art, cleaned) in items:
                    over = doc.user_data.get(_OVER)
                    if over is not None:
                        yield Failure(art.id, over)
                    else:
                        fresh, cleaned = self._doc(art)
                        yield from self._run([(fresh, (art, cleaned))], 1, to_analysis)
                return
        for i, (doc, (art, cleaned)) in enumerate(items):
            try:
                if i not in parsed:
                    yield to_analysis(doc, cleaned, art.id, self.lang, parsed=False)
                    continue
                if isinstance(parsed[i], DepecheError):
                    raise parsed[i]
                if isinstance(parsed[i], Exception):
                    e = parsed[i]
                    raise AnalysisError(f"the analysis failed: {type(e).__name__}: {e}")
                yield to_analysis(parsed[i], cleaned, art.id, self.lang)
            except DepecheError as e:
                yield Failure(art.id, e)
            except Exception as e:  # a defect of a stage: this article only
                yield Failure(art.id, AnalysisError(f"the analysis failed: {type(e).__name__}: {e}"))


def capitalised_exceptions(nlp) -> None:
    """The tokenizer's hyphenated exceptions ("celui-ci", "peut-être") also
    at the start of a sentence: spaCy lists them in lower case only, and cuts
    "Celui-ci" in three tokens the parser reads as a name."""
    for word, pieces in list(nlp.tokenizer.rules.items()):
        if "-" in word and word[:1].islower() and len(pieces) == 1:
            cap = word[:1].upper() + word[1:]
            if cap not in nlp.tokenizer.rules:
                nlp.tokenizer.add_special_case(cap, [{"ORTH": cap}])


def load(model: str = MODEL, lang: str = "fr", time_budget: float = TIME_BUDGET) -> Pipeline:
    """Load the base spaCy model and add the depeche components. An article
    that takes over ``time_budget`` seconds (0: no limit) is a Failure."""
    import spacy

    register_extensions()
    _register_factories()
    try:
        nlp = spacy.load(model, exclude=list(UNUSED))
    except OSError as e:
        raise ModelNotFoundError(
            f"spaCy model {model!r} is not installed; install it with `pip install {model.replace('_', '-')}`") from e
    nlp.max_length = MAX_CHARS + 1
    capitalised_exceptions(nlp)
    nlp.add_pipe("depeche_limits", first=True)
    for stage in STAGES:
        nlp.add_pipe(f"depeche_{stage}", config={"lang": lang})
        nlp.add_pipe("depeche_budget", name=f"depeche_budget_{stage}", config={"budget": float(time_budget)})
    return Pipeline(nlp, model, lang)
