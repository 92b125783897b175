"""The command line: formats, inputs, exit statuses, messages."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from depeche.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "src" / "depeche" / "examples" / "ue-moldavie-2025-03-18.json"
TEXT = "Le chef de la diplomatie allemande s'est rendu jeudi à Kyiv, où il a promis une aide militaire."


@pytest.fixture
def run(pipeline, capsys):
    """run(*argv) -> (status, stdout, stderr), in process with the shared pipeline."""
    def go(*argv):
        status = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return status, out, err
    return go


def test_report_on_the_bundled_example(run):
    status, out, err = run("analyze", EXAMPLE, "--width", "80")
    assert status == EXIT_OK
    assert "ue-moldavie-2025-03-18" in out and "2025-03-18" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_json_of_one_article_is_one_object(run, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")
    status, out, _ = run("analyze", p, "--format", "json", "--dct", "2024-09-12")
    d = json.loads(out)
    assert status == EXIT_OK and d["id"] == "a" and d["dct"] == "2024-09-12"


def test_jsonl_to_a_file_skips_bad_lines_and_says_so(run, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "ok", "dct": "2024-09-12", "text": TEXT}) + "\n{oops\n"
                   + json.dumps({"id": "ok2", "text": TEXT}) + "\n", encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    status, _, err = run("analyze", src, "--format", "jsonl", "-o", dst)
    lines = [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()]
    assert status == EXIT_PARTIAL
    assert [d["id"] for d in lines] == ["ok", "ok2"]
    assert "skipped" in err and "not valid JSON" in err
    assert len(err.strip().splitlines()) == 1


def test_binary_input_is_one_clear_line(run, tmp_path):
    p = tmp_path / "photo.jpg"
    p.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    status, out, err = run("analyze", p, "--format", "jsonl")
    assert status == EXIT_USAGE and out == ""
    assert err.startswith("depeche: skipped") and "binary" in err and "Traceback" not in err


@pytest.mark.parametrize("enc", ["cp1252", "latin-1"])
def test_a_legacy_encoded_file_is_analysed_with_a_warning(run, tmp_path, enc):
    text = "La maire de Pontivy, Hélène Quéméner, a présenté jeudi le budget à l'hôtel de ville."
    p = tmp_path / "budget.txt"
    p.write_bytes(text.encode(enc))
    status, out, err = run("analyze", p, "--format", "json", "--dct", "2024-09-12")
    d = json.loads(out)
    assert status == EXIT_OK and err == ""
    assert [(w["start"], w["end"], w["message"]) for w in d["warnings"] if w["code"] == "encoding"] \
        == [(0, len(text), "decoded as cp1252, not UTF-8")]
    assert all(text[m["start"]:m["end"]] == m["text"] for e in d["entities"] for m in e["mentions"])


def test_bad_dct_option(run, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")
    status, _, err = run("analyze", p, "--dct", "12/09/2024")
    assert status == EXIT_USAGE and "YYYY-MM-DD" in err


def test_too_large_article_is_refused_and_the_rest_goes_on(run, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Le ministre a parlé. " * 300, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(TEXT, encoding="utf-8")
    status, out, err = run("analyze", big, small, "--format", "jsonl", "--max-chars", "1000")
    assert status == EXIT_PARTIAL
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["small"]
    assert "limit" in err


@pytest.mark.parametrize("text, absent", [
    ("Jean Dupont a dit à Lyon que la paix progresse mais [/b] le", None),   # a truncated end
    ("Jean Dupont a dit à Lyon \x1b]0;titre\x07 que la paix \x1b[31mprogresse.", "\x1b"),
])
def test_report_shows_article_text_as_text(text, absent):
    import io

    from rich.console import Console

    import depeche
    from depeche import report

    out = io.StringIO()
    report.render(depeche.analyze(text, dct="2024-04-03"), Console(file=out, width=120))
    assert "Jean Dupont" in out.getvalue()
    if absent:
        assert absent not in out.getvalue()


@pytest.mark.parametrize("option, value", [
    ("--max-chars", "0"), ("--max-chars", "3000000"), ("--max-chars", "beaucoup"),
    ("--time-budget", "-1"), ("--time-budget", "inf"), ("--time-budget", "nan"),
])
def test_out_of_range_limits_are_usage_errors(run, tmp_path, option, value):
    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        run("analyze", p, option, value)
    assert e.value.code == EXIT_USAGE


# -- the terminal: version, help, progress, report, exit statuses ---------------

def test_version(capsys):
    import depeche

    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.strip() == f"depeche {depeche.__version__}"


def _parsers(parser, path=("depeche",)):
    import argparse

    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, path + (name,))


def test_every_option_and_argument_has_help():
    import argparse

    from depeche.cli import build_parser

    missing, n = [], 0
    for path, parser in _parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            n += 1
            if not (action.help or "").strip():
                missing.append(" ".join(path) + " " + (action.option_strings or [action.dest])[0])
    assert n > 60 and missing == []


class _Terminal:
    """A stderr console that says it is a terminal, its output kept."""

    def __init__(self):
        import io

        self.buf = io.StringIO()

    def __call__(self):
        from rich.console import Console

        return Console(file=self.buf, force_terminal=True, width=120)


def test_progress_bar_and_summary_on_a_terminal_only(run, tmp_path, monkeypatch):
    from depeche import cli

    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"{TEXT} Dépêche {i}.", encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    status, _, err = run("analyze", tmp_path / "0.txt", tmp_path / "1.txt", tmp_path / "2.txt",
                         "--format", "jsonl", "-o", dst)
    assert status == EXIT_OK and err == ""              # not a terminal: nothing on stderr
    term = _Terminal()
    monkeypatch.setattr(cli, "_stderr_console", term)
    status, _, _ = run("analyze", tmp_path / "0.txt", tmp_path / "1.txt", tmp_path / "2.txt",
                       "--format", "jsonl", "-o", dst)
    shown = term.buf.getvalue()
    assert status == EXIT_OK
    assert "3/3" in shown and "100%" in shown and "ETA" in shown
    assert "depeche: analysed 3 articles, skipped 0" in shown
    term = _Terminal()
    monkeypatch.setattr(cli, "_stderr_console", term)
    run("analyze", tmp_path / "0.txt", "--format", "jsonl", "-o", dst, "--quiet")
    assert term.buf.getvalue() == ""


def test_ingest_progress_has_a_total(run, tmp_path, monkeypatch):
    from depeche import cli

    d = tmp_path / "lot"
    d.mkdir()
    (d / "a.jsonl").write_text("\n".join(json.dumps({"id": f"a{i}", "text": f"{TEXT} Dépêche {i}."})
                                         for i in range(3)) + "\n", encoding="utf-8")
    (d / "b.txt").write_text(TEXT, encoding="utf-8")
    term = _Terminal()
    monkeypatch.setattr(cli, "_stderr_console", term)
    status, out, _ = run("ingest", d, "--db", d / "corpus.db")   # the store inside the folder is not counted
    assert status == EXIT_OK and "ingested 4" in out
    assert "4/4" in term.buf.getvalue() and "100%" in term.buf.getvalue()


def _report(text, dct=None, width=100, dct_given=None):
    import io

    from rich.console import Console

    import depeche
    from depeche import report

    out = io.StringIO()
    report.render(depeche.analyze(text, dct=dct), Console(file=out, width=width), dct_given=dct_given)
    return out.getvalue()


def test_report_dates_are_readable_and_markers_explained(run):
    status, out, _ = run("analyze", EXAMPLE, "--width", "100")
    assert status == EXIT_OK
    assert "published 18 mars 2025 (2025-03-18)" in out
    assert "à venir" in out and "2 semaines" in out
    assert "→ actor to recipient" in out and "~ indirect quote" in out and "? actor unknown" in out


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_piped_report_has_no_trailing_spaces_and_fits(run, width):
    _, out, _ = run("analyze", EXAMPLE, "--width", width)
    lines = out.splitlines()
    assert lines and all(line == line.rstrip() for line in lines)
    assert max(len(line) for line in lines) <= width


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_a_long_trigger_never_takes_many_lines(width):
    import dataclasses
    import io

    from rich.console import Console

    import depeche
    from depeche import report

    an = depeche.analyze("Le président Paul Roche a signé lundi à Lisbonne un accord avec son homologue Rui Costa.",
                         dct="2024-04-03")
    assert an.events
    long = "mise en œuvre immédiate et complète des dispositions de l'accord " * 4
    an.events = [dataclasses.replace(ev, trigger=dataclasses.replace(ev.trigger, text=long)) for ev in an.events]
    out = io.StringIO()
    report.render(an, Console(file=out, width=width))
    text = out.getvalue()
    section = text[text.index("Events"):text.index("→ actor to recipient")].strip().splitlines()
    assert len(section) <= 4 + 4 * len(an.events), "\n".join(section)
    assert long not in text.replace("\n", " ")   # shortened


@pytest.mark.parametrize("dct, given, line", [
    ("2024-04-03", True, "published 3 avril 2024"),
    (None, None, "no --dct and no date in the text: weekdays left unresolved"),
])
def test_report_says_where_its_dates_come_from(dct, given, line):
    out = _report("Le ministre Paul Roche a rencontré mardi son homologue Marek Zielak.", dct=dct, dct_given=given)
    assert line in " ".join(out.split())


def test_report_without_dct_resolved_against_the_dateline(run, tmp_path):
    p = tmp_path / "depeche.txt"
    p.write_text("LISBONNE, 3 avril 2024 - Le ministre Paul Roche a rencontré mardi son homologue.",
                 encoding="utf-8")
    _, out, _ = run("analyze", p, "--width", "120")
    assert "no --dct: weekdays resolved against the dateline, 3 avril 2024 (2024-04-03)" in out
    assert "published" not in out
    _, out, _ = run("analyze", p, "--width", "120", "--dct", "2024-04-05")
    assert "published 5 avril 2024" in out and "no --dct" not in out


@pytest.fixture
def empty_store(tmp_path):
    from depeche.store import Store

    db = tmp_path / "empty.db"
    Store(db, create=True).close()
    return db


@pytest.mark.parametrize("argv", [
    ["events"], ["events", "--type", "SANCTION"], ["event", "7"], ["timeline", "Personne"],
    ["quotes", "--speaker", "Personne"], ["entities"], ["search", "introuvable"],
])
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_nothing_found_is_exit_status_1_in_every_format(run, empty_store, argv, fmt):
    from depeche.cli import EXIT_NOTHING

    if argv[0] == "event" and fmt == "csv":
        pytest.skip("event has no csv format")
    status, out, err = run(*argv, "--db", empty_store, "--format", fmt)
    assert status == EXIT_NOTHING == 1
    assert err.startswith("depeche: ") and "Traceback" not in err
    if fmt == "json" and argv[0] != "event":
        assert json.loads(out) == []


def test_a_missing_store_is_a_usage_error_not_nothing_found(run, tmp_path):
    status, _, err = run("events", "--db", tmp_path / "absent.db")
    assert status == EXIT_USAGE and "no knowledge store" in err


# -- depeche export: options (no model needed) -------------------------------------

def _small_store(path):
    from depeche.store import Store

    texts = [("s1", "2024-03-04", "La Pologne a accueilli lundi le sommet régional à Cracovie."),
             ("s2", "2024-04-15", "Le gouvernement polonais a présenté mercredi un plan pour l'énergie.")]
    with Store(path) as st:
        for aid, dct, text in texts:
            st.write_article({"source": "lot.jsonl", "id": aid, "dct": dct, "lang": "fr", "text": text,
                              "analysis": {"id": aid, "dct": dct, "lang": "fr", "warnings": [], "times": [],
                                           "quotes": [], "events": [], "entities": [
                                               {"id": "e1", "name": "Pologne", "type": "GPE", "kb_id": "PL",
                                                "aliases": [], "roles": [],
                                                "mentions": [{"start": 0, "end": 2, "text": text[:2]}]}]}})
    return path


def test_export_refuses_to_overwrite_then_forces(tmp_path, capsys):
    db = str(_small_store(tmp_path / "c.db"))
    out = tmp_path / "out"
    assert main(["export", str(out), "--db", db, "--tables", "articles,entities"]) == EXIT_OK
    assert sorted(p.name for p in out.iterdir()) == ["articles.parquet", "entities.parquet"]
    capsys.readouterr()
    assert main(["export", str(out), "--db", db]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("depeche: ") and "articles.parquet" in err and "--force" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (out / "events.parquet").exists()  # nothing written when refused
    assert main(["export", str(out), "--db", db, "--force"]) == EXIT_OK
    assert (out / "events.parquet").exists()


@pytest.mark.parametrize("argv, message", [
    (["--tables", "articles,personnes"], "unknown export table"),
    (["--since", "mars"], "--since"),
    (["--bom"], "csv"),
])
def test_export_usage_errors(tmp_path, capsys, argv, message):
    db = str(_small_store(tmp_path / "c.db"))
    assert main(["export", str(tmp_path / "out"), "--db", db, *argv]) == EXIT_USAGE
    assert message in capsys.readouterr().err


def test_export_since_until_and_bom(tmp_path, capsys):
    import csv

    db = str(_small_store(tmp_path / "c.db"))
    out = tmp_path / "csv"
    assert main(["export", str(out), "--db", db, "--format", "csv", "--bom", "--since", "2024-04",
                 "--until", "2024-04-30"]) == EXIT_OK
    assert "articles.csv: 1 rows" in capsys.readouterr().out
    raw = (out / "articles.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(out / "articles.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["ext_id"], r["dct"]) for r in rows] == [("s2", "2024-04-15")]
