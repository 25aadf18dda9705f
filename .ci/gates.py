"""Run every scorer on the shared gold data and fail if a metric falls below its floor.

Floors live in .ci/floors.json. Each scorer is run as `storyline eval TASK --data PATH`, exactly
as a user runs it; its last output line is the JSON of metrics.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _metric(metrics: dict, name: str) -> float | None:
    """A metric by name; a dotted name reaches into a section ("published.score")."""
    value = metrics
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value if isinstance(value, int | float) else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--only", nargs="*", help="Run only these tasks.")
    args = parser.parse_args()
    config = json.loads((ROOT / ".ci" / "floors.json").read_text())
    storyline = str(Path(sys.executable).parent / "storyline")
    failures, rows = [], []
    for task, spec in config.items():
        if task.startswith("_") or (args.only and task not in args.only):
            continue
        data = spec["data"]
        path = ROOT / data[1:] if data.startswith("@") else args.data / data
        started = time.monotonic()
        proc = subprocess.run([storyline, "eval", task, "--data", str(path)],
                              capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            sys.stdout.write(proc.stderr[-4000:])
            failures.append(f"{task}: scorer exited {proc.returncode}")
            continue
        metrics = json.loads(proc.stdout.strip().splitlines()[-1])
        for name, floor in spec["floors"].items():
            value = _metric(metrics, name)
            ok = value is not None and value >= floor
            rows.append((task, name, value, floor, ok))
            if not ok:
                failures.append(f"{task}.{name} = {value} < floor {floor}")
        print(f"[{task}] {seconds:.0f}s")
    print("\nGate            metric                 value    floor")
    for task, name, value, floor, ok in rows:
        shown = "missing" if value is None else f"{value:.4f}"
        print(f"{'ok ' if ok else 'LOW'} {task:12} {name:22} {shown:>8} {floor:>8.4f}")
    passed = sum(r[4] for r in rows)
    print(f"gates: {passed} passed, {len(rows) - passed} failed")
    for f in failures:
        print(f"FAILED {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
