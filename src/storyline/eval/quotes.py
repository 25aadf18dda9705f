"""Score quote extraction on the PolNeAR layout (``text/*.txt`` + ``attributions/*.ann``).

Gold: one ``.ann`` per article — the first annotator listed for it in ``metadata.tsv`` (next to
or above the split folder), else the alphabetically first file. Each ``E`` attribution with a
``Content`` is a gold item; discontinuous pieces (``;``) and pieces spread over several ``T``
lines are one content.

Direct quotes (gold): a content whose text, stripped of whitespace, begins with a quotation
mark — the quote is the utterance itself, not reported speech that merely contains a quoted
phrase ("said that it is “quite important” …", which counts as indirect).

Matching is one-to-one and greedy on word overlap: a prediction and a gold content match when
the words they share are at least half of each. Direct-quote predictions are the ``direct``
quotes, pieces that share one attribution (a quote split by "…," he said. "…", or run over
paragraphs) joined; a predicted direct quote that matches a gold content which is not direct
by the definition above (e.g. 'that, “For those …”') is neither credited nor penalised.

* exact: after stripping quotation marks and edge punctuation from each piece, the texts are
  equal (case and whitespace normalised).
* speaker accuracy, over matched pairs whose gold has a Source: the predicted speaker span
  overlaps a gold Source piece, or the resolved name appears in the gold Source text.
* all attributions: direct groups, indirect quotes and partial quotes not inside either,
  against every gold content.
"""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from storyline import nlp
from storyline.annotate.quotes.find import find_quotes
from storyline.eval.metrics import f1 as harmonic_f1
from storyline.settings import Settings

if TYPE_CHECKING:
    from spacy.tokens import Doc

MARKS = "\"“”‘’«»„‚‹›'"
WORD = re.compile(r"\w+")


@dataclass
class Item:
    pieces: list[tuple[int, int]]
    text: str
    words: Counter
    source: list[tuple[int, int]] = field(default_factory=list)
    source_text: str = ""
    speaker_span: tuple[int, int] | None = None
    speaker_name: str | None = None
    direct: bool = False


def _words(s: str) -> Counter:
    return Counter(w.lower() for w in WORD.findall(s))


def _norm_piece(s: str) -> str:
    s = "".join(" " if c in '"“”«»„‚‹›' else c for c in s)
    s = re.sub(r"(^|\s)['‘’]|['‘’](\s|$)", " ", s)
    s = " ".join(s.split())
    return s.strip(" .,;:!?—–-…").lower()


def _norm(text: str, pieces: list[tuple[int, int]]) -> str:
    # Word sequence after stripping marks: annotators cut multi-sentence quotes into pieces at
    # sentence ends, which drops the inner full stops; punctuation alone never decides a match.
    joined = " ".join(p for p in (_norm_piece(text[a:b]) for a, b in pieces) if p)
    return " ".join(WORD.findall(joined))


def _annotators(data: Path) -> dict[str, list[str]]:
    for meta in (data / "metadata.tsv", data.parent / "metadata.tsv"):
        if meta.exists():
            out: dict[str, list[str]] = {}
            with meta.open(encoding="utf-8") as f:
                for row in csv.DictReader(f, delimiter="\t"):
                    name = row.get("filename") or ""
                    ann = (row.get("annotators") or "").split("|")
                    out.setdefault(name, [a.strip() for a in ann if a.strip()])
            return out
    return {}


def pick_ann(data: Path, name: str, annotators: dict[str, list[str]]) -> Path | None:
    folder = data / "attributions"
    for a in annotators.get(name, []):
        p = folder / f"{name}_{a}.ann"
        if p.exists():
            return p
    cands = sorted(folder.glob(f"{name}_*.ann"))
    return cands[0] if cands else None


