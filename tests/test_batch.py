"""Batch reading: every kind of input, and bad input that must not stop a batch."""
from __future__ import annotations

import io
import json

import pytest

from depeche.batch import read_inputs
from depeche.errors import EncodingError, TooLargeError
from depeche.nlp import Article, Failure

TEXT = "Le président ukrainien s'est rendu mardi à Varsovie, où il a rencontré son homologue polonais."


def kinds(items):
    return [type(i).__name__ for i in items]


def test_text_file_takes_its_stem_as_id(tmp_path):
    p = tmp_path / "visite.txt"
    p.write_text(TEXT, encoding="utf-8")
    [art] = list(read_inputs([str(p)], dct="2024-05-14"))
    assert isinstance(art, Article) and art.id == "visite" and art.dct == "2024-05-14"


def test_jsonl_with_a_malformed_line_keeps_the_others(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join([
        json.dumps({"id": "a", "dct": "2024-01-02", "text": TEXT}),
        '{"id": "b", "text": "Le ministre a',            # cut JSON
        json.dumps({"id": "c", "text": 42}),              # text is not a string
        json.dumps({"id": "d", "text": TEXT}),
    ]), encoding="utf-8")
    items = list(read_inputs([str(p)]))
    assert kinds(items) == ["Article", "Failure", "Failure", "Article"]
    assert [i.id for i in items] == ["a", f"{p}:2", f"{p}:3", "d"]
    assert items[0].dct == "2024-01-02"


def test_json_article_and_json_list(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "x", "dct": "2023-03-01", "text": TEXT}), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": TEXT}, {"text": TEXT, "id": "z"}]), encoding="utf-8")
    items = list(read_inputs([str(one), str(many)]))
    assert [i.id for i in items] == ["x", f"{many}[0]", "z"]


@pytest.mark.parametrize("data, error", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", EncodingError),
    ("Le président a déclaré".encode("latin-1"), EncodingError),
])
def test_bad_bytes_are_failures(tmp_path, data, error):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    [item] = list(read_inputs([str(p)]))
    assert isinstance(item, Failure) and isinstance(item.error, error)


def test_missing_file_is_a_failure(tmp_path):
    [item] = list(read_inputs([str(tmp_path / "nope.txt")]))
    assert isinstance(item, Failure) and "cannot read" in str(item.error)


def test_directory_is_read_recursively(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "two.txt").write_text(TEXT, encoding="utf-8")
    assert sorted(i.id for i in read_inputs([str(tmp_path)])) == ["one", "two"]


@pytest.mark.parametrize("data, n", [
    (TEXT.encode(), 1),
    ((json.dumps({"id": "s1", "text": TEXT}) + "\n" + json.dumps({"id": "s2", "text": TEXT})).encode(), 2),
])
def test_stdin_text_or_jsonl(data, n):
    items = list(read_inputs(["-"], stdin=io.BytesIO(data)))
    assert len(items) == n and all(isinstance(i, Article) for i in items)


def test_a_batch_goes_on_past_bad_articles(pipeline):
    arts = [Article(TEXT, "2024-05-14", "ok1"), Article("x" * 50, "2024-13-45", "bad-date"),
            Article("y " * 600, None, "too-big"), Article(TEXT, None, "ok2")]
    out = list(pipeline.analyze_many(arts, max_chars=1000))
    assert kinds(out) == ["Analysis", "Failure", "Failure", "Analysis"]
    assert [o.id for o in out] == ["ok1", "bad-date", "too-big", "ok2"]
    assert isinstance(out[2].error, TooLargeError)


def test_count_articles_matches_what_is_read(tmp_path):
    from depeche.batch import count_articles

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text(json.dumps({"text": TEXT}) + "\n\n{cut\n" + json.dumps({"text": TEXT}) + "\n",
                                          encoding="utf-8")
    (tmp_path / "list.json").write_text(json.dumps([{"text": TEXT}, {"text": TEXT}]), encoding="utf-8")
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    (tmp_path / "photo.jsonl").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    inputs = [str(tmp_path), str(tmp_path / "missing.txt")]
    assert count_articles(inputs) == len(list(read_inputs(inputs))) == 9
    assert count_articles([str(tmp_path)], exclude=[tmp_path / "sub" / "a.txt"]) == 7
    assert count_articles(["-"]) is None
