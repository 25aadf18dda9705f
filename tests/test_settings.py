"""Settings: one object with every tunable, from defaults or a TOML file, used by build and eval."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import CATALOGUE, StorylineError
from storyline.settings import Settings, StoryConfig


def test_defaults_are_the_measured_build():
    s = Settings()
    assert s.dedup.threshold == 0.7
    assert s.stories == StoryConfig()
    assert s.brief.summary_words == 120
    assert s.build.batch_size == 16


def test_a_toml_file_overrides_only_what_it_names(tmp_path):
    path = tmp_path / "tuned.toml"
    path.write_text("[dedup]\nthreshold = 0.8\n\n[stories]\ntime_window_days = 14\n")
    s = Settings.from_toml(path)
    assert s.dedup.threshold == 0.8
    assert s.stories.time_window_days == 14.0 and isinstance(s.stories.time_window_days, float)
    assert s.stories.threshold == StoryConfig().threshold
    assert s.threads == Settings().threads


@pytest.mark.parametrize(
    ("toml", "code", "says"),
    [
        ("[dedupe]\nthreshold = 0.8\n", "E030", "unknown settings section [dedupe]"),
        ("dedup = 3\n", "E031", "[dedup] must be a table"),
        ("[stories]\nthreshhold = 0.1\n", "E032", "unknown setting 'threshhold'"),
        ("[dedup\n", "E033", "Cannot read settings"),
        ("[build]\nbatch_size = \"big\"\n", "E034", "batch_size must be int"),
    ],
)
def test_a_bad_settings_file_is_a_coded_error_naming_the_file(tmp_path, toml, code, says):
    path = tmp_path / "bad.toml"
    path.write_text(toml)
    with pytest.raises(StorylineError) as caught:
        Settings.from_toml(path)
    assert caught.value.code == code
    assert says in str(caught.value)
    assert str(path) in str(caught.value)


def test_settings_round_trip_through_a_dict():
    s = Settings()
    s.figures.min_bare_value = 3
    assert Settings.from_dict(s.to_dict()) == s


def test_build_with_a_bad_config_stops_before_reading_anything(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[nope]\n")
    db = tmp_path / "x.db"
    result = CliRunner().invoke(app, ["build", str(tmp_path), "--db", str(db), "--config", str(bad)])
    assert result.exit_code == 2
    assert "E030" in result.output
    assert not db.exists()


def test_every_catalogued_message_has_a_unique_code_and_ends_in_a_sentence():
    assert all(code[0] == "E" and code[1:].isdigit() for code in CATALOGUE)
    for code, text in CATALOGUE.items():
        assert text.strip(), code
