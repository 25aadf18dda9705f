"""Event typing on the PLOVER gold-standard records (PLOVER_GSR_CAMEO.txt).

Each record is one English sentence coded with its event type (PLOVER 0.5 names, mapped to
today's: DEMAND->REQUEST, DISAPPROVE/INVESTIGATE->ACCUSE, FIGHT->ASSAULT) and its source actors.
The classifier (:func:`storyline.annotate.events.classify`) reads each sentence on its own; no record is
used to build it.

Metrics:
* ``per_type``: precision, recall and F1 of the predicted type per gold type (a sentence with
  no predicted event counts as a miss for its gold type);
* ``macro_f1``: the mean F1 over the types present in the gold;
* ``accuracy``: share of sentences whose predicted type equals the gold type;
* ``actor_accuracy``: over sentences with a gold source actor, the share whose predicted source
  actor matches one gold source actor *loosely*: after lower-casing, stripping punctuation and
  dropping stop words and generic heads ("officials", "government", "forces", …), the two names
  share a word, or one name's last word (its head) occurs in the other. "Tom King" matches
  "British Defence Secretary Tom King"; "Hungarian" matches "Senior Hungarian and Romanian
  officials"; "officials" alone matches nothing.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import cast

from storyline.eval.metrics import f1 as harmonic_f1
from storyline.lexicon import plover
from storyline.settings import Settings

STOP = {
    "the", "a", "an", "of", "and", "in", "on", "for", "to", "at", "by", "with", "from", "its",
    "their", "his", "her", "s", "'s", "official", "officials", "government", "governments",
    "forces", "force", "senior", "top", "group", "groups", "leader", "leaders", "members",
    "member", "people", "authorities", "spokesman", "some", "two", "three", "several",
}


def load(data: Path, limit: int | None = None) -> list[dict]:
    """The gold records, read leniently: a JSON list with trailing commas, comment lines and
    the occasional broken record (skipped)."""
    text = Path(data).read_text(encoding="utf-8", errors="replace")
    decoder = json.JSONDecoder()
    records: list[dict] = []
    i = text.find("[") + 1 if "[" in text else 0
    gap = re.compile(r"(?:\s|,|//[^\n]*|#[^\n]*)*")
    while i < len(text):
        i = cast("re.Match[str]", gap.match(text, i)).end()
        if i >= len(text) or text[i] == "]":
            break
        if text[i] != "{":
            nxt = text.find("\n", i)
            i = len(text) if nxt < 0 else nxt + 1
            continue
        try:
            obj, i = decoder.raw_decode(text, i)
        except json.JSONDecodeError:
            nxt = text.find("\n{", i + 1)
            i = len(text) if nxt < 0 else nxt + 1
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            continue
        label = plover.present_day(obj.get("event", ""))
        if label not in plover.TYPES or not obj["text"].strip():
            continue
        sources = obj.get("source")
        actors = [a.get("actorText", "") for a in sources if isinstance(a, dict)] \
            if isinstance(sources, list) else []
        records.append({"id": obj.get("id"), "text": obj["text"].strip(" {}\n"), "type": label,
                        "actors": [a for a in actors if a and a.strip()]})
        if limit and len(records) >= limit:
            break
    return records


def _words(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in STOP]


def actor_match(predicted: list[str], gold: list[str]) -> bool:
    """The loose source-actor match described in the module docstring."""
    for p in predicted:
        pw = _words(p)
        if not pw:
            continue
        for g in gold:
            gw = _words(g)
            if not gw:
                continue
            if set(pw) & set(gw) or pw[-1] in gw or gw[-1] in pw:
                return True
    return False


def score(gold: list[str], pred: list[str | None]) -> dict:
    types = sorted(set(gold))
    per_type = {}
    for t in types:
        tp = sum(1 for g, p in zip(gold, pred) if g == t and p == t)
        fp = sum(1 for g, p in zip(gold, pred) if g != t and p == t)
        fn = sum(1 for g, p in zip(gold, pred) if g == t and p != t)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = harmonic_f1(prec, rec)
        per_type[t] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                       "support": tp + fn}
    macro = sum(v["f1"] for v in per_type.values()) / len(per_type) if per_type else 0.0
    acc = sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else 0.0
    return {"macro_f1": round(macro, 4), "accuracy": round(acc, 4), "per_type": per_type}


def evaluate(data: Path, limit: int | None = None, settings: Settings | None = None) -> dict:
    from rich.console import Console
    from rich.table import Table

    from storyline import nlp
    from storyline.annotate.events import classify

    t0 = time.time()
    records = load(Path(data), limit)
    docs = nlp.parse_many([r["text"] for r in records])
    gold, pred, actor_hits, actor_total = [], [], 0, 0
    confusion: Counter = Counter()
    for rec, doc in zip(records, docs):
        try:
            label, actors, _trigger = classify(rec["text"], doc)
        except (ValueError, IndexError, KeyError, AttributeError):  # a miss, not a crash
            label, actors = None, []
        gold.append(rec["type"])
        pred.append(label)
        confusion[(rec["type"], label or "NONE")] += 1
        if rec["actors"]:
            actor_total += 1
            actor_hits += actor_match(actors, rec["actors"])
    result = score(gold, pred)
    result["actor_accuracy"] = round(actor_hits / actor_total, 4) if actor_total else 0.0
    result["sentences"] = len(records)
    result["no_event"] = sum(1 for p in pred if p is None)
    result["seconds"] = round(time.time() - t0, 1)

    table = Table(title=f"PLOVER event types ({len(records)} sentences)")
    for col in ("type", "support", "precision", "recall", "F1", "top confusion"):
        table.add_column(col)
    for t, v in result["per_type"].items():
        wrong = [(n, p) for (g, p), n in confusion.items() if g == t and p != t]
        top = ", ".join(f"{p}:{n}" for n, p in sorted(wrong, reverse=True)[:2])
        table.add_row(t, str(v["support"]), f"{v['precision']:.2f}", f"{v['recall']:.2f}",
                      f"{v['f1']:.2f}", top)
    table.add_row("macro", str(len(records)), "", "", f"{result['macro_f1']:.2f}",
                  f"accuracy {result['accuracy']:.2f}, actor {result['actor_accuracy']:.2f}")
    Console().print(table)
    return result
