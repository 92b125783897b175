"""Batch entry point: read articles from files, directories, JSON, JSON Lines
or standard input, analyse them, and keep going past bad ones.

Readers yield :class:`Article` records, or :class:`Failure` records for input
that cannot be read (a malformed JSON line, a binary file); the pipeline
passes failures through in order so the caller can report them.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator, Optional, Union

from .errors import EncodingError, InputError
from .nlp import Article, Failure, Pipeline

Item = Union[Article, Failure]
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


def decode(data: bytes, where: str) -> str:
    """UTF-8 text of ``data``; EncodingError for binary or other encodings."""
    if b"\x00" in data[:8192]:
        raise EncodingError(f"{where}: binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise EncodingError(f"{where}: not UTF-8 text (byte {e.start}: {data[e.start:e.start + 1]!r})") from e


def article_from_obj(obj, where: str, default_id: Optional[str] = None,
                     dct: Optional[str] = None) -> Article:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: an article must be a JSON object with a 'text' field")
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: the article has no 'text' string")
    aid = obj.get("id", default_id)
    return Article(text=text, dct=obj.get("dct") or dct, id=None if aid is None else str(aid))


def read_jsonl(lines: Iterable[str], where: str, dct: Optional[str] = None) -> Iterator[Item]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        loc = f"{where}:{n}"
        try:
            obj = json.loads(line)
            yield article_from_obj(obj, loc, default_id=loc, dct=dct)
        except json.JSONDecodeError as e:
            yield Failure(loc, InputError(f"{loc}: not valid JSON ({e.msg}, column {e.colno})"))
        except InputError as e:
            yield Failure(loc, e)


def read_text_stream(stream: IO[bytes], where: str, dct: Optional[str] = None) -> Iterator[Item]:
    """Standard input: JSON Lines when it starts with '{', plain text otherwise."""
    try:
        text = decode(stream.read(), where)
    except InputError as e:
        yield Failure(where, e)
        return
    if text.lstrip().startswith("{"):
        yield from read_jsonl(text.splitlines(), where, dct)
    else:
        yield Article(text=text, dct=dct, id=where)


def read_path(path: Path, dct: Optional[str] = None) -> Iterator[Item]:
    where = str(path)
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                yield from read_path(p, dct)
        return
    try:
        data = path.read_bytes()
    except OSError as e:
        yield Failure(where, InputError(f"{where}: cannot read ({e.strerror or e})"))
        return
    try:
        text = decode(data, where)
    except InputError as e:
        yield Failure(where, e)
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from read_jsonl(text.splitlines(), where, dct)
    elif suffix == ".json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            yield Failure(where, InputError(f"{where}: not valid JSON ({e.msg}, line {e.lineno})"))
            return
        objs = obj if isinstance(obj, list) else [obj]
        for i, o in enumerate(objs):
            loc = where if len(objs) == 1 else f"{where}[{i}]"
            try:
                yield article_from_obj(o, loc, default_id=path.stem if len(objs) == 1 else loc, dct=dct)
            except InputError as e:
                yield Failure(loc, e)
    else:
        yield Article(text=text, dct=dct, id=path.stem)


def read_inputs(inputs: Iterable[str], dct: Optional[str] = None,
                stdin: Optional[IO[bytes]] = None) -> Iterator[Item]:
    """Articles from each input: a path, a directory or '-' for stdin."""
    for name in inputs:
        if name == "-":
            yield from read_text_stream(stdin or sys.stdin.buffer, "<stdin>", dct)
        else:
            yield from read_path(Path(name), dct)


def analyze_inputs(pipeline: Pipeline, inputs: Iterable[str], dct: Optional[str] = None,
                   stdin: Optional[IO[bytes]] = None, batch_size: int = 16,
                   max_chars: Optional[int] = None):
    """Analyses (and failures) of every article found in ``inputs``, in order."""
    return pipeline.analyze_many(read_inputs(inputs, dct, stdin), batch_size=batch_size,
                                 max_chars=max_chars)
