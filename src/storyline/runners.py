"""Runners map a per-article step over many items: serially, over a process pool, or on Dask.

Steps are plain module-level functions of picklable data, so any runner can ship them; each
worker process loads the spaCy pipeline once (``storyline.nlp.load`` is cached per process).
Results come back in input order whatever the runner, so the store ends up the same.
"""

from __future__ import annotations

import abc
import collections
import itertools
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from storyline.errors import RunnerError


class Runner(abc.ABC):
    name = "base"
    workers = 1

    @abc.abstractmethod
    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """Apply ``fn`` to every item; results in input order. A parallel runner starts the
        work when called, so the caller can do other work before it reads the results."""

    def close(self) -> None:
        pass


class SerialRunner(Runner):
    name = "serial"

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            yield fn(item)


class ProcessRunner(Runner):
    """A local process pool. The pipeline hands it chunks of articles, one task each."""

    name = "process"

    def __init__(self, workers: int | None = None, chunksize: int = 1):
        self.workers = workers or max(1, (os.cpu_count() or 2))
        self.chunksize = chunksize
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self._pool

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return self._executor().map(fn, items, chunksize=self.chunksize)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class DaskRunner(Runner):
    """Dask: a LocalCluster by default, or the scheduler at ``address``.

    Results stream back in input order while at most ``window`` tasks are in flight, so the
    caller writes what is done while the workers go on, and a huge corpus never floods the
    scheduler.
    """

    name = "dask"

    def __init__(self, address: str | None = None, workers: int | None = None,
                 window: int | None = None):
        try:
            import dask
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # optional extra
            raise RunnerError("E020") from exc
        # The workers' sampling profiler (every 10 ms) and GIL monitor contend for the GIL
        # with pure-Python annotators: measured 15 % slower with them on. The build reports
        # its own progress, so the cluster's INFO chatter is left out too.
        dask.config.set({"distributed.worker.profile.enabled": False,
                         "distributed.admin.system-monitor.gil.enabled": False})
        if sys.platform == "linux":
            # Forked workers ran the same build 8 % faster than spawned ones (300 articles,
            # 2 workers: 29.1-29.4 s against 31.5-31.8 s), as the process engine's do; macOS
            # keeps spawn, as fork is unsafe there.
            dask.config.set({"distributed.worker.multiprocessing-method": "fork"})
        logging.getLogger("distributed").setLevel(logging.WARNING)
        if address:
            self.client = Client(address)
            self._cluster = None
        else:
            self._cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1,
                                         processes=True, dashboard_address=":0",
                                         silence_logs=logging.WARNING)
            self.client = Client(self._cluster)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or
                           (workers or 2))
        self.window = window or 4 * self.workers

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        rest = iter(items)
        pending = collections.deque(self.client.submit(fn, item, pure=False)
                                    for item in itertools.islice(rest, self.window))
        return self._stream(fn, rest, pending)

    def _stream(self, fn: Callable[[Any], Any], rest: Iterator[Any],
                pending: collections.deque) -> Iterator[Any]:
        while pending:
            result = pending.popleft().result()
            for item in itertools.islice(rest, 1):  # one in, one out: the window stays full
                pending.append(self.client.submit(fn, item, pure=False))
            yield result

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
