"""Times stage (first version)."""
from __future__ import annotations

from spacy.language import Language

from .model import Timex


class TimeTagger:
    def __init__(self, nlp: Language, name: str, lang: str = "fr"):
        self.lang = lang

    def __call__(self, doc):
        doc._.times = self.find(doc)
        return doc

    def find(self, doc) -> list[Timex]:
        return []


@Language.factory("depeche_times", default_config={"lang": "fr"})
def make_times(nlp: Language, name: str, lang: str) -> TimeTagger:
    return TimeTagger(nlp, name, lang)
