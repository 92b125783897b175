"""Export stage: a processed Doc becomes an :class:`Analysis` whose offsets
index the text as given, and an Analysis becomes JSON or a terminal report."""
from __future__ import annotations

import dataclasses
import json
from typing import Any, Optional

from .clean import Cleaned
from .model import Analysis, Entity, Event, Mention, Quote, Span, Timex


def _span(c: Cleaned, s: Optional[Span]) -> Optional[Span]:
    if s is None:
        return None
    a, b = c.span(s.start, s.end)
    return Span(a, b, c.original[a:b])


def _entity(c: Cleaned, e: Entity) -> Entity:
    mentions = []
    for m in e.mentions:
        a, b = c.span(m.start, m.end)
        mentions.append(Mention(a, b, c.original[a:b]))
    return dataclasses.replace(e, mentions=mentions)


def _timex(c: Cleaned, t: Timex) -> Timex:
    a, b = c.span(t.start, t.end)
    return dataclasses.replace(t, start=a, end=b, text=c.original[a:b])


def _quote(c: Cleaned, q: Quote) -> Quote:
    a, b = c.span(q.start, q.end)
    return dataclasses.replace(q, start=a, end=b, text=c.original[a:b], cue=_span(c, q.cue))


def _event(c: Cleaned, e: Event) -> Event:
    return dataclasses.replace(e, trigger=_span(c, e.trigger), evidence=_span(c, e.evidence))


def to_analysis(doc, cleaned: Cleaned, id: Optional[str], lang: str, parsed: bool = True) -> Analysis:
    """The Analysis of a Doc the depeche pipeline has processed."""
    # The clean stage's warnings and those the components added.
    from .nlp import state

    st = state(doc)
    warnings = [cleaned.to_original(w) for w in st.warnings or []]
    warnings.sort(key=lambda w: (w.start, w.code))
    an = Analysis(id=id, dct=doc._.dct, text=cleaned.original,
                  lang=lang if cleaned.french else "und", warnings=warnings)
    if parsed:
        an.entities = [_entity(cleaned, e) for e in st.entities or []]
        an.times = [_timex(cleaned, t) for t in st.times or []]
        an.quotes = [_quote(cleaned, q) for q in st.quotes or []]
        an.events = [_event(cleaned, e) for e in st.events or []]
    return an


def dump(obj: Any, indent: Optional[int] = None) -> str:
    """JSON text of an Analysis, a Failure or a plain dict."""
    if hasattr(obj, "to_dict"):
        obj = obj.to_dict()
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def analysis_of(doc, id: Optional[str] = None) -> Analysis:
    """The :class:`Analysis` of any Doc the depeche components processed
    (in this process or read back from bytes, a DocBin or ``nlp.pipe(n_process=…)``).

    Offsets index the text given to :func:`depeche.make_doc` (else the
    Doc's own text); ``id`` defaults to ``doc._.article_id``. A stage that
    did not run gives an empty list.
    """
    from .nlp import cleaned_of, register_extensions

    register_extensions()
    cleaned = cleaned_of(doc)
    rec = doc._.cleaned or {}
    if id is None:
        id = doc._.article_id
    return to_analysis(doc, cleaned, id, rec.get("lang", "fr"), parsed=cleaned.french)


def to_contract(doc, id: Optional[str] = None) -> dict[str, Any]:
    """The JSON contract (the dict ``depeche analyze --format json`` prints)
    of a Doc the depeche components processed; see :func:`analysis_of`."""
    return analysis_of(doc, id).to_dict()
