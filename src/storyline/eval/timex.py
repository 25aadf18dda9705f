"""TimeML scorer for temporal expressions, counted as the TempEval-3 scorer counts them.

Each ``.tml`` file's ``<DCT>`` is the publication date; the gold expressions are the TIMEX3
elements inside ``<TEXT>`` (the DCT's own TIMEX3 is not an expression of the text). A system
expression matches strictly when its span equals a gold span and relaxed when they overlap;
value and type accuracy are measured over the relaxed matches. Documents that appear in more
than one folder (by DOCID) are scored once.
"""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

from storyline.annotate.timex import find_timexes
from storyline.eval.metrics import f1 as harmonic_f1
from storyline.settings import Settings

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_tml(path: Path) -> dict | None:
    """One TimeML file as {id, dct, text, gold: [(start, end, type, value)]}; None if unreadable."""
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    docid = re.search(r"<DOCID>(.*?)</DOCID>", raw, re.DOTALL)
    dct = re.search(r"<DCT>.*?value=\"([^\"]+)\"", raw, re.DOTALL)
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.DOTALL)
    if not body:
        return None
    text_parts: list[str] = []
    pos = 0
    gold = []
    open_timex: tuple[int, dict] | None = None
    src = body.group(1)
    last = 0
    for m in _TAG.finditer(src):
        chunk = html.unescape(src[last:m.start()])
        text_parts.append(chunk)
        pos += len(chunk)
        last = m.end()
        if m.group(2) != "TIMEX3":
            continue
        if m.group(1):
            if open_timex:
                gold.append((open_timex[0], pos, open_timex[1].get("type"), open_timex[1].get("value")))
            open_timex = None
        else:
            open_timex = (pos, dict(_ATTR.findall(m.group(3))))
    text_parts.append(html.unescape(src[last:]))
    return {"id": docid.group(1).strip() if docid else path.stem,
            "dct": dct.group(1)[:10] if dct else None, "text": "".join(text_parts), "gold": gold}


def score_documents(docs: list[dict]) -> dict:
    n_sys = n_gold = 0
    strict_sys = strict_gold = relaxed_sys = relaxed_gold = 0
    value_ok = type_ok = matched = 0
    errors: list[tuple] = []
    for doc in docs:
        system = [(t.start, t.end, t.type, t.value) for t in find_timexes(doc["text"], doc["dct"])]
        gold = doc["gold"]
        n_sys += len(system)
        n_gold += len(gold)
        gold_spans = {(g[0], g[1]) for g in gold}
        sys_spans = {(s[0], s[1]) for s in system}
        strict_sys += sum((s[0], s[1]) in gold_spans for s in system)
        strict_gold += sum((g[0], g[1]) in sys_spans for g in gold)
        relaxed_sys += sum(any(s[0] < g[1] and g[0] < s[1] for g in gold) for s in system)
        for g in gold:
            overlapping = [s for s in system if s[0] < g[1] and g[0] < s[1]]
            if not overlapping:
                errors.append(("missed", doc["id"], doc["text"][g[0]:g[1]], g[2], g[3], None))
                continue
            relaxed_gold += 1
            # The best-overlapping system expression stands for this gold one.
            s = max(overlapping, key=lambda s: min(s[1], g[1]) - max(s[0], g[0]))
            matched += 1
            value_ok += s[3] == g[3]
            type_ok += s[2] == g[2]
            if s[3] != g[3] or (s[0], s[1]) != (g[0], g[1]):
                errors.append(("wrong", doc["id"], doc["text"][g[0]:g[1]] + " | " + doc["text"][s[0]:s[1]],
                               g[2] + "/" + s[2], g[3], s[3]))
        for s in system:
            if not any(s[0] < g[1] and g[0] < s[1] for g in gold):
                errors.append(("spurious", doc["id"], doc["text"][s[0]:s[1]], s[2], None, s[3]))

    def f1(p: float, r: float) -> float:
        return harmonic_f1(p, r)

    sp = strict_sys / n_sys if n_sys else 0.0
    sr = strict_gold / n_gold if n_gold else 0.0
    rp = relaxed_sys / n_sys if n_sys else 0.0
    rr = relaxed_gold / n_gold if n_gold else 0.0
    va = value_ok / matched if matched else 0.0
    ta = type_ok / matched if matched else 0.0
    return {
        "strict_precision": sp, "strict_recall": sr, "strict_f1": f1(sp, sr),
        "relaxed_precision": rp, "relaxed_recall": rr, "relaxed_f1": f1(rp, rr),
        "value_accuracy": va, "type_accuracy": ta,
        # TempEval-3's attribute F1: accuracy over matches times relaxed F1.
        "value_f1": va * f1(rp, rr), "type_f1": ta * f1(rp, rr),
        "documents": len(docs), "gold": n_gold, "system": n_sys, "matched": matched,
        "_errors": errors,
    }


def load_documents(data: Path, limit: int | None = None) -> list[dict]:
    files = sorted(data.rglob("*.tml")) if data.is_dir() else [data]
    docs, seen = [], set()
    for path in files:
        doc = read_tml(path)
        if doc is None or doc["id"] in seen:
            continue
        seen.add(doc["id"])
        docs.append(doc)
        if limit and len(docs) >= limit:
            break
    return docs


def evaluate(data: Path, limit: int | None = None, settings: Settings | None = None) -> dict:
    from rich.console import Console
    from rich.table import Table

    began = time.perf_counter()
    docs = load_documents(Path(data), limit)
    result = score_documents(docs)
    result.pop("_errors")
    result["seconds"] = round(time.perf_counter() - began, 2)
    table = Table(title=f"Temporal expressions — {result['documents']} TimeML documents")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key in ("strict_precision", "strict_recall", "strict_f1", "relaxed_precision",
                "relaxed_recall", "relaxed_f1", "value_accuracy", "type_accuracy", "value_f1",
                "type_f1"):
        table.add_row(key, f"{result[key]:.4f}")
    for key in ("gold", "system", "matched", "seconds"):
        table.add_row(key, str(result[key]))
    Console().print(table)
    return result
