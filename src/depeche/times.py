"""Times stage: TIMEX3 expressions found and resolved against the DCT.

``TimeTagger.find(doc)`` returns the time expressions of a parsed Doc as
:class:`~depeche.model.Timex` records (offsets into ``doc.text``), with
TimeML values (GUIDELINES.md §2). It works in three steps:

1. a grammar of regular expressions, built once from the language data
   (``lang/<code>/times.toml`` and ``numbers.toml``), finds candidate
   spans; overlapping candidates give way to the longest;
2. the DCT is ``doc._.dct`` or, when there is none, the first full calendar
   date of the text (written back to ``doc._.dct``);
3. a language-neutral normaliser computes each value. Bare weekdays,
   months and seasons take the direction of the tense of the clause that
   governs them (read from the parse: ``Tense``, ``Mood``, ``VerbForm`` of
   the verb and its auxiliaries, and verbs that announce a future);
   "la veille", "le lendemain", clock times, parts of the day and day
   numbers alone ("reporté au 14") take the day or month mentioned nearest
   to them, else the DCT;
4. a day and the clock time or part of the day joined to it become one
   TIME ("mardi à 14 h 30" → ``…T14:30``, "mardi dans la soirée" →
   ``…TEV``), as do a day and its date ("aujourd'hui 3 avril").

Without a DCT, relative expressions get underspecified values
("XXXX-XX-XX") rather than an invented date.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from spacy.language import Language

from . import lang as langdata
from . import morph, numbers
from .model import Timex
from .nlp import base_ent_tags, publish, register_extensions, register_helpers, state, view
from .repair import repair

FUT, PAST, PRES = "future", "past", "present"
# what an imperfect of a planning verb points to ("devait se tenir lundi"):
# the day nearest the DCT, the past one when both are near
EXPECTED = "expected"
_UNIT_ISO = {"Y": "Y", "M": "M", "W": "W", "D": "D", "N": "D", "WE": "WE", "H": "H",
             "MIN": "M", "S": "S", "DE": "DE", "CE": "CE", "MIL": "ML", "Q": "Q", "HY": "HY"}
_TIME_UNITS = {"H", "MIN", "S"}
# How many sentences back a day named in the text still anchors a clock
# time, "la veille" or "la nuit" (farther back, the DCT does). News stories
# told in order keep their reference day for a long stretch (French
# TimeBank does the same), so the reach is wide.
_ANCHOR_REACH = 12
# How far around its trigger word, or its number, an expression may reach
# (characters). The longest reach in every corpus we have (news, French
# TimeBank, the examples) is 33 before and 13 after a trigger word, 12 and 9
# around a number.
_WINDOW_BEFORE = 80
_WINDOW_AFTER = 40
_NUMBER_BEFORE = 60
_NUMBER_AFTER = 40
_WORD_END = re.compile(r"\W|$")
_DEFERRED = frozenset({"anchored", "clock", "namedclock", "dpart", "partsame", "dayref", "thatpoint"})
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PART_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}T(?:MO|AF|EV|NI|DT)")
# the rules whose expressions name a month ("le 3 mars", "03/04", "en mai")
_NAMES_MONTH = frozenset({"date", "numdate", "isodate", "month", "dayrange", "dayref", "daymonth",
                          "nightdate", "holiday", "composed"})
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})(?![\d])")
_SENT_END = frozenset({".", "!", "?", ";", "\n", "\n\n"})


def _alt(words) -> str:
    """Regex alternation of ``words``, longest first; spaces match any run of spaces."""
    out = []
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        out.append(r"\s+".join(re.escape(p) for p in w.split(" ")))
    return "|".join(out)


_B = r"(?<![\w])"      # start of a word
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
_E = r"(?![\w])"       # end of a word


@dataclass
class _Grammar:
    trigger_index: dict
    rules: list
    month_of: dict
    weekday_of: dict
    season_of: dict
    season_months: dict
    unit_of: dict
    part_of: dict
    relday: dict
    anchored: dict
    vague: dict
    duration_nouns: dict
    freq_adj: dict
    vague_adj: dict
    mod_last: frozenset
    mod_next: frozenset
    mod_prev: frozenset
    mod_follow: frozenset
    this_words: frozenset
    named_clock: dict
    duration_cues: tuple
    future_verbs: frozenset
    future_participles: frozenset
    rescheduling_verbs: frozenset
    target_leads: frozenset
    not_year_after: frozenset
    not_year_before: frozenset
    ago: frozenset
    since: frozenset
    into: frozenset
    later: frozenset
    clock_cues: frozenset
    age_before: tuple
    age_nouns: frozenset
    time_nouns: frozenset
    duration_verbs: frozenset
    needs_last: frozenset
    vague_drop_re: "re.Pattern"
    of_re: "re.Pattern"
    adj_re: "re.Pattern"
    past_leads: tuple
    future_leads: tuple
    holidays: dict
    movable: dict
    programme_leads: tuple
    score_joiners: frozenset
    after_noon: frozenset
    onward_leads: tuple
    nowadays: frozenset
    quantity_leads: tuple
    partitive_next: frozenset
    gerund_marks: frozenset
    eve_leads: tuple
    after_preps: frozenset
    indefinite_plural: frozenset
    range_from: frozenset
    range_to_re: "re.Pattern"
    age_of: frozenset
    generic_season: frozenset
    one_day_leads: tuple
    utc: frozenset
    etre_verbs: frozenset
    of_words: frozenset
    address_nouns: frozenset
    strong_day_leads: frozenset
    etre_aux: frozenset
    compose_clock_re: "re.Pattern"
    compose_part_re: "re.Pattern"
    compose_part_before_re: "re.Pattern"
    compose_day_re: "re.Pattern"
    compose_clock_after_re: "re.Pattern"
    lang: str = "fr"


def _low(words):
    return [w.lower() for w in words]


@lru_cache(maxsize=None)
def _grammar(lang: str = "fr") -> _Grammar:
    d = langdata.load(lang, "times")
    month_of = {}
    for i, forms in enumerate(d["months"]["names"], 1):
        for f in forms:
            month_of[f.lower()] = i
    month_full = [forms[0] for forms in d["months"]["names"]] + \
        [f for forms in d["months"]["names"] for f in forms[1:] if not f.endswith(".") and len(f) > 4]
    weekday_of = {}
    for i, forms in enumerate(d["weekdays"]["names"], 1):
        for f in forms:
            weekday_of[f.lower()] = i
    season_of, season_months = {}, {}
    for code, s in d["seasons"].items():
        for w in s["words"]:
            season_of[w.lower()] = code
        season_months[code] = list(s["months"])
    unit_of = {}
    for code, forms in d["units"].items():
        for f in forms:
            unit_of.setdefault(f.lower(), code)
    part_of = {}
    for code, forms in d["day_parts"].items():
        for f in forms:
            part_of.setdefault(f.lower(), code)
    mods = d["modifiers"]
    vague = {}
    for value, forms in d["vague"].items():
        if isinstance(forms, list) and value.endswith("_REF"):
            for f in forms:
                vague[f.lower()] = value
    clock = d["clock"]

    MONTH = _alt(month_of)
    MONTHF = _alt(month_full)
    WD = _alt(weekday_of)
    PL = re.escape(d["weekdays"]["plural_suffix"])
    SEASON = _alt(season_of)
    LAST = _alt(mods["last"])
    NEXT = _alt(mods["next"])
    PREV = _alt(mods["previous"])
    FOLLOW = _alt(mods["following"])
    ALLMODS = f"{LAST}|{NEXT}|{PREV}|{FOLLOW}"
    PARTS = _alt(part_of)
    CARD = numbers.cardinal_pattern(lang)
    ORD = numbers.ordinal_pattern(lang)
    DAY = numbers.day_of_month_pattern(lang)
    YEAR4 = r"(?:1\d{3}|20\d{2}|2100)"
    YEAR = r"(?:\d{4}(?![\d])|'?\d{2}(?=\s*[,.;:)]|\s*$))"
    HM = _alt(clock["hour_marks"])
    HALFDAY = _alt(list(clock["after_noon"]) + list(clock["before_noon"]))
    MM = _alt(clock["minute_marks"])
    CLOCK = rf"(?:\d{{1,2}}\s*(?:{HM})\s*(?:\d{{2}})?(?:\s*(?:{MM}))?(?![\w])|\d{{1,2}}:\d{{2}}(?![\d]))"
    all_units = list(unit_of)
    digit_only = {u.lower() for u in clock["digit_only_units"]}
    word_units = [u for u in all_units if u not in digit_only]  # "h", "s", "mn" only after digits
    UNIT = _alt(all_units)
    WUNIT = _alt(word_units)
    plural_units = [u for u in word_units if u.endswith("s") or u.endswith("x")]
    PUNIT = _alt(plural_units)
    VQ = _alt(d["vague_quantity"]["words"])
    HEDGE = _alt(d["hedges"]["words"])
    HALF = _alt(d["fraction"]["and_half"])
    QUARTER = _alt(d["fraction"]["quarter"])
    HALFP = _alt(d["fraction"]["half_prefix"])
    off = d["offsets"]
    OFFSET = _alt(off["ago"] + off["since"] + off["in"])
    AFTER = _alt(off["later"] + off["earlier"])
    EDGE = _alt(d["edges"]["words"])
    MOISDE = _alt(d["named_unit"]["month"])
    ANNEE = _alt(d["named_unit"]["year"])
    THIS = _alt(d["this_part"]["det"])
    SAME = _alt(d["this_part"]["same"])
    RELDAY = _alt(d["relative_days"])
    ANCH = _alt(d["anchored_days"])
    VAGUE = _alt(vague)
    EACH = _alt(d["sets"]["each"])
    PER = _alt(d["sets"]["per"])
    DECADE = _alt(d["eras"]["decade"])
    CENTURY = _alt(d["eras"]["century"])
    DPN = d["day_part_nouns"]
    DPNOUN = _alt([w for k, ws in DPN.items() if k != "lead" for w in ws])
    DPLEAD = _alt(DPN["lead"])
    NAMED = _alt(clock["named"])
    LOCAL = _alt(clock["local"])
    CUES = _alt(clock["clock_cues"] + clock["duration_cues"])
    REL_UNITS = _alt([u for u in word_units if unit_of[u] in ("W", "M", "Y", "WE", "Q", "HY", "D", "N", "DE", "CE")])
    PLDET = _alt(d["vague"]["plural_det"])
    COORD = _alt(d["vague"]["coordinators"])
    DNOUN = _alt(d["duration_nouns"])
    SEASON_DET = _alt(d["seasons_generic"]["before"])
    HOLIDAY = _alt(list(d["holidays"]) + list(d["movable_holidays"]))
    HLEAD = _alt(d["holiday_leads"]["words"])
    FIRST = _alt(mods["first"])

    gl = d["glue"]
    DLEAD = _alt(gl["day_number_leads"])
    ALTJ = _alt(gl["number_alternatives"])
    FIRSTMARK = _alt(gl["first_marks"])
    DJOIN = _alt(gl["day_joiners"])
    DDET = _alt(gl["day_det"])
    YJOIN = _alt(gl["year_joiners"])
    THE = _alt(gl["the"])
    WDET1 = _alt(gl["weekday_det_single"])
    WDETP = _alt(gl["weekday_det_plural"])
    UDET = _alt(gl["units_det"])
    OF = _alt(gl["of"])
    NFROM = _alt(gl["night_from"])
    NTO = _alt(gl["night_to"])
    PLEAD = _alt(gl["part_leads"])
    CJOIN = _alt(gl["clock_joiners"])
    NCUES = _alt(gl["named_clock_cues"])
    INPROG = _alt(gl["in_progress"])
    THISSUF = _alt(gl["this_suffix"])
    THATSUF = _alt(gl["that_suffix"])
    DECOF = _alt(gl["decade_of"])
    CENTOF = _alt(gl["century_of"])
    ONE = _alt(gl["one"])
    ELID = _alt([w for w in gl["the"] if w.endswith("'")])
    PERIOD_ORD = _alt([u for u in word_units if unit_of[u] in ("Q", "HY")])

    R = []
    triggers = {
        "clock": None, "namedclock": clock["named"], "date": month_of, "wdday": weekday_of,
        "numdate": None, "isodate": None, "dayref": None, "daymonth": None, "dayrange": month_of, "month": month_full, "year": None,
        "yearpair": None, "decade": d["eras"]["decade"], "century": d["eras"]["century"],
        "period": [u for u in unit_of if unit_of[u] in ("Q", "HY")], "nightspan": [w for k, ws in DPN.items() if k != "lead" for w in ws],
        "nightdate": [w for k, ws in DPN.items() if k != "lead" for w in ws], "holiday": list(d["holidays"]) + list(d["movable_holidays"]),
        "weekday": weekday_of, "relday": d["relative_days"], "anchored": d["anchored_days"],
        "partsame": d["this_part"]["same"], "thispart": part_of, "relunit": unit_of,
        "duration": unit_of, "quarter": d["fraction"]["quarter"], "halfunit": d["fraction"]["half_prefix"],
        "vaguedur": unit_of, "altdur": unit_of, "vaguefut": mods["next"], "vague": vague, "set": d["sets"]["each"],
        "per": d["sets"]["per"], "season": season_of, "dpart": [w for k, ws in DPN.items() if k != "lead" for w in ws],
        "dnoun": d["duration_nouns"], "thatpoint": d["anaphoric_points"]["words"],
    }

    def rule(kind, src):
        words = triggers[kind]
        # the longest word piece of each trigger word: a rule cannot match
        # a text where none of its trigger pieces begins a word
        gate = None if words is None else frozenset(
            max(_WORD.findall(w.lower()), key=len) for w in words if _WORD.findall(w.lower()))
        R.append((kind, re.compile(src, re.IGNORECASE), gate))

    # clock times first: "18 h" is a clock time unless its context makes it a duration
    rule("clock", rf"(?:{_B}(?P<cue>{CUES})\s+)?(?<![\d,.])(?P<x>(?P<hh>\d{{1,2}})\s*(?:{HM})(?:\s*(?P<mm>\d{{2}}))?(?:\s*(?:{MM}))?"
                  rf"(?![\w:/])(?:\s+(?P<half>{HALFDAY}){_E})?"
                  rf"|(?P<hh2>\d{{1,2}}):(?P<mm2>\d{{2}}))(?![\w:/])(?:\s+(?P<loc>{LOCAL}){_E})?")
    rule("namedclock", rf"{_B}(?P<cue>{NCUES})\s+(?P<x>(?P<named>{NAMED})){_E}")
    clock_tail = rf"(?:\s*(?:{CJOIN})?\s*(?P<clock>{CLOCK}))?"
    # 1. day month [year] [modifier] [clock]: "mercredi 3 avril 2024", "le 6 mai dernier"
    #    and its part of the day: "vendredi 29 mars au soir"
    part_tail = rf"\s+(?:(?:{PLEAD})\s+)?(?P<part>{PARTS}){_E}"
    rule("date", rf"{_B}(?P<x>(?:(?P<wd>{WD})\s+)?(?P<d>{DAY})\s+(?P<m>{MONTH})(?:\s+(?P<y>{YEAR}))?"
                 rf"(?:\s+(?P<mod>{ALLMODS}))?{_E}(?:{part_tail}|{clock_tail}))")
    # 2. weekday + day number: "mercredi 3", "mercredi 3 au soir"
    rule("wdday", rf"{_B}(?P<x>(?P<wd>{WD})\s+(?P<d>{DAY})(?!\s*(?:{HM}|{MM})(?![\w]))(?![\d,.:/]\d){_E}(?:{part_tail})?)")
    # 3. numeric dates: 03/04/2024, 2024-04-03
    rule("numdate", r"(?<![\d/.])(?P<x>(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>\d{4}|\d{2}))(?![\d/.]\d)")
    rule("numdate", r"(?<![\d/.-])(?P<x>(?P<d>[0-3]?\d)-(?P<m>[01]?\d)-(?P<y>\d{4}))(?![\d/.-]\d)")
    rule("isodate", rf"(?<![\d/.-])(?P<x>(?P<y>{YEAR4})(?P<sep>[-/.])(?P<m>[01]\d)(?P=sep)(?P<d>[0-3]\d))(?![\d])")
    # 4. days of a list or range before their month: "du 3 au 5 mai", "les 6 et 13 avril prochains"
    rule("dayrange", rf"{_B}(?P<x>(?P<d>{DAY}))(?=(?:\s*(?:{DJOIN})\s*(?:(?:{DDET})\s+)?(?:{DAY}))+\s+"
                     rf"(?P<m>{MONTH})(?:\s+(?P<y>{YEAR}))?(?:\s+(?P<mod>{ALLMODS}))?{_E})")
    # 5. month [year] [modifier], with edges: "juillet", "octobre 98", "fin mai", "ce mois de décembre"
    rule("month", rf"{_B}(?P<x>(?:(?P<edge>{EDGE})\s*)?(?:(?P<this>{THIS})\s+)?(?:(?P<named>{MOISDE})\s*)?"
                  rf"(?P<m>{MONTHF})(?:\s+(?P<y>{YEAR}))?(?:\s+(?P<mod>{ALLMODS}))?){_E}")
    # 6. years: "2024", "l'année 2001", "fin 2023"; pairs "2023-2024"
    rule("year", rf"(?<![\w.,-])(?<!\d\s)(?P<x>(?:(?P<edge>{EDGE})\s*|(?P<named>{ANNEE})\s+)?(?P<y>{YEAR4}))(?![\w-]|[.,]\d|\s\d{{3}}(?!\d))")
    rule("yearpair", rf"(?<![\w.,-])(?P<x>(?P<y>{YEAR4})\s*(?:{YJOIN})\s*(?P<y2>{YEAR4}|\d{{2}}))(?![\w-]|[.,]\d)")
    # 7. decades and centuries: "les années 90", "début des années 2000", "le XXe siècle"
    rule("decade", rf"{_B}(?P<x>(?:(?P<edge>{EDGE})\s*(?:(?:{DECOF})\s+)?)?(?:{DECADE})\s+(?P<dec>'?\d{{2,4}}|{CARD})){_E}")
    rule("century", rf"{_B}(?P<x>(?:(?P<edge>{EDGE})\s*(?:(?:{CENTOF})\s+)?)?(?P<n>{ORD})\s+(?:{CENTURY})){_E}")
    # quarters and halves: "au premier trimestre 2024", "le second semestre"
    rule("period", rf"{_B}(?P<x>(?P<n>{ORD})\s+(?P<unit>{PERIOD_ORD})(?:\s+(?P<y>{YEAR4}))?(?:\s+(?P<mod>{ALLMODS}))?){_E}")
    # 8. "la nuit de samedi à dimanche", "la soirée de mardi", "dans la nuit de jeudi"
    rule("nightspan", rf"{_B}(?P<x>(?P<noun>{DPNOUN})\s+(?:{NFROM})\s+(?P<wd>{WD})(?:\s+(?:{NTO})\s+(?P<wd2>{WD}))?){_E}")
    #    "la nuit du 3 au 4 mars", "la soirée du 12 juin"
    rule("nightdate", rf"{_B}(?P<x>(?P<noun>{DPNOUN})\s+(?:{NFROM})\s+(?P<d>{DAY})(?:\s+(?:{NTO})\s+(?P<d2>{DAY}))?"
                      rf"\s+(?P<m>{MONTH})(?:\s+(?P<y>{YEAR}))?){_E}")
    # feasts: "à Noël", "depuis la Toussaint"
    rule("holiday", rf"{_B}(?:{HLEAD})(?:\s+|(?<='))(?P<x>(?P<h>{HOLIDAY})(?:\s+(?P<y>{YEAR4}))?(?:\s+(?P<mod>{ALLMODS}))?){_E}")
    # 9. weekdays: "jeudi", "jeudi prochain", "ce même lundi après-midi", "les jeudis", "mardi soir"
    rule("weekday", rf"{_B}(?P<x>(?:(?P<det>{THIS})\s+(?:(?P<same>{SAME})\s+)?|(?P<wdet>{WDET1})\s+|(?P<wdets>{WDETP})\s+)?(?P<wd>{WD})(?P<pl>{PL})?"
                    rf"(?:\s+(?P<mod>{ALLMODS}))?(?:\s+(?:(?:{PLEAD})\s+)?(?P<part>{PARTS}))?(?:\s+(?P<mod2>{ALLMODS}))?){_E}")
    # 10. days relative to the DCT: "hier", "aujourd'hui vendredi", "hier soir"
    rule("relday", rf"{_B}(?P<x>(?P<rel>{RELDAY})(?:\s+(?P<wd>{WD}))?(?:\s+(?:(?:{PLEAD})\s+)?(?P<part>{PARTS}))?){_E}")
    # 11. days relative to an anchor: "la veille", "le lendemain au soir"
    rule("anchored", rf"{_B}(?P<x>(?P<rel>{ANCH})(?:\s+(?:(?:{PLEAD})\s+)?(?P<part>{PARTS}))?){_E}")
    rule("partsame", rf"{_B}(?P<x>(?:{THE})\s*(?P<part>{PARTS})\s+(?:{SAME})){_E}")
    # 12. "ce matin", "cette nuit", "cet après-midi"
    rule("thispart", rf"{_B}(?P<x>(?:{THIS})\s+(?P<part>{PARTS})(?:{THISSUF}|{THATSUF})?){_E}")
    # 13. relative units: "la semaine dernière", "l'an prochain", "cette année", "ce mois-ci",
    #     "la fin de l'année dernière", "fin du mois"
    rule("relunit", rf"{_B}(?P<x>(?:(?P<edge>{EDGE})\s*)?(?:(?P<this>{THIS})|(?P<det>{THE}))?\s*(?P<unit>{REL_UNITS})"
                    rf"(?:(?P<here>{THISSUF})|(?P<there>{THATSUF})|\s+(?P<ongoing>{INPROG})|\s+(?P<mod>{ALLMODS}))?){_E}")
    # 14. durations: "trois ans", "48 h", "un an et demi", "il y a deux ans", "deux jours plus tard"
    rule("duration", rf"{_B}(?:(?P<off>{OFFSET})\s+)?(?:(?:{HEDGE})\s+)?(?P<x>(?:(?P<udet>{UDET})\s+)?(?P<n>{CARD})"
                     rf"(?:\s+(?P<pmod>{LAST}|{NEXT}|{FIRST}))?\s+(?P<unit>{UNIT})(?P<half>\s+(?:{HALF}))?){_E}"
                     rf"(?:\s+(?P<after>{AFTER}){_E})?")
    rule("quarter", rf"{_B}(?:(?P<off>{OFFSET})\s+)?(?:(?:{HEDGE})\s+)?(?P<x>(?P<n>{CARD})\s+(?:{QUARTER})\s*(?P<unit>{WUNIT})){_E}")
    rule("halfunit", rf"{_B}(?:(?P<off>{OFFSET})\s+)?(?P<x>(?:{ONE})\s+(?:{HALFP})(?P<unit>{WUNIT})){_E}")
    # 15. vague durations: "quelques jours", "des années", "ces derniers jours", "des jours et des nuits"
    # a choice of numbers: "six ou sept semaines", "deux à trois ans" (a vague amount)
    rule("altdur", rf"{_B}(?:(?P<off>{OFFSET})\s+)?(?:(?:{HEDGE})\s+)?(?P<x>(?P<n>{CARD})\s+(?:{ALTJ})\s+(?P<n2>{CARD})\s+(?P<unit>{UNIT})){_E}")
    rule("vaguedur", rf"{_B}(?:(?P<off>{OFFSET})\s+)?(?P<x>(?P<q>{VQ})\s+(?:(?P<pmod>{LAST})\s+)?(?P<unit>{PUNIT})"
                     rf"(?:\s+(?:{COORD})\s+(?:{VQ})\s+(?:{PUNIT}))?){_E}(?!\s+(?:{NEXT}){_E})(?!\s+(?:\d|(?:{CARD}){_E}))")
    # 16. vague futures: "les semaines à venir", "les jours et les semaines à venir", "les prochains mois"
    rule("vaguefut", rf"{_B}(?P<x>(?:(?:{PLDET})\s+)?(?:(?:{PUNIT})\s+(?:{COORD})\s+(?:(?:{PLDET})\s+)?)?(?:{PUNIT})\s+(?:{NEXT})){_E}")
    rule("vaguefut", rf"{_B}(?P<x>(?:(?:{PLDET})\s+)?(?:{NEXT})\s+(?:{PUNIT})){_E}")
    # 17. vague references: "actuellement", "maintenant", "récemment"
    rule("vague", rf"{_B}(?P<x>{VAGUE}){_E}")
    # 18. sets: "chaque lundi", "tous les ans", "tous les deux ans", "par an"
    rule("set", rf"{_B}(?P<x>(?:{EACH})\s+(?:(?P<n>{CARD})\s+)?(?:(?P<wd>{WD})(?:{PL})?|(?P<unit>{WUNIT}))){_E}")
    rule("per", rf"{_B}(?:{PER})\s+(?P<x>(?P<unit>{WUNIT})){_E}")
    # 19. seasons: "l'été", "cet hiver", "l'automne dernier", "été 2003"
    rule("season", rf"{_B}(?:(?P<det>{SEASON_DET})\s*)?(?P<x>(?P<s>{SEASON})(?:\s+(?P<y>{YEAR4}))?(?:\s+(?P<mod>{ALLMODS}))?){_E}")
    # 20. parts of the day alone: "la nuit", "dans la soirée", "en milieu d'après-midi"
    rule("dpart", rf"{_B}(?:{DPLEAD})\s*(?P<x>(?:(?P<edge>{EDGE})\s*(?:{ELID})?)?(?P<noun>{DPNOUN})){_E}(?!\s+(?:{OF})[\s'])")
    rule("dpart", rf"{_B}(?P<x>(?P<edge>{EDGE})\s*(?:{ELID})?(?P<noun>{DPNOUN})){_E}(?!\s+(?:{OF})[\s'])")
    # the time last named: "à ce moment-là"
    rule("thatpoint", rf"{_B}(?P<x>{_alt(d['anaphoric_points']['words'])}){_E}")
    # 21. nouns that are durations by themselves: "quinquennat"
    rule("dnoun", rf"{_B}(?P<x>{DNOUN}){_E}")

    # a day number alone after its article, in a text that has named the
    # month: "repoussée au 14", "le 5 au matin", "du 3 au 5"
    rule("dayref", rf"{_B}(?P<lead>{DLEAD})\s+(?P<x>(?P<d>(?:[12]\d|3[01]|0?[1-9])(?:{FIRSTMARK})?)(?![\w'’-]|[,.:/]\d)"
                   rf"(?!\s*(?:{MONTH}|{UNIT}|{HM}|{MM}|%|\d)(?![\w]))(?:{part_tail})?)")
    # a day and month in digits after an article: "le 12/03", "du 1er/01"
    rule("daymonth", rf"{_B}(?:{DLEAD})\s+(?P<x>(?P<d>[12]\d|3[01]|0?[1-9])(?:{FIRSTMARK})?/(?P<m>1[0-2]|0?[1-9]))(?!\d|[/.,-]\d|/|\s*(?:{HM}){_E})")

    # word → the rules it triggers (a plural "s" too: "jeudis")
    trigger_index: dict = {}
    for i, (kind, rx, gate) in enumerate(R):
        for piece in gate or ():
            for w in (piece, piece + "s"):
                trigger_index.setdefault(w, []).append(i)

    return _Grammar(
        lang=lang,
        trigger_index=trigger_index,
        rules=R, month_of=month_of, weekday_of=weekday_of, season_of=season_of,
        season_months=season_months, unit_of=unit_of, part_of=part_of,
        relday={k.lower(): v for k, v in d["relative_days"].items()},
        anchored={k.lower(): v for k, v in d["anchored_days"].items()},
        vague=vague,
        duration_nouns={k.lower(): v for k, v in d["duration_nouns"].items()},
        freq_adj=dict(d["frequency_adjectives"]),
        vague_adj=dict(d["vague_duration_adjectives"]),
        mod_last=frozenset(_low(mods["last"])), mod_next=frozenset(_low(mods["next"])),
        mod_prev=frozenset(_low(mods["previous"])), mod_follow=frozenset(_low(mods["following"])),
        this_words=frozenset(_low(d["this_part"]["det"])),
        named_clock={k.lower(): v for k, v in clock["named"].items()},
        duration_cues=tuple(sorted(_low(clock["duration_cues"]), key=len, reverse=True)),
        future_verbs=frozenset(d["direction"]["future_verbs"]),
        future_participles=frozenset(d["direction"]["future_participles"]),
        rescheduling_verbs=frozenset(d["direction"].get("rescheduling_verbs", [])),
        target_leads=frozenset(_low(d["direction"].get("target_leads", []))),
        not_year_after=frozenset(_low(d["not_year"]["after"])),
        not_year_before=frozenset(_low(d["not_year"]["before"])),
        ago=frozenset(_low(off["ago"])), since=frozenset(_low(off["since"])),
        into=frozenset(_low(off["in"])), later=frozenset(_low(off["later"])),
        clock_cues=frozenset(_low(clock["clock_cues"])),
        age_before=tuple(_low(d["ages"]["before"])),
        age_nouns=frozenset(_low(d["ages"]["person_nouns"])),
        time_nouns=frozenset(_low(d["ages"]["time_nouns"])),
        duration_verbs=frozenset(_low(clock["duration_verbs"])),
        needs_last=frozenset(_low(gl["needs_last"])),
        vague_drop_re=re.compile(rf"(?:{_alt(d['vague']['drop_prefix'])})\s+(?=(?:{_alt(d['vague']['keep_after'])})(?:\s|(?<=')))",
                                 re.IGNORECASE),
        of_re=re.compile(rf"\s*(?:{_alt(gl['of'])})(?:\s+|(?<=')|$)", re.IGNORECASE),
        adj_re=re.compile(rf"(?<![\w])(?:{_alt([w[:-1] for w in list(d['frequency_adjectives']) + list(d['vague_duration_adjectives'])])})\w*",
                          re.IGNORECASE),
        past_leads=tuple(" " + w if w[-1].isalpha() else w for w in _low(d["direction"]["past_leads"])),
        future_leads=tuple(" " + w if w[-1].isalpha() else w for w in _low(d["direction"]["future_leads"])),
        holidays={k.lower(): tuple(v) for k, v in d["holidays"].items()},
        eve_leads=tuple(sorted((w.lower() for w in gl["eve_leads"]), key=len, reverse=True)),
        gerund_marks=frozenset(_low(d["direction"]["gerund_marks"])),
        quantity_leads=tuple(" " + w for w in _low(d["not_year"]["quantity_leads"])),
        partitive_next=frozenset(_low(d["not_year"]["partitive_next"])),
        nowadays=frozenset(_low(d["nowadays"]["words"])),
        onward_leads=tuple(" " + w if w[-1].isalpha() else w for w in _low(d["direction"]["onward_leads"])),
        after_noon=frozenset(_sp(w) for w in clock["after_noon"]),
        score_joiners=frozenset(_low(gl["range_to"])),
        programme_leads=tuple(" " + w for w in _low(clock["programme_leads"])),
        movable={k.lower(): int(v) for k, v in d["movable_holidays"].items()},
        after_preps=frozenset(_low(off["prepositions"])),
        indefinite_plural=frozenset(_low(gl["indefinite_plural"])),
        range_from=frozenset(_low(gl["range_from"])),
        range_to_re=re.compile(rf"\s*(?:{_alt(gl['range_to'])})\s*\d", re.IGNORECASE),
        age_of=frozenset(_low(gl["age_of"])),
        generic_season=frozenset(_low(d["seasons_generic"]["det"])),
        one_day_leads=tuple(_low(d["ages"]["one_day_leads"])),
        utc=frozenset(_low(clock["utc"])),
        etre_verbs=frozenset(d["direction"]["etre_verbs"]),
        of_words=frozenset(_low(gl["of"])),
        address_nouns=frozenset(_low(d["not_year"]["address_nouns"])),
        strong_day_leads=frozenset(_sp(w) for w in gl["day_number_strong_leads"]),
        etre_aux=frozenset(d["direction"]["etre_aux"]),
        compose_clock_re=re.compile(rf"\s*(?:(?:{_alt(gl['compose_clock'])})\s*)?", re.IGNORECASE),
        compose_part_re=re.compile(rf"\s*,?\s*[«\"“]?\s*(?:(?:{_alt(gl['compose_part'])})\s*)?", re.IGNORECASE),
        compose_clock_after_re=re.compile(r"[ \t]+"),
        compose_part_before_re=re.compile(r"\s*,?\s*"),
        compose_day_re=re.compile(rf"\s*,?\s*(?:(?:{_alt(gl['day_det'])})\s+)?", re.IGNORECASE),
    )


# ---------------------------------------------------------------------------
# calendar arithmetic (language-neutral)

def _date(y, m, d) -> Optional[_dt.date]:
    try:
        return _dt.date(int(y), int(m), int(d))
    except (ValueError, TypeError, OverflowError):
        return None


def _easter(y: int) -> _dt.date:
    """Easter Sunday of the Gregorian year ``y`` (the anonymous algorithm)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return _dt.date(y, month, day)


