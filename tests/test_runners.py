"""Runners map a per-article step and return results in input order, whatever the engine."""

from pathlib import Path

import pytest

from storyline.runners import ProcessRunner, SerialRunner, make_runner


def word_count(text: str) -> int:
    return len(text.split())


TEXTS = ["Blinken hosted the foreign ministers.", "Peskov called on both parties to refrain.",
         "", "Armenia and Azerbaijan held peace talks on Monday."] * 5


def test_serial_runner_keeps_input_order():
    assert list(SerialRunner().map(word_count, TEXTS)) == [word_count(t) for t in TEXTS]


def test_process_runner_gives_the_serial_results_in_order():
    runner = ProcessRunner(workers=2, chunksize=3)
    try:
        assert list(runner.map(word_count, TEXTS)) == [word_count(t) for t in TEXTS]
    finally:
        runner.close()


def test_dask_runner_on_a_local_cluster_gives_the_serial_results_in_order():
    pytest.importorskip("dask.distributed")
    from storyline.runners import DaskRunner

    # A window of 3 tasks in flight over 20 items: results stream back while later ones run,
    # and the order must hold across the window's turns.
    runner = DaskRunner(workers=1, window=3)
    try:
        assert list(runner.map(word_count, TEXTS)) == [word_count(t) for t in TEXTS]
    finally:
        runner.close()


def test_unknown_engine_is_a_clear_error():
    with pytest.raises(ValueError, match="serial, process or dask"):
        make_runner("spark")


def test_runners_say_how_many_workers_they_have():
    assert SerialRunner().workers == 1
    assert ProcessRunner(workers=3).workers == 3


def touch(path: str) -> str:
    Path(path).touch()
    return path


@pytest.mark.parametrize("engine", ["process", "dask"])
def test_a_parallel_runner_starts_the_work_before_its_results_are_read(tmp_path, engine):
    # The build hands the briefs to the runner, then merges quotes while they are written.
    import time

    if engine == "dask":
        pytest.importorskip("dask.distributed")
    runner = make_runner(engine, workers=1)
    try:
        marks = [str(tmp_path / f"{i}.done") for i in range(3)]
        results = runner.map(touch, marks)
        deadline = time.monotonic() + 60
        while not all(Path(m).exists() for m in marks) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(Path(m).exists() for m in marks)  # done though nothing was read yet
        assert list(results) == marks
    finally:
        runner.close()
