"""The fuzz suite in CI: 1,000 generated hostile inputs, a fixed seed, every check of
:mod:`fuzzing` (no crash, no hang, nothing lost, spans inside their text, a valid store).
``make fuzz`` runs 10,000."""

from __future__ import annotations

import pytest

import fuzzing

CI_COUNT = 1_000


def test_generators_are_seeded_and_cover_every_input_kind():
    first = [(c.name, c.files) for c in fuzzing.generate(7, 60)]
    assert first == [(c.name, c.files) for c in fuzzing.generate(7, 60)]
    assert first[50:] == [(c.name, c.files) for c in fuzzing.generate(7, 60, start=50)]
    kinds = {name.split()[1].split("/")[0] for name, _ in first}
    assert kinds >= {"text", "html", "jsonl", "warc", "feed"}
    mutations = {c.name.split("/")[1] for c in fuzzing.generate(1, CI_COUNT)
                 if c.name.split()[1].startswith(("text/", "html/"))}
    assert mutations == set(fuzzing.TEXT_MUTATIONS)  # each damage appears in a CI run


def test_the_checks_catch_a_lost_record(tmp_path):
    case = fuzzing.Case("jsonl/claimed", {"batch.jsonl": b'{"text": "one"}\n'}, records=3)
    outcome = fuzzing.run_case(case, tmp_path)
    assert any(p.startswith("lost:") for p in outcome.problems)


@pytest.mark.slow
def test_a_thousand_hostile_inputs_build_without_crash_hang_loss_or_bad_span():
    failed = fuzzing.run(seed=1, count=CI_COUNT, workers=2)
    assert not failed, "\n".join(f"{o.case}: {'; '.join(o.problems)}" for o in failed[:20])


@pytest.mark.slow
def test_the_time_check_is_per_record(tmp_path, monkeypatch):
    lines = [b'{"text": "Talks between the two ministers resumed in Washington on Monday, '
             b'officials said.", "url": "https://news.example/%d"}' % i for i in range(2)]
    case = fuzzing.Case("jsonl/two", {"batch.jsonl": b"\n".join(lines) + b"\n"}, records=2)
    assert not fuzzing.run_case(case, tmp_path / "a").problems
    monkeypatch.setattr(fuzzing, "TIME_LIMIT", 0.0)
    outcome = fuzzing.run_case(case, tmp_path / "b")
    assert [p for p in outcome.problems if p.startswith("slow:")] == [
        p for p in outcome.problems if "for one of 2 inputs" in p]
    assert any(p.startswith("slow:") for p in outcome.problems)
