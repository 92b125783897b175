"""Batch reading: every kind of input, and bad input that must not stop a batch."""
from __future__ import annotations

import io
import json
import random

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


_RNG = random.Random(7)


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",                   # an image
    "Un texte valide\x00 mais avec un octet nul.".encode(),       # UTF-8, but a NUL byte: binary
    "Le maire a parlé.".encode("cp1252") + b"\x00\x01\x02",       # NUL after legacy bytes
    bytes(_RNG.randrange(1, 256) for _ in range(600)),             # noise without a NUL
])
def test_binary_bytes_are_failures(tmp_path, data):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    [item] = list(read_inputs([str(p)]))
    assert isinstance(item, Failure) and isinstance(item.error, EncodingError)


# Articles written for these tests, read in the legacy encodings French text comes in.
LEGACY = [
    ("La maire de Pontivy, Hélène Quéméner, a présenté jeudi le budget de l'année : "
     "« Nous n'augmenterons pas les impôts », a-t-elle déclaré.", "cp1252"),
    ("Le comité a voté à l’unanimité. Son président, Aurèle Dufresnoy, s’est félicité "
     "d’un « accord équilibré » et du cœur de l’œuvre commune.", "cp1252"),
    ("Élu en février, le député Gaëtan Brézet siégera à la commission des finances ; "
     "il succède à Maïté Cornillon.", "latin-1"),
    ("Le prix du pain a augmenté de 12 % à Sète depuis l'été dernier, selon la chambre "
     "de commerce.", "latin-1"),
    ("À Besançon, l'hôpital a reçu 250 000 € de la région pour rénover ses blocs opératoires.",
     "iso8859_15"),
]


@pytest.mark.parametrize("text, enc", LEGACY)
def test_legacy_bytes_are_read_with_an_encoding_warning(tmp_path, text, enc):
    from depeche.encoding import decode

    data = text.encode(enc)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    read = decode(data, "x")
    assert read.text == text
    assert read.encoding != "utf-8" and read.note == f"decoded as {read.encoding}, not UTF-8"
    p = tmp_path / "ancien.txt"
    p.write_bytes(data)
    [art] = list(read_inputs([str(p)]))
    assert isinstance(art, Article) and art.text == text
    assert [(w.code, w.start, w.end) for w in art.warnings] == [("encoding", 0, len(text))]
    assert art.warnings[0].message.startswith("decoded as ") and "not UTF-8" in art.warnings[0].message


def test_legacy_jsonl_and_stdin_warn_every_article(tmp_path):
    text, enc = LEGACY[0]
    data = (json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\n"
            + json.dumps({"id": "b", "text": TEXT}, ensure_ascii=False) + "\n").encode(enc)
    p = tmp_path / "lot.jsonl"
    p.write_bytes(data)
    for items in (list(read_inputs([str(p)])), list(read_inputs(["-"], stdin=io.BytesIO(data)))):
        assert [i.text for i in items] == [text, TEXT]
        assert all([w.code for w in i.warnings] == ["encoding"] for i in items)
    [art] = list(read_inputs(["-"], stdin=io.BytesIO(text.encode(enc))))
    assert art.text == text and [w.code for w in art.warnings] == ["encoding"]


@pytest.mark.parametrize("data, expected", [
    (TEXT.encode("utf-8"), TEXT),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT),    # UTF-8 with a byte order mark
    (TEXT.encode("utf-16"), TEXT),                        # UTF-16 with its byte order mark
])
def test_unicode_bytes_are_read_without_a_warning_but_utf16(tmp_path, data, expected):
    p = tmp_path / "article.txt"
    p.write_bytes(data)
    [art] = list(read_inputs([str(p)]))
    assert isinstance(art, Article) and art.text == expected
    assert [w.message for w in art.warnings] == ([] if data[:2] != b"\xff\xfe" else
                                                 ["decoded as utf-16, not UTF-8"])


def test_a_legacy_file_is_analysed_with_the_encoding_warning(pipeline, tmp_path):
    from depeche.batch import analyze_inputs

    text, enc = LEGACY[2]
    p = tmp_path / "depute.txt"
    p.write_bytes(text.encode(enc))
    [an] = list(analyze_inputs(pipeline, [str(p)], dct="2024-03-01"))
    d = an.to_dict()
    [w] = [w for w in d["warnings"] if w["code"] == "encoding"]
    assert (w["start"], w["end"]) == (0, len(text)) and "not UTF-8" in w["message"]
    names = {e["name"] for e in d["entities"]}
    assert "Gaëtan Brézet" in names
    clean = pipeline.analyze(text, dct="2024-03-01").to_dict()
    assert d["entities"] == clean["entities"] and d["times"] == clean["times"]
    assert [x for x in d["warnings"] if x is not w] == clean["warnings"]


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
