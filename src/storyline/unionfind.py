"""Disjoint sets with the smallest member as each set's root.

Dedup groups, entity merges, story threads and timeline events are all connected components.
scipy's ``DisjointSet`` roots a set at the member of the larger half, which depends on the
order of unions; here the root is always the smallest member, so the ids and orders derived
from roots do not depend on input order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any


class UnionFind:
    def __init__(self, items: Iterable[Hashable]):
        self.parent = {i: i for i in items}

    def find(self, x: Hashable) -> Any:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: Hashable, b: Hashable) -> bool:
        """Join the sets of a and b; False if they were one already."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True
