"""Exact and near-duplicate grouping.

Exact copies share a hash of their normalised text; near-copies (the same wire report with a
different trailer, re-wrapped paragraphs, a lost dateline) are found with datasketch's MinHash
LSH over word shingles. Each group gets one canonical copy (most complete metadata, least
chrome removed from plain text); the others point to it with ``duplicate_of`` and lend it the metadata it lacks.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.model import Article, Published
from storyline.settings import DedupSettings
from storyline.unionfind import UnionFind

NUM_PERM = 128
SHINGLE = 5  # words per shingle: long enough that unrelated reports on one topic share few
DEFAULT_THRESHOLD = DedupSettings().threshold
# Pinned so stored signatures stay comparable if datasketch changes its default.
SCHEME = "affine32"

_WORD = re.compile(r"\w+", re.UNICODE)


def normalize(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for hashing and shingling."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def text_hash(text: str) -> str:
    return hashlib.sha1(normalize(text).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[str]:
    """The text's runs of ``SHINGLE`` normalized words (one run for a shorter text)."""
    words = normalize(text).split()
    return {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}


def containment(a: set[str], b: set[str]) -> float:
    """The share of the smaller shingle set found in the other: a copy that gained or lost a
    block (a related-links list, a dateline) still contains most of its original."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text's word shingles (stored so rebuilds need not redo it)."""
    mh = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in shingles(text)])
    return mh.hashvalues


def _minhash(values: np.ndarray) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, hashvalues=values, scheme=SCHEME)


@dataclass
class DuplicateGroup:
    canonical: str
    members: list[str]  # canonical first, then the others by id
    kind: str  # exact|near
    similarity: float  # lowest estimated Jaccard of a member to the canonical copy


def _completeness(article: Article) -> tuple:
    """Higher is a better canonical copy: more metadata, less chrome removed, then longer text.

    The id breaks ties so the choice never depends on input order.
    """
    metadata = sum(
        bool(v)
        for v in (article.title, article.publisher, article.author, article.dateline,
                  article.published.value, article.url)
    )
    return (metadata, -len(article.removed), len(article.text), article.id)


def find_groups(
    articles: Iterable[Article],
    signatures: dict[str, np.ndarray],
    threshold: float = DEFAULT_THRESHOLD,
) -> list[DuplicateGroup]:
    """Duplicate groups (two or more members) over all ``articles``.

    ``signatures`` maps article id to its :func:`signature`. Groups are the connected
    components of "exact hash equal or estimated Jaccard ≥ threshold".
    """
    by_id = {a.id: a for a in articles}
    ids = sorted(by_id)
    sets = UnionFind(ids)
    find, union = sets.find, sets.union

    exact_pairs: set[frozenset] = set()
    first_by_hash: dict[str, str] = {}
    for i in ids:
        h = text_hash(by_id[i].text)
        if h in first_by_hash:
            union(first_by_hash[h], i)
            exact_pairs.add(frozenset((first_by_hash[h], i)))
        else:
            first_by_hash[h] = i

    # LSH needs at least two bands, which very high thresholds do not leave; it only proposes
    # candidates, so a lower retrieval threshold loses nothing.
    lsh = MinHashLSH(threshold=min(threshold, 0.9), num_perm=NUM_PERM)
    minhashes = {i: _minhash(signatures[i]) for i in ids if i in signatures}
    for i, mh in minhashes.items():
        for other in lsh.query(mh):
            # LSH only proposes candidates; confirm with the estimated Jaccard.
            if mh.jaccard(minhashes[other]) >= threshold:
                union(other, i)
        lsh.insert(i, mh)

    components: dict[str, list[str]] = {}
    for i in ids:
        components.setdefault(find(i), []).append(i)

    groups = []
    for members in components.values():
        if len(members) < 2:
            continue
        canonical = max((by_id[m] for m in members), key=_completeness).id
        others = sorted(m for m in members if m != canonical)
        sims = [
            minhashes[canonical].jaccard(minhashes[m])
            if canonical in minhashes and m in minhashes
            else 1.0
            for m in others
        ]
        exact = all(frozenset((canonical, m)) in exact_pairs or s == 1.0
                    for m, s in zip(others, sims))
        groups.append(
            DuplicateGroup(canonical, [canonical, *others], "exact" if exact else "near",
                           round(min(sims), 3))
        )
    groups.sort(key=lambda g: g.canonical)
    return groups


def apply_groups(articles: dict[str, Article], groups: list[DuplicateGroup]) -> None:
    """Mark duplicates and let each copy take the metadata it lacks from its group.

    Seed 004 lost its dateline and byline; its copy 002 has both, so 004 gets 002's
    publication date (evidence ``duplicate``) instead of anything from its scraped trailer.
    """
    for article in articles.values():
        article.duplicate_of = None
    for group in groups:
        members = [articles[m] for m in group.members if m in articles]
        ranked = sorted(members, key=_completeness, reverse=True)
        for article in members:
            article.duplicate_of = None if article.id == group.canonical else group.canonical
            for donor in ranked:
                if donor is article:
                    continue
                for name in ("title", "publisher", "author", "url"):
                    if not getattr(article, name) and getattr(donor, name):
                        setattr(article, name, getattr(donor, name))
                if not article.published.value and donor.published.value and (
                    donor.published.evidence != "duplicate"
                ):
                    article.published = Published(donor.published.value, "duplicate")
