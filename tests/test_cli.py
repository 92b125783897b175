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
