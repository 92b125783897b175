"""depeche: French news articles to verifiable, structured knowledge.

    >>> import depeche
    >>> analysis = depeche.analyze(text, dct="2024-04-03")
    >>> analysis.to_dict()

The spaCy pipeline is loaded on first use (or explicitly with
:func:`load`), never at import time, and reused afterwards.

In a spaCy pipeline of your own (see docs/spacy.md)::

    nlp = spacy.load("fr_core_news_md")
    for stage in ("entities", "times", "quotes", "events"):
        nlp.add_pipe(f"depeche_{stage}")
    doc = nlp(depeche.make_doc(nlp, text, dct="2024-04-03"))
    depeche.to_contract(doc)          # the same dict as depeche.analyze(...).to_dict()
"""
from __future__ import annotations

import datetime as _dt
from typing import Iterable, Iterator, Optional, Union

from .errors import (AnalysisError, BadDateError, DepecheError, EmptyTextError, EncodingError,
                     InputError, LanguageDataError, ModelNotFoundError, TimeBudgetError,
                     TooLargeError)
from .export import analysis_of, to_contract
from .model import (Analysis, Entity, EntityType, Event, EventType, Mention, Mode, Quote,
                    QuoteKind, Role, Span, Timex, TimexType, Warning)
from .nlp import Article, Failure, Pipeline, make_doc, make_docs

__version__ = "0.1.0"

__all__ = [
    # analysing
    "analyze", "analyze_many", "load", "Pipeline", "Article", "Failure",
    # in a spaCy pipeline of one's own
    "make_doc", "make_docs", "to_contract", "analysis_of",
    # the records and their vocabularies
    "Analysis", "Entity", "Mention", "Role", "Timex", "Quote", "Event", "Span", "Warning",
    "EntityType", "TimexType", "QuoteKind", "EventType", "Mode",
    # errors
    "DepecheError", "InputError", "EmptyTextError", "EncodingError", "TooLargeError",
    "BadDateError", "AnalysisError", "TimeBudgetError", "ModelNotFoundError",
    "LanguageDataError",
    "__version__",
]

_pipeline = None


def load(model: Optional[str] = None) -> Pipeline:
    """Load (once) and return the shared :class:`depeche.nlp.Pipeline`."""
    global _pipeline
    from . import nlp

    if model is not None and not isinstance(model, str):
        raise TypeError(f"model must be the name of a spaCy model (a str), not {type(model).__name__}")
    model = model or nlp.MODEL
    if _pipeline is None or _pipeline.model != model:
        _pipeline = nlp.load(model)
    return _pipeline


def analyze(text: str, dct: Union[str, _dt.date, None] = None, id: Optional[str] = None) -> Analysis:
    """Analyse one French article; ``dct`` is its publication date
    (``"YYYY-MM-DD"`` or a ``datetime.date``).

    Raises TypeError for an argument of the wrong type, an InputError
    subclass (``BadDateError``, ``TooLargeError``) for a bad value."""
    from .nlp import check_types

    check_types(text, dct, id)
    return load().analyze(text, dct=dct, id=id)


def analyze_many(articles: Iterable[Union[dict, Article]], batch_size: int = 16) -> Iterator[Union[Analysis, Failure]]:
    """Analyse many articles (dicts with ``text`` and optional ``id``, ``dct``,
    or :class:`Article`\\ s).

    Yields an :class:`Analysis` per article, or a :class:`Failure` for a bad
    one (an item that is not an article, a text that is not a string, a bad
    date): a bad article never stops the others. Raises TypeError when
    ``articles`` is not iterable (a single article, a str) or ``batch_size``
    is not a positive int.
    """
    if isinstance(articles, (str, bytes, dict, Article)) or not hasattr(articles, "__iter__"):
        raise TypeError("analyze_many takes an iterable of articles (dicts or Article), "
                        f"not {type(articles).__name__}; use analyze() for one article")
    if type(batch_size) is not int or batch_size < 1:
        raise TypeError(f"batch_size must be a positive int, not {batch_size!r}")

    def arts():
        for n, a in enumerate(articles):
            if isinstance(a, (Article, Failure)):
                yield a
            elif isinstance(a, dict):
                yield Article(a.get("text"), a.get("dct"), a.get("id"))
            else:
                yield Failure(None, InputError(
                    f"item {n} is a {type(a).__name__}, not an article (a dict with 'text')"))

    return load().analyze_many(arts(), batch_size=batch_size)
