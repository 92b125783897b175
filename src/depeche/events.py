"""Events stage (first version)."""
from __future__ import annotations

from spacy.language import Language

from .model import Event


class EventCoder:
    def __init__(self, nlp: Language, name: str, lang: str = "fr"):
        self.lang = lang

    def __call__(self, doc):
        doc._.events = self.find(doc)
        return doc

    def find(self, doc) -> list[Event]:
        return []


@Language.factory("depeche_events", default_config={"lang": "fr"})
def make_events(nlp: Language, name: str, lang: str) -> EventCoder:
    return EventCoder(nlp, name, lang)
