"""The SQLite store: schema versions, transactions, search."""

import sqlite3

import pytest

from storyline.model import Annotations, Article, Published, Timex
from storyline.store import SCHEMA_VERSION, Store, StoreError


def sample(aid="a1", text="Blinken hosted Jeyhun Bayramov and Ararat Mirzoyan in Washington."):
    return Article(id=aid, origin=f"{aid}.txt", text=text, title="Talks in Washington",
                   published=Published("2022-11-07", "metadata"), content_hash="h" + aid)


def test_new_store_is_at_the_current_schema_version_in_wal_mode(tmp_path):
    store = Store(tmp_path / "s.db")
    assert store.version() == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_a_store_keeps_its_articles(tmp_path):
    store = Store(tmp_path / "s.db")
    with store.transaction() as cur:
        store.add_article(cur, sample(), None)
    store.close()
    again = Store(tmp_path / "s.db")
    assert [a.id for a in again.articles()] == ["a1"]
    assert again.article("a1").published == Published("2022-11-07", "metadata")


def test_a_failed_transaction_leaves_nothing_half_written():
    store = Store(":memory:")
    with pytest.raises(RuntimeError), store.transaction() as cur:
        store.add_article(cur, sample(), None)
        raise RuntimeError("killed mid-batch")
    assert store.count("articles") == 0
    assert store.search("Bayramov") == []


def test_search_finds_words_and_survives_fts_syntax_in_user_input():
    store = Store(":memory:")
    with store.transaction() as cur:
        store.add_article(cur, sample(), None)
        store.add_article(cur, sample("a2", "Peskov called on both parties to refrain."), None)
    assert [h["article_id"] for h in store.search("Bayramov")] == ["a1"]
    assert store.search('"unbalanced AND (') == []
    assert store.search("   ") == []


def test_same_origin_with_new_content_replaces_the_old_article():
    store = Store(":memory:")
    old = sample("old")
    new = sample("new", "A corrected version of the report.")
    new.origin = old.origin
    with store.transaction() as cur:
        store.add_article(cur, old, None)
        store.put_annotations(cur, Annotations("old"), None)
    with store.transaction() as cur:
        store.add_article(cur, new, None)
    assert [a.id for a in store.articles()] == ["new"]
    assert store.annotations() == {}


def test_annotations_round_trip_with_their_anchor_date():
    store = Store(":memory:")
    ann = Annotations("a1", timexes=[Timex(0, 6, "Monday", "2022-11-07", "DATE")])
    with store.transaction() as cur:
        store.add_article(cur, sample(), None)
        store.put_annotations(cur, ann, "2022-11-07")
    assert store.annotations()["a1"].timexes[0].value == "2022-11-07"
    assert store.annotated_on() == {"a1": "2022-11-07"}


def test_store_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "future.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer Storyline"):
        Store(path)


def test_readonly_store_on_a_missing_file_says_how_to_build_one(tmp_path):
    with pytest.raises(StoreError, match="storyline build"):
        Store(tmp_path / "missing.db", readonly=True)
