"""Stress run of ``depeche.analyze_many`` on generated bad input (issue 18).

    PYTHONPATH=src python scripts/stress.py -n 10000 --seed 18 --json out.json

Generates N inputs of the kinds of issue 18 (random Unicode, control and bidi
characters, lone surrogates, long tokens, unbalanced quotation marks, HTML
soup, mojibake, impossible dates, mutations of the bundled example articles,
and a few very large ones), analyses them through ``depeche.analyze_many`` in
batches, and reports:

- lost: inputs that got no result (neither an Analysis nor a Failure);
- escaped: exceptions that came out of ``analyze_many``;
- hangs: results that took longer than twice the time budget plus a grace
  period to arrive after the previous one (a batch in which one article
  fails is analysed again article by article, hence twice; stacks are dumped
  on stderr when nothing arrives for four times that);
- invalid: analyses for which ``depeche.validity.problems`` is not empty;
- failures by error code (a ``time_budget`` failure is not a hang: it is the
  documented outcome of an article over its budget);
- the peak resident memory of the process (``resource.getrusage``).

The generator is deterministic for a given ``--seed``.
"""
from __future__ import annotations

import argparse
import collections
import faulthandler
import json
import random
import resource
import sys
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "depeche" / "examples"

# Building blocks (our own French words and sentences, and the characters that
# broke pipelines before).
WORDS = ("le président", "la ministre", "a déclaré", "a rencontré", "jeudi", "à Paris", "l'Union européenne",
         "l'OTAN", "sanctions", "contre", "la Russie", "Marine Dubreuil", "Karim Benali", "a promis", "d'", "l'",
         "qu'", "aujourd'hui", "le 12 mars", "en 2023", "dans deux semaines", "il y a trois ans", "Bruxelles")
QUOTES = ("«", "»", "“", "”", '"', "‘", "’", "‹", "›", "« ", " »", "'")
CONTROL = [chr(c) for c in range(0, 32)] + [chr(c) for c in range(127, 160)]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f", "\u061c", "\ufeff", "\u200b", "\u200d"]
ESCAPES = ["\x1b[31m", "\x1b[0m", "\x1b]0;titre\x07", "\x1b]8;;http://x\x1b\\", "[/b]", "[bold]", "\r"]
SURROGATES = [chr(c) for c in (0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xD83D)]
IMPOSSIBLE_DATES = ("le 31 février", "le 30 février 2024", "le 32 janvier", "le 0 mars", "le 31 avril 2025",
                    "le 29 février 2023", "en l'an 99999", "le 45/13/2024", "le 2024-02-30", "le 31 juin",
                    "du 31 au 35 septembre", "le 99 décembre 1999", "lundi 31 novembre", "le 1er du 13e mois",
                    "le 00/00/0000", "en 0000", "le 31 février dernier", "le 29 février prochain")
TAGS = ("<p>", "</p>", "<div class=\"x\">", "</div>", "<script>alert(1)</script>", "<br/>", "<b>", "</i>",
        "<!-- c -->", "&amp;", "&nbsp;", "&#233;", "&eacute;", "<a href='?a=1&b=2'>", "</a>", "<![CDATA[", "]]>",
        "<style>p{}</style>", "<table><tr><td>", "</td></tr>", "<?xml ?>", "<", ">")


def _example_texts() -> list[str]:
    return [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(EXAMPLES.glob("*.json"))]


def _sentence(r: random.Random) -> str:
    s = " ".join(r.choice(WORDS) for _ in range(r.randint(3, 14)))
    return s[:1].upper() + s[1:] + r.choice((".", ".", ".", " !", " ?", "…", ""))


def gen_unicode(r, base):
    # any code point of the BMP and beyond, surrogates excluded here
    n = r.randint(0, 400)
    return "".join(chr(r.choice((r.randint(32, 0x2FF), r.randint(0x300, 0xD7FF), r.randint(0xE000, 0x10FFFF))))
                   for _ in range(n))


def gen_control(r, base):
    parts = []
    for _ in range(r.randint(1, 12)):
        parts.append(_sentence(r))
        parts.append("".join(r.choice(CONTROL + BIDI + ESCAPES) for _ in range(r.randint(1, 5))))
    return " ".join(parts)


def gen_surrogates(r, base):
    s = _sentence(r) + " " + _sentence(r)
    for _ in range(r.randint(1, 6)):
        i = r.randint(0, len(s))
        s = s[:i] + r.choice(SURROGATES) + s[i:]
    return s


