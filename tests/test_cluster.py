"""Scale-out: worker processes on one machine and a Dask LocalCluster, end to end."""
from __future__ import annotations

import json

import pytest

from depeche import bench
from depeche.batch import WorkerPool
from depeche.nlp import Article, Failure

TEXTS = [
    "Le président brésilien a reçu lundi à Brasilia le chancelier allemand pour parler du climat.",
    "Les ministres de la Défense de l'OTAN se réuniront en février à Bruxelles.",
    "La Chine a dénoncé mardi les nouvelles sanctions américaines visant ses entreprises.",
]


def articles():
    return [Article(t, "2024-01-15", f"a{i}") for i, t in enumerate(TEXTS)]


def test_corpus_is_built_from_the_bundled_examples():
    corpus = bench.build_corpus(20, seed=1)
    assert len(corpus) == 20 and len({a.text for a in corpus}) > 15
    examples = " ".join(e["text"] for e in bench.example_articles())
    first_sentence = corpus[0].text.split(". ")[0]
    assert first_sentence[:30] in examples
    assert bench.build_corpus(5, seed=1)[0].text == bench.build_corpus(5, seed=1)[0].text


def test_bench_times_bare_spacy_and_depeche_in_alternated_rounds():
    rows = bench.run(4, workers=1, with_dask=False, rounds=2)
    assert [r.name for r in rows] == ["spacy (bare model)", "depeche"]
    for r in rows:
        assert len(r.rounds) == 2 and r.seconds == min(r.rounds) > 0
        assert r.articles == 4 and r.tokens > 0 and r.peak_mb > 0
    assert bench.overhead(rows) == rows[1].seconds / rows[0].seconds - 1
    assert len(bench.round_ratios(rows)) == 2 and all(r > 0 for r in bench.round_ratios(rows))


def test_bench_says_when_its_process_stopped():
    from depeche.errors import DepecheError

    runner = bench._Runner("bare", bench.build_corpus(2, seed=1), bench.MODEL, 16)
    runner._proc.kill()
    with pytest.raises(DepecheError, match="stopped"):
        runner.time_once()
    runner.close()


def test_worker_pool_keeps_order_and_failures():
    items = articles()
    items.insert(1, Failure("broken", __import__("depeche").InputError("broken: not JSON")))
    with WorkerPool(2, chunk_size=1) as pool:
        out = list(pool.analyze(items))
        assert pool.peak_rss and all(mb > 0 for mb in pool.peak_rss.values())
    assert [o.id for o in out] == ["a0", "broken", "a1", "a2"]
    assert isinstance(out[1], Failure)


def test_dask_local_cluster_writes_and_reads_shards(tmp_path):
    pytest.importorskip("dask.distributed")
    from depeche import cluster

    paths = cluster.shard_results(articles(), "local", tmp_path / "shards", workers=2, partition_size=2)
    assert [p.name.split("-")[-1] for p in paths] == ["00000.jsonl", "00001.jsonl"]
    assert len({p.name.rsplit("-", 1)[0] for p in paths}) == 1  # one run, one prefix
    records = list(cluster.read_shards([tmp_path / "shards"]))
    assert [r["id"] for r in records] == ["a0", "a1", "a2"]
    assert all({"text", "entities", "times", "quotes", "events", "warnings"} <= set(r) for r in records)
    json.dumps(records)  # plain JSON all the way


def _profiler_enabled():
    import dask

    return dask.config.get("distributed.worker.profile.enabled")


def test_local_cluster_workers_run_without_the_sampling_profiler():
    pytest.importorskip("dask.distributed")
    from depeche import cluster

    with cluster.local_cluster(2) as client:
        assert set(client.run(_profiler_enabled).values()) == {False}
    assert _profiler_enabled() is True  # the caller's own settings are left as they were


def test_ingest_on_dask_then_load_the_shards_elsewhere(tmp_path, capsys):
    pytest.importorskip("dask.distributed")
    from depeche.cli import main
    from depeche.store import Store

    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps({"id": a.id, "dct": a.dct, "text": a.text}) for a in articles())
                   + "\n{broken\n", encoding="utf-8")
    status = main(["ingest", str(src), "--db", str(tmp_path / "cluster.db"), "--dask", "local",
                   "--workers", "2", "--partition-size", "2", "--shards", str(tmp_path / "shards"), "--quiet"])
    assert status == 1  # the broken line is reported, the rest is stored
    assert len(list((tmp_path / "shards").glob("*.jsonl"))) == 2
    for _ in range(2):  # loading twice stores each article once
        main(["load", str(tmp_path / "shards"), "--db", str(tmp_path / "local.db")])
    capsys.readouterr()
    with Store(tmp_path / "local.db") as st, Store(tmp_path / "cluster.db") as cl:
        assert st.counts()["articles"] == cl.counts()["articles"] == 3
        assert st.counts()["events"] == cl.counts()["events"]


def test_ingest_with_a_worker_pool(tmp_path, capsys):
    from depeche.cli import main
    from depeche.store import Store

    folder = tmp_path / "corpus"
    folder.mkdir()
    for a in articles():
        (folder / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
    assert main(["ingest", str(folder), "--db", str(tmp_path / "w.db"), "--workers", "2",
                 "--dct", "2024-01-15", "--quiet"]) == 0
    assert main(["ingest", str(folder), "--db", str(tmp_path / "w.db"), "--workers", "2", "--quiet"]) == 0
    assert "skipped 3" in capsys.readouterr().out
    with Store(tmp_path / "w.db") as st:
        assert st.counts()["articles"] == 3


def test_two_runs_into_one_folder_keep_both_runs_shards(tmp_path):
    from depeche import cluster

    out = tmp_path / "shards"
    first = cluster.write_shard([], out, 0, cluster.run_prefix())
    import time
    time.sleep(1.1)
    second = cluster.write_shard([], out, 0, cluster.run_prefix())
    assert first != second and first.exists() and second.exists()


def test_an_unreachable_scheduler_is_one_line_and_creates_no_store(tmp_path, capsys):
    pytest.importorskip("dask.distributed")
    from depeche import cluster
    from depeche.cli import EXIT_USAGE, main

    db = tmp_path / "corpus.db"
    src = tmp_path / "a.txt"
    src.write_text("Le ministre a parlé.", encoding="utf-8")
    old = cluster.CONNECT_TIMEOUT
    cluster.CONNECT_TIMEOUT = 2
    try:
        status = main(["ingest", str(src), "--db", str(db), "--dask", "tcp://127.0.0.1:1"])
    finally:
        cluster.CONNECT_TIMEOUT = old
    err = capsys.readouterr().err
    assert status == EXIT_USAGE
    assert "no Dask scheduler answers at tcp://127.0.0.1:1" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not db.exists()
