"""End to end on the demo corpus: read, clean, deduplicate, store; incremental rebuilds."""

import re
import shutil
from pathlib import Path

import pytest

from paths import SEEDS
from storyline import pipeline
from storyline.settings import BuildSettings, Settings
from storyline.store import Store


def by_prefix(store: Store) -> dict:
    return {Path(a.origin).name[:3]: a for a in store.articles()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, corpus / f.name)
    store = Store(tmp_path_factory.mktemp("db") / "demo.db")
    summary = pipeline.build([str(corpus)], store)
    return corpus, store, summary


@pytest.mark.slow
def test_seed_corpus_gives_five_articles_and_one_duplicate_group(built):
    _, store, summary = built
    assert summary.inputs == 5 and summary.new_articles == 5 and not summary.errors
    arts = by_prefix(store)
    assert sorted(arts) == ["000", "001", "002", "003", "004"]
    (group,) = store.duplicate_groups()
    assert {arts["002"].id, arts["004"].id} == set(group["members"])
    assert group["canonical"] == arts["002"].id
    assert arts["004"].duplicate_of == arts["002"].id


@pytest.mark.slow
def test_copy_without_dateline_gets_the_wire_date_not_its_scrape_date(built):
    arts = by_prefix(built[1])
    assert arts["002"].published.value == "2023-06-22"
    assert arts["002"].published.evidence == "dateline"
    assert (arts["004"].published.value, arts["004"].published.evidence) == (
        "2023-06-22", "duplicate")


@pytest.mark.slow
def test_report_naming_only_month_days_takes_its_date_from_its_story(built):
    # 001 says "on November 7" and "the November 8 briefing"; its story's reports are dated
    # 7 and 8 November 2022, so it was written on or after 8 November 2022.
    arts = by_prefix(built[1])
    assert (arts["001"].published.value, arts["001"].published.evidence) == (
        "2022-11-08", "story")


@pytest.mark.slow
def test_dateline_byline_and_publisher_of_the_turan_report(built):
    a = by_prefix(built[1])["002"]
    assert a.author == "Alex Raufoglu"
    assert a.dateline.startswith("Washington D.C./22.06.23/Turan")
    assert a.publisher and a.publisher.lower() == "turan"


@pytest.mark.parametrize("chrome", ["Leave a review", "Follow us on social networks",
                                    "News Line", "Latest news", "09.Jan.2026", "14 Jan 2026",
                                    "Alex Raufoglu"])
@pytest.mark.slow
def test_no_site_chrome_left_in_any_article_text(built, chrome):
    for a in built[1].articles():
        assert chrome not in a.text, (a.origin, chrome)


@pytest.mark.slow
def test_article_text_keeps_the_last_quote_of_the_turan_report(built):
    for key in ("002", "004"):
        assert "dialogue can’t be replaced in this process" in by_prefix(built[1])[key].text


@pytest.mark.slow
def test_rebuilding_the_same_files_changes_nothing(built):
    corpus, store, _ = built
    before = store.conn.execute("SELECT id, published, duplicate_of FROM articles").fetchall()
    again = pipeline.build([str(corpus)], store)
    assert again.new_articles == 0 and again.unchanged == 5 and not again.corpus_rebuilt
    after = store.conn.execute("SELECT id, published, duplicate_of FROM articles").fetchall()
    assert [tuple(r) for r in before] == [tuple(r) for r in after]


@pytest.mark.slow
def test_a_new_file_is_the_only_one_processed(tmp_path):
    store = Store(tmp_path / "s.db")
    first = tmp_path / "one"
    first.mkdir()
    shutil.copy(next(SEEDS.glob("000_*.txt")), first)
    assert pipeline.build([str(first)], store).new_articles == 1
    shutil.copy(next(SEEDS.glob("001_*.txt")), first)
    summary = pipeline.build([str(first)], store)
    assert (summary.new_articles, summary.unchanged) == (1, 1)
    assert store.count("articles") == 2


@pytest.mark.slow
def test_a_store_annotated_by_an_older_pipeline_is_annotated_again(tmp_path):
    store = Store(tmp_path / "s.db")
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(next(SEEDS.glob("000_*.txt")), folder)
    pipeline.build([str(folder)], store)
    (aid, found), = store.annotations().items()
    assert found.figures
    # what an older version left: another version number and annotations without figures
    with store.transaction() as cur:
        store.set_meta(cur, "pipeline_version", "0")
        found.figures = []
        store.put_annotations(cur, found, store.annotated_on()[aid])
    pipeline.build([str(folder)], store)
    assert store.annotations()[aid].figures
    assert store.get_meta("pipeline_version") == pipeline.PIPELINE_VERSION


@pytest.mark.slow
def test_bad_inputs_are_reported_and_the_rest_is_built(tmp_path):
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    shutil.copy(next(SEEDS.glob("003_*.txt")), corpus)
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (corpus / "broken.jsonl").write_text('{"text": "fine line, not an article really"}\nnot json\n')
    store = Store(tmp_path / "s.db")
    summary = pipeline.build([str(corpus), str(tmp_path / "does-not-exist.txt")], store)
    origins = " ".join(origin for origin, _ in summary.errors)
    for name in ("empty.txt", "binary.txt", "broken.jsonl", "does-not-exist.txt"):
        assert name in origins
    assert any(Path(a.origin).name.startswith("003") for a in store.articles())