def _iso(d: _dt.date) -> str:
    return d.isoformat()


def _week(d: _dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _sp(s: str) -> str:
    """Squeeze spaces, lower-case, straight apostrophes ("jusqu’au")."""
    return " ".join(s.lower().replace("\u2019", "'").split())


def _shift(anchor: _dt.date, n: int, unit: str) -> Optional[str]:
    """The date ``n`` units from ``anchor``, at the unit's granularity."""
    try:
        if unit in ("D", "N"):
            return _iso(anchor + _dt.timedelta(days=n))
        if unit in ("W", "WE"):
            return _week(anchor + _dt.timedelta(weeks=n))
        if unit == "M":
            y, m = _add_months(anchor.year, anchor.month, n)
            return f"{y:04d}-{m:02d}"
        if unit == "Q":
            y, m = _add_months(anchor.year, anchor.month, 3 * n)
            return f"{y:04d}-Q{(m - 1) // 3 + 1}"
        if unit == "HY":
            y, m = _add_months(anchor.year, anchor.month, 6 * n)
            return f"{y:04d}-H{(m - 1) // 6 + 1}"
        if unit == "Y":
            return f"{anchor.year + n:04d}"
        if unit == "DE":
            return f"{(anchor.year + 10 * n) // 10:03d}"
        if unit == "CE":
            return f"{(anchor.year + 100 * n) // 100:02d}"
        if unit in _TIME_UNITS:
            return _iso(anchor)
    except (OverflowError, ValueError):
        return None
    return None


def _fmt_amount(v) -> str:
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return f"{v:g}"
    return str(v)


def _duration_value(n, unit: str) -> Optional[str]:
    """TimeML duration: P3Y, PT2H, P18M for 1.5 years, PXD for a vague amount."""
    iso = _UNIT_ISO.get(unit)
    if iso is None:
        return None
    if n == "X":
        amount = "X"
    else:
        if n is None or n < 0 or n > 100000:
            return None
        if isinstance(n, float) and not n.is_integer():
            # express fractions in the next smaller unit when exact
            smaller = {"Y": ("M", 12), "DE": ("Y", 10), "CE": ("Y", 100), "D": ("H", 24),
                       "H": ("MIN", 60), "W": ("D", 7), "M": (None, 0)}.get(unit)
            if smaller and smaller[0]:
                m = n * smaller[1]
                if abs(m - round(m)) < 1e-6:
                    return _duration_value(int(round(m)), smaller[0])
            amount = _fmt_amount(n)
        else:
            amount = _fmt_amount(n)
    if unit in ("DE", "CE", "MIL"):
        if amount == "X":
            return f"PX{iso}"
        mult = {"DE": 10, "CE": 100, "MIL": 1000}[unit]
        return f"P{int(float(amount) * mult)}Y" if amount != "X" else None
    if unit == "WE":
        return f"P{amount}WE"
    if unit == "Q":
        return f"P{int(float(amount) * 3)}M" if amount != "X" else "PXM"
    if unit == "HY":
        return f"P{int(float(amount) * 6)}M" if amount != "X" else "PXM"
    if unit in _TIME_UNITS:
        return f"PT{amount}{iso}"
    return f"P{amount}{iso}"


# ---------------------------------------------------------------------------
# direction from the parse

def _direction(doc, start: int, end: int, g: _Grammar) -> Optional[str]:
    """FUT, PAST or PRES from the verb that governs the span, or None."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    via = None
    target = any(c.dep_ == "case" and c.lower_ in g.target_leads for c in tok.children)
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") and not tok.dep_.startswith("aux"):
            if target and via is not None and via.i == span.root.i and tok.lemma_ in g.rescheduling_verbs:
                return FUT   # "reporté à juin", "ajourné au 12 mai": the new date lies ahead
            d = _verb_direction(tok, g, 0)
            if d == PRES and via is not None and via.dep_ == "obj" and tok.lemma_ in g.future_verbs:
                return FUT   # "le gouvernement prévoit un vote mardi": the thing planned lies ahead
            return d
        if tok.pos_ in ("ADJ", "NOUN", "PROPN", "PRON") and via is not None:
            cops = [c for c in tok.children if c.dep_ in ("cop", "aux", "aux:tense", "aux:pass")]
            if cops:
                # a predicate with its copula: "les résultats seront connus jeudi"
                d = _verb_direction(tok, g, 0)
                if d is None:
                    tenses = {t for c in cops for t in c.morph.get("Tense")}
                    d = PAST if tenses & {"Past", "Imp"} else PRES if "Pres" in tenses else None
                return d
        if tok.head.i == tok.i:
            break
        via, tok = tok, tok.head
    else:
        return None
    # a day cut off as a fragment of its own ("Samedi, la police est
    # intervenue" parsed with two roots): the verb that heads the sentence
    if tok.head.i == tok.i and tok.dep_ == "ROOT":
        doc = tok.doc
        for rng in (range(tok.i + 1, min(len(doc), tok.i + 40)), range(tok.i - 1, max(-1, tok.i - 40), -1)):
            for i in rng:
                t = doc[i]
                if t.text in _SENT_END:
                    break
                if t.head.i == t.i and t.pos_ in ("VERB", "AUX"):
                    return _verb_direction(t, g, 0)
    return None


def _clause_verb(doc, start: int, end: int):
    """The verb that governs the span, or None."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") and not tok.dep_.startswith("aux"):
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _verb_direction(v, g: _Grammar, depth: int) -> Optional[str]:
    if depth > 4:
        return None
    auxes = [c for c in v.children if c.dep_ in ("aux", "aux:tense", "aux:pass", "aux:caus", "cop")]
    for a in auxes + [v]:
        if morph.mood(a, g.lang) == morph.FUTURE:
            return FUT
    vf = v.morph.get("VerbForm")
    if "Inf" in vf or ("Part" in vf and any("Inf" in a.morph.get("VerbForm") for a in auxes)):
        # an infinitive, or a passive or compound one ("devait être voté")
        gov = v.head
        if gov.i != v.i and gov.pos_ in ("VERB", "AUX"):
            if gov.lemma_ in g.future_verbs:
                if "Part" in gov.morph.get("VerbForm") or "Past" in gov.morph.get("Tense") \
                        or "Imp" in gov.morph.get("Tense"):
                    # "devait se rendre lundi": planned, seen from the past;
                    # the day may lie on either side of the DCT
                    return EXPECTED if "Imp" in gov.morph.get("Tense") else PAST
                return FUT
            # a plain infinitive ("avant de quitter le 30 octobre") lies after
            # its governor: only a future governor tells its direction
            return FUT if _verb_direction(gov, g, depth + 1) == FUT else None
        return None
    if "Part" in vf and "Pres" in v.morph.get("Tense"):
        # a gerund or present participle shares the time of the verb it
        # hangs on ("Jeudi, en annonçant sa décision, il a dit")
        gov = v.head
        gerund = any(c.dep_ in ("mark", "case") and c.lower_ in g.gerund_marks for c in v.children)
        if gerund and gov.i != v.i and gov.pos_ in ("VERB", "AUX"):
            d = _verb_direction(gov, g, depth + 1)
            if d is not None:
                return d
        return PRES   # "préparant le sommet de juillet"
    if "Part" in vf:
        tense_aux = [a for a in auxes if a.dep_ in ("aux", "aux:tense")]
        if not tense_aux:
            aux_tenses = {t for a in auxes for t in a.morph.get("Tense")}
            if v.lemma_ in g.etre_verbs and any(a.lemma_ in g.etre_aux for a in auxes):
                # "il est arrivé", "elle est intervenue": a compound past, not a passive
                return PAST
            if aux_tenses & {"Imp", "Past"}:
                return PAST   # "la visite était prévue en juin"
            if v.lemma_ in g.future_participles:
                return FUT    # "le sommet prévu jeudi", "il est attendu lundi"
            if "Pres" in aux_tenses:  # passive present
                return PRES
            return PAST
        return PAST
    if morph.mood(v, g.lang) == morph.CONDITIONAL:
        return FUT   # "accueillerait une conférence en juin": a future seen from the past
    tense = v.morph.get("Tense")
    if "Past" in tense or "Imp" in tense:
        return PAST
    if "Pres" in tense:
        if v.lemma_ in g.future_verbs and any(
                c.dep_ in ("xcomp", "ccomp") and "Inf" in c.morph.get("VerbForm") for c in v.children):
            return FUT
        return PRES
    return None


