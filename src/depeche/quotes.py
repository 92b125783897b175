"""Quotes stage (first version)."""
from __future__ import annotations

from spacy.language import Language

from .model import Quote


class QuoteFinder:
    def __init__(self, nlp: Language, name: str, lang: str = "fr"):
        self.lang = lang

    def __call__(self, doc):
        doc._.quotes = self.find(doc)
        return doc

    def find(self, doc) -> list[Quote]:
        return []


@Language.factory("depeche_quotes", default_config={"lang": "fr"})
def make_quotes(nlp: Language, name: str, lang: str) -> QuoteFinder:
    return QuoteFinder(nlp, name, lang)