@pytest.mark.slow
def test_an_interrupted_build_completes_on_the_next_run_without_duplicates(tmp_path, monkeypatch):
    store = Store(tmp_path / "s.db")
    real = pipeline.analyse_many
    calls = {"n": 0}

    # With batch_size=1 every chunk is one article, so the third chunk is the third article.
    def dies_on_third(articles, settings=None):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(articles, settings)

    monkeypatch.setattr(pipeline, "analyse_many", dies_on_third)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build([str(SEEDS)], store, settings=Settings(build=BuildSettings(batch_size=1)))
    monkeypatch.setattr(pipeline, "analyse_many", real)
    summary = pipeline.build([str(SEEDS)], store)
    assert summary.corpus_rebuilt
    assert store.count("articles") == 5
    assert store.count("annotations") == 5
    assert len({a.id for a in store.articles()}) == 5


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["process", "dask"])
def test_every_engine_gives_the_export_of_the_serial_build(tmp_path, built, engine):
    from storyline.outputs.export import export_dict, to_json
    from storyline.runners import make_runner

    if engine == "dask":
        pytest.importorskip("dask.distributed")
    store = Store(tmp_path / f"{engine}.db")
    runner = make_runner(engine, workers=2)
    try:
        pipeline.build([str(built[0])], store, runner)
    finally:
        runner.close()
    assert to_json(export_dict(store)) == to_json(export_dict(built[1]))


def test_article_in_another_language_is_detected_and_english_steps_are_skipped(tmp_path):
    corpus = tmp_path / "fr"
    corpus.mkdir()
    (corpus / "fr.txt").write_text(
        "Les ministres arméniens et azerbaïdjanais se rencontrent à Washington\n\n"
        "Les ministres des Affaires étrangères de l'Arménie et de l'Azerbaïdjan se sont réunis "
        "lundi à Washington sous l'égide du secrétaire d'État américain, Antony Blinken, pour "
        "relancer les négociations de paix. Les deux parties ont convenu de poursuivre le "
        "dialogue direct dans les semaines à venir, selon le département d'État.\n\n"
        "Le conflit entre les deux pays porte sur le contrôle de la région du Haut-Karabakh, "
        "reconnue internationalement comme faisant partie de l'Azerbaïdjan.\n",
        encoding="utf-8",
    )
    store = Store(tmp_path / "s.db")
    summary = pipeline.build([str(corpus)], store)
    assert summary.new_articles == 1
    (article_id,) = [a.id for a in store.articles()]
    ann = store.annotations()[article_id]
    assert ann.language == "fr"
    assert ann.mentions == [] and ann.quotes == []
    assert any("English-only steps skipped" in note for _, note in summary.notes)


@pytest.mark.slow
def test_enormous_article_is_capped_and_the_cap_is_reported(tmp_path, monkeypatch):
    from storyline import nlp

    monkeypatch.setattr(nlp, "MAX_CHARS", 2_000)
    text = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    long_text = "\n\n".join([text] * 3)
    corpus = tmp_path / "big"
    corpus.mkdir()
    (corpus / "big.txt").write_text(long_text, encoding="utf-8")
    store = Store(tmp_path / "s.db")
    summary = pipeline.build([str(corpus)], store)
    # The cut falls on the last line break before the cap, and the note gives where.
    (covered,) = [int(m.group(1).replace(",", "")) for _, note in summary.notes
                  if (m := re.search(r"language steps cover the first ([\d,]+)", note))]
    assert 1_000 < covered <= 2_000
    (article,) = store.articles()
    assert article.text[covered] == "\n"
    ann = store.annotations()[article.id]
    assert ann.sentences and max(s.end for s in ann.sentences) <= covered


@pytest.mark.slow
def test_an_input_that_failed_cleaning_is_reported_again_without_cleaning_it_again(
        tmp_path, monkeypatch):
    import storyline.clean

    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(next(SEEDS.glob("003_*.txt")), corpus)
    (corpus / "menu.txt").write_text("Home\nNews\nSport\nWeather\nContact us\n")
    store = Store(tmp_path / "s.db")
    first = pipeline.build([str(corpus)], store)
    assert [Path(origin).name for origin, _ in first.errors] == ["menu.txt"]

    cleaned: list[str] = []
    real = storyline.clean.clean

    def counting(doc, settings=None):
        cleaned.append(doc.origin)
        return real(doc, settings)

    monkeypatch.setattr(storyline.clean, "clean", counting)
    again = pipeline.build([str(corpus)], store)
    assert again.errors == first.errors  # still reported, with the same reason
    assert cleaned == []
    # Other cleaning settings may keep what the old ones dropped: the input is cleaned again.
    looser = Settings()
    looser.clean.min_article_words = 1
    pipeline.build([str(corpus)], store, settings=looser)
    assert [Path(o).name for o in cleaned] == ["menu.txt"]
    (corpus / "menu.txt").write_text((SEEDS / next(SEEDS.glob("001_*.txt")).name).read_text())
    pipeline.build([str(corpus)], store, settings=looser)
    assert [Path(o).name for o in cleaned] == ["menu.txt"] * 2  # a changed input, again


def test_work_spread_over_workers_keeps_every_item_once_and_balances_the_load():
    from storyline.runners import ProcessRunner, SerialRunner

    weights = [100, 1, 1, 1, 50, 50, 2, 3, 40, 9, 9, 30]
    items = [f"thread {i}" for i in range(len(weights))]
    tasks = pipeline._spread(items, weights, ProcessRunner(workers=2))
    assert sorted(x for task in tasks for x in task) == sorted(items)
    assert len(tasks) == 8  # four per worker
    load = [sum(weights[items.index(x)] for x in task) for task in tasks]
    assert max(load) == 100  # the heaviest thread alone; nothing piled on top of it
    assert pipeline._spread(items, weights, SerialRunner()) == [items]
    assert pipeline._spread([], [], ProcessRunner(workers=2)) == []
