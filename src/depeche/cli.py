"""Command-line entry point: ``depeche analyze`` and friends.

Exit status: 0 every article analysed; 1 some articles failed (the others
were still analysed and written); 2 bad usage or no article analysed;
3 the spaCy model is missing.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Optional

from .errors import BadDateError, DepecheError, ModelNotFoundError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_MODEL = 0, 1, 2, 3


def _err(msg: str) -> None:
    print(f"depeche: {msg}", file=sys.stderr)


def cmd_analyze(args) -> int:
    from rich.console import Console

    from . import batch, export, load, nlp, report

    try:
        dct = nlp.check_dct(args.dct)
    except BadDateError as e:
        _err(str(e))
        return EXIT_USAGE
    pipeline = load(args.model)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    console = Console(file=out, width=args.width) if args.format == "text" else None
    n_ok = n_failed = 0
    results = []
    try:
        for res in batch.analyze_inputs(pipeline, args.inputs, dct=dct, batch_size=args.batch_size,
                                           max_chars=args.max_chars):
            if isinstance(res, nlp.Failure):
                n_failed += 1
                _err(f"skipped {res.id}: {res.error}")
                continue
            n_ok += 1
            if args.format == "jsonl":
                out.write(export.dump(res) + "\n")
            elif args.format == "json":
                results.append(res)
            else:
                report.render(res, console)
        if args.format == "json":
            obj = results[0].to_dict() if len(results) == 1 else [r.to_dict() for r in results]
            out.write(export.dump(obj, indent=2) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    if n_ok == 0:
        return EXIT_USAGE
    return EXIT_PARTIAL if n_failed else EXIT_OK


def cmd_bench(args) -> int:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from . import bench

    rows = bench.run(args.articles, args.workers, args.model or bench.MODEL, with_dask=not args.no_dask)
    if args.json:
        print(json.dumps({"rows": [r.to_dict() for r in rows], "overhead": round(bench.overhead(rows), 3)}))
        return EXIT_OK
    t = Table(box=box.SIMPLE_HEAD, title=f"{rows[0].articles} articles, {rows[0].tokens:,} tokens")
    for col in ("pipeline", "procs", "seconds", "articles/s", "tokens/s", "peak MB/proc"):
        t.add_column(col, justify="left" if col == "pipeline" else "right")
    for r in rows:
        t.add_row(r.name, str(r.processes), f"{r.seconds:.2f}", f"{r.articles_per_s:.1f}",
                  f"{r.tokens_per_s:,.0f}", f"{r.peak_mb:,.0f}")
    console = Console()
    console.print(t)
    console.print(f"depeche / bare spaCy time, one process: {1 + bench.overhead(rows):.2f} "
                  f"({bench.overhead(rows):+.0%})")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="depeche", description="French news articles to structured, verifiable knowledge.")
    sub = ap.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyze", help="analyse articles and print or write the result",
                       description="Analyse articles: text files, .json articles, .jsonl files of "
                                   "{id, dct, text}, directories, or - for standard input.")
    a.add_argument("inputs", nargs="+", metavar="INPUT")
    a.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                   help="text: a readable report (default); json: one object (an array for many); jsonl: one line per article")
    a.add_argument("-o", "--output", help="write to this file instead of standard output")
    a.add_argument("--dct", help="publication date YYYY-MM-DD of plain-text inputs")
    a.add_argument("--model", default=None, help="spaCy base model (default fr_core_news_md)")
    a.add_argument("--batch-size", type=int, default=16)
    a.add_argument("--width", type=int, default=None, help="report width in columns")
    a.add_argument("--max-chars", type=int, default=None,
                   help="refuse articles longer than this many characters (default 2,000,000)")
    a.set_defaults(func=cmd_analyze)

    b = sub.add_parser("bench", help="measure throughput beside the bare spaCy model",
                       description="Build a corpus from the bundled example articles' sentences and "
                                   "measure articles and tokens per second: bare spaCy, depeche in one "
                                   "process, in N processes, and on a Dask LocalCluster.")
    b.add_argument("--articles", type=int, default=200, help="corpus size (default 200)")
    b.add_argument("--workers", type=int, default=2, help="processes for the parallel runs (default 2)")
    b.add_argument("--model", default=None)
    b.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    b.add_argument("--json", action="store_true", help="print the figures as JSON")
    b.set_defaults(func=cmd_bench)
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


if __name__ == "__main__":
    sys.exit(main())