def gen_long_token(r, base):
    n = r.choice((200, 1000, 5000, 20000, 30000)) if r.random() < 0.1 else r.randint(50, 2000)
    kind = r.choice(("x", "!", "l'", "-", "é", "word"))
    tok = "anticonstitutionnellement" * (n // 25 + 1) if kind == "word" else kind * (n // len(kind))
    return f"{_sentence(r)} {tok[:n]} {_sentence(r)}"


def gen_quotes(r, base):
    parts = []
    for _ in range(r.randint(1, 15)):
        parts.append(r.choice(QUOTES) if r.random() < 0.5 else _sentence(r))
    return " ".join(parts)


def gen_html(r, base):
    parts = []
    for _ in range(r.randint(3, 40)):
        parts.append(r.choice(TAGS) if r.random() < 0.5 else _sentence(r))
    return "".join(parts)


def gen_mojibake(r, base):
    s = r.choice(base) if r.random() < 0.5 else " ".join(_sentence(r) for _ in range(5))
    s = s[: r.randint(100, 1500)]
    how = r.choice(("latin1", "cp1252", "double", "mixed"))
    try:
        if how == "latin1":
            return s.encode("utf-8").decode("latin-1")
        if how == "cp1252":
            return s.encode("utf-8").decode("cp1252", errors="replace")
        if how == "double":
            return s.encode("utf-8").decode("latin-1").encode("utf-8").decode("latin-1")
        half = len(s) // 2
        return s[:half] + s[half:].encode("utf-8").decode("latin-1")
    except UnicodeError:
        return s


def gen_dates(r, base):
    parts = []
    for _ in range(r.randint(1, 6)):
        parts.append(f"{r.choice(('Le ministre', 'La présidente Aline Morel', 'Le Conseil'))} "
                     f"{r.choice(('a rencontré', 'rencontrera', 'a signé', 'signera', 'a condamné'))} "
                     f"{r.choice(('son homologue', 'l’accord', 'la Russie', 'les représentants'))} "
                     f"{r.choice(IMPOSSIBLE_DATES)}.")
    return " ".join(parts)


def gen_mutation(r, base):
    s = r.choice(base)
    for _ in range(r.randint(1, 8)):
        op = r.choice(("delete", "duplicate", "insert", "swapcase", "quote", "dedot", "nospace", "repeat"))
        i, j = sorted((r.randint(0, len(s)), r.randint(0, len(s))))
        if op == "delete":
            s = s[:i] + s[j:]
        elif op == "duplicate":
            s = s[:j] + s[i:j] + s[j:]
        elif op == "insert":
            s = s[:i] + r.choice(CONTROL + BIDI + SURROGATES + list(QUOTES) + list(TAGS) + list(ESCAPES)) + s[i:]
        elif op == "swapcase":
            s = s[:i] + s[i:j].swapcase() + s[j:]
        elif op == "quote":
            s = s.replace(r.choice("«»“”\""), r.choice(QUOTES), r.randint(1, 3))
        elif op == "dedot":
            s = s.replace(".", "", r.randint(1, 50))
        elif op == "nospace":
            s = s[:i] + s[i:j].replace(" ", "") + s[j:]
        elif op == "repeat" and r.random() < 0.2:
            s = s * r.randint(2, 6)
    return s


def gen_big(r, base):
    """The rare large input: the shapes that were quadratic before."""
    kind = r.choice(("punct", "elisions", "sentence", "token", "article"))
    if kind == "punct":
        return "".join(r.choice(",;:!?.-—…()«»") for _ in range(30000))
    if kind == "elisions":
        return "l'" * 15000
    if kind == "sentence":
        return " ".join(r.choice(WORDS).split()[-1] for _ in range(r.choice((20000, 50000))))
    if kind == "token":
        return "x" * 30000
    return "\n\n".join(r.choice(base) for _ in range(60))


KINDS = {
    "unicode": gen_unicode, "control_bidi": gen_control, "surrogates": gen_surrogates,
    "long_token": gen_long_token, "quotes": gen_quotes, "html": gen_html, "mojibake": gen_mojibake,
    "impossible_dates": gen_dates, "mutation": gen_mutation,
}
DCTS = (None, "2024-04-03", "2025-02-28", "2000-01-01", "2024-02-29")


def generate(n: int, seed: int = 18, big_every: int = 500):
    """``n`` (id, kind, dict article) inputs; one in ``big_every`` is large."""
    r = random.Random(seed)
    base = _example_texts()
    names = list(KINDS)
    for i in range(n):
        if big_every and i % big_every == big_every - 1:
            kind, text = "big", gen_big(r, base)
        else:
            kind = names[i % len(names)]
            text = KINDS[kind](r, base)
        yield f"{kind}-{i}", kind, {"id": f"{kind}-{i}", "text": text, "dct": r.choice(DCTS)}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(n: int, seed: int = 18, chunk: int = 64, batch_size: int = 16, time_budget: float = 30.0,
        grace: float = 30.0, big_every: int = 500, progress=None) -> dict:
    """Analyse ``n`` generated inputs; the figures of the run as a dict."""
    import depeche
    from depeche import validity

    pipeline = depeche.load()
    before = pipeline.time_budget
    pipeline.time_budget = time_budget
    try:
        return _run(depeche, validity, n, seed, chunk, batch_size, time_budget, grace, big_every, progress)
    finally:
        pipeline.time_budget = before


def _run(depeche, validity, n, seed, chunk, batch_size, time_budget, grace, big_every, progress) -> dict:
    hang_after = 2 * time_budget + grace
    stats = collections.Counter()
    failures = collections.Counter()
    by_kind = collections.defaultdict(collections.Counter)
    examples: dict = collections.defaultdict(list)
    slowest = (0.0, None)
    started = time.perf_counter()
    inputs = list(generate(n, seed, big_every))
    chars = sum(len(a["text"]) for _, _, a in inputs)
    for c0 in range(0, len(inputs), chunk):
        part = inputs[c0:c0 + chunk]
        texts = {aid: a["text"] for aid, _, a in part}
        kinds = {aid: k for aid, k, _ in part}
        seen = []
        last = time.perf_counter()
        faulthandler.dump_traceback_later(hang_after * 4, repeat=True, file=sys.stderr)
        try:
            for res in depeche.analyze_many([a for _, _, a in part], batch_size=batch_size):
                now = time.perf_counter()
                gap, last = now - last, now
                aid = res.id
                seen.append(aid)
                if gap > slowest[0]:
                    slowest = (gap, aid)
                if gap > hang_after:
                    stats["hangs"] += 1
                    examples["hangs"].append({"id": aid, "seconds": round(gap, 1)})
                if isinstance(res, depeche.nlp.Failure):
                    stats["failures"] += 1
                    failures[res.error.code] += 1
                    by_kind[kinds.get(aid, "?")]["failures"] += 1
                    if len(examples[f"failure:{res.error.code}"]) < 5:
                        examples[f"failure:{res.error.code}"].append({"id": aid, "message": str(res.error)[:300]})
                    continue
                stats["analysed"] += 1
                if aid not in texts:
                    stats["unknown_ids"] += 1
                    continue
                probs = validity.problems(res, texts[aid])
                if probs:
                    stats["invalid"] += 1
                    stats["invalid_items"] += len(probs)
                    by_kind[kinds[aid]]["invalid"] += 1
                    for p in probs:
                        key = p.split(" ")[0] + " " + p.split(" ")[1] if " " in p else p
                        if len(examples[f"invalid:{key}"]) < 5:
                            examples[f"invalid:{key}"].append({"id": aid, "problem": p[:300]})
        except Exception as e:  # an exception escaping analyze_many: the rest of the chunk is lost
            stats["escaped"] += 1
            if len(examples["escaped"]) < 10:
                examples["escaped"].append({"after": seen[-1] if seen else None,
                                            "error": f"{type(e).__name__}: {e}"[:300]})
        finally:
            faulthandler.cancel_dump_traceback_later()
        missing = [aid for aid in texts if aid not in seen]
        stats["lost"] += len(missing)
        examples["lost"].extend(missing[:max(0, 5 - len(examples["lost"]))])
        if progress:
            progress(min(c0 + chunk, len(inputs)), len(inputs), stats)
    return {
        "inputs": n, "characters": chars, "seed": seed, "time_budget": time_budget,
        "seconds": round(time.perf_counter() - started, 1),
        "lost": stats["lost"], "escaped": stats["escaped"], "hangs": stats["hangs"],
        "invalid_analyses": stats["invalid"], "invalid_items": stats["invalid_items"],
        "analysed": stats["analysed"], "failures": stats["failures"], "failures_by_code": dict(failures),
        "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
        "slowest_gap_seconds": round(slowest[0], 1), "slowest_id": slowest[1],
        "peak_rss_mb": round(peak_rss_mb()),
        "examples": dict(examples),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Stress depeche.analyze_many with generated bad input (issue 18).")
    ap.add_argument("-n", "--inputs", type=int, default=10000, help="how many inputs (default 10,000)")
    ap.add_argument("--seed", type=int, default=18, help="generator seed (default 18)")
    ap.add_argument("--chunk", type=int, default=64, help="inputs per analyze_many call (default 64)")
    ap.add_argument("--batch-size", type=int, default=16, help="analyze_many batch size (default 16)")
    ap.add_argument("--time-budget", type=float, default=30.0, help="seconds per article (default 30)")
    ap.add_argument("--grace", type=float, default=30.0,
                    help="a result later than 2 x budget + grace after the previous one is a hang (default 30)")
    ap.add_argument("--big-every", type=int, default=500, help="one large input in this many (default 500; 0: none)")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    args = ap.parse_args(argv)

    def progress(done, total, stats):
        print(f"{done}/{total} lost={stats['lost']} escaped={stats['escaped']} hangs={stats['hangs']} "
              f"invalid={stats['invalid']} failures={stats['failures']} peak={peak_rss_mb():.0f} MB",
              file=sys.stderr, flush=True)

    res = run(args.inputs, args.seed, args.chunk, args.batch_size, args.time_budget, args.grace,
              args.big_every, progress)
    text = json.dumps(res, ensure_ascii=False, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(text)
    bad = res["lost"] + res["escaped"] + res["hangs"] + res["invalid_analyses"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
