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

from .batch import chunks
from .errors import ClusterError
from .nlp import MODEL, Article, Failure

_pipelines: dict = {}
# Worker settings for analysis (see the README for workers started by hand).
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


def _worker_pipeline(model: str):
    """Runs on a worker: its pipeline, loaded on first use."""
    from . import nlp

    pipeline = _pipelines.get(model)
    if pipeline is None:
        pipeline = _pipelines[model] = nlp.load(model)
    return pipeline


def _analyze_partition(articles: list, model: str) -> list:
    """Runs on a worker: analyse one partition (Analysis and Failure records)."""
    return list(_worker_pipeline(model).analyze_many(articles))


def shard_record(result) -> dict:
    """What a shard holds for one result: the analysis with its text, or the failure."""
    if isinstance(result, Failure):
        return result.to_dict()
    return dict(result.to_dict(), text=result.text)


def warm_up(client, model: str = MODEL) -> None:
    """Load the pipeline on every worker now."""
    client.run(lambda: _worker_pipeline(model) and None)


@contextlib.contextmanager
def local_cluster(workers: int = 2, memory_limit: str = "3GB"):
    """A Client on a LocalCluster of ``workers`` single-threaded processes."""
    import dask
    from dask.distributed import Client, LocalCluster

    # Dask's sampling profiler walks the worker's stack every 10 ms; on the
    # deep stacks of the analysis it costs about a sixth of the throughput.
    with dask.config.set(WORKER_CONFIG), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                         memory_limit=memory_limit, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


CONNECT_TIMEOUT = 10  # seconds to wait for a remote scheduler


def _client(address: str, timeout: float):
    from dask.distributed import Client

    try:
        return Client(address, timeout=f"{timeout}s")
    except (OSError, TimeoutError, ValueError) as e:
        raise ClusterError(f"no Dask scheduler answers at {address} (waited {timeout:g} s): "
                           f"{type(e).__name__}") from e


def check_scheduler(address: str, timeout: Optional[float] = None) -> None:
    """Raise :class:`ClusterError` unless the scheduler at ``address`` answers
    ('local' always does: it is started on demand)."""
    if address != "local":
        _client(address, CONNECT_TIMEOUT if timeout is None else timeout).close()


@contextlib.contextmanager
def connect(address: str, workers: int = 2, timeout: float = CONNECT_TIMEOUT):
    """A Client for ``address``: 'local' starts a LocalCluster, else a scheduler URL
    (:class:`ClusterError` when nothing answers within ``timeout`` seconds)."""
    if address == "local":
        with local_cluster(workers) as client:
            yield client
    else:
        with _client(address, timeout) as client:
            yield client


def run_prefix() -> str:
    """A shard name prefix unique to this run ("part-20261203T101500-4242"), so
    that a second run into the same folder never overwrites the first's shards."""
    import os
    import time

    return f"part-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"


def analyze_partitions(client, items: Iterable, model: str = MODEL,
                       partition_size: int = 32) -> Iterator[list]:
    """Analyse ``items`` (Articles; Failures pass through) on the cluster, a
    partition at a time, in order, with at most two partitions per worker in flight."""
    from dask.distributed import wait  # noqa: F401  (imported to fail early without distributed)

    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    in_flight: list = []
    for part in chunks(items, partition_size):
        in_flight.append(client.submit(_analyze_partition, part, model, pure=False))
        if len(in_flight) >= 2 * n_workers:
            yield in_flight.pop(0).result()
    for fut in in_flight:
        yield fut.result()


def analyze_on_dask(client, articles: list[Article], model: str = MODEL,
                    partition_size: int = 32) -> list:
    """All results of ``articles``, in order."""
    return [r for part in analyze_partitions(client, articles, model, partition_size) for r in part]


def write_shard(results: list, out_dir: Path, index: int, prefix: str = "part") -> Path:
    """One partition's results as ``out_dir/part-NNNNN.jsonl``, complete or absent."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{prefix}-{index:05d}.jsonl"
    tmp = path.with_suffix(".jsonl.tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(shard_record(r), ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def dask_analyzer(client, model: str = MODEL, partition_size: int = 32,
                  shard_dir: Optional[Path] = None, prefix: Optional[str] = None):
    """An ``analyze(items)`` function for :func:`depeche.store.ingest` that runs
    on the cluster and, with ``shard_dir``, also writes each partition as a shard
    (named with ``prefix``, by default one unique to the run)."""
    prefix = prefix or run_prefix()

    def analyze(items: Iterable) -> Iterator:
        for i, results in enumerate(analyze_partitions(client, items, model, partition_size)):
            if shard_dir is not None:
                write_shard(results, shard_dir, i, prefix)
            yield from results
    return analyze


def write_shards(client, items: Iterable, out_dir: Path, model: str = MODEL,
                 partition_size: int = 32, prefix: Optional[str] = None) -> list[Path]:
    """Analyse on the cluster and write one JSON Lines shard per partition
    (named with ``prefix``, by default one unique to the run)."""
    prefix = prefix or run_prefix()
    return [write_shard(results, out_dir, i, prefix)
            for i, results in enumerate(analyze_partitions(client, items, model, partition_size))]


def read_shards(paths: Iterable, with_source: bool = False) -> Iterator:
    """The records of JSON Lines shards (files, or directories of ``*.jsonl``);
    with ``with_source``, (shard path, record) pairs."""
    for p in paths:
        p = Path(p)
        files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
        for f in files:
            with f.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        rec = json.loads(line)
                        yield (str(f), rec) if with_source else rec


def shard_results(items: Iterable, address: str, out_dir: Path, workers: int = 2,
                  model: Optional[str] = None, partition_size: int = 32) -> list[Path]:
    """Connect to ``address`` ('local' or a scheduler) and write shards of ``items``."""
    with connect(address, workers) as client:
        return write_shards(client, items, out_dir, model or MODEL, partition_size)
