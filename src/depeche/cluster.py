"""Analysis on a Dask cluster: past one machine.

Each Dask worker loads the depeche pipeline once (on its first task) and
analyses partitions of articles; the client gathers each partition's results
and writes it as a JSON Lines shard, which ``depeche load`` brings into a
store. Start a cluster with ``dask scheduler`` and ``dask worker
tcp://SCHEDULER:8786`` on each machine (each worker needs depeche installed),
then ``depeche ingest --dask tcp://SCHEDULER:8786 ...``; ``--dask local``
starts a LocalCluster on this machine.
"""
from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .nlp import MODEL, Article, Failure

_pipelines: dict = {}


def _worker_pipeline(model: str):
    """Runs on a worker: its pipeline, loaded on first use."""
    from . import nlp

    pipeline = _pipelines.get(model)
    if pipeline is None:
        pipeline = _pipelines[model] = nlp.load(model)
    return pipeline


def _analyze_partition(articles: list, model: str) -> list[dict]:
    """Runs on a worker: analyse one partition, results as plain dicts."""
    return [r.to_dict() for r in _worker_pipeline(model).analyze_many(articles)]


def warm_up(client, model: str = MODEL) -> None:
    """Load the pipeline on every worker now."""
    client.run(lambda: _worker_pipeline(model) and None)


@contextlib.contextmanager
def local_cluster(workers: int = 2, memory_limit: str = "3GB"):
    """A Client on a LocalCluster of ``workers`` single-threaded processes."""
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      memory_limit=memory_limit, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


@contextlib.contextmanager
def connect(address: str, workers: int = 2):
    """A Client for ``address``: 'local' starts a LocalCluster, else a scheduler URL."""
    if address == "local":
        with local_cluster(workers) as client:
            yield client
    else:
        from dask.distributed import Client

        with Client(address) as client:
            yield client


def _partitions(items: Iterable, size: int) -> Iterator[list]:
    part: list = []
    for it in items:
        part.append(it)
        if len(part) >= size:
            yield part
            part = []
    if part:
        yield part


def analyze_partitions(client, items: Iterable, model: str = MODEL,
                       partition_size: int = 32) -> Iterator[list[dict]]:
    """Analyse ``items`` (Articles; Failures pass through) on the cluster, a
    partition at a time, in order, with at most two partitions per worker in flight."""
    from dask.distributed import wait  # noqa: F401  (imported to fail early without distributed)

    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    in_flight: list = []
    for part in _partitions(items, partition_size):
        arts = [a for a in part if isinstance(a, Article)]
        failed = [f.to_dict() for f in part if isinstance(f, Failure)]
        in_flight.append((client.submit(_analyze_partition, arts, model, pure=False), failed))
        if len(in_flight) >= 2 * n_workers:
            fut, failed0 = in_flight.pop(0)
            yield failed0 + fut.result()
    for fut, failed0 in in_flight:
        yield failed0 + fut.result()


def analyze_on_dask(client, articles: list[Article], model: str = MODEL,
                    partition_size: int = 32) -> list[dict]:
    """All results of ``articles``, in order."""
    return [d for part in analyze_partitions(client, articles, model, partition_size) for d in part]


def write_shards(client, items: Iterable, out_dir: Path, model: str = MODEL,
                 partition_size: int = 32, prefix: str = "part") -> list[Path]:
    """Analyse on the cluster and write one JSON Lines shard per partition."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, results in enumerate(analyze_partitions(client, items, model, partition_size)):
        path = out_dir / f"{prefix}-{i:05d}.jsonl"
        tmp = path.with_suffix(".jsonl.tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for d in results:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        tmp.replace(path)  # a shard is complete or absent
        paths.append(path)
    return paths


def read_shards(paths: Iterable[Path]) -> Iterator[dict]:
    """The records of JSON Lines shards (files or directories of ``*.jsonl``)."""
    for p in paths:
        p = Path(p)
        files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
        for f in files:
            with f.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        yield json.loads(line)


def shard_results(items: Iterable, address: str, out_dir: Path, workers: int = 2,
                  model: Optional[str] = None, partition_size: int = 32) -> list[Path]:
    """Connect to ``address`` ('local' or a scheduler) and write shards of ``items``."""
    with connect(address, workers) as client:
        return write_shards(client, items, out_dir, model or MODEL, partition_size)
