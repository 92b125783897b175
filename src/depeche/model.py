"""Typed records of an article analysis.

Every record carries character offsets into the text as given by the user
(Python string indices, ``end`` exclusive). ``to_dict()`` gives exactly the
JSON contract of ``depeche analyze`` (see OUTPUT.md in the spec), plus a few
documented extra fields.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Optional


class _StrEnum(str, Enum):
    """An enum whose members are their strings (``EntityType.PER == "PER"``,
    ``str()``, ``format()`` and JSON give the value), as ``enum.StrEnum``
    does from Python 3.11 on."""

    __str__ = str.__str__
    __format__ = str.__format__


class EntityType(_StrEnum):
    """``Entity.type``."""
    PER = "PER"
    ORG = "ORG"
    GPE = "GPE"
    LOC = "LOC"


class TimexType(_StrEnum):
    """``Timex.type`` (TIMEX3)."""
    DATE = "DATE"
    TIME = "TIME"
    DURATION = "DURATION"
    SET = "SET"


class QuoteKind(_StrEnum):
    """``Quote.kind``."""
    DIRECT = "direct"
    INDIRECT = "indirect"


class Mode(_StrEnum):
    """``Event.mode``."""
    ASSERTED = "asserted"
    PLANNED = "planned"
    NEGATED = "negated"
    HYPOTHETICAL = "hypothetical"


class EventType(_StrEnum):
    """``Event.type``: the sixteen PLOVER event types."""
    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"


# The same values as plain strings, in the enums' order. The records hold
# plain strings, so that a record's JSON is byte for byte the contract;
# compare them with the enums (``e.type == EntityType.PER``) or convert
# (``EventType(ev.type)``).
ENTITY_TYPES = tuple(t.value for t in EntityType)
TIMEX_TYPES = tuple(t.value for t in TimexType)
QUOTE_KINDS = tuple(t.value for t in QuoteKind)
MODES = tuple(t.value for t in Mode)
EVENT_TYPES = tuple(t.value for t in EventType)


@dataclass
class Span:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Warning:
    code: str
    start: int
    end: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "start": self.start, "end": self.end, "message": self.message}


@dataclass
class Mention:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Role:
    """A role a person holds: "secrétaire général" of "OTAN"."""
    title: str
    of: Optional[str] = None
    source: str = "text"  # "text" or "kb"

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "of": self.of, "source": self.source}


@dataclass
class Entity:
    id: str
    name: str
    type: str
    kb_id: Optional[str] = None
    mentions: list[Mention] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    gender: Optional[str] = None  # "Masc", "Fem" or None, for pronoun resolution

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "type": self.type, "kb_id": self.kb_id,
            "aliases": list(self.aliases),
            "roles": [r.to_dict() for r in self.roles],
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str
    # For a DURATION used as an offset ("il y a trois ans", "dans deux
    # semaines"): the date it points to, at the unit's granularity ("2021").
    point: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        d = {"start": self.start, "end": self.end, "text": self.text,
             "type": self.type, "value": self.value}
        if self.point is not None:
            d["point"] = self.point
        return d


@dataclass
class Quote:
    start: int
    end: int
    text: str
    kind: str
    speaker: Optional[str] = None
    speaker_id: Optional[str] = None
    cue: Optional[Span] = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind,
                "speaker": self.speaker, "speaker_id": self.speaker_id,
                "cue": self.cue.to_dict() if self.cue else None}


@dataclass
class Event:
    type: str
    mode: str
    trigger: Span
    actor: Optional[str] = None
    recipient: Optional[str] = None
    date: Optional[str] = None
    location: Optional[str] = None
    actor_id: Optional[str] = None
    recipient_id: Optional[str] = None
    location_id: Optional[str] = None
    confidence: float = 0.5
    evidence: Optional[Span] = None  # the sentence the event was read from

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type, "mode": self.mode, "trigger": self.trigger.to_dict(),
            "actor": self.actor, "recipient": self.recipient,
            "date": self.date, "location": self.location,
            "actor_id": self.actor_id, "recipient_id": self.recipient_id,
            "location_id": self.location_id,
            "confidence": round(self.confidence, 3),
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }


@dataclass
class Analysis:
    id: Optional[str]
    dct: Optional[str]
    text: str
    lang: str = "fr"
    warnings: list[Warning] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    times: list[Timex] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def entity(self, entity_id: str) -> Optional[Entity]:
        for e in self.entities:
            if e.id == entity_id:
                return e
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "dct": self.dct, "lang": self.lang,
            "warnings": [w.to_dict() for w in self.warnings],
            "entities": [e.to_dict() for e in self.entities],
            "times": [t.to_dict() for t in self.times],
            "quotes": [q.to_dict() for q in self.quotes],
            "events": [e.to_dict() for e in self.events],
        }
