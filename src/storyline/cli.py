"""The command line: a thin layer over the library (typer + rich)."""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import logging
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline import pipeline
from storyline.errors import StorylineError, message
from storyline.settings import Settings
from storyline.store import Store, guard

app = typer.Typer(
    help="Storyline: turn overlapping news reports into one sourced account of each story.",
    no_args_is_help=True,
    add_completion=False,
)
eval_app = typer.Typer(help="Score a stage on gold data; the last line printed is JSON.",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")


def _version(value: bool) -> None:
    if value:
        import storyline

        print(f"storyline {storyline.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Storyline: turn overlapping news reports into one sourced account of each story."""

console = Console()
err = Console(stderr=True)

DEFAULT_DB = Path("storyline.db")
# readable=False: the store itself says what is wrong with the file, in one catalogued line.
DbOption = Annotated[Path, typer.Option("--db", help="The Storyline database file.",
                                        readable=False)]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="A TOML file of settings (see storyline.settings).")
]


def _add_row(table: Table, *cells: str) -> None:
    """A table row of article-derived text: shown literally, never read as rich markup."""
    table.add_row(*(escape(c) for c in cells))


def _settings(config: Path | None) -> Settings:
    """The defaults, overridden by the TOML file ``config`` when one is given."""
    if config is None:
        return Settings()
    try:
        return Settings.from_toml(config)
    except StorylineError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc


def _open(db: Path) -> Store:
    """The database ``db``, read-only; a missing or unusable one raises a StoreError, which
    :func:`_one_line_errors` prints."""
    return Store(db, readonly=True)


def _fail(exc: StorylineError) -> NoReturn:
    """One line on stderr (never wrapped, so it stays one line in a log), then exit: 2 when
    there is no database at the path given (a usage mistake), else 1."""
    text = str(exc).replace("\n", "\\n")  # one line, even for a file name with a newline
    err.print(f"[red]{escape(text)}[/red]", soft_wrap=True)
    raise typer.Exit(2 if exc.code == "E010" else 1) from exc


_Command = TypeVar("_Command", bound=Callable[..., None])


def _one_line_errors(command: _Command) -> _Command:
    """``command`` with a catalogued error, or a SQLite error in the middle of it (a damaged
    page, a full disk, a lock), printed as one line naming the database instead of a traceback.
    """

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except StorylineError as exc:
            _fail(exc)
        except sqlite3.Error as exc:
            _fail(guard.describe(exc, kwargs.get("db", DEFAULT_DB)))

    return run  # type: ignore[return-value]


def _write_text(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: through ``path.tmp``, which is removed when the
    write fails (a full disk, a folder we may not write to); the error is catalogued (E019)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):  # (gone already, or its folder is not there)
            tmp.unlink()
        raise guard.output_error(exc, path) from exc


class _RichProgress(pipeline.Progress):
    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def start(self, stage, total):
        labels = {"read": "Reading and cleaning", "annotate": "Annotating articles",
                  "resolve": "Resolving corpus"}
        if stage in self.tasks:
            self.progress.update(self.tasks[stage], total=total, completed=0)
        else:
            self.tasks[stage] = self.progress.add_task(labels.get(stage, stage), total=total)

    def advance(self, stage, n=1):
        if stage in self.tasks:
            self.progress.advance(self.tasks[stage], n)

    def error(self, origin, reason):
        self.progress.console.print(f"[yellow]skipped[/yellow] {escape(origin)}: {escape(reason)}")


@app.command()
def build(
    paths: Annotated[list[str], typer.Argument(help="Files, directories or globs to read.")],
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path | None, typer.Option(help="Also write the HTML report here.")] = None,
    engine: Annotated[str, typer.Option(help="serial, process or dask.")] = "serial",
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address.")] = None,
    threshold: Annotated[
        float | None, typer.Option(help="Near-duplicate Jaccard threshold (overrides --config).")
    ] = None,
    config: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q",
                                        help="No progress and no summary; errors only.")] = False,
    timings: Annotated[Path | None, typer.Option(
        help="Write the seconds of each step (and peak memory) here as JSON.")] = None,
) -> None:
    """Read, clean, deduplicate and analyse articles into the database (incremental)."""
    from storyline.runners import make_runner

    settings = _settings(config)
    if threshold is not None:
        settings.dedup.threshold = threshold
    store = Store(db)
    runner = make_runner(engine, workers, scheduler)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    try:
        if quiet:
            summary = pipeline.build(paths, store, runner, settings, _QuietProgress())
        else:
            with Progress(*columns, console=err, transient=True) as bar:
                summary = pipeline.build(paths, store, runner, settings, _RichProgress(bar))
    finally:
        runner.close()
    for table, key, reason in store.repaired:
        err.print(f"[yellow]repaired[/yellow] {escape(f'{db}: row {key!r} of table {table}')} "
                  f"({escape(reason)}): removed, and redone by this build", soft_wrap=True)
    if timings is not None:
        _write_timings(summary, timings)
    if not quiet:
        _print_summary(summary)
        console.print(f"Database: {escape(str(db.resolve()))}")
    if out is not None:
        _write_report(store, out)
    store.close()


