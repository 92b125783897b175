"""The number module: French cardinals in words and digits, ordinals, Roman numerals."""
from __future__ import annotations

import re

import pytest

from depeche import numbers


@pytest.mark.parametrize("text, value", [
    ("zéro", 0),
    ("un", 1),
    ("une", 1),
    ("trois", 3),
    ("dix", 10),
    ("onze", 11),
    ("quinze", 15),
    ("seize", 16),
    ("dix-sept", 17),
    ("dix-huit", 18),
    ("dix-neuf", 19),
    ("vingt", 20),
    ("vingt et un", 21),
    ("vingt-et-un", 21),
    ("vingt-trois", 23),
    ("trente-cinq", 35),
    ("quarante-deux", 42),
    ("soixante-dix", 70),
    ("soixante et onze", 71),
    ("soixante-dix-neuf", 79),
    ("quatre-vingts", 80),
    ("quatre-vingt-un", 81),
    ("quatre-vingt-onze", 91),
    ("quatre-vingt-dix-huit", 98),
    ("septante", 70),
    ("nonante-cinq", 95),
    ("cent", 100),
    ("cent un", 101),
    ("deux cents", 200),
    ("trois cent douze", 312),
    ("mille", 1000),
    ("deux mille", 2000),
    ("deux mille vingt-quatre", 2024),
    ("mille neuf cent quatre-vingt-dix-neuf", 1999),
    ("trois millions", 3000000),
    ("Vingt-Trois", 23),
    ("12", 12),
    ("2 000", 2000),
    ("2.000", 2000),
    ("70.000", 70000),
    ("1 250 000", 1250000),
    ("30,4", 30.4),
    ("1,5 million", 1500000),
    ("2 milliards", 2000000000),
])
def test_cardinal(text, value):
    assert numbers.parse_cardinal(text) == value


@pytest.mark.parametrize("text", [
    "", "   ", "trois trois", "vingt trente", "dix dix", "et", "un et", "abc",
    "soldats", "douze onze", "x" * 500, "12abc", "--", "2 00",
])
def test_not_a_cardinal(text):
    assert numbers.parse_cardinal(text) is None


@pytest.mark.parametrize("bad", [None, 12, 3.5, ["un"], b"deux"])
def test_bad_input_gives_none(bad):
    assert numbers.parse_cardinal(bad) is None
    assert numbers.parse_ordinal(bad) is None
    assert numbers.parse_roman(bad) is None
    assert numbers.find_numbers(bad) == []


@pytest.mark.parametrize("text, value", [
    ("1er", 1),
    ("1re", 1),
    ("1ère", 1),
    ("2e", 2),
    ("2nd", 2),
    ("3e", 3),
    ("3ème", 3),
    ("21e", 21),
    ("XXe", 20),
    ("XXIe", 21),
    ("IIIe", 3),
    ("premier", 1),
    ("première", 1),
    ("second", 2),
    ("deuxième", 2),
    ("troisième", 3),
    ("quatrième", 4),
    ("cinquième", 5),
    ("neuvième", 9),
    ("onzième", 11),
    ("vingtième", 20),
    ("vingt-troisième", 23),
    ("vingt-et-unième", 21),
    ("centième", 100),
])
def test_ordinal(text, value):
    assert numbers.parse_ordinal(text) == value


@pytest.mark.parametrize("text", ["2er", "unième", "ABe", "3x", "", "troisièmes-bis"])
def test_not_an_ordinal(text):
    assert numbers.parse_ordinal(text) is None


@pytest.mark.parametrize("text, value", [
    ("I", 1), ("IV", 4), ("IX", 9), ("XIV", 14), ("XX", 20), ("XXI", 21), ("MCMXCIX", 1999),
])
def test_roman(text, value):
    assert numbers.parse_roman(text) == value


@pytest.mark.parametrize("text", ["IIII", "VV", "ABC", "", "xx"])
def test_not_roman(text):
    assert numbers.parse_roman(text) is None


@pytest.mark.parametrize("sentence, found", [
    ("Vingt-trois soldats et 2 000 civils ont fui.", [23, 2000]),
    ("La course a duré dix-huit mois et 30,4 secondes.", [18, 30.4]),
    ("Il reste quatre-vingt-dix-neuf places.", [99]),
    ("Aucun chiffre ici.", []),
])
def test_find_numbers(sentence, found):
    got = numbers.find_numbers(sentence)
    assert [v for _, _, v in got] == found
    for s, e, v in got:
        assert numbers.parse_cardinal(sentence[s:e]) == v


@pytest.mark.parametrize("text", ["dix-huit", "2 000", "30,4", "vingt et un", "1,5 million"])
def test_cardinal_pattern_matches_whole(text):
    assert re.fullmatch(numbers.cardinal_pattern(), text, re.IGNORECASE)


@pytest.mark.parametrize("text", ["1er", "3e", "XXe", "troisième", "vingt-troisième", "première"])
def test_ordinal_pattern_matches_whole(text):
    assert re.fullmatch(numbers.ordinal_pattern(), text, re.IGNORECASE)


@pytest.mark.parametrize("text, ok", [
    ("1er", True), ("3", True), ("03", True), ("31", True), ("premier", True),
    ("32", False), ("0", False), ("2024", False), ("1erx", False),
])
def test_day_of_month_pattern(text, ok):
    assert bool(re.fullmatch(numbers.day_of_month_pattern(), text, re.IGNORECASE)) is ok
