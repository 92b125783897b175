"""depeche: French news articles to verifiable, structured knowledge.

    >>> import depeche
    >>> analysis = depeche.analyze(text, dct="2024-04-03")
    >>> analysis.to_dict()

The spaCy pipeline is loaded on first use (or explicitly with
:func:`load`), never at import time, and reused afterwards.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Optional, Union

from .errors import (AnalysisError, BadDateError, DepecheError, EncodingError,  # noqa: F401
                     InputError, LanguageDataError, ModelNotFoundError, TooLargeError)
from .model import Analysis, Entity, Event, Quote, Timex  # noqa: F401

__version__ = "0.1.0"

_pipeline = None


def load(model: Optional[str] = None):
    """Load (once) and return the shared :class:`depeche.nlp.Pipeline`."""
    global _pipeline
    from . import nlp

    model = model or nlp.MODEL
    if _pipeline is None or _pipeline.model != model:
        _pipeline = nlp.load(model)
    return _pipeline


def analyze(text: str, dct: Optional[str] = None, id: Optional[str] = None) -> Analysis:
    """Analyse one French article; ``dct`` is its publication date (YYYY-MM-DD)."""
    return load().analyze(text, dct=dct, id=id)


def analyze_many(articles: Iterable[Union[dict, "object"]], batch_size: int = 16) -> Iterator:
    """Analyse many articles (dicts with ``text`` and optional ``id``, ``dct``).

    Yields an :class:`Analysis` per article, or a ``Failure`` for a bad one
    (an item that is not an article among them).
    """
    from .nlp import Article, Failure

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
