"""Where the tests' data lives: the bundled seed corpus and the shared gold data.

The shared data sits beside the repository (``../shared/data``) unless
``STORYLINE_SHARED_DATA`` names another folder; tests that need it skip when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "armenia-azerbaijan"
SHARED_DATA = Path(os.environ.get("STORYLINE_SHARED_DATA", ROOT.parent / "shared" / "data"))
MULTINEWS = SHARED_DATA / "multinews" / "validation.csv"