class _QuietProgress(pipeline.Progress):
    def error(self, origin, reason):
        err.print(f"skipped {escape(origin)}: {escape(reason)}")


def _write_timings(summary: pipeline.BuildSummary, path: Path) -> None:
    """The build's step times, the per-annotator times of this process, and peak memory (KiB:
    of this process, and of the largest of its finished worker processes)."""
    import resource

    from storyline.annotate import SECONDS

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    stages = dict(summary.timings)
    _write_text(path, json.dumps({
        "stages": {k: round(v, 3) for k, v in stages.items() if k != "corpus steps"},
        "corpus_s": round(stages.get("corpus steps", 0.0), 3),
        "annotators": {k: round(v, 3) for k, v in sorted(SECONDS.items())},
        "peak_kib": own, "worker_peak_kib": workers, "articles": summary.articles,
    }, indent=1))


def _print_summary(s: pipeline.BuildSummary) -> None:
    table = Table(title="Build summary", show_header=False)
    rows = [
        ("inputs read", s.inputs), ("new articles", s.new_articles),
        ("unchanged (skipped)", s.unchanged), ("unreadable inputs", len(s.errors)),
        ("articles in store", s.articles), ("duplicate groups", s.duplicate_groups),
        ("stories", s.stories), ("threads", s.threads), ("entities", s.entities),
        ("quotes", s.quotes), ("timeline entries", s.timeline), ("figures", s.figures),
    ]
    for name, value in rows:
        _add_row(table, name, str(value))
    console.print(table)
    for article_id, note in s.notes:
        console.print(f"[cyan]note[/cyan] {escape(article_id)}: {escape(note)}")
    if not s.corpus_rebuilt and not s.new_articles:
        console.print("Nothing new: the database already holds these inputs.")


def _write_report(store: Store, out: Path) -> None:
    from storyline.outputs.report import render_report

    _write_text(out, render_report(store))  # never leaves a half-written report behind
    console.print(f"Report: {escape(str(out.resolve()))}")


@app.command()
def report(
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path, typer.Option(help="Where to write the HTML file.")] = Path(
        "storyline-report.html"),
) -> None:
    """Write the self-contained HTML report."""
    store = _open(db)
    _write_report(store, out)


@app.command()
def articles(db: DbOption = DEFAULT_DB,
             duplicates: Annotated[bool, typer.Option(help="Show copies too.")] = True) -> None:
    """List the articles in the database."""
    store = _open(db)
    table = Table()
    table.add_column("id", no_wrap=True, min_width=14)
    table.add_column("published", no_wrap=True)
    table.add_column("publisher", max_width=16)
    table.add_column("title")
    table.add_column("copy of", no_wrap=True)
    for a in store.articles(include_duplicates=duplicates):
        _add_row(table, a.id, f"{a.published.value or '—'} ({a.published.evidence or 'none'})",
                      a.publisher or "", _short(a.title or a.text), a.duplicate_of or "")
    console.print(table)


def _span(start: str | None, end: str | None) -> str:
    """"2022-11-07 – 11-08" rather than two full dates when the year is the same."""
    if not start:
        return "undated"
    if not end or end == start:
        return start
    return f"{start} – {end[5:] if end[:4] == start[:4] else end}"