# ---------------------------------------------------------------------------
# resolution helpers

def _resolve_weekday(dct: _dt.date, wd: int, direction: Optional[str], mod: Optional[str]) -> _dt.date:
    diff = wd - dct.isoweekday()
    if mod == "last":
        back = (dct.isoweekday() - wd) % 7 or 7
        return dct - _dt.timedelta(days=back)
    if mod == "next":
        fwd = (wd - dct.isoweekday()) % 7 or 7
        return dct + _dt.timedelta(days=fwd)
    if mod == "this":
        return dct + _dt.timedelta(days=diff)
    if direction == PRES:
        # the day of the same week; a present tense about a day long gone in
        # that week announces the next one ("le parlement se réunit lundi"
        # told on a Sunday)
        return dct + _dt.timedelta(days=diff + 7 if diff <= -4 else diff)
    if direction == FUT:
        return dct + _dt.timedelta(days=diff % 7)
    if direction == PAST:
        return dct - _dt.timedelta(days=(-diff) % 7)
    if direction == EXPECTED:
        back = (-diff) % 7
        return dct - _dt.timedelta(days=back) if back <= 4 else dct + _dt.timedelta(days=7 - back)
    # no tense: the nearest such day
    fwd = diff % 7
    return dct + _dt.timedelta(days=fwd if fwd <= 3 else fwd - 7)


