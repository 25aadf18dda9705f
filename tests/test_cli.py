"""The command line: every command has help and is documented; the commands run."""

import json
import re

import pytest
from typer.testing import CliRunner

from paths import ROOT, SEEDS
from storyline.cli import EVAL_TASKS, app

runner = CliRunner()

COMMANDS = ["build", "report", "articles", "search", "export", "entities", "quotes", "stories",
            "show", "timeline", "figures", "serve", "eval"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip()) > 40
    assert re.search(rf"storyline {command}\b", (ROOT / "README.md").read_text())


@pytest.mark.parametrize("task", EVAL_TASKS)
def test_every_eval_task_has_help(task):
    assert runner.invoke(app, ["eval", task, "--help"]).exit_code == 0


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    result = runner.invoke(app, ["build", str(SEEDS), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.slow
def test_build_prints_a_summary_and_where_the_database_is(tmp_path):
    path = tmp_path / "d.db"
    result = runner.invoke(app, ["build", str(SEEDS / "002_*.txt"), "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "Build summary" in result.output and "Database:" in result.output


@pytest.mark.slow
def test_search_finds_bayramov(db):
    result = runner.invoke(app, ["search", "Bayramov", "--db", str(db)])
    assert result.exit_code == 0
    assert "Washington" in result.output


@pytest.mark.slow
def test_export_json_to_stdout_parses(db):
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["articles"]) == 5


@pytest.mark.slow
def test_unknown_export_format_is_a_clear_error(db):
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "xml"])
    assert result.exit_code == 2 and "Unknown format" in result.output


def test_commands_on_a_missing_database_say_how_to_build_one(tmp_path):
    result = runner.invoke(app, ["articles", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "storyline build" in result.output


@pytest.mark.slow
def test_report_is_written_atomically(db, tmp_path):
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().lstrip().lower().startswith("<!doctype html")
    assert not out.with_suffix(".html.tmp").exists()


@pytest.mark.slow
def test_show_unknown_story_is_an_error_not_a_traceback(db):
    result = runner.invoke(app, ["show", "nope", "--db", str(db)])
    assert result.exit_code == 1 and "No story" in result.output


def test_python_dash_m_storyline_runs_the_same_cli():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "storyline", "--help"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0
    assert "build" in result.stdout and "serve" in result.stdout


@pytest.mark.slow
def test_file_names_with_brackets_are_shown_literally_not_as_markup(tmp_path):
    folder = tmp_path / "notes["
    folder.mkdir()
    (folder / "x]y.txt").write_text(
        "Ministers met in Washington on Monday to agree on a new round of talks between the two "
        "countries, officials said on Tuesday in a statement.\n", encoding="utf-8")
    (folder / "empty[bold].txt").write_text("", encoding="utf-8")
    db = tmp_path / "s.db"
    result = CliRunner().invoke(app, ["build", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "notes[/empty[bold].txt" in result.output.replace("\n", "")  # wrapped at 80 columns


def test_version_prints_without_loading_the_model():
    # The fast tier refuses nlp.load, so this also shows start-up never loads spaCy.
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"storyline \d+\.\d+\.\d+\s*", result.output)


@pytest.mark.slow
def test_quiet_build_prints_only_errors_and_writes_its_timings(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("00[12]_*.txt")):
        (corpus / seed.name).write_bytes(seed.read_bytes())
    (corpus / "empty.txt").write_text("")
    timings = tmp_path / "t.json"
    result = runner.invoke(app, ["build", str(corpus), "--db", str(tmp_path / "q.db"), "--quiet",
                                 "--timings", str(timings)])
    assert result.exit_code == 0, result.output
    assert "Build summary" not in result.output
    assert "empty.txt" in result.output  # the skipped input is still reported
    found = json.loads(timings.read_text())
    assert found["articles"] == 2
    assert {"read and clean", "annotate", "stories", "brief"} <= set(found["stages"])
    assert 0 < found["corpus_s"] <= sum(found["stages"].values())
    assert found["annotators"]["parse"] > 0 and found["peak_kib"] > 0
