"""The build benchmark: the build against spaCy alone, its stages, its growth, its engines.

Load: Multi-News validation documents written as dated JSON Lines (each gold cluster given a
day spread over two years, each article a day near it and one of eight outlets), repeated with
edits (sentences dropped and swapped, words deleted) where more are needed, as a news stream
that repeats itself would be.

Printed, on the same documents in one run:
* spaCy alone (``nlp.pipe`` over the cleaned texts, the components the build uses) against
  the serial build, and their ratio;
* each stage's share of the serial build;
* the corpus steps at each size and their growth;
* serial, process and Dask builds with two workers, and whether their exports are identical;
* adding one article to the store of the middle size, and a rebuild with nothing new, against
  start-up (``storyline --version``);
* peak memory of each build.

Each build runs in its own process (``python -m storyline build``), so start-up, memory and
the engines are measured as a user meets them.

    python bench/bench_build.py [--sizes 300,1000,3000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench_stories import DATA, edited  # the same edits as the clustering benchmark

from storyline.eval.multinews import read_clusters

OUTLETS = ("Reuters", "AP", "BBC", "CNN", "The Guardian", "Al Jazeera", "NPR", "Politico")


def records(size: int, data: Path = DATA, seed: int = 0) -> list[dict]:
    """``size`` JSON Lines records: the Multi-News documents in order, then edited copies."""
    rng = random.Random(seed)
    base = [(g, text) for g, (docs, _) in enumerate(read_clusters(data))
            for text in docs if len(text.split()) >= 80]
    start = date(2021, 1, 1)
    day_of = {g: start + timedelta(days=rng.randrange(730)) for g, _ in base}
    out = []
    for n in range(size):
        g, text = base[n % len(base)]
        copy = n // len(base)
        day = day_of[g] + timedelta(days=rng.randrange(-2, 3) + 30 * copy)
        out.append({"url": f"https://news.example/{g}/{n}", "date": day.isoformat(),
                    "source": OUTLETS[n % len(OUTLETS)],
                    "text": text if copy == 0 else edited(text, rng)})
    return out


def write_corpus(folder: Path, rows: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")
    return folder


def storyline(*args: str, env: dict | None = None) -> tuple[float, dict]:
    """Run the CLI in a fresh process; (seconds, its --timings JSON if any)."""
    timings = Path(tempfile.mktemp(suffix=".json"))
    cmd = [sys.executable, "-m", "storyline", *args]
    if args[0] == "build":
        cmd += ["--quiet", "--timings", str(timings)]
    # stderr holds the inputs the build skipped (Multi-News has a few pages of site chrome
    # only); shown only if the build fails.
    with tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_memory(proc.pid))
            try:
                proc.wait(timeout=0.5)  # returns the moment the build ends: times stay exact
            except subprocess.TimeoutExpired:
                pass
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"{' '.join(cmd)} failed:\n{err.read()}")
    found = json.loads(timings.read_text()) if timings.exists() else {}
    found["tree_kib"] = peak // 1024
    timings.unlink(missing_ok=True)
    return elapsed, found


def tree_memory(pid: int) -> int:
    """Bytes a process and its descendants hold right now: the sum of their proportional set
    sizes, so pages a forked worker shares with its parent count once, not once per process."""
    import psutil

    total = 0
    try:
        root = psutil.Process(pid)
        for proc in [root, *root.children(recursive=True)]:
            try:
                total += proc.memory_full_info().pss
            except (psutil.NoSuchProcess, psutil.AccessDenied, AttributeError):
                continue
    except psutil.NoSuchProcess:
        pass
    return total


def spacy_alone(folder: Path) -> float:
    """Seconds for spaCy alone over the texts the build parses (read and cleaned the same way)."""
    from storyline import nlp
    from storyline.clean import CleanError, clean
    from storyline.read import read_paths

    texts = []
    for doc in read_paths([str(folder)]):
        if isinstance(doc, Exception):
            continue
        try:
            texts.append(clean(doc).text)
        except CleanError:  # the build skips these too
            continue
    model = nlp.load()
    model("warm up")
    t0 = time.perf_counter()
    for _ in model.pipe(texts, batch_size=nlp.BATCH_SIZE):
        pass
    return time.perf_counter() - t0


def export(db: Path) -> bytes:
    out = db.with_suffix(".json")
    subprocess.run([sys.executable, "-m", "storyline", "export", "--db", str(db), "--out",
                    str(out), "--format", "json"], check=True, stdout=subprocess.DEVNULL)
    return out.read_bytes()


def mb(kib: float) -> str:
    return f"{kib / 1024:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--sizes", default="300,1000,3000")
    parser.add_argument("--quick", action="store_true", help="sizes 60,200 (a smoke run)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--spacy-alone", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.spacy_alone is not None:
        print(spacy_alone(args.spacy_alone))
        return
    sizes = [60, 200] if args.quick else [int(s) for s in args.sizes.split(",")]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="storyline-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = records(max(sizes) + 1, args.data)
    small, middle = sizes[0], sizes[len(sizes) // 2]

    print(f"# storyline build benchmark: {os.cpu_count()} cores, sizes {sizes}, in {work}")
    # The fastest of three: the first run after an edit also compiles the bytecode.
    startup = min(storyline("--version")[0] for _ in range(3))
    print(f"start-up (storyline --version): {startup:.2f} s")

    # 1. spaCy alone against the serial build, and the stages of that build.
    folder = write_corpus(work / f"corpus-{small}", rows[:small])
    # In its own process, like the builds: Linux keeps a process's peak memory across exec, so
    # a benchmark process holding the model would lend its peak to every build it starts.
    parse_s = float(subprocess.run([sys.executable, __file__, "--spacy-alone", str(folder)],
                                   check=True, capture_output=True, text=True).stdout)
    builds: dict[str, tuple[float, dict]] = {}
    for engine in ("serial", "process", "dask"):
        db = work / f"{engine}-{small}.db"
        db.unlink(missing_ok=True)
        builds[engine] = storyline("build", str(folder), "--db", str(db), "--engine", engine,
                                   "--workers", "2")
    serial_s, timings = builds["serial"]
    print(f"\n{small} articles: spaCy alone {parse_s:.1f} s ({small / parse_s:.2f} docs/s); "
          f"serial build {serial_s:.1f} s ({small / serial_s:.2f} docs/s); "
          f"throughput ratio {parse_s / serial_s:.2f} (bar: >= 0.70)")
    print("stage shares of the serial build:")
    stages = timings.get("stages", {})
    total = sum(stages.values()) or 1.0
    for stage, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<24} {seconds:>8.2f} s {100 * seconds / total:>5.1f} %")
    for stage, seconds in sorted(timings.get("annotators", {}).items(), key=lambda kv: -kv[1]):
        print(f"    annotate.{stage:<15} {seconds:>8.2f} s")
    print(f"peak memory, serial: {mb(timings['tree_kib'])}")

    # 2. engines: the same export from all three.
    exports = {engine: export(work / f"{engine}-{small}.db") for engine in builds}
    same = len(set(exports.values())) == 1
    for engine in ("process", "dask"):
        seconds = builds[engine][0]
        print(f"{engine:>7} engine, 2 workers: {seconds:.1f} s, x{serial_s / seconds:.2f} "
              f"against serial (bar: >= {1.6 if engine == 'process' else 1.5})")
    print(f"exports of serial, process and Dask builds identical: {same}")

    # 3. corpus steps at each size, all on the process engine (two workers), so the sizes
    # compare like with like (the brief of each thread runs on the engine).
    print("\ncorpus steps by size (process engine, 2 workers):")
    corpus_s: dict[int, float] = {}
    for size in sizes:
        if size == small:
            elapsed, found = builds["process"]
            corpus_s[size] = found.get("corpus_s", 0.0)
        else:
            folder = write_corpus(work / f"corpus-{size}", rows[:size])
            db = work / f"process-{size}.db"
            db.unlink(missing_ok=True)
            elapsed, found = storyline("build", str(folder), "--db", str(db), "--engine",
                                       "process", "--workers", "2")
            corpus_s[size] = found.get("corpus_s", 0.0)
        print(f"  {size:>6} articles: build {elapsed:>7.1f} s, corpus steps "
              f"{corpus_s[size]:>6.1f} s, peak memory {mb(found['tree_kib'])} (build and "
              f"workers together, sampled; peak RSS of the build process "
              f"{mb(found.get('peak_kib', 0))}, of a worker {mb(found.get('worker_peak_kib', 0))})")
    print("  (bar: peak memory at 3,000 articles <= 1.5 GB)")
    if len(sizes) > 1:
        growth = corpus_s[sizes[-1]] / max(corpus_s[small], 1e-9)
        print(f"  corpus steps x{growth:.1f} for x{sizes[-1] / small:.0f} the articles "
              f"(bar at 3,000 vs 300: <= 12)")

    # 4. adding one article to the middle store; a rebuild with nothing new.
    db = work / (f"process-{middle}.db" if middle != small else f"serial-{small}.db")
    folder = work / f"corpus-{middle}"
    extra = write_corpus(work / "one-more", [rows[middle]])
    add_s, _ = storyline("build", str(folder), str(extra), "--db", str(db))
    again_s, _ = storyline("build", str(folder), str(extra), "--db", str(db))
    print(f"\nadd one article to {middle}: {add_s:.1f} s, {add_s - startup:.1f} s beyond "
          f"start-up (bar: <= 3)")
    print(f"rebuild with nothing new: {again_s:.1f} s, {again_s - startup:.1f} s beyond "
          f"start-up (bar: <= 1)")


if __name__ == "__main__":
    main()
