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

from . import encoding
from .errors import EmptyTextError, EncodingError, InputError
from .model import Warning
from .nlp import Article, Failure, Pipeline, check_dct

Item = Union[Article, Failure]
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


def decode(data: bytes, where: str) -> str:
    """The text of ``data``: UTF-8, else the encoding charset-normalizer
    finds (:func:`depeche.encoding.decode`); EncodingError for binary data."""
    return encoding.decode(data, where).text


def _noted(items: Iterable[Item], read: encoding.Decoded) -> Iterator[Item]:
    """``items``, each Article with an ``encoding`` warning over its whole
    text when its bytes were not UTF-8."""
    note = read.note
    for it in items:
        if note is not None and isinstance(it, Article):
            it.warnings.append(Warning("encoding", 0, len(it.text), note))
        yield it


def article_from_obj(obj, where: str, default_id: Optional[str] = None,
                     dct: Optional[str] = None) -> Article:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: an article must be a JSON object with a 'text' field")
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: the article has no 'text' string")
    aid = obj.get("id", default_id)
    return Article(text=text, dct=obj.get("dct") or dct, id=None if aid is None else str(aid),
                   id_given=obj.get("id") is not None)


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
        read = encoding.decode(stream.read(), where)
    except InputError as e:
        yield Failure(where, e)
        return
    text = read.text
    if text.lstrip().startswith("{"):
        yield from _noted(read_jsonl(text.splitlines(), where, dct), read)
    else:
        yield from _noted([Article(text=text, dct=dct, id=where, id_given=False)], read)


HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def read_html(data: bytes, where: str, dct: Optional[str] = None,
              path: Optional[Path] = None) -> Item:
    """The article of an HTML page: main text (headline first) and date, by trafilatura.

    The page's own publication date wins over ``dct``, which wins over the
    file's modification date. An empty page or a binary file is a Failure.
    """
    import datetime as dt

    import trafilatura

    if b"\x00" in data[:8192]:
        return Failure(where, EncodingError(f"{where}: binary data, not an HTML page"))
    try:
        doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    except Exception as e:  # trafilatura/lxml raise many kinds on broken pages
        return Failure(where, InputError(f"{where}: cannot read the HTML page ({type(e).__name__}: {e})"))
    body = (doc.text or "").strip() if doc is not None else ""
    if not body:
        return Failure(where, EmptyTextError(f"{where}: the HTML page has no main text"))
    title = (doc.title or "").strip()
    text = body if not title or body.startswith(title) else f"{title}\n\n{body}"
    try:
        date = check_dct(doc.date) or dct
    except InputError:  # a page date that is not a calendar date: not the page's fault
        date = dct
    if date is None and path is not None:
        try:
            date = dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
        except (OSError, ValueError, OverflowError):
            date = None
    return Article(text=text, dct=date, id=path.stem if path is not None else where, id_given=False)


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
    if path.suffix.lower() in HTML_SUFFIXES:
        yield read_html(data, where, dct, path)
        return
    try:
        read = encoding.decode(data, where)
    except InputError as e:
        yield Failure(where, e)
        return
    yield from _noted(_read_text(read.text, path, where, dct), read)


def _read_text(text: str, path: Path, where: str, dct: Optional[str]) -> Iterator[Item]:
    """The articles of a file's text, by its suffix."""
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
        yield Article(text=text, dct=dct, id=path.stem, id_given=False)


def read_inputs(inputs: Iterable[str], dct: Optional[str] = None,
                stdin: Optional[IO[bytes]] = None) -> Iterator[Item]:
    """Articles from each input: a path, a directory or '-' for stdin."""
    for name in inputs:
        if name == "-":
            yield from read_text_stream(stdin or sys.stdin.buffer, "<stdin>", dct)
        else:
            yield from read_path(Path(name), dct)


def count_articles(inputs: Iterable[str], exclude: Iterable[Path] = ()) -> Optional[int]:
    """How many items (articles and failures) :func:`read_inputs` will yield
    for ``inputs``, without analysing anything: one per JSON Lines line that
    is not blank, per element of a JSON list, per other file; None when an
    input is standard input (it can be read once only). Files in
    ``exclude`` are not counted (``ingest`` skips its own store)."""
    skip = {Path(p).resolve() for p in exclude}
    n = 0
    for name in inputs:
        if name == "-":
            return None
        n += _count_path(Path(name), skip)
    return n


def _count_path(path: Path, skip: set) -> int:
    if path.is_dir():
        return sum(_count_path(p, skip) for p in sorted(path.rglob("*"))
                   if p.is_file() and not p.name.startswith("."))
    if skip and path.resolve() in skip:
        return 0
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".json"):
        return 1
    try:
        data = path.read_bytes()
        text = decode(data, str(path))
    except (OSError, InputError):
        return 1
    if suffix == ".jsonl":
        return sum(1 for line in text.splitlines() if line.strip())
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        return 1
    return len(obj) if isinstance(obj, list) else 1


def analyze_inputs(pipeline: Pipeline, inputs: Iterable[str], dct: Optional[str] = None,
                   stdin: Optional[IO[bytes]] = None, batch_size: int = 16,
                   max_chars: Optional[int] = None):
    """Analyses (and failures) of every article found in ``inputs``, in order."""
    return pipeline.analyze_many(read_inputs(inputs, dct, stdin), batch_size=batch_size,
                                 max_chars=max_chars)


# -- Several processes on one machine -------------------------------------

_worker_pipeline: Optional[Pipeline] = None


def _die_with_parent(parent: Optional[int]) -> None:
    """Ask Linux to kill this worker when its parent dies (PR_SET_PDEATHSIG):
    after a kill -9 of ``depeche ingest`` no analysis process is left behind,
    nor a traceback of one writing to a closed pipe. Elsewhere, nothing."""
    import ctypes
    import os
    import signal

    if parent is None or not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os.kill(os.getpid(), signal.SIGKILL)


def _worker_init(model: Optional[str], parent: Optional[int] = None) -> None:
    global _worker_pipeline
    from . import nlp

    _die_with_parent(parent)
    _worker_pipeline = nlp.load(model or nlp.MODEL)


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_run(chunk: list[Item]) -> tuple[int, float, list]:
    import os

    assert _worker_pipeline is not None
    results = list(_worker_pipeline.analyze_many(chunk))
    return os.getpid(), peak_rss_mb(), results


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    chunk: list = []
    for it in items:
        chunk.append(it)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class WorkerPool:
    """N analysis processes, each with its own pipeline, results in order.

    ``with WorkerPool(2) as pool: for res in pool.analyze(items): ...``
    """

    def __init__(self, workers: int, model: Optional[str] = None, chunk_size: int = 8):
        import multiprocessing as mp
        import os

        self.workers = workers
        self.chunk_size = chunk_size
        ctx = mp.get_context("spawn")  # no fork of a loaded model: each worker loads its own
        self._pool = ctx.Pool(workers, initializer=_worker_init, initargs=(model, os.getpid()))
        self.peak_rss: dict[int, float] = {}  # worker pid -> peak memory (MB)

    def warm_up(self) -> None:
        """Wait until every worker has loaded its pipeline."""
        self._pool.map(_worker_run, [[] for _ in range(self.workers)], chunksize=1)

    def analyze(self, items: Iterable[Item]) -> Iterator:
        for pid, rss, results in self._pool.imap(_worker_run, chunks(items, self.chunk_size)):
            self.peak_rss[pid] = max(rss, self.peak_rss.get(pid, 0.0))
            yield from results

    def close(self) -> None:
        self._pool.close()
        self._pool.join()

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.close()
        else:
            self._pool.terminate()
