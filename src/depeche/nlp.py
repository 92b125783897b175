"""NLP stage: the spaCy pipeline with depeche's components, run on articles.

``load()`` builds the pipeline once: the French base model followed by the
depeche components, each a spaCy factory (``depeche_entities``,
``depeche_times``, ``depeche_quotes``, ``depeche_events``; spaCy forbids dots in factory names) that a spaCy user
can also add to a pipeline of their own. ``Pipeline.analyze`` and
``Pipeline.analyze_many`` are the one library function behind every entry
point (CLI, Python API, batch and HTTP).
"""
from __future__ import annotations

import datetime as _dt
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, Union

from . import clean as _clean
from .errors import (AnalysisError, BadDateError, DepecheError, InputError, ModelNotFoundError,
                     TimeBudgetError, TooLargeError)
from .model import Analysis

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
DOC_EXTENSIONS = ("dct", "warnings", "entities", "times", "quotes", "events")


@dataclass
class Article:
    """One article to analyse."""
    text: str
    dct: Optional[str] = None
    id: Optional[str] = None


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
        self.text = doc.text
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
    from spacy.tokens import Doc

    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


# A stretch of more tokens than this with no sentence end gets one before the
# parser: the stages read a sentence in time quadratic in its length, and no
# sentence of a news text is so long (lists and tables without stops are).
MAX_SENTENCE_TOKENS = 250
_SENTENCE_ENDS = frozenset(".!?…")
_SOFT_ENDS = frozenset(",;:")


def limit_sentences(doc, max_tokens: int = MAX_SENTENCE_TOKENS):
    """Mark a sentence start in every run of ``max_tokens`` tokens without a
    sentence end (after the run's last comma or semicolon if it has one),
    with a ``long_sentence`` warning. Texts whose sentences end normally are
    left as they are."""
    from .model import Warning

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
        if doc._.warnings is None:
            doc._.warnings = []
        doc._.warnings.append(Warning(
            "long_sentence", doc[cut[0]].idx, doc[cut[-1]].idx,
            f"{len(cut)} sentence break(s) added in text of over {max_tokens} tokens without a full stop"))
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
    return TimeBudget(budget)


def _register_factories() -> None:
    # Importing the stage modules registers their factories with spaCy.
    from spacy.language import Language

    from . import entities, events, quotes, times  # noqa: F401

    if "depeche_limits" not in Language.factories:
        Language.component("depeche_limits", func=limit_sentences)
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
        dct = check_dct(article.dct)
        cleaned = _clean.clean(article.text, self.lang)
        return self._doc(cleaned, dct), cleaned

    def _doc(self, cleaned, dct: Optional[str]):
        """A new Doc of the cleaned text, not yet through the pipeline."""
        doc = self.nlp.make_doc(cleaned.text)
        doc._.dct = dct
        doc._.warnings = list(cleaned.warnings)
        doc.user_data[_BUDGET] = self.time_budget
        return doc

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
                        yield from self._run([(self._doc(cleaned, check_dct(art.dct)), (art, cleaned))], 1,
                                             to_analysis)
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
    nlp.add_pipe("depeche_limits", first=True)
    for stage in STAGES:
        nlp.add_pipe(f"depeche_{stage}", config={"lang": lang})
        nlp.add_pipe("depeche_budget", name=f"depeche_budget_{stage}", config={"budget": float(time_budget)})
    return Pipeline(nlp, model, lang)
