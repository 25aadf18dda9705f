"""Text repaired at the door: lone surrogates and control characters never reach the store."""

from __future__ import annotations

import json
import os

from storyline import dedup
from storyline.clean import clean
from storyline.read import read_paths
from storyline.read.repair import repair_text
from storyline.store import Store

TEXT = ("Ministers met in Washington on Monday to agree on a new round of talks between the two "
        "countries, officials said. \ud800 They will meet again next month in Brussels.")


def test_lone_surrogates_and_control_characters_are_replaced_one_for_one():
    broken = "a\ud800b\x00c\x1bd\te\nf"
    fixed = repair_text(broken)
    assert fixed == "a\ufffdb c d\te\nf"
    assert len(fixed) == len(broken)
    fixed.encode("utf-8")  # storable


def test_a_jsonl_record_with_lone_surrogates_is_stored_not_a_crash(tmp_path):
    record = {"text": TEXT, "title": "Talks \udfff resume", "url": "https://example.com/a\ud801"}
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")  # JSON keeps them as escapes
    (doc,) = list(read_paths([str(path)]))
    article = clean(doc)
    store = Store(":memory:")
    with store.transaction() as cur:
        store.add_article(cur, article, dedup.signature(article.text))
    (stored,) = store.articles()
    assert stored.title == "Talks \ufffd resume"
    assert "\ufffd They will meet again" in stored.text


def test_a_file_name_in_latin1_bytes_is_read(tmp_path):
    name = os.fsdecode(b"caf\xe9-report.txt")  # undecodable in UTF-8: a lone surrogate
    (tmp_path / name).write_text(TEXT.replace("\ud800", ""), encoding="utf-8")
    (doc,) = list(read_paths([str(tmp_path)]))
    doc.origin.encode("utf-8")
    assert doc.origin.endswith("caf\ufffd-report.txt")