def _short(text: str, width: int = 40) -> str:
    """A title (or an untitled article's first words) cut to fit a table cell."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@app.command()
def search(query: str, db: DbOption = DEFAULT_DB,
           limit: Annotated[int, typer.Option(help="Most results shown.")] = 20) -> None:
    """Full-text search over article titles and texts."""
    store = _open(db)
    hits = store.search(query, limit)
    if not hits:
        console.print(f"No article matches {escape(repr(query))}.")
        return
    table = Table("article", "title", "snippet")
    for h in hits:
        _add_row(table, h["article_id"], h["title"], h["snippet"])
    console.print(table)


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    format: Annotated[str, typer.Option("--format", help="json, jsonl or md.")] = "json",
    out: Annotated[Path | None, typer.Option(help="File to write (default: stdout).")] = None,
) -> None:
    """Export everything in the published contract (JSON Schema in storyline/outputs/schema)."""
    from storyline.outputs import export as exp

    writers = {"json": exp.to_json, "jsonl": exp.to_jsonl, "md": exp.to_markdown}
    if format not in writers:
        err.print(f"[red]Unknown format {escape(repr(format))}: use json, jsonl or md.[/red]")
        raise typer.Exit(2)
    text = writers[format](exp.export_dict(_open(db)))
    if out is None:
        sys.stdout.write(text)
    else:
        _write_text(out, text)
        err.print(f"Wrote {escape(str(out))}")


@app.command()
def entities(db: DbOption = DEFAULT_DB,
             type: Annotated[str | None, typer.Option("--type", help="PERSON, ORG, GPE…")] = None,
             ) -> None:
    """People, organisations and places, with aliases, roles and merge evidence."""
    store = _open(db)
    table = Table("name", "type", "aliases", "roles", "mentions", "articles")
    for e in store.entities():
        if type and e.type != type.upper():
            continue
        _add_row(table, e.name, e.type, ", ".join(a for a in e.aliases if a != e.name),
                      "; ".join(e.roles), str(len(e.mentions)),
                      str(len({m.article_id for m in e.mentions})))
    console.print(table)


@app.command()
def quotes(db: DbOption = DEFAULT_DB,
           speaker: Annotated[str | None, typer.Option(help="Only this speaker.")] = None) -> None:
    """Quotes with their speakers, cue verbs and the outlets that carry them."""
    store = _open(db)
    table = Table("speaker", "kind", "quote", "cue", "outlets")
    for q in store.quotes(speaker):
        _add_row(table, q.speaker.name or "?", q.kind, q.text, q.cue or "",
                      str(len(q.occurrences)))
    console.print(table)


@app.command()
def stories(db: DbOption = DEFAULT_DB) -> None:
    """Stories, their time span, articles and thread."""
    store = _open(db)
    table = Table()
    table.add_column("story", no_wrap=True, min_width=18)
    table.add_column("title")
    table.add_column("span", no_wrap=True)
    table.add_column("articles", justify="right", no_wrap=True)
    table.add_column("thread", no_wrap=True, min_width=19)
    for s in store.stories():
        _add_row(table, s.id, _short(s.title), _span(s.start, s.end),
                      str(len(s.article_ids)), s.thread_id or "")
    console.print(table)


@app.command()
def show(story: str, db: DbOption = DEFAULT_DB) -> None:
    """One story: summary with citations, articles and timeline."""
    store = _open(db)
    found = [s for s in store.stories() if s.id == story]
    if not found:
        err.print(f"[red]{escape(message('E050', story=story))}[/red]")
        raise typer.Exit(1)
    s = found[0]
    console.print(f"[bold]{escape(s.title)}[/bold]  ({s.start or '?'} – {s.end or '?'})")
    for sent in s.summary:
        cites = ", ".join(f"{c.article_id}:{c.start}-{c.end}" for c in sent.citations)
        console.print(f"• {escape(sent.text)} [dim]{escape(f'[{cites}]')}[/dim]")
    if s.what_is_new:
        console.print(f"[green]New:[/green] {escape(s.what_is_new.text)}")
    for aid in s.article_ids:
        a = store.article(aid)
        if a:
            console.print(f"  - {escape(a.title or a.origin)} ({a.published.value or 'undated'})")
    for t in store.timeline():
        if t.story_id == s.id:
            console.print(f"  {t.date or '?'}  {t.type:10} {escape(t.summary)}")


@app.command()
def timeline(story: Annotated[str | None, typer.Argument(help="A story id.")] = None,
             db: DbOption = DEFAULT_DB) -> None:
    """The timeline of events, each with its sources."""
    store = _open(db)
    table = Table("date", "type", "event", "where", "sources")
    for t in store.timeline():
        if story and t.story_id != story:
            continue
        _add_row(table, t.date or "?", t.type, t.summary, t.location or "", str(len(t.sources)))
    console.print(table)


@app.command()
def figures(db: DbOption = DEFAULT_DB) -> None:
    """Numeric claims grouped across sources, with agreement."""
    store = _open(db)
    table = Table("group", "what", "figure", "agreement", "sources")
    for f in store.figures():
        _add_row(table, f.group_id, f.what, f.text or str(f.value), f.agreement,
                      str(len(f.occurrences)))
    console.print(table)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8765,
    allowed_host: Annotated[list[str] | None, typer.Option(
        help="Another host name the app answers to (repeatable); it always answers to --host "
             "and localhost.")] = None,
) -> None:
    """Run the read-only web app (localhost by default)."""
    import uvicorn

    from storyline.outputs.web.app import create_app

    with _open(db) as store:
        store.check()  # the app reads the whole store: refuse a damaged one before it serves
    hosts = sorted({host, "localhost", "127.0.0.1", "::1", *(allowed_host or [])})
    uvicorn.run(create_app(db, allowed_hosts=hosts), host=host, port=port, log_level="warning")


EVAL_TASKS = ("clean", "entities", "quotes", "timex", "events", "stories", "summary", "account")


def _eval(task: str, data: Path, limit: int | None, config: Path | None) -> None:
    if not data.exists():
        err.print(f"[red]{escape(message('E051', data=data))}[/red]")
        raise typer.Exit(2)
    settings = _settings(config)
    module = importlib.import_module(f"storyline.eval.{task}")
    metrics = module.evaluate(data, limit=limit, settings=settings)
    print(json.dumps(metrics, sort_keys=True))


def _make_eval(task: str):
    def command(
        data: Annotated[Path, typer.Option(help="The gold data (file or directory).")],
        limit: Annotated[int | None, typer.Option(help="Score only the first N items.")] = None,
        config: ConfigOption = None,
    ) -> None:
        _eval(task, data, limit, config)

    command.__doc__ = f"Score the {task} stage; prints a table, then one JSON line."
    return command


for _task in EVAL_TASKS:
    eval_app.command(_task)(_make_eval(_task))

# Every command, including one added later, prints a database problem as one line.
for _info in app.registered_commands:
    if _info.callback is not None:
        _info.callback = _one_line_errors(_info.callback)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
