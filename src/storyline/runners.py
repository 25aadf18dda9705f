"""Runners map a per-article step over many items: serially, over a process pool, or on Dask.

Steps are plain module-level functions of picklable data, so any runner can ship them; each
worker process loads the spaCy pipeline once (``storyline.nlp.load`` is cached per process).
Results come back in input order whatever the runner, so the store ends up the same.
"""

from __future__ import annotations

import abc
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from storyline.errors import RunnerError


class Runner(abc.ABC):
    name = "base"

    @abc.abstractmethod
    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """Apply ``fn`` to every item; results in input order."""

    def close(self) -> None:
        pass


class SerialRunner(Runner):
    name = "serial"

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            yield fn(item)


class ProcessRunner(Runner):
    """A local process pool. Chunks keep the pickling overhead small per article."""

    name = "process"

    def __init__(self, workers: int | None = None, chunksize: int = 4):
        self.workers = workers or max(1, (os.cpu_count() or 2))
        self.chunksize = chunksize
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        yield from self._pool.map(fn, items, chunksize=self.chunksize)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class DaskRunner(Runner):
    """Dask: a LocalCluster by default, or the scheduler at ``address``.

    Items are submitted in bounded batches so a huge corpus never floods the scheduler.
    """

    name = "dask"

    def __init__(self, address: str | None = None, workers: int | None = None,
                 batch: int = 256):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # optional extra
            raise RunnerError("E020") from exc
        if address:
            self.client = Client(address)
            self._cluster = None
        else:
            self._cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1,
                                         processes=True, dashboard_address=None)
            self.client = Client(self._cluster)
        self.batch = batch

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        pending: list[Any] = []
        for item in items:
            pending.append(item)
            if len(pending) >= self.batch:
                yield from self.client.gather(self.client.map(fn, pending, pure=False))
                pending = []
        if pending:
            yield from self.client.gather(self.client.map(fn, pending, pure=False))

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_runner(engine: str = "serial", workers: int | None = None,
                scheduler: str | None = None) -> Runner:
    if engine == "serial":
        return SerialRunner()
    if engine == "process":
        return ProcessRunner(workers)
    if engine == "dask":
        return DaskRunner(scheduler, workers)
    raise RunnerError("E021", engine=engine)
