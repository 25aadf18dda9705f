"""The export contract: JSON validated against the published schema; JSONL and Markdown."""

import json

import jsonschema
import pytest

from paths import SEEDS
from storyline import pipeline
from storyline.outputs import export
from storyline.store import Store


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("db") / "demo.db")
    pipeline.build([str(SEEDS)], store)
    return export.export_dict(store)


@pytest.mark.slow
def test_export_of_the_demo_corpus_validates_against_the_schema(data):
    jsonschema.validate(data, export.schema())


def test_empty_store_exports_every_section_present_and_empty():
    data = export.export_dict(Store(":memory:"))
    jsonschema.validate(data, export.schema())
    for section in ("articles", "stories", "entities", "quotes", "timeline", "figures"):
        assert data[section] == []


@pytest.mark.slow
def test_schema_rejects_an_export_missing_a_section(data):
    broken = {k: v for k, v in data.items() if k != "quotes"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, export.schema())


@pytest.mark.slow
def test_every_span_in_the_export_points_at_its_own_text(data):
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for a in data["articles"]:
        for t in a["timexes"]:
            assert a["text"][t["start"]:t["end"]] == t["text"]
    for e in data["entities"]:
        for m in e["mentions"]:
            assert texts[m["article_id"]][m["start"]:m["end"]] == m["text"]
    spans = [o for q in data["quotes"] for o in q["occurrences"]]
    spans += [s for t in data["timeline"] for s in t["sources"]]
    spans += [o for f in data["figures"] for o in f["occurrences"]]
    spans += [c for s in data["stories"] for x in s["summary"] for c in x["citations"]]
    for span in spans:
        assert 0 <= span["start"] < span["end"] <= len(texts[span["article_id"]])


@pytest.mark.slow
def test_jsonl_has_one_tagged_record_per_item(data):
    lines = export.to_jsonl(data).splitlines()
    kinds = [json.loads(line)["kind"] for line in lines]
    assert kinds.count("article") == len(data["articles"]) == 5
    assert kinds.count("story") == len(data["stories"])


@pytest.mark.slow
def test_markdown_lists_every_article_title(data):
    md = export.to_markdown(data)
    assert "Azerbaijan, Armenia To Resume Talks In Washington" in md
    assert md.count("\n- ") >= 5
