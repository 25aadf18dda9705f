"""Shared fixtures.

* ``demo_db`` / ``demo_store``: the demo corpus (examples/armenia-azerbaijan) built by the real
  pipeline into a temporary database, once per session.
* ``handmade_db`` / ``handmade_export``: the same five real articles, cleaned and deduplicated by
  the real code, with corpus results (stories, entities, quotes, timeline, figures, summaries)
  written by hand with offsets found in the text. Tests of the report and the web app use it to
  check every section without depending on how well the extraction stages do today.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import SEEDS

DEMO = SEEDS


@pytest.fixture(scope="session")
def demo_paths() -> list[str]:
    return sorted(str(p) for p in DEMO.iterdir() if p.is_file())


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, demo_paths) -> Path:
    from storyline.pipeline import build
    from storyline.store import Store

    db = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store(db)
    try:
        build(demo_paths, store)
    finally:
        store.close()
    return db


@pytest.fixture(scope="session")
def demo_store(demo_db):
    from storyline.store import Store

    store = Store(demo_db, readonly=True)
    yield store
    store.close()


# -- the hand-made corpus ------------------------------------------------------------------


def _span(articles, aid, needle, occurrence=0):
    text = articles[aid].text
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(needle, start + 1)
    assert start >= 0, f"{needle!r} not in {aid}"
    return start, start + len(needle)


def build_handmade(db: Path, paths: list[str]) -> None:
    from storyline import dedup
    from storyline.clean import clean
    from storyline.model import (
        Entity,
        Figure,
        Mention,
        Quote,
        Span,
        Speaker,
        Story,
        SummarySentence,
        TimelineEntry,
    )
    from storyline.read import read_paths
    from storyline.store import Store

    store = Store(db)
    articles = {}
    with store.transaction() as cur:
        for doc in read_paths(paths):
            a = clean(doc)
            store.add_article(cur, a, dedup.signature(a.text))
            articles[a.id] = a
    groups = dedup.find_groups(articles.values(), store.signatures(), dedup.DEFAULT_THRESHOLD)
    dedup.apply_groups(articles, groups)
    by_file = {Path(a.origin).name[:3]: a.id for a in articles.values()}
    a0, a1, a2, a3 = (by_file[k] for k in ("000", "001", "002", "003"))

    def span(aid, needle, occurrence=0):
        s, e = _span(articles, aid, needle, occurrence)
        return Span(aid, s, e)

    def mentions(name, label, *where):
        out = []
        for aid, surface in where:
            s = span(aid, surface)
            out.append(Mention(aid, s.start, s.end, surface, label))
        return out

    bayramov = Entity("e_bayramov", "Jeyhun Bayramov", "PERSON",
                      aliases=["Jeyhun Bayramov", "Ceyhun Bayramov"],
                      roles=["Azerbaijani Foreign Minister"],
                      mentions=mentions("Jeyhun Bayramov", "PERSON", (a0, "Jeyhun Bayramov"),
                                        (a1, "Ceyhun Bayramov"), (a2, "Jeyhun Bayramov"),
                                        (a3, "Jeyhun Bayramov")))
    mirzoyan = Entity("e_mirzoyan", "Ararat Mirzoyan", "PERSON",
                      roles=["Armenian Foreign Minister"],
                      mentions=mentions("Ararat Mirzoyan", "PERSON", (a0, "Ararat Mirzoyan"),
                                        (a1, "Ararat Mirzoyan"), (a2, "Ararat Mirzoyan"),
                                        (a3, "Ararat Mirzoyan")))
    blinken = Entity("e_blinken", "Antony Blinken", "PERSON", roles=["U.S. Secretary of State"],
                     mentions=mentions("Antony Blinken", "PERSON", (a1, "Antony Blinken"),
                                       (a3, "Antony Blinken")))
    price = Entity("e_price", "Ned Price", "PERSON", roles=["State Department spokesman"],
                   mentions=mentions("Ned Price", "PERSON", (a0, "Ned Price"),
                                     (a1, "Ned Price")))
    patel = Entity("e_patel", "Vedant Patel", "PERSON",
                   mentions=mentions("Vedant Patel", "PERSON", (a2, "Vedant Patel")))
    armenia = Entity("e_armenia", "Armenia", "GPE",
                     mentions=mentions("Armenia", "GPE", (a1, "Armenia"), (a3, "Armenia")))
    entities = [bayramov, mirzoyan, blinken, price, patel, armenia]

    def quote(qid, text_, kind, speaker, cue, *where):
        return Quote(qid, text_, kind, Speaker(speaker.name, speaker.id), cue,
                     [span(aid, text_) for aid in where])

    quotes = [
        quote("q_expedite", "The foreign ministers agreed to expedite their negotiations",
              "direct", price, "said", a0),
        quote("q_courageous", "courageous steps", "partial", blinken, "praised", a1, a3),
        quote("q_dialogue", "Direct dialogue is the best way to a truly durable peace, and we "
              "are very pleased to support that.", "direct", blinken, "said", a3),
        quote("q_hosting", "We look forward to hosting another round of talks in Washington "
              "soon as the parties continue to pursue a peaceful future in the South Caucasus "
              "region,", "direct", patel, "told", a2),
    ]

    s1, s2 = "s_washington_2022", "s_resume_2023"
    timeline = [
        TimelineEntry("t_1990s", "199X", "FIGHT", "War over Karabakh claims around 30,000 lives",
                      story_id=s1, sources=[span(a3, "The ensuing conflict claimed around 30,000 "
                                                     "lives.")]),
        TimelineEntry("t_2020", "2020-FA", "FIGHT", "Six weeks of war over Karabakh",
                      story_id=s1, sources=[span(a3, "Six weeks of fighting in 2020 claimed more "
                                                     "than 6,500 lives")]),
        TimelineEntry("t_sept", "2022-09", "FIGHT", "Border clashes kill at least 286 people",
                      story_id=s1, sources=[span(a0, "In September, at least 286 people were "
                                                     "killed on both sides")]),
        TimelineEntry("t_sochi", "2022-10", "AGREE", "Leaders agree in Sochi not to use force",
                      actors=["e_armenia"], location="Sochi", story_id=s1,
                      sources=[span(a3, "The two countries' leaders met late last month in the "
                                        "Russian Black Sea port of Sochi")]),
        TimelineEntry("t_meet", "2022-11-07", "CONSULT",
                      "Blinken hosts the Armenian and Azerbaijani foreign ministers",
                      actors=["e_blinken"], recipients=["e_mirzoyan", "e_bayramov"],
                      location="Washington", story_id=s1,
                      sources=[span(a1, "hosted by U.S. Secretary Antony Blinken in Washington on "
                                        "November 7"),
                               span(a3, "Blinken met with Armenian Foreign Minister Ararat "
                                        "Mirzoyan and Azerbaijani Foreign Minister Jeyhun "
                                        "Bayramov")]),
        TimelineEntry("t_patel", "2023-06-21", "CONSULT", "Patel: another round of talks soon",
                      actors=["e_patel"], story_id=s2,
                      sources=[span(a2, "Vedant Patel told a Wednesday press briefing")]),
        TimelineEntry("t_weeks", "2023-W24", "CONSULT", "Ministers' visit to Washington "
                      "rescheduled", actors=["e_bayramov", "e_mirzoyan"], story_id=s2,
                      sources=[span(a2, "were initially expected to visit Washington for peace "
                                        "talks early last week")]),
    ]
    figures = [
        Figure("f_286", "killed", 286, "at least", "people", "2022-09", "g_sept", "agree",
               [span(a0, "at least 286")], text="at least 286"),
        Figure("f_280", "killed", 280, "more than", "people", "2022-09", "g_sept", "agree",
               [span(a3, "more than 280")], text="more than 280"),
        Figure("f_6500", "killed", 6500, "more than", "people", "2020", "g_2020", "agree",
               [span(a0, "more than 6,500"), span(a3, "more than 6,500")],
               text="more than 6,500"),
        Figure("f_thousands", "killed", 1000, "thousands", "people", "2020", "g_2020", "agree",
               [span(a1, "thousands")], text="thousands"),
        Figure("f_30000", "killed", 30000, "around", "people", "199X", "g_1990s", "agree",
               [span(a3, "around 30,000"), span(a1, "some 30,000")], text="around 30,000"),
        Figure("f_2000", "peacekeepers", 2000, "about", "troops", "2020", "g_troops", "single",
               [span(a1, "about 2,000")], text="about 2,000"),
    ]

    def sentence(aid, text_):
        return SummarySentence(text_, [span(aid, text_)])

    stories = [
        Story(s1, "Blinken hosts Armenian and Azerbaijani foreign ministers in Washington",
              [a0, a1, a3], thread_id="th_peace", start="2022-11-08", end="2022-11-08",
              summary=[
                  sentence(a3, "Armenia and Azerbaijan held peace talks on Monday, mediated by "
                               "the United States, just hours after a fresh shootout along "
                               "their troubled border in a conflict which has left hundreds "
                               "dead in recent months."),
                  sentence(a0, "In September, at least 286 people were killed on both sides "
                               "before a U.S.-brokered truce ended the worst clashes since 2020 "
                               "when simmering tensions escalated into all-out war."),
              ]),
        Story(s2, "Azerbaijan, Armenia to resume talks in Washington 'soon'", [a2],
              thread_id="th_peace", start="2023-06-22", end="2023-06-22",
              summary=[sentence(a2, "Washington is working to schedule the next round of "
                                    "Karabakh talks between Azerbaijan and Armenia 'soon'")],
              what_is_new=sentence(a2, "Foreign Ministers of Azerbaijan and Armenia - Jeyhun "
                                       "Bayramov and Ararat Mirzoyan - were initially expected "
                                       "to visit Washington for peace talks early last week, "
                                       "however it got rescheduled last minute.")),
    ]
    store.replace_corpus(articles=articles.values(), duplicate_groups=groups,
                         entities=entities, quotes=quotes, stories=stories,
                         timeline=timeline, figures=figures, meta={"corpus_built": "1"})
    store.close()


@pytest.fixture(scope="session")
def handmade_db(tmp_path_factory, demo_paths) -> Path:
    db = tmp_path_factory.mktemp("handmade") / "handmade.db"
    build_handmade(db, demo_paths)
    return db


def _export_of(db: Path) -> dict:
    from storyline.outputs.export import export_dict
    from storyline.store import Store

    with Store(db, readonly=True) as store:
        return export_dict(store)


@pytest.fixture(scope="session")
def handmade_export(handmade_db) -> dict:
    return _export_of(handmade_db)


# -- the hostile corpus --------------------------------------------------------------------

# What an article may carry to attack whoever reads the outputs: each one sets
# window.__pwned (or links to code that would) if it ever becomes markup, a link or a template.
PAYLOADS = {
    "script": "<script>window.__pwned=1</script>",
    "img": '<img src=x onerror="window.__pwned=1">',
    "svg": '"><svg onload=window.__pwned=1>',
    "quote": "' onmouseover='window.__pwned=1' x='",
    "js": "javascript:window.__pwned=1",
    "close": "</script><script>window.__pwned=1</script><!--",
    "template": "{{7*7}} {% raw %} ${7*7}",
    "markdown": "[click](javascript:window.__pwned=1) ![x](javascript:window.__pwned=1)",
}
HOSTILE = " ".join(PAYLOADS.values())


def build_hostile(db: Path) -> None:
    """Two articles and every corpus result built from them, each text field carrying
    ``HOSTILE``; offsets are found in the text, so every citation is a real span."""
    from storyline.model import (
        Article,
        Entity,
        Figure,
        Mention,
        Quote,
        Span,
        Speaker,
        Story,
        SummarySentence,
        TimelineEntry,
    )
    from storyline.store import Store

    quoted = f"Peace is near {PAYLOADS['img']} and {PAYLOADS['script']}"
    texts = {
        "a_hostile_1": (f"WASHINGTON {HOSTILE} — Jeyhun Bayramov met Ararat Mirzoyan on Monday. "
                        f"Bayramov said \"{quoted}\" after the talks. At least 286 people "
                        f"{PAYLOADS['svg']} were killed in September.\u2028Line two\u2029 of "
                        f"{PAYLOADS['close']} the report."),
        "a_hostile_2": (f"BAKU — Officials said 300 people were killed {PAYLOADS['template']}. "
                        f"Jeyhun Bayramov told reporters {PAYLOADS['markdown']} that talks "
                        "would resume."),
    }
    articles = [
        Article(id="a_hostile_1", origin=f"feeds/{PAYLOADS['img']}.html", text=texts["a_hostile_1"],
                title=HOSTILE, publisher="Daily " + HOSTILE, author=HOSTILE,
                dateline="WASHINGTON " + PAYLOADS["svg"], url=PAYLOADS["js"]),
        Article(id="a_hostile_2", origin=f"feeds/{PAYLOADS['template']}.html",
                text=texts["a_hostile_2"], title="Baku " + PAYLOADS["template"],
                publisher=PAYLOADS["svg"] + " Wire", author=PAYLOADS["template"],
                url="https://example.org/news?id=1&x=\"><script>window.__pwned=1</script>"),
    ]
    store = Store(db)
    with store.transaction() as cur:
        for a in articles:
            store.add_article(cur, a, None)

    def span(aid: str, needle: str) -> Span:
        start = texts[aid].index(needle)
        return Span(aid, start, start + len(needle))

    def mentions(surface: str, *aids: str) -> list[Mention]:
        return [Mention(aid, s.start, s.end, surface, "PERSON")
                for aid in aids for s in [span(aid, surface)]]

    bayramov = Entity("e_bayramov", PAYLOADS["svg"] + " Bayramov", "PERSON",
                      aliases=[PAYLOADS["script"], PAYLOADS["template"]],
                      roles=[PAYLOADS["img"]], evidence=[PAYLOADS["close"]],
                      mentions=mentions("Jeyhun Bayramov", "a_hostile_1", "a_hostile_2"))
    mirzoyan = Entity("e_mirzoyan", "Ararat Mirzoyan " + PAYLOADS["js"], "PERSON",
                      mentions=mentions("Ararat Mirzoyan", "a_hostile_1"))
    quotes = [
        Quote("q_peace", quoted, "direct", Speaker(PAYLOADS["img"] + " Bayramov", "e_bayramov"),
              PAYLOADS["js"], [span("a_hostile_1", quoted)]),
        Quote("q_resume", "talks would resume", "indirect", Speaker(HOSTILE, None),
              PAYLOADS["template"], [span("a_hostile_2", "talks would resume")]),
    ]
    sid, other = "s_hostile", "s_hostile_thread"
    timeline = [
        TimelineEntry("t_meet", "2022-11-07", "CONSULT " + PAYLOADS["script"], HOSTILE,
                      actors=["e_bayramov"], recipients=["e_mirzoyan"],
                      location=PAYLOADS["svg"], story_id=sid,
                      sources=[span("a_hostile_1", "Jeyhun Bayramov met Ararat Mirzoyan")]),
        TimelineEntry("t_sept", "2022-09", "FIGHT", "Clashes " + PAYLOADS["close"], story_id=sid,
                      sources=[span("a_hostile_1", "At least 286 people")]),
    ]
    # Two outlets disagree on the toll, so the side-by-side panel quotes both sentences.
    figures = [
        Figure("f_286", "killed " + PAYLOADS["img"], 286, "at least", PAYLOADS["script"],
               "2022-09", "g_toll", "disagree", [span("a_hostile_1", "At least 286")],
               text="At least 286 " + PAYLOADS["svg"]),
        Figure("f_300", "killed " + PAYLOADS["img"], 300, None, PAYLOADS["script"], "2022-09",
               "g_toll", "disagree", [span("a_hostile_2", "300")], text="300"),
    ]
    stories = [
        Story(sid, HOSTILE, ["a_hostile_1", "a_hostile_2"], thread_id="th_hostile",
              start="2022-11-07", end="2022-11-08",
              summary=[SummarySentence(HOSTILE, [span("a_hostile_1", quoted)]),
                       SummarySentence(PAYLOADS["template"],
                                       [span("a_hostile_2", "talks would resume")])],
              what_is_new=SummarySentence(PAYLOADS["close"],
                                          [span("a_hostile_2", "Officials said")])),
        # A thread neighbour whose long title the index page shortens.
        Story(other, HOSTILE + " " + HOSTILE, [], thread_id="th_hostile"),
    ]
    store.replace_corpus(articles=[], duplicate_groups=[], entities=[bayramov, mirzoyan],
                         quotes=quotes, stories=stories, timeline=timeline, figures=figures,
                         meta={"corpus_built": "1", "built_at": PAYLOADS["template"]})
    store.close()


@pytest.fixture(scope="session")
def payloads() -> dict[str, str]:
    """The payloads ``hostile_db`` carries, by name (``HOSTILE`` is all of them, space-joined)."""
    return dict(PAYLOADS)


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "hostile.db"
    build_hostile(db)
    return db


@pytest.fixture(scope="session")
def hostile_export(hostile_db) -> dict:
    return _export_of(hostile_db)


# -- the fast tier -----------------------------------------------------------------------------


_REAL_LOAD = None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """`pytest -m "not slow"` must stay fast: a test that loads the spaCy model (directly, or by
    building a corpus, also in a module or session fixture it sets up) without the ``slow``
    mark fails instead of slowing the tier."""
    global _REAL_LOAD
    from storyline import nlp

    if _REAL_LOAD is None:
        _REAL_LOAD = nlp.load
    if item.get_closest_marker("slow") is not None:
        nlp.load = _REAL_LOAD
        return

    def refuse(*args, **kwargs):
        raise AssertionError(f"{item.nodeid} loads the spaCy model: mark it @pytest.mark.slow")

    nlp.load = refuse


def pytest_runtest_teardown(item):
    from storyline import nlp

    if _REAL_LOAD is not None:
        nlp.load = _REAL_LOAD


# Fixtures that build a corpus with the real pipeline (and so load the spaCy model).
CORPUS_FIXTURES = frozenset({"demo_db", "demo_store"})


def pytest_collection_modifyitems(config, items):
    """A test that uses a built corpus is slow, whatever its module says; session fixtures are
    built before the guard above can see them, so they are marked here at collection."""
    for item in items:
        if CORPUS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