def _resolve_year(dct: _dt.date, key: tuple, dct_key: tuple, direction: Optional[str],
                  mod: Optional[str]) -> int:
    """The year of a month, day-of-month or season given without a year."""
    y = dct.year
    if mod == "last":
        return y if key < dct_key else y - 1
    if mod == "next":
        return y if key > dct_key else y + 1
    if direction == FUT:
        return y if key >= dct_key else y + 1
    if direction == PAST:
        return y if key <= dct_key else y - 1
    return y


def _resolve_season(dct: _dt.date, months: list, direction: Optional[str], mod: Optional[str]) -> int:
    """The year label of a season given without a year (a winter is labelled
    by the year of its first month): the one the DCT falls in for "this" or
    the present, else the next (future, "prochain") or the last one (past,
    "dernier")."""
    first = months[0]
    spans = []
    for y in (dct.year - 2, dct.year - 1, dct.year, dct.year + 1):
        start = _dt.date(y, first, 1)
        ey, em = _add_months(y, first, len(months))
        spans.append((y, start, _dt.date(ey, em, 1)))
    current = [y for y, a, b in spans if a <= dct < b]
    if mod == "last":
        return max(y for y, a, b in spans if b <= dct)
    if mod == "next":
        return min(y for y, a, b in spans if a > dct)
    if current and mod != "prev":
        return current[0]
    if direction == PAST:
        return max(y for y, a, b in spans if b <= dct)
    if direction == FUT:
        return min(y for y, a, b in spans if a > dct)
    # present or unknown: the nearest one
    return min(spans, key=lambda t: min(abs((t[1] - dct).days), abs((t[2] - dct).days)))[0]


def _mod_kind(g: _Grammar, *mods) -> Optional[str]:
    for m in mods:
        if not m:
            continue
        m = _sp(m)
        if m in g.mod_last:
            return "last"
        if m in g.mod_next:
            return "next"
        if m in g.mod_prev:
            return "prev"
        if m in g.mod_follow:
            return "follow"
    return None


def _year_of(text: Optional[str]) -> Optional[int]:
    if not text:
        return None
    t = text.strip("'")
    if not t.isdigit():
        return None
    y = int(t)
    if len(t) == 2:
        y += 1900 if y >= 30 else 2000
    return y


def _day_of(text: str) -> Optional[int]:
    t = text.strip()
    v = numbers.parse_ordinal(t)
    if v is None:
        v = numbers.parse_cardinal(t)
    if isinstance(v, int) and 1 <= v <= 31:
        return v
    return None


@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    m: "re.Match"


@dataclass
class _Out:
    start: int
    end: int
    type: str
    value: str
    point: Optional[str] = None
    day: Optional[_dt.date] = None     # the day it names, for anchoring
    kind: str = ""                     # the rule that found it