def parse_ann(path: Path, text: str) -> list[Item]:
    """Gold attributions, read leniently: malformed lines are skipped."""
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[dict[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if not parts or line.startswith("#"):
            continue
        if parts[0].startswith("T") and len(parts) >= 2:
            head = parts[1].split(" ", 1)
            if len(head) < 2:
                continue
            pieces = []
            for chunk in head[1].split(";"):
                nums = chunk.split()
                if len(nums) == 2 and all(n.isdigit() for n in nums):
                    a, b = int(nums[0]), int(nums[1])
                    if 0 <= a < b <= len(text):
                        pieces.append((a, b))
            if pieces:
                spans[parts[0]] = pieces
        elif parts[0].startswith("E") and len(parts) >= 2:
            roles: dict[str, list[str]] = {}
            for r in parts[1].split():
                if ":" in r:
                    k, v = r.split(":", 1)
                    roles.setdefault(re.sub(r"\d+$", "", k), []).append(v)
            events.append(roles)
    items = []
    for roles in events:
        pieces = sorted(p for t in roles.get("Content", []) for p in spans.get(t, []))
        if not pieces:
            continue
        source = sorted(p for t in roles.get("Source", []) for p in spans.get(t, []))
        content = " ".join(text[a:b] for a, b in pieces)
        items.append(
            Item(
                pieces=pieces,
                text=content,
                words=_words(content),
                source=source,
                source_text=" ".join(text[a:b] for a, b in source),
                direct=content.strip()[:1] in MARKS,
            )
        )
    return items


def predictions(article_id: str, text: str, doc: Doc) -> tuple[list[Item], list[Item]]:
    """(direct groups, all predicted attributions) for one article."""
    found = find_quotes(article_id, text, doc, None)
    groups: dict[object, list] = {}
    for q in found:
        if q.kind != "direct":
            continue
        key = ("cue", q.cue_start) if q.cue_start is not None else ("q", q.start)
        groups.setdefault(key, []).append(q)

    def item(qs, direct: bool) -> Item:
        pieces = sorted((q.start, q.end) for q in qs)
        content = " ".join(text[a:b] for a, b in pieces)
        sp = next((q for q in qs if q.speaker.start is not None), qs[0])
        return Item(
            pieces=pieces,
            text=content,
            words=_words(content),
            speaker_span=(sp.speaker.start, sp.speaker.end)
            if sp.speaker.start is not None
            else None,
            speaker_name=sp.speaker.name,
            direct=direct,
        )

    direct = [item(g, True) for g in groups.values()]
    covered = [(q.start, q.end) for q in found if q.kind in ("direct", "indirect")]

    def counts(q) -> bool:
        if q.kind == "indirect":
            return True
        # a partial quote inside a reported clause is part of that attribution already
        return (
            q.kind == "partial"
            and q.speaker.start is not None
            and not any(a <= q.start and q.end <= b for a, b in covered)
        )

    others = [item([q], False) for q in found if counts(q)]
    return direct, direct + others


def _overlap(p: Item, g: Item) -> float:
    shared = sum((p.words & g.words).values())
    longest = max(sum(p.words.values()), sum(g.words.values()), 1)
    return shared / longest


def match(preds: list[Item], golds: list[Item]) -> list[tuple[int, int]]:
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            o = _overlap(p, g)
            if o >= 0.5:
                pairs.append((o, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_p, used_g, out = set(), set(), []
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


def speaker_ok(p: Item, g: Item) -> bool:
    if p.speaker_span is not None:
        a, b = p.speaker_span
        if any(a < gb and ga < b for ga, gb in g.source):
            return True
    if p.speaker_name and g.source_text:
        name = p.speaker_name.lower()
        src = g.source_text.lower()
        if name in src or any(len(w) > 2 and w in _words(src) for w in name.split()[-1:]):
            return True
    return False


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, harmonic_f1(p, r)


def evaluate(data: Path, limit: int | None = None, settings: Settings | None = None) -> dict:
    data = Path(data)
    began = time.time()
    annotators = _annotators(data)
    names = sorted(p.stem for p in (data / "text").glob("*.txt"))
    if limit:
        names = names[:limit]
    texts, golds = [], []
    for name in names:
        text = (data / "text" / f"{name}.txt").read_text(encoding="utf-8")
        ann = pick_ann(data, name, annotators)
        texts.append(text)
        golds.append(parse_ann(ann, text) if ann else [])
    c: Counter[str] = Counter()
    for name, text, gold, doc in zip(names, texts, golds, nlp.parse_many(texts)):
        direct_pred, all_pred = predictions(name, text, doc)
        gold_direct = [g for g in gold if g.direct]
        # direct: predictions matching a non-direct gold content are set aside (see docstring)
        pairs_nd = match(direct_pred, [g for g in gold if not g.direct])
        pairs = match(direct_pred, gold_direct)
        matched_p = {i for i, _ in pairs}
        ignored = {i for i, _ in pairs_nd} - matched_p
        c["direct_pred"] += len(direct_pred) - len(ignored)
        c["direct_gold"] += len(gold_direct)
        c["direct_tp"] += len(pairs)
        for i, j in pairs:
            p, g = direct_pred[i], gold_direct[j]
            if _norm(text, p.pieces) == _norm(text, g.pieces):
                c["direct_exact_tp"] += 1
            if g.source:
                c["speaker_n"] += 1
                c["speaker_ok"] += speaker_ok(p, g)
        pairs_all = match(all_pred, gold)
        c["all_pred"] += len(all_pred)
        c["all_gold"] += len(gold)
        c["all_tp"] += len(pairs_all)
        for i, j in pairs_all:
            if gold[j].source:
                c["all_speaker_n"] += 1
                c["all_speaker_ok"] += speaker_ok(all_pred[i], gold[j])
    dp, dr, df = _prf(c["direct_tp"], c["direct_pred"], c["direct_gold"])
    ep, er, ef = _prf(c["direct_exact_tp"], c["direct_pred"], c["direct_gold"])
    ap, ar, af = _prf(c["all_tp"], c["all_pred"], c["all_gold"])
    result = {
        "articles": len(names),
        "direct_exact_f1": round(ef, 4),
        "direct_exact_precision": round(ep, 4),
        "direct_exact_recall": round(er, 4),
        "direct_overlap_f1": round(df, 4),
        "direct_overlap_precision": round(dp, 4),
        "direct_overlap_recall": round(dr, 4),
        "speaker_accuracy": round(c["speaker_ok"] / c["speaker_n"], 4) if c["speaker_n"] else 0.0,
        "all_overlap_f1": round(af, 4),
        "all_overlap_precision": round(ap, 4),
        "all_overlap_recall": round(ar, 4),
        "all_speaker_accuracy": round(c["all_speaker_ok"] / c["all_speaker_n"], 4)
        if c["all_speaker_n"]
        else 0.0,
        "direct_gold": c["direct_gold"],
        "direct_pred": c["direct_pred"],
        "direct_matched": c["direct_tp"],
        "direct_exact": c["direct_exact_tp"],
        "all_gold": c["all_gold"],
        "all_pred": c["all_pred"],
        "all_matched": c["all_tp"],
        "seconds": round(time.time() - began, 1),
    }
    _print(result)
    return result


def _print(result: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Quotes on PolNeAR ({result['articles']} articles)")
    for col in ("", "precision", "recall", "F1"):
        table.add_column(col)
    for label, key in (
        ("direct, exact", "direct_exact"),
        ("direct, overlap", "direct_overlap"),
        ("all attributions, overlap", "all_overlap"),
    ):
        table.add_row(
            label,
            f"{result[key + '_precision']:.3f}",
            f"{result[key + '_recall']:.3f}",
            f"{result[key + '_f1']:.3f}",
        )
    Console().print(table)
    Console().print(
        f"speaker accuracy (direct, matched): {result['speaker_accuracy']:.3f}   "
        f"(all, matched): {result['all_speaker_accuracy']:.3f}   {result['seconds']} s"
    )
