"""The public Python API: the README example runs, and the calls match the command line."""

from __future__ import annotations

import re

import pytest

import storyline
from paths import ROOT


def _readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Python API"):]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


@pytest.mark.slow
def test_the_readme_example_builds_exports_and_searches(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    exec(compile(_readme_example(), "README.md", "exec"), {})  # noqa: S102 - our own README
    printed = capsys.readouterr().out
    assert "5 articles, 2 stories" in printed
    assert re.search(r"5 exported; [1-9]\d* hits for Bayramov", printed)


def test_public_names_resolve_lazily_and_unknown_ones_are_attribute_errors():
    for name in storyline.__all__:
        assert getattr(storyline, name) is not None
    with pytest.raises(AttributeError, match="no_such_thing"):
        storyline.no_such_thing  # noqa: B018


def test_open_store_on_a_missing_database_says_which_path_to_build(tmp_path):
    missing = tmp_path / "nowhere.db"
    with pytest.raises(storyline.StorylineError) as caught:
        storyline.open_store(missing)
    text = str(caught.value)
    assert text.startswith("[E010]")
    assert f"--db {missing}` first" in text
    assert "{" not in text  # every placeholder filled


def test_export_refuses_an_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        storyline.export(None, format="xml")  # type: ignore[arg-type]