class TimeTagger:
    """The times stage: ``find(doc)`` gives the Timex records of a parsed Doc."""

    def __init__(self, nlp: Optional[Language] = None, name: str = "depeche_times", lang: str = "fr"):
        register_extensions()  # also in a spaCy pipeline of the user's own
        self.lang = lang
        self.g = _grammar(lang)
        self._doc = None
        self._sent_starts: list[int] = [0]
        self._day_starts: list[int] = []
        self._days: list[_Out] = []
        self._set_sents: set[int] = set()

    def __call__(self, doc):
        state(doc).times = self.find(doc)
        publish(doc, "times")
        return doc

    # -- candidates ---------------------------------------------------------
    def candidates(self, text: str) -> list[_Cand]:
        cands = []
        # where each rule's trigger words occur: one pass over the words; the
        # rules without trigger words need a number, searched around numbers
        hits: dict[int, list[tuple[int, int]]] = {}
        index = self.g.trigger_index
        for m in _WORD.finditer(text):
            rs = index.get(m.group().lower())
            if rs:
                for r in rs:
                    hits.setdefault(r, []).append(m.span())
        numbers = [m.span() for m in _DIGITS.finditer(text)]
        around_numbers = self._windows(numbers, text, _NUMBER_BEFORE, _NUMBER_AFTER) if numbers else []
        for r, (kind, rx, gate) in enumerate(self.g.rules):
            if gate is None:
                windows = around_numbers
            elif r not in hits:
                continue
            else:
                windows = self._windows(hits[r], text)
            seen = set()
            for a, b in windows:
                for m in rx.finditer(text, a, b):
                    s, e = m.span("x")
                    if e > s and (s, e) not in seen and self._plausible(kind, m):
                        seen.add((s, e))
                        cands.append(_Cand(s, e, kind, m))
        # longest first, then leftmost; no overlaps
        cands.sort(key=lambda c: (-(c.end - c.start), c.start))
        taken: list[tuple[int, int]] = []
        out = []
        for c in cands:
            i = bisect.bisect_left(taken, (c.start, c.end))
            if i > 0 and taken[i - 1][1] > c.start:
                continue
            if i < len(taken) and taken[i][0] < c.end:
                continue
            taken.insert(i, (c.start, c.end))
            out.append(c)
        out.sort(key=lambda c: c.start)
        return out

    @staticmethod
    def _windows(spans, text: str, before: int = _WINDOW_BEFORE, after: int = _WINDOW_AFTER) -> list[tuple[int, int]]:
        """Merged stretches of text around the trigger words of a rule: the
        rule is searched there only (an expression lies near its trigger)."""
        n = len(text)
        out: list[list[int]] = []
        for s, e in spans:
            a, b = max(0, s - before), min(n, e + after)
            if out and a <= out[-1][1]:
                out[-1][1] = max(out[-1][1], b)
            else:
                out.append([a, b])
        res = []
        for a, b in out:
            # never cut a word: a lookahead at the window's end would see an end of text
            m = _WORD_END.search(text, b) if b < n else None
            res.append((a, m.start() if m else n))
        return res

    def _plausible(self, kind: str, m) -> bool:
        """Cheap checks that keep a candidate from hiding a better one."""
        gd = m.groupdict()
        if kind == "relunit":
            # "la journée", "l'année" alone are not relative units
            unit = self.g.unit_of.get(_sp(gd["unit"]))
            if not (gd.get("this") or gd.get("det") or gd.get("edge")):
                return False
            return bool(gd.get("this") or gd.get("here") or gd.get("ongoing") or gd.get("mod")
                        or (gd.get("edge") and unit in ("Y", "M", "W", "WE")))
        if kind == "month" and not (gd.get("edge") or gd.get("this") or gd.get("named") or gd.get("y")):
            # a capitalised month name inside a sentence is a name ("la planète Mars")
            w = gd["m"]
            if w[:1].isupper() and not w.isupper():
                before = m.string[max(0, m.start() - 3):m.start()].strip()
                if before and before[-1] not in ".!?»«\"\n:(" and m.start() > 0:
                    return False
        if kind == "season":
            return bool(gd.get("det") or gd.get("y") or gd.get("mod"))
        if kind == "altdur":
            n1, n2 = numbers.parse_cardinal(gd["n"]), numbers.parse_cardinal(gd["n2"])
            if not (isinstance(n1, int) and isinstance(n2, int) and 0 < n1 < n2):
                return False
            # the minutes of a clock time: "de 13 h 30 à 15 h 30"
            return not re.search(r"[\d:]\s*\w{0,6}\s*$", m.string[max(0, m.start("x") - 8):m.start("x")]) \
                or not gd["n"].strip()[0].isdigit()
        return True

    # -- main -----------------------------------------------------------------
    def find(self, doc) -> list[Timex]:
        repair(doc, self.lang)  # the tenses it reads; done already when the entities stage ran first
        doc = view(doc)
        text = doc.text
        if not text or not text.strip():
            return []
        self._doc, self._text = doc, text
        cands = self.candidates(text)
        dct = None
        dct_s = getattr(doc._, "dct", None) if doc.has_extension("dct") else None
        if dct_s:
            try:
                dct = _dt.date.fromisoformat(str(dct_s)[:10])
            except ValueError:
                dct = None
        if dct is None:
            dct = self._first_full_date(cands)
            if dct is not None and doc.has_extension("dct"):
                doc._.dct = dct.isoformat()
        self._sent_starts = [s.start_char for s in doc.sents]
        outs: list[_Out] = []
        self._day_starts, self._days = [], []   # the days named so far, by offset
        self._set_sents = {self._sent(c.start) for c in cands if c.kind in ("set", "per")}
        deferred: list[_Cand] = []
        # clock times, parts of days and "la veille" wait until every day is known
        for c in cands:
            if c.kind in _DEFERRED:
                deferred.append(c)
            else:
                self._normalise_into(doc, c, dct, outs)
        for c in deferred:
            self._normalise_into(doc, c, dct, outs)
        outs.extend(self._adjectives(doc, outs))
        outs.sort(key=lambda o: o.start)
        outs = self._compose(outs)
        self._nowadays(doc, outs, dct)
        return [Timex(o.start, o.end, text[o.start:o.end], o.type, o.value, o.point) for o in outs]

    @staticmethod
    def _is_day(o: _Out) -> bool:
        return o.type == "DATE" and o.day is not None and bool(_ISO_DAY.fullmatch(o.value))

    def _compose(self, outs: list[_Out]) -> list[_Out]:
        """One expression of a day and the clock time or part of the day
        joined to it: "mardi à 14 h 30" (``…T14:30``), "mercredi minuit",
        "mardi dans la soirée", "en fin de matinée jeudi" (``…TMO``)."""
        g, text = self.g, self._text
        res: list[_Out] = []
        i = 0
        while i < len(outs):
            a = outs[i]
            b = outs[i + 1] if i + 1 < len(outs) else None
            merged = None
            if b is not None and b.start >= a.end:
                gap = text[a.end:b.start]
                if a.type == "TIME" and a.day is not None and _PART_VALUE.fullmatch(a.value) \
                        and a.kind in ("weekday", "date", "wdday", "relday", "dayref") \
                        and b.kind in ("clock", "namedclock") and g.compose_clock_re.fullmatch(gap):
                    # "mardi matin à 10 h": the clock time says more than the part
                    tail = b.value[b.value.index("T"):]
                    merged = _Out(a.start, b.end, "TIME", a.value[:10] + tail, day=a.day, kind="composed")
                elif a.kind in ("clock", "namedclock") and a.type == "TIME" and self._is_day(b) \
                        and g.compose_clock_after_re.fullmatch(gap):
                    # "à 9 h mardi"
                    tail = a.value[a.value.index("T"):]
                    merged = _Out(a.start, b.end, "TIME", b.value + tail, day=b.day, kind="composed")
                elif self._is_day(a) and b.type == "TIME" and "T" in b.value:
                    tail = b.value[b.value.index("T"):]
                    if b.kind in ("clock", "namedclock") and g.compose_clock_re.fullmatch(gap):
                        merged = _Out(a.start, b.end, "TIME", a.value + tail, day=a.day, kind="composed")
                    elif b.kind == "dpart" and g.compose_part_re.fullmatch(gap):
                        merged = _Out(a.start, b.end, "TIME", a.value + tail, day=a.day, kind="composed")
                elif self._is_day(a) and b.kind == "dpart" and b.type == "DATE" and g.compose_part_re.fullmatch(gap):
                    # "mardi dans la journée": the whole day, TimeML "TDT"
                    merged = _Out(a.start, b.end, "TIME", a.value + "TDT", day=a.day, kind="composed")
                elif a.kind in ("relday", "weekday") and self._is_day(a) and self._is_day(b) \
                        and b.kind in ("date", "numdate", "isodate", "daymonth") \
                        and g.compose_day_re.fullmatch(gap) \
                        and (a.kind == "relday" and a.day == b.day
                             or a.kind == "weekday" and a.day.isoweekday() == b.day.isoweekday()):
                    # "aujourd'hui 3 avril", "mardi, 2 avril": one day, the date says which
                    merged = _Out(a.start, b.end, "DATE", b.value, day=b.day, kind="composed")
                elif a.kind == "dpart" and self._is_day(b) and g.compose_part_before_re.fullmatch(gap):
                    tail = a.value[a.value.index("T"):] if "T" in a.value else "TDT"
                    merged = _Out(a.start, b.end, "TIME", b.value + tail, day=b.day, kind="composed")
            if merged is not None:
                res.append(merged)
                i += 2
            else:
                res.append(a)
                i += 1
        return res

    def _nowadays(self, doc, outs: list[_Out], dct) -> None:
        """"aujourd'hui" meaning nowadays is PRESENT_REF (GUIDELINES §6): in
        a present-tense clause of a sentence that sets it against a time
        long gone ("en 1990, la ville comptait... ; aujourd'hui, elle...")."""
        if dct is None:
            return
        text = self._text
        for o in outs:
            if o.kind != "relday" or o.type != "DATE" or _sp(text[o.start:o.end]).replace("’", "'") not in self.g.nowadays:
                continue
            si = self._sent(o.start)
            past = False
            for p in outs:
                if p is o or not 0 <= si - self._sent(p.start) <= 1:
                    continue
                if p.value == "PAST_REF" or (p.type == "DATE" and re.fullmatch(r"\d{2,4}", p.value)
                                             and int(p.value.ljust(4, "0")) < dct.year - 1):
                    past = True
                elif p.type == "DURATION" and p.point and p.point[:4].isdigit() and int(p.point[:4]) < dct.year - 1:
                    past = True   # "il y a vingt ans"
            if past and _direction(doc, o.start, o.end, self.g) in (PRES, None):
                o.value, o.day = "PRESENT_REF", None

    def _habitual(self, pos: int) -> bool:
        """Whether the sentence at ``pos`` states a habit (it holds a set:
        "chaque année", "tous les ans")."""
        return self._sent(pos) in self._set_sents

    def _normalise_into(self, doc, c: _Cand, dct, outs: list[_Out]) -> None:
        try:
            new = self._normalise(doc, c, dct, outs)
        except (ValueError, OverflowError):
            return  # an absurd value (year 0, day 99, 10 000 years back): no record
        for o in new:
            o.kind = o.kind or c.kind
            outs.append(o)
            if o.day is not None:
                i = bisect.bisect_left(self._day_starts, o.start)
                self._day_starts.insert(i, o.start)
                self._days.insert(i, o)

    def _event_anchor(self, doc, end: int) -> Optional[_dt.date]:
        """For "la veille du sommet" / "le lendemain de l'attaque": the day of
        the event named after ``end``, found as a day in that phrase ("du
        sommet du 9 juillet") or in an earlier sentence that names the same
        event (same noun lemma) with a day. None when the text does not say."""
        text = self._text
        m = self.g.of_re.match(text, end)
        if not m:
            return None
        span = doc.char_span(m.end(), min(len(text), m.end() + 60), alignment_mode="expand")
        if span is None:
            return None
        noun = next((t for t in span if t.pos_ in ("NOUN", "PROPN")), None)
        if noun is None:
            return None
        si = self._sent(end)
        starts, days = self._day_starts, self._days
        # a day right in the phrase: "la veille du sommet du 9 juillet"
        j = bisect.bisect_left(starts, end)
        if j < len(starts) and self._sent(starts[j]) == si and starts[j] - (noun.idx + len(noun.text)) < 30 \
                and starts[j] >= noun.idx:
            return days[j].day
        # an earlier sentence naming the same event with a day
        lemma = noun.lemma_.lower()
        for tok in reversed(doc[: max(0, span.start - 3)]):
            if tok.lemma_.lower() != lemma or tok.pos_ != noun.pos_:
                continue
            ts = self._sent(tok.idx)
            i = bisect.bisect_left(starts, self._sent_starts[ts])
            cands = [k for k in range(i, len(starts)) if self._sent(starts[k]) == ts]
            if cands:
                return days[min(cands, key=lambda k: abs(starts[k] - tok.idx))].day
            return None
        return None

    def _first_full_date(self, cands) -> Optional[_dt.date]:
        for c in cands:
            if c.kind in ("date", "numdate", "isodate"):
                gd = c.m.groupdict()
                y = _year_of(gd.get("y"))
                if y is None:
                    continue
                m = self.g.month_of.get(_sp(gd["m"])) if c.kind == "date" else int(gd["m"])
                day = _day_of(gd["d"])
                if m and day:
                    d = _date(y, m, day)
                    if d:
                        return d
        return None

    # -- anchoring ------------------------------------------------------------
    def _clause_anchor(self, doc, s: int, e: int, outs: list[_Out], dct) -> Optional[_dt.date]:
        """The anchor of a clock time or part of the day (``_anchor``), but a
        day of the same sentence that belongs to another clause ("le
        président, arrivé lundi, s'exprimera dans la soirée") does not
        anchor a part of a clause in the present or future: the DCT does."""
        anchor = self._anchor(s, outs, dct, True)
        if anchor is None or dct is None or anchor == dct:
            return anchor
        si = self._sent(s)
        day = next((o for st, o in zip(self._day_starts, self._days)
                    if self._sent(st) == si and o.day == anchor), None)
        if day is None:
            return anchor
        v1, v2 = _clause_verb(doc, s, e), _clause_verb(doc, day.start, day.end)
        if v1 is None or v2 is None or v1.i == v2.i:
            return anchor
        if (v1.dep_ == "conj" and v1.head.i == v2.i) or (v2.dep_ == "conj" and v2.head.i == v1.i):
            return anchor   # "est arrivé lundi et a rencontré dans la soirée"
        if _verb_direction(v1, self.g, 0) in (FUT, PRES) and _verb_direction(v2, self.g, 0) == PAST:
            return dct
        return anchor

    def _named_day_before(self, pos: int) -> bool:
        """Whether the text names a day before ``pos``, in anchoring reach."""
        i = bisect.bisect_right(self._day_starts, pos) - 1
        return i >= 0 and self._sent(pos) - self._sent(self._day_starts[i]) <= _ANCHOR_REACH

    def _near_day(self, pos: int) -> Optional[_dt.date]:
        """The last day named before ``pos`` in its sentence or the one before."""
        i = bisect.bisect_right(self._day_starts, pos) - 1
        if i >= 0 and self._sent(pos) - self._sent(self._day_starts[i]) <= 1:
            return self._days[i].day
        return None

    def _same_sentence_day(self, pos: int) -> Optional[_dt.date]:
        """The day named nearest to ``pos`` in its own sentence, or None."""
        si = self._sent(pos)
        best = None
        for st, o in zip(self._day_starts, self._days):
            if self._sent(st) == si and (best is None or abs(st - pos) < abs(best[0] - pos)):
                best = (st, o.day)
        return best[1] if best else None

    def _sent(self, pos: int) -> int:
        return bisect.bisect_right(self._sent_starts, pos) - 1

    def _anchor(self, pos: int, outs: list[_Out], dct, same_sentence_after: bool) -> Optional[_dt.date]:
        """The day mentioned nearest to ``pos``: in its sentence (before it, or
        after it too when ``same_sentence_after``), else the last one before it
        in the previous sentences; else the DCT."""
        si = self._sent(pos)
        starts, days = self._day_starts, self._days
        i = bisect.bisect_right(starts, pos) - 1   # the last day named before pos
        if i >= 0 and self._sent(starts[i]) == si:
            return days[i].day
        if same_sentence_after and i + 1 < len(starts) and self._sent(starts[i + 1]) == si:
            return days[i + 1].day
        if i >= 0 and si - self._sent(starts[i]) <= _ANCHOR_REACH:
            return days[i].day
        return dct

    # -- normaliser -------------------------------------------------------------
    def _normalise(self, doc, c: _Cand, dct: Optional[_dt.date], outs: list[_Out]) -> list[_Out]:
        g = self.g
        gd = c.m.groupdict()
        k = c.kind
        s, e = c.start, c.end

        def out(type_, value, day=None, point=None, start=s, end=e):
            return [_Out(start, end, type_, value, point, day)]

        def on_day(d, part):
            """A day (None: not known) with an optional part of the day."""
            if d is None:
                return out("TIME" if part else "DATE", "XXXX-XX-XX" + (f"T{part}" if part else ""))
            if part:
                return out("TIME", self._part_value(d, part), day=d)
            return out("DATE", _iso(d), day=d)

        def direction():
            lead = " " + _sp(c.m.string[max(0, s - 20):s])
            if lead.endswith(g.past_leads):
                return PAST
            if lead.endswith(g.future_leads):
                return FUT
            dirn = _direction(doc, s, e, g)
            if dirn == PRES and lead.endswith(g.onward_leads):
                return FUT   # "la grève se poursuit jusqu'à jeudi", "fermé à partir de lundi"
            return dirn

        if k in ("date", "dayrange", "holiday") and self._in_name(doc, s, e):
            return []   # "le Mouvement du 23 mars": a date inside a name
        if k in ("date", "dayrange"):
            m = g.month_of.get(_sp(gd["m"]))
            day = _day_of(gd["d"])
            if not m or not day:
                return []
            y = _year_of(gd.get("y"))
            mod = _mod_kind(g, gd.get("mod"))
            if y is None:
                if dct is None:
                    if _date(2000, m, day) is None:
                        return []
                    return out("DATE", f"XXXX-{m:02d}-{day:02d}")
                y = _resolve_year(dct, (m, day), (dct.month, dct.day),
                                  direction() if mod is None else None, mod)
                if gd.get("wd"):
                    # "lundi 6 septembre": the year where that day is a Monday, if near
                    wd = g.weekday_of[_sp(gd["wd"])]
                    d0 = _date(y, m, day)
                    if d0 is not None and d0.isoweekday() != wd:
                        for yy in (dct.year, dct.year + 1, dct.year - 1):
                            dd = _date(yy, m, day)
                            if dd is not None and dd.isoweekday() == wd:
                                y = yy
                                break
            d = _date(y, m, day)
            if d is None:
                return []
            if gd.get("part") and g.part_of.get(_sp(gd["part"])):
                return on_day(d, g.part_of[_sp(gd["part"])])
            if gd.get("clock"):
                hm = self._clock_value(gd["clock"])
                if hm:
                    return out("TIME", f"{_iso(d)}T{hm}", day=d)
            return out("DATE", _iso(d), day=d)

        if k == "wdday":
            wd = g.weekday_of[_sp(gd["wd"])]
            day = _day_of(gd["d"])
            if not day:
                return []
            if dct is None:
                return out("DATE", f"XXXX-XX-{day:02d}")
            # the month (this one, the previous or the next) where that day is that weekday
            best = None
            for dm in (0, -1, 1):
                y, mth = _add_months(dct.year, dct.month, dm)
                d = _date(y, mth, day)
                if d and d.isoweekday() == wd:
                    best = d
                    break
            if best is None:
                best = _date(dct.year, dct.month, day)
            if best is None:
                return []
            if gd.get("part") and g.part_of.get(_sp(gd["part"])):
                return on_day(best, g.part_of[_sp(gd["part"])])
            return out("DATE", _iso(best), day=best)

        if k == "daymonth":
            m, day = int(gd["m"]), _day_of(gd["d"])
            if not day or _date(2000, m, day) is None:
                return []
            if dct is None:
                return out("DATE", f"XXXX-{m:02d}-{day:02d}")
            y = _resolve_year(dct, (m, day), (dct.month, dct.day), direction(), None)
            d = _date(y, m, day)
            return out("DATE", _iso(d), day=d) if d else []

        if k == "dayref":
            return self._day_number(doc, c, dct, outs, direction)

        if k in ("numdate", "isodate"):
            y = _year_of(gd["y"])
            d = _date(y, int(gd["m"]), int(gd["d"])) if y else None
            if d is None:
                return []
            return out("DATE", _iso(d), day=d)

        if k == "month":
            m = g.month_of.get(_sp(gd["m"]))
            if not m:
                return []
            y = _year_of(gd.get("y"))
            mod = _mod_kind(g, gd.get("mod"))
            if gd.get("this"):
                mod = "this"
            if y is None:
                if dct is None:
                    return out("DATE", f"XXXX-{m:02d}")
                if mod == "this":
                    y = dct.year
                elif mod in ("prev", "follow"):
                    y = dct.year
                else:
                    dirn = direction() if mod is None else None
                    if mod is None and not gd.get("edge") and dirn in (PRES, None) and self._habitual(s):
                        return out("DATE", f"XXXX-{m:02d}")   # "le festival se tient chaque année en mai"
                    y = _resolve_year(dct, (m,), (dct.month,), dirn, mod)
            return out("DATE", f"{y:04d}-{m:02d}")

        if k == "year":
            y = int(gd["y"])
            if not self._is_year(doc, c):
                return []
            return out("DATE", f"{y:04d}")

        if k == "yearpair":
            y1 = int(gd["y"])
            raw2 = gd["y2"]
            y2 = int(raw2) if len(raw2) == 4 else (y1 // 100) * 100 + int(raw2)
            if not (0 < y2 - y1 <= 100):
                return []
            s1, e1 = c.m.span("y")
            s2, e2 = c.m.span("y2")
            if len(raw2) == 2:
                return [_Out(s1, e1, "DATE", f"{y1:04d}")]
            return [_Out(s1, e1, "DATE", f"{y1:04d}"), _Out(s2, e2, "DATE", f"{y2:04d}")]

        if k == "period":
            n = numbers.parse_ordinal(gd["n"].strip())
            unit = g.unit_of.get(_sp(gd["unit"]))
            size = {"Q": 4, "HY": 2}.get(unit)
            if not n or not size or n > size:
                return []
            code = f"{'Q' if unit == 'Q' else 'H'}{n}"
            y = _year_of(gd.get("y"))
            if y is None:
                if dct is None:
                    return out("DATE", f"XXXX-{code}")
                cur = (dct.month - 1) // (12 // size) + 1
                y = _resolve_year(dct, (n,), (cur,), direction(), _mod_kind(g, gd.get("mod")))
            return out("DATE", f"{y:04d}-{code}")

        if k == "decade":
            raw = gd["dec"].strip("'")
            v = int(raw) if raw.isdigit() else numbers.parse_cardinal(raw)
            if not isinstance(v, int):
                return []
            if v < 100:
                if v % 10:
                    return []
                v += 1900
            if v % 10 or v < 1000 or v > 2990:
                return []
            return out("DATE", f"{v // 10:03d}")

        if k == "century":
            n = numbers.parse_ordinal(gd["n"].strip())
            if not n or n > 30:
                return []
            return out("DATE", f"{n - 1:02d}")

        if k == "nightspan":
            wd = g.weekday_of[_sp(gd["wd"])]
            part = g.part_of.get(_sp(gd["noun"]))
            if part is None:
                return []
            if dct is None:
                return out("TIME", f"XXXX-WXX-{wd}T{part}")
            d = _resolve_weekday(dct, wd, direction(), None)
            # a night "de samedi à dimanche" starts on the first day
            if part == "DT":
                return out("DATE", _iso(d), day=d)
            return out("TIME", self._part_value(d, part), day=d)

        if k == "nightdate":
            m, day = g.month_of.get(_sp(gd["m"])), _day_of(gd["d"])
            part = g.part_of.get(_sp(gd["noun"]))
            if not m or not day or part is None:
                return []
            y = _year_of(gd.get("y"))
            if y is None:
                if dct is None:
                    return out("TIME", f"XXXX-{m:02d}-{day:02d}T{part}") if _date(2000, m, day) else []
                y = _resolve_year(dct, (m, day), (dct.month, dct.day), direction(), None)
            d = _date(y, m, day)
            if d is None:
                return []
            return on_day(d, part if part != "DT" else None)

        if k == "holiday" and _sp(gd["h"]) in g.movable:
            # feasts that follow Easter: "Vendredi saint", "la Pentecôte"
            off = g.movable[_sp(gd["h"])]
            y = _year_of(gd.get("y"))
            mod = _mod_kind(g, gd.get("mod"))
            if y is None:
                if dct is None:
                    return []
                y = dct.year
                d = _easter(y) + _dt.timedelta(days=off)
                dirn = direction() if mod is None else None
                if (mod == "last" or dirn == PAST) and d > dct:
                    y -= 1
                elif (mod == "next" or dirn == FUT) and d < dct:
                    y += 1
            d = _easter(y) + _dt.timedelta(days=off) if 1583 <= y <= 9999 else None
            return out("DATE", _iso(d), day=d) if d else []

        if k == "holiday":
            md = g.holidays.get(_sp(gd["h"]))
            if not md:
                return []
            m, day = md
            y = _year_of(gd.get("y"))
            mod = _mod_kind(g, gd.get("mod"))
            if y is None:
                if dct is None:
                    return out("DATE", f"XXXX-{m:02d}-{day:02d}")
                y = _resolve_year(dct, (m, day), (dct.month, dct.day),
                                  direction() if mod is None else None, mod)
            d = _date(y, m, day)
            return out("DATE", _iso(d), day=d) if d else []

        if k == "weekday":
            wd = g.weekday_of[_sp(gd["wd"])]
            mod = _mod_kind(g, gd.get("mod"), gd.get("mod2"))
            part = g.part_of.get(_sp(gd["part"])) if gd.get("part") else None
            dirn = direction()
            if gd.get("pl") or gd.get("wdets") or (gd.get("wdet") and mod is None and part is None
                                                 and dirn != PAST):
                return out("SET", f"XXXX-WXX-{wd}")
            if gd.get("same"):
                # "ce même lundi": the day last mentioned
                anchor = self._anchor(s, outs, dct, False)
                if anchor is not None and anchor.isoweekday() == wd:
                    return out("TIME", self._part_value(anchor, part), day=anchor) if part \
                        else out("DATE", _iso(anchor), day=anchor)
            if gd.get("det"):
                mod = mod or "this"
            if dct is None:
                return out("TIME" if part else "DATE", f"XXXX-WXX-{wd}" + (f"T{part}" if part else ""))
            if mod in ("prev", "follow"):
                anchor = self._anchor(s, outs, dct, False) or dct
                delta = (wd - anchor.isoweekday()) % 7 or 7
                d = anchor + _dt.timedelta(days=delta) if mod == "follow" else \
                    anchor - _dt.timedelta(days=((anchor.isoweekday() - wd) % 7 or 7))
            else:
                d = _resolve_weekday(dct, wd, dirn, mod)
            if part:
                return out("TIME", self._part_value(d, part), day=d)
            return out("DATE", _iso(d), day=d)

        if k == "relday":
            if gd.get("wd") and _sp(gd["rel"]) not in g.relday:
                return []
            off = g.relday.get(_sp(gd["rel"]))
            if off is None:
                return []
            part = g.part_of.get(_sp(gd["part"])) if gd.get("part") else None
            return on_day(None if dct is None else dct + _dt.timedelta(days=off), part)

        if k == "anchored":
            off = g.anchored.get(_sp(gd["rel"]))
            if off is None:
                return []
            part = g.part_of.get(_sp(gd["part"])) if gd.get("part") else None
            # "la veille du sommet": the day of that event when the text gives it
            event_day = self._event_anchor(doc, e)
            rel = _sp(gd["rel"])
            lead = next((w for w in g.eve_leads if rel.startswith(w)), None)
            if lead is not None:
                # "a annoncé lundi, au lendemain du scrutin": the day of the clause
                s = s + len(lead) + (len(c.m.string[s + len(lead):e]) - len(c.m.string[s + len(lead):e].lstrip()))
                if event_day is None:
                    # else the day the narrative is on
                    same = self._same_sentence_day(s) or self._anchor(s, outs, dct, False)
                    if same is not None:
                        return [_Out(s, e, "TIME" if part else "DATE",
                                     self._part_value(same, part) if part else _iso(same), day=same)]
            anchor = event_day or self._anchor(s, outs, dct, False)
            d = None if anchor is None else anchor + _dt.timedelta(days=off)
            if d is not None and dct is not None and off > 0 and event_day is None and d > dct \
                    and not self._named_day_before(s) and direction() == PAST:
                d = dct   # "le lendemain du scrutin, la commission a publié": not after the DCT
            if d is None:
                return [_Out(s, e, "TIME" if part else "DATE", "XXXX-XX-XX" + (f"T{part}" if part else ""))]
            return [_Out(s, e, "TIME" if part else "DATE", self._part_value(d, part) if part else _iso(d), day=d)]

        if k in ("partsame", "thispart"):
            # "le soir même": the day named nearest; "ce soir": the DCT
            part = g.part_of.get(_sp(gd["part"]))
            if not part or (k == "partsame" and part == "DT"):
                return []
            day = self._anchor(s, outs, dct, True) if k == "partsame" else dct
            if day is None:
                return out("TIME", f"XXXX-XX-XXT{part}")
            return out("TIME", self._part_value(day, part), day=day)

        if k == "relunit":
            unit = g.unit_of.get(_sp(gd["unit"]))
            mod = _mod_kind(g, gd.get("mod"))
            if gd.get("there"):
                return []   # "ce jour-là": another time than the DCT's
            if gd.get("this") or gd.get("here") or gd.get("ongoing"):
                n = 0
            elif mod == "last":
                n = -1
            elif mod == "next":
                n = 1
            elif mod in ("prev", "follow"):
                n = None
            elif gd.get("edge") and unit in ("Y", "M", "W", "WE"):
                n = 0   # "la fin de l'année", "fin du mois": this one
                if unit in ("W", "WE", "M"):
                    # "dans le courant de la semaine" after "le 12 mars": that week
                    near = self._near_day(s)
                    if near is not None:
                        val = _shift(near, 0, unit)
                        if val is not None:
                            return out("DATE", f"{val}-WE" if unit == "WE" else val)
            else:
                return []
            if unit == "D":
                return []
            if unit == "N":
                # "la nuit dernière": the night before the DCT; "cette nuit": the DCT's
                if n is None:
                    return []
                if dct is None:
                    return out("TIME", "XXXX-XX-XXTNI")
                d = dct + _dt.timedelta(days=min(n, 0))
                return out("TIME", f"{_iso(d)}TNI", day=d)
            if n is None:
                anchor = self._anchor(s, outs, dct, False)
                if anchor is None:
                    return []
                val = _shift(anchor, -1 if mod == "prev" else 1, unit)
            else:
                if dct is None:
                    return out("DATE", {"Y": "XXXX", "M": "XXXX-XX", "W": "XXXX-WXX",
                                        "WE": "XXXX-WXX-WE"}.get(unit, "XXXX"))
                if unit == "WE" and n == 0 and dct.isoweekday() < 5 and direction() == PAST:
                    n = -1  # "ce week-end" told in the past on a weekday: the one just gone
                val = _shift(dct, n, unit)
            if val is None:
                return []
            if unit == "WE":
                val = f"{val}-WE"
            return out("DATE", val)

        if k in ("duration", "quarter", "halfunit"):
            return self._duration(doc, c, dct, outs)

        if k == "altdur":
            unit = g.unit_of.get(_sp(gd["unit"]))
            n1, n2 = numbers.parse_cardinal(gd["n"]), numbers.parse_cardinal(gd["n2"])
            if unit is None or not isinstance(n1, int) or not isinstance(n2, int) or not 0 < n1 < n2:
                return []
            if _sp(gd["unit"]) in ("h", "s", "mn", "min") and not gd["n"].strip()[0].isdigit():
                return []
            if unit in ("Y", "M") and self._is_age(doc, c):
                return []
            v = _duration_value("X", unit)
            return out("DURATION", v) if v else []

        if k == "vaguedur":
            unit = g.unit_of.get(_sp(gd["unit"]))
            if unit is None:
                return []
            q = _sp(gd["q"])
            if q in g.needs_last and not gd.get("pmod"):
                return []
            if q in g.indefinite_plural:
                # "des heures scolaires": the unit qualifies a noun phrase, no time
                span = doc.char_span(c.m.start("unit"), c.m.end("unit"), alignment_mode="expand")
                if span is not None and span.end < len(doc) and doc[span.end].pos_ == "ADJ":
                    return []
            return out("DURATION", _duration_value("X", unit))

        if k == "vaguefut":
            return out("DATE", "FUTURE_REF")

        if k == "vague":
            v = g.vague.get(_sp(gd["x"]))
            if v is None:
                return []
            tok = doc.char_span(s, e, alignment_mode="expand")
            # a single word only as an adverb: "en maintenant la pression" is a verb
            # (a capitalised adverb opening a sentence may be tagged a proper noun)
            if tok is not None and len(tok) == 1 and tok[0].pos_ not in ("ADJ", "ADV") and " " not in gd["x"] \
                    and (tok[0].pos_ in ("NOUN", "VERB") or tok[0].pos_ == "PROPN" and not tok[0].is_sent_start):
                return []
            if tok is not None and len(tok) == 1 and 0 < tok[0].i < len(doc) - 1 \
                    and doc[tok[0].i - 1].lower_ in g.gerund_marks and doc[tok[0].i + 1].pos_ in ("DET", "PRON"):
                return []   # "en maintenant la pression": a gerund
            m = g.vague_drop_re.match(c.m.string, s, e)
            if m:
                return out("DATE", v, start=m.end())   # "pour l'heure" → "l'heure"
            return out("DATE", v)

        if k == "set":
            if gd.get("wd"):
                return out("SET", f"XXXX-WXX-{g.weekday_of[_sp(gd['wd'])]}")
            unit = g.unit_of.get(_sp(gd["unit"]))
            n = numbers.parse_cardinal(gd["n"]) if gd.get("n") else 1
            if unit is None or n is None:
                return []
            v = _duration_value(n, unit)
            return out("SET", v) if v else []

        if k == "per":
            unit = g.unit_of.get(_sp(gd["unit"]))
            if unit is None or unit == "N":
                return []
            return out("SET", _duration_value(1, unit))

        if k == "season":
            code = g.season_of.get(_sp(gd["s"]))
            if not code:
                return []
            if not gd.get("det"):
                # "été 2003" but not "a été": without a determiner, the parse decides
                span = doc.char_span(s, s + len(gd["s"]), alignment_mode="expand")
                if span is not None and span.root.pos_ in ("AUX", "VERB"):
                    return []
            if not gd.get("det") and not gd.get("y") and not gd.get("mod"):
                return []
            y = _year_of(gd.get("y")) if gd.get("y") else None
            mod = _mod_kind(g, gd.get("mod"))
            det = (gd.get("det") or "").lower()
            if y is None:
                if dct is None:
                    return out("DATE", f"XXXX-{code}")
                if det in g.this_words and mod is None:
                    mod = "this"
                dirn = direction() if mod in (None, "this") else None
                if mod is None and dirn in (PRES, None) and (det in g.generic_season and dirn == PRES
                                                             or self._habitual(s)):
                    return out("DATE", f"XXXX-{code}")   # "la demande augmente en été": any summer
                y = _resolve_season(dct, g.season_months[code], dirn, mod)
            return out("DATE", f"{y:04d}-{code}")

        if k == "clock":
            if (" " + _sp(c.m.string[max(0, s - 30):s])).endswith(g.programme_leads):
                return []   # "le journal de 20 heures": a programme, not a time
            hm = self._clock_value(gd["x"])
            if hm and gd.get("half") and _sp(gd["half"]) in g.after_noon and int(hm[:2]) < 12:
                hm = f"{int(hm[:2]) + 12:02d}{hm[2:]}"   # "8 heures du soir"
            hh = int(gd.get("hh") or gd.get("hh2") or 0)
            cue = _sp(gd.get("cue") or "")
            if hm is None or self._clock_is_duration(c, hh, cue):
                v = self._clock_duration(gd)
                if v is None:
                    return []
                return out("DURATION", v)
            if _sp(gd.get("loc") or "") in g.utc:
                hm += "Z"   # "8 h 30 GMT"
            anchor = self._clause_anchor(doc, s, e, outs, dct)
            if anchor is None:
                return out("TIME", f"XXXX-XX-XXT{hm}")
            return out("TIME", f"{_iso(anchor)}T{hm}")

        if k == "namedclock":
            hm = g.named_clock.get(_sp(gd["named"]))
            if not hm:
                return []
            anchor = self._clause_anchor(doc, s, e, outs, dct)
            if anchor is None:
                return out("TIME", f"XXXX-XX-XXT{hm}")
            return out("TIME", f"{_iso(anchor)}T{hm}")

        if k == "dpart":
            noun = _sp(gd["noun"])
            # "en fin de journée" is an evening, "la journée" the whole day
            whole = _sp(gd["x"])
            part = g.part_of.get(whole) or g.part_of.get(whole.partition(" ")[2]) or g.part_of.get(noun)
            if part is None:
                return []
            anchor = self._clause_anchor(doc, s, e, outs, dct)
            if part == "DT":
                if anchor is None:
                    return out("DATE", "XXXX-XX-XX")
                return out("DATE", _iso(anchor), day=anchor)
            if anchor is None:
                return out("TIME", f"XXXX-XX-XXT{part}")
            return out("TIME", self._part_value(anchor, part))

        if k == "thatpoint":
            si = self._sent(s)
            prev = [o for o in outs if o.end <= s and o.type in ("DATE", "TIME") and o.value[:1].isdigit()
                    and si - self._sent(o.start) <= _ANCHOR_REACH]
            if not prev:
                return []
            last = max(prev, key=lambda o: o.start)
            # the most precise time of that sentence: "vers 15 h, hier ... à ce moment-là"
            clocks = [o for o in prev if self._sent(o.start) == self._sent(last.start) and ":" in o.value]
            if clocks:
                last = max(clocks, key=lambda o: o.start)
            return out(last.type, last.value, day=last.day)

        if k == "dnoun":
            v = g.duration_nouns.get(_sp(gd["x"]))
            return out("DURATION", v) if v else []
        return []

    @staticmethod
    def _in_name(doc, s: int, e: int) -> bool:
        """Whether the span lies inside the name of an organisation, after
        its first word ("l'Alliance du 14 mars")."""
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) == 0:
            return False
        tags = base_ent_tags(doc)
        return all(tags[t.i][0] == "ORG" for t in span) and tags[span[0].i][1] == "I"

    def _day_number(self, doc, c: _Cand, dct, outs: list[_Out], direction) -> list[_Out]:
        """"le 14", "au 5 au matin": a day of the month the text last named
        (else of the DCT's month, in the direction of the tense)."""
        g = self.g
        gd = c.m.groupdict()
        s, e = c.start, c.end
        day = _day_of(gd["d"])
        if not day:
            return []
        # the number must not count or name something: "le 14 de la liste", "au 3 rue X"
        span = doc.char_span(c.m.start("d"), c.m.end("d"), alignment_mode="expand")
        if span is None:
            return []
        tok = span[-1]
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and (nxt.pos_ in ("NOUN", "PROPN", "NUM", "ADJ") or nxt.lower_ in g.of_words
                                or nxt.text in ("'", "’", "-", "/")):
            return []
        after = [t.lower_ for t in doc[tok.i + 1: tok.i + 4] if not t.is_punct]
        if after and after[0] in g.address_nouns:
            return []   # "au 10, rue de la Paix"
        if nxt is not None and tok.i + 2 < len(doc) and doc[tok.i + 2].like_num and nxt.lower_ in g.score_joiners:
            return []   # "battu le 3 à 1": a score
        part = g.part_of.get(_sp(gd["part"])) if gd.get("part") else None
        # the month last named before it, in reach
        si = self._sent(s)
        month = None
        for o in outs:
            if o.start >= s or o.type not in ("DATE", "TIME") or si - self._sent(o.start) > _ANCHOR_REACH \
                    or o.kind not in _NAMES_MONTH:
                continue
            mm = _YEAR_MONTH.match(o.value)
            if mm and (month is None or o.start > month[0]):
                month = (o.start, int(mm.group(1)), int(mm.group(2)))
        if month is not None:
            d = _date(month[1], month[2], day)
        elif (_sp(gd["lead"]) in g.strong_day_leads or part) and dct is not None:
            dirn = direction()
            y, m = dct.year, dct.month
            if dirn == PAST and day > dct.day:
                y, m = _add_months(y, m, -1)
            elif dirn == FUT and day < dct.day:
                y, m = _add_months(y, m, 1)
            d = _date(y, m, day)
        else:
            return []
        if d is None:
            return []
        if part:
            return [_Out(s, e, "TIME", self._part_value(d, part), day=d)]
        return [_Out(s, e, "DATE", _iso(d), day=d)]

    def _part_value(self, d: _dt.date, part: str) -> str:
        if part == "MI":
            return f"{_iso(d)}T12:00"
        if part == "DT":
            return f"{_iso(d)}TDT"
        return f"{_iso(d)}T{part}"

    def _clock_value(self, s: str) -> Optional[str]:
        digits = re.findall(r"\d+", s)
        if not digits:
            return None
        hh = int(digits[0])
        mm = int(digits[1]) if len(digits) > 1 else 0
        if hh > 24 or mm > 59 or (hh == 24 and mm):
            return None
        return f"{hh:02d}:{mm:02d}"

    def _clock_is_duration(self, c: _Cand, hh: int, cue: str) -> bool:
        if hh > 24:
            return True
        if c.m.group("half"):
            return hh > 12   # "8 heures du soir" is a clock time
        if c.m.group("hh2"):
            return False
        if cue in self.g.duration_cues and cue not in self.g.clock_cues:
            return True
        if not c.m.group("mm") and cue not in self.g.clock_cues and \
                re.search(r"\d\s*[^\d\s]{2,}", c.m.group("x")):
            return True   # "3 heures" without "à" or minutes: a duration
        if self._after_duration_verb(c):
            return True   # "la panne a duré 2 h 30"
        if cue in self.g.range_from:
            # "de 13 h 30 à 15 h 30" is a clock range; "une visite de 2 h" a duration
            return not self.g.range_to_re.match(c.m.string, c.end)
        return False

    def _after_duration_verb(self, c: _Cand) -> bool:
        doc = self._doc
        if doc is None:
            return False
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        if span is None or span.start == 0:
            return False
        prev = doc[span.start - 1]
        return prev.lemma_.lower() in self.g.duration_verbs

    def _clock_duration(self, gd) -> Optional[str]:
        hh = gd.get("hh") or gd.get("hh2")
        if not hh:
            return None
        h = int(hh)
        mm = int(gd.get("mm") or gd.get("mm2") or 0)
        if mm:
            return f"PT{h}H{mm}M"
        return f"PT{h}H"

    def _is_year(self, doc, c: _Cand) -> bool:
        """A four-digit number that is a year, not a quantity ("2000 soldats")."""
        g = self.g
        gd = c.m.groupdict()
        if gd.get("edge") or gd.get("named"):
            return True
        s, e = c.m.span("y")
        text = c.m.string
        after = text[e:e + 20].split()
        if after and after[0].lower().strip(",.;:") in g.not_year_after:
            return False
        before = text[max(0, s - 12):s].split()
        if before and before[-1].lower() in g.not_year_before:
            return False
        lead = " " + _sp(text[max(0, s - 20):s])
        if lead.endswith(g.quantity_leads):
            return False   # "plus de 1500 ont été arrêtés"
        if after and len(after) > 1 and after[0].lower() in g.of_words and after[1].lower() in g.partitive_next:
            return False   # "1800 de ses partisans", "2000 d'entre eux"
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and len(span) == 1:
            tok = span[0]
            # part of a name: "l'initiative OTAN 2030"
            label, iob = base_ent_tags(doc)[tok.i]
            if label and label not in ("DATE", "TIME") and iob == "I":
                return False
            nxt = tok.nbor(1) if tok.i + 1 < len(doc) else None
            # "2000 soldats": the number counts the noun after it
            if nxt is not None and nxt.pos_ == "NOUN" and tok.head.i == nxt.i \
                    and nxt.lower_ not in g.month_of and nxt.lower_ not in g.season_of:
                return False
        return True

    def _duration(self, doc, c: _Cand, dct, outs) -> list[_Out]:
        g = self.g
        gd = c.m.groupdict()
        unit = g.unit_of.get(_sp(gd["unit"]))
        if unit is None:
            return []
        raw_n = gd["n"] if c.kind != "halfunit" else "1"
        n = numbers.parse_cardinal(raw_n)
        if n is None:
            return []
        if c.kind == "quarter":
            n = n * 0.25
        elif c.kind == "halfunit":
            n = 0.5
        if gd.get("half"):
            n = n + 0.5
        # digits-only units ("h", "s") need digits
        if _sp(gd["unit"]) in ("h", "s", "mn", "min") and not raw_n.strip()[0].isdigit():
            return []
        if unit in ("Y", "M") and self._is_age(doc, c):
            return []
        if n == 1 and unit == "D" and not gd.get("off") and not gd.get("after") \
                and not raw_n.strip()[0].isdigit():
            lead = _sp(c.m.string[max(0, c.start - 15):c.start])
            if not any(lead.endswith(w) for w in self.g.one_day_leads):
                return []   # "un jour" = some day, "un jour triste"
        value = _duration_value(n, unit)
        if value is None:
            return []
        s, e = c.start, c.end
        off = _sp(gd.get("off") or "")
        after = _sp(gd.get("after") or "")
        if after in g.after_preps and re.match(r"\s*\w", c.m.string[c.m.end("after"):]):
            after = ""   # "deux semaines après le référendum": the span is the duration
        if after and isinstance(n, int) and unit not in _TIME_UNITS:
            sign = 1 if after in g.later else -1
            anchor = self._anchor(s, outs, dct, False)
            if anchor is None:
                return [_Out(s, e, "DURATION", value)]
            val = _shift(anchor, sign * n, unit)
            if val is None:
                return []
            day = _dt.date.fromisoformat(val) if _ISO_DAY.fullmatch(val) else None
            if unit == "WE":
                val = f"{val}-WE"
            # the extent runs to the end of "plus tard"
            return [_Out(s, c.m.end("after"), "DATE", val, day=day)]
        point = None
        if off and dct is not None and isinstance(n, int) and unit not in _TIME_UNITS:
            if off in g.ago or off in g.since:
                point = _shift(dct, -n, unit)
            elif off in g.into:
                point = _shift(dct, n, unit)
            if unit == "WE" and point:
                point = None
        return [_Out(s, e, "DURATION", value, point=point)]

    def _is_age(self, doc, c: _Cand) -> bool:
        """"un homme de 38 ans", "âgé de 38 ans", "Pierre Martin, 53 ans,",
        "les 6-16 ans": an age, not a time."""
        g = self.g
        text = c.m.string
        s, e = c.start, c.end
        before = _sp(text[max(0, s - 30):s])
        if any(before.endswith(w) for w in g.age_before):
            return True
        if c.m.group("off"):
            return False
        prev_char = text[s - 1:s]
        if prev_char == "-":
            return True   # "6-16 ans"
        # in apposition: ", 53 ans," / "(53 ans)"
        lead = text[max(0, s - 2):s].strip()
        trail = text[e:e + 2].strip()[:1]
        if lead in (",", "(") and (trail in (",", ")", ";") or text[e:e + 1] == ""):
            return True
        # "un homme de 38 ans", "une fillette de 6 ans": a noun (not one of
        # time, like "une peine de dix ans") just before "de"
        words = before.replace("'", "' ").split()
        if len(words) >= 2 and words[-1] in g.age_of and g.unit_of.get(_sp(c.m.group("unit"))) in ("Y", "M"):
            noun = words[-2]
            if noun in g.age_nouns:
                return True
            if noun in g.time_nouns:
                return False
            span = doc.char_span(s - len(words[-1]) - len(noun) - 2, s, alignment_mode="expand")
            if span is not None:
                toks = [t for t in span if t.text.lower() == noun]
                if toks and toks[-1].pos_ in ("NOUN", "PROPN") and toks[-1].lemma_.lower() not in g.time_nouns:
                    return True
        return False

    def _adjectives(self, doc, outs: list[_Out]) -> list[_Out]:
        """Frequency adjectives ("quotas annuels" = SET P1Y) and vague ones
        ("aide pluriannuelle" = PXY), found by lemma among the words that
        begin like one of them."""
        g = self.g
        res = []
        starts = sorted(o.start for o in outs)
        ends = sorted(o.end for o in outs)
        for m in g.adj_re.finditer(self._text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None or len(span) != 1:
                continue
            tok = span[0]
            if tok.pos_ != "ADJ":
                continue
            lem = tok.lemma_.lower()
            v, t = g.freq_adj.get(lem), "SET"
            if v is None:
                v, t = g.vague_adj.get(lem), "DURATION"
            if v is None:
                continue
            s, e = tok.idx, tok.idx + len(tok.text)
            # no overlap with an expression already found
            if bisect.bisect_left(starts, e) != bisect.bisect_right(ends, s):
                continue
            res.append(_Out(s, e, t, v))
        return res


def tag_text(nlp: Language, text: str, dct: Optional[str] = None) -> list[Timex]:
    """Parse ``text`` with ``nlp`` and tag its time expressions (for benchmarks).

    ``nlp`` may be a bare spaCy pipeline: the tagger only needs the parse.
    """
    from spacy.tokens import Doc

    if not Doc.has_extension("dct"):
        Doc.set_extension("dct", default=None)
    from .clean import clean

    cleaned = clean(text, "fr")
    names = [n for n in nlp.pipe_names if not n.startswith("depeche_")]
    with nlp.select_pipes(enable=names):
        doc = nlp(cleaned.text)
    doc._.dct = dct
    out = []
    for t in _tagger(nlp).find(doc):
        a, b = cleaned.span(t.start, t.end)
        out.append(Timex(a, b, text[a:b], t.type, t.value, t.point))
    return out


def _tagger(nlp, lang: str = "fr") -> "TimeTagger":
    t = getattr(nlp, "_depeche_time_tagger", None)
    if t is None or t.lang != lang:
        t = TimeTagger(nlp, "depeche_times", lang)
        try:
            nlp._depeche_time_tagger = t
        except AttributeError:
            pass
    return t


@Language.factory("depeche_times", default_config={"lang": "fr"},
                  requires=["token.pos", "token.dep", "token.lemma", "token.morph"],
                  assigns=["doc._.times", "doc._.dct", "doc.spans"])
def make_times(nlp: Language, name: str, lang: str) -> TimeTagger:
    return TimeTagger(nlp, name, lang)


register_helpers()  # depeche_limits and depeche_budget, for a spaCy pipeline of the user's own
