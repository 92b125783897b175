"""Readable TIMEX3 values and dates (depeche.readable)."""
from __future__ import annotations

import pytest

from depeche import readable


@pytest.mark.parametrize("value, type, shown", [
    ("2024-04-03", "DATE", "3 avril 2024"),
    ("2024-04-01", "DATE", "1er avril 2024"),
    ("2024-04", "DATE", "avril 2024"),
    ("2025", "DATE", "2025"),
    ("XXXX-04-03", "DATE", "3 avril"),
    ("XXXX-XX-03", "DATE", "le 3"),
    ("XXXX-WXX-2", "DATE", "mardi"),
    ("XXXX-WXX-2", "SET", "chaque mardi"),
    ("P1W", "SET", "chaque semaine"),
    ("2024-W15", "DATE", "semaine 15 de 2024"),
    ("2024-SP", "DATE", "printemps 2024"),
    ("XXXX-WI", "DATE", "hiver"),
    ("2024-Q3", "DATE", "3e trimestre 2024"),
    ("201X", "DATE", "années 2010"),
    ("20XX", "DATE", "21e siècle"),
    ("FUTURE_REF", "DATE", "à venir"),
    ("PAST_REF", "DATE", "passé"),
    ("PRESENT_REF", "DATE", "maintenant"),
    ("P2W", "DURATION", "2 semaines"),
    ("P1Y", "DURATION", "1 an"),
    ("PT3H30M", "DURATION", "3 heures et 30 minutes"),
    ("PT20M", "DURATION", "20 minutes"),
    ("P18M", "DURATION", "18 mois"),
    ("PXY", "DURATION", "des années"),
    ("2024-04-03TMO", "TIME", "3 avril 2024, matin"),
    ("2024-04-03T14:30", "TIME", "3 avril 2024, 14 h 30"),
    ("2024-04-03T08:00", "TIME", "3 avril 2024, 8 h"),
    ("XXXX-XX-XX", "DATE", "date inconnue"),
])
def test_timex_values_for_people(value, type, shown):
    assert readable.timex(value, type=type) == shown


@pytest.mark.parametrize("value", ["n'importe quoi", "2024-13", "XXXX-WXX-9", "PT99Q", ""])
def test_a_value_it_cannot_read_comes_back_unchanged(value):
    assert readable.timex(value) == value


def test_none_stays_none():
    assert readable.timex(None) is None and readable.date(None) is None


def test_date_and_duration_helpers():
    assert readable.date("2025-03-18") == "18 mars 2025"
    assert readable.duration("P3D") == "3 jours" and readable.duration("2024") == "2024"


def test_the_words_are_language_data():
    w = readable.words("fr")
    assert len(w["months"]) == 12 and len(w["weekdays"]) == 7
    assert set(w["units"]) >= {"Y", "M", "W", "D", "H", "MIN", "S"}
