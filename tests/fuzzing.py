"""The fuzz suite: seeded generators of hostile inputs of every kind, and the checks one build
of each must pass.

Each generated case is one input file (text, HTML, JSON Lines, WARC, RSS/Atom; plain or
gzipped) made from real article sentences (the bundled sample corpus) and then damaged in one of
the ways scraped data is: broken encodings, lone surrogates, control characters, scripts
without word spaces, huge or one-line articles, pathological markup, deep JSON, repeated URLs,
cut-off archives, feeds that are not feeds. Each case is built on its own fresh store through
the library API, and the build must:

* not crash, and give no input more than :data:`TIME_LIMIT` seconds: a record of a
  multi-record file counts as one input, its time being its own annotation plus an even share of
  what the file's records go through together (a case that runs past :data:`HANG_LIMIT` is
  stopped and counted as a hang);
* lose nothing: every record read is stored or reported with its reason, the summary's counts
  add up, and a well-formed container yields as many inputs as it holds records;
* keep every span inside its article's text (and every mention's text equal to what it spans);
* leave a valid store: SQLite's integrity check passes, the store's own row check passes, and
  the export reads back and matches the published JSON Schema.

Own generators rather than Hypothesis: the inputs are structured files (archives, feeds, gzip
members) whose damage has to be chosen, not shrunk from random bytes, and one fixed seed must give
the same cases on every machine. ``python tests/fuzzing.py --count 10000`` (``make fuzz``) runs
the long suite; ``tests/test_fuzz.py`` runs 1,000 cases in CI's slow tier.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gzip
import io
import json
import random
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "armenia-azerbaijan"

TIME_LIMIT = 10.0  # seconds one input may take (the bound on this 2-core machine)
HANG_LIMIT = 60  # seconds after which a case is stopped and counted as a hang


@dataclass
class Case:
    name: str  # generator and mutation, e.g. "jsonl/surrogate"
    files: dict[str, bytes]  # relative path -> content (one input file, sometimes two)
    records: int | None = None  # records a well-formed container holds (None: not known)
    broken: bool = False  # the container is damaged: a file-level report is expected


@dataclass
class Outcome:
    case: str
    seconds: float
    problems: list[str] = field(default_factory=list)


# -- real text ---------------------------------------------------------------------------------


def sample_paragraphs() -> list[str]:
    """The paragraphs of the bundled sample corpus (real news text)."""
    out = []
    for path in sorted(SAMPLE.glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n"):
            if len(para.split()) >= 12:
                out.append(para.strip())
    return out


# Short real sentences in scripts the sample corpus lacks.
_OTHER_SCRIPTS = [
    "亚美尼亚和阿塞拜疆外长周一在华盛顿会晤，讨论和平条约。双方表示取得了进展。",
    "アルメニアとアゼルバイジャンの外相は月曜日にワシントンで会談し、平和条約について協議した。",
    "التقى وزيرا خارجية أرمينيا وأذربيجان في واشنطن يوم الاثنين لمناقشة معاهدة سلام.",
    "Министры иностранных дел Армении и Азербайджана встретились в Вашингтоне в понедельник.",
    "Οι υπουργοί Εξωτερικών της Αρμενίας και του Αζερμπαϊτζάν συναντήθηκαν στην Ουάσιγκτον.",
    "아르메니아와 아제르바이잔 외무장관이 월요일 워싱턴에서 만나 평화 조약을 논의했다.",
]


class Text:
    """Article text from real paragraphs, with the damage a mutation names."""

    def __init__(self, rng: random.Random, paragraphs: list[str]):
        self.rng = rng
        self.paragraphs = paragraphs

    def article(self, n: int | None = None) -> str:
        n = n or self.rng.randint(1, 4)
        start = self.rng.randrange(len(self.paragraphs))
        return "\n".join(self.paragraphs[(start + k) % len(self.paragraphs)] for k in range(n))

    def sized(self, chars: int) -> str:
        parts, size = [], 0
        while size < chars:
            parts.append(self.article(8))
            size += len(parts[-1]) + 1
        return "\n".join(parts)[:chars]

    def mutate(self, kind: str) -> str:
        rng, base = self.rng, self.article()
        sentence = self.paragraphs[rng.randrange(len(self.paragraphs))]
        pos = rng.randrange(len(base) + 1)
        mutations: dict[str, Callable[[], str]] = {
            "plain": lambda: base,
            "surrogate": lambda: base[:pos] + "\ud800" + base[pos:] + "\udfff",
            "nul": lambda: base[:pos] + "\x00" * rng.randint(1, 50) + base[pos:],
            "control": lambda: "".join(ch + (chr(rng.randrange(1, 32)) if rng.random() < 0.05
                                             else "") for ch in base),
            "zero_width": lambda: base.replace(" ", " \u200b\u200d\ufeff", rng.randint(1, 40)),
            "bidi": lambda: "\u202e" + base + "\u202c\u2066",
            "emoji_combining": lambda: base.replace("e", "e\u0301\u0308", 30) + " 🇦🇲🇦🇿👍🏽" * 20,
            "other_script": lambda: "\n".join(rng.choice(_OTHER_SCRIPTS) * rng.randint(1, 6)
                                              for _ in range(rng.randint(2, 6))),
            "mixed_script": lambda: base + "\n" + rng.choice(_OTHER_SCRIPTS) * 3,
            "one_line": lambda: self.sized(rng.choice([20_000, 100_000, 300_000])).replace(
                "\n", " "),
            "huge": lambda: self.sized(rng.choice([200_000, 1_000_000])),
            "percentages": lambda: base + "\n" + " ".join(
                f"{rng.randint(0, 99)}.{rng.randint(0, 9)}% of {rng.randint(1, 9000)} voters"
                for _ in range(rng.choice([1000, 5000]))),
            "quote_lines": lambda: base + "\n" + "\n".join(
                f"\u201c{sentence[:rng.randint(20, 120)]},\u201d he said." for _ in
                range(rng.choice([500, 3000]))),
            "unbalanced_quote": lambda: base.replace(".", ". \u201c", 1) + "\n" + self.sized(
                rng.choice([5_000, 60_000])),
            "many_dates": lambda: base + "\n" + " ".join(
                rng.choice(["on Monday", "late last month", "in 2020", "March 3",
                            "the next day", "since 1994", "two weeks ago"])
                for _ in range(rng.choice([500, 4000]))),
            "long_word": lambda: base + " " + "a" * rng.choice([10_000, 200_000]) + " " + base,
            "many_lines": lambda: "\n".join(sentence.split()[k % 10] for k in
                                            range(rng.choice([5_000, 50_000]))),
            "crlf": lambda: base.replace("\n", rng.choice(["\r\n", "\r", "\n\n\n"])),
            "numbers": lambda: base + " " + " ".join(
                rng.choice(["10" * 200, "1e400", "-0", "$3.4 million", "NaN", "0x1F", "½",
                            "٣٤", "1,000,000,000,000,000 killed"]) for _ in range(200)),
            "whitespace_only": lambda: rng.choice([" ", "\n\n\t", "\u3000\u00a0"]) * 100,
            "punctuation": lambda: "".join(rng.choice("!?.,;:“”\"'()[]{}<>—-") for _ in
                                           range(rng.randint(1, 5000))),
            "tiny": lambda: sentence.split()[0],
            "markup_text": lambda: base + " <script>alert(1)</script> {{7*7}} ${7*7} "
                                          "[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        }
        return mutations[kind]()


TEXT_MUTATIONS = (
    "plain", "surrogate", "nul", "control", "zero_width", "bidi", "emoji_combining",
    "other_script", "mixed_script", "one_line", "huge", "percentages", "quote_lines",
    "unbalanced_quote", "many_dates", "long_word", "many_lines", "crlf", "numbers",
    "whitespace_only", "punctuation", "tiny", "markup_text",
)
# Mutations that are slow to build at full size: drawn less often so a run of N cases stays
# within its time, yet every one of them appears in each run of 1,000.
RARE = {"one_line", "huge", "percentages", "quote_lines", "many_dates", "long_word",
        "many_lines", "unbalanced_quote"}


def encode(text: str, rng: random.Random) -> tuple[bytes, str]:
    """The text as bytes in a random encoding, and the encoding's name."""
    name = rng.choice(["utf-8"] * 6 + ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                       "latin-1", "cp1252", "invalid", "gb18030"])
    if name == "invalid":
        raw = text.encode("utf-8", "surrogatepass")
        cut = rng.randrange(len(raw) + 1)
        return raw[:cut] + bytes([0xC3, 0x28, 0xFF, 0xFE, 0xA0]) + raw[cut:], name
    return text.encode(name, "replace"), name


# -- containers ---------------------------------------------------------------------------------


def _html(body: str, rng: random.Random, title: str = "Report") -> str:
    paragraphs = "".join(f"<p>{_escape(p)}</p>" for p in body.split("\n") if p)
    shape = rng.choice(["plain", "deep", "attributes", "script", "unclosed", "comment",
                        "entities", "charset_lie", "frames"])
    head = f"<head><title>{_escape(title)}</title></head>"
    if shape == "deep":
        depth = rng.choice([100, 255, 300, 1000, 5000])
        paragraphs = "<div>" * depth + paragraphs + "</div>" * depth
    elif shape == "attributes":
        n = rng.choice([100, 5000, 50_000])
        paragraphs = "<p " + " ".join(f'data-a{i}="v{i}"' for i in range(n)) + ">x</p>" + \
            paragraphs
    elif shape == "script":
        paragraphs = "<script>var s='<div><p>" + "x" * rng.choice([10, 100_000]) + \
            "</p>';</script>" + paragraphs + "<style>p{}</style>"
    elif shape == "unclosed":
        paragraphs = paragraphs.replace("</p>", "") + "<div><span><b><i>" * 50
    elif shape == "comment":
        paragraphs = paragraphs + "<!-- " + "<div>" * rng.choice([10, 10_000])
    elif shape == "entities":
        paragraphs = paragraphs + "<p>&#xD800; &#0; &#x110000; &bogus; &amp&lt;&#9999999999;</p>"
    elif shape == "charset_lie":
        head = '<head><meta charset="utf-16"><meta charset="x-unknown"></head>'
    elif shape == "frames":
        paragraphs = "<frameset><frame src='x'></frameset>" + paragraphs
    return f"<!DOCTYPE html><html>{head}<body><article>{paragraphs}</article></body></html>"


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)  # no clock in the bytes: one seed, one case


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_case(rng: random.Random, text: Text) -> Case:
    kind = _pick(rng)
    data, encoding = encode(text.mutate(kind), rng)
    name = rng.choice(["story.txt", "notes[1].txt", "empty[bold].md", "a b/ç.txt", "x.TXT"])
    return Case(f"text/{kind}/{encoding}", {name: data}, records=1)


def html_case(rng: random.Random, text: Text) -> Case:
    kind = _pick(rng)
    page = _html(text.mutate(kind), rng, title=text.mutate(rng.choice(["plain", "surrogate",
                                                                          "markup_text"]))[:200])
    data, encoding = encode(page, rng) if rng.random() < 0.3 else (
        page.encode("utf-8", "surrogatepass"), "utf-8")
    name = "page.html.gz" if rng.random() < 0.15 else "page.html"
    if name.endswith(".gz"):
        data = _gzip(data)
        if rng.random() < 0.3:
            return Case(f"html/{kind}/truncated-gzip", {name: data[: len(data) // 2]},
                        broken=True)
    return Case(f"html/{kind}/{encoding}", {name: data}, records=1)


def jsonl_case(rng: random.Random, text: Text) -> Case:
    n = rng.choice([1, 2, 4, 8])
    lines, records = [], 0
    url = f"https://news.example/{rng.randrange(10)}"
    shape = rng.choice(["plain", "bad_lines", "same_url", "wrong_types", "deep", "blank",
                        "non_object", "gzip_members", "truncated_gzip", "html_field"])
    for i in range(n):
        kind = _pick(rng)
        record: dict = {"text": text.mutate(kind), "title": text.mutate("plain")[:80],
                        "url": f"{url}/{i}", "date": rng.choice(["2022-11-07", "07/11/2022",
                                                                 "not a date", "2022-13-45",
                                                                 None, 20221107])}
        if shape == "same_url":
            record["url"] = url
        elif shape == "wrong_types":
            record["title"] = rng.choice([12, ["a", "b"], {"x": 1}, None, True])
            record["source"] = rng.choice([3.5, [], "Reuters\ud800"])
        elif shape == "html_field":
            record = {"html": _html(record["text"], rng), "url": record["url"]}
        lines.append(json.dumps(record, ensure_ascii=rng.random() < 0.5))
        records += 1
        if shape == "bad_lines" and rng.random() < 0.5:
            lines.append(rng.choice(["{not json", "[1, 2]", '"a string"', "null", "{}",
                                     '{"text": ""}', "\x00\x01binary"]))
            records += 1
        elif shape == "deep" and i == 0:
            depth = rng.choice([500, 100_000])
            lines.append("[" * depth + "]" * depth)
            records += 1
        elif shape == "non_object":
            lines.append(json.dumps([record]))
            records += 1
    if shape == "blank":
        lines = [rng.choice(["", " ", "\t"]) for _ in lines] if rng.random() < 0.5 else \
            lines + ["", "   "]
        records = sum(1 for line in lines if line.strip())
    body = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    if shape in ("gzip_members", "truncated_gzip"):
        half = len(lines) // 2
        first = ("\n".join(lines[:half]) + "\n").encode("utf-8", "surrogatepass") if half else b""
        second = ("\n".join(lines[half:]) + "\n").encode("utf-8", "surrogatepass")
        members = [_gzip(first), _gzip(second)] if half else [_gzip(second)]
        data = b"".join(members)
        if shape == "truncated_gzip":
            cut = len(data) * 2 // 3
            if cut == len(members[0]):
                cut -= 1  # a cut at a member's end leaves a whole, valid file: cut inside it
            return Case("jsonl/truncated_gzip", {"batch.jsonl.gz": data[:cut]}, broken=True)
        return Case("jsonl/gzip_members", {"batch.jsonl.gz": data}, records=records)
    if shape == "blank" and records == 0:
        return Case("jsonl/blank", {"batch.jsonl": body}, broken=True)
    return Case(f"jsonl/{shape}", {"batch.jsonl": body}, records=records)


def warc_case(rng: random.Random, text: Text) -> Case:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    compressed = rng.random() < 0.5
    writer = WARCWriter(buf, gzip=compressed)
    shape = rng.choice(["plain", "same_uri", "odd_uri", "non_html", "truncated", "no_type"])
    records = 0
    for i in range(rng.choice([1, 2, 4])):
        kind = _pick(rng)
        uri = {"same_uri": "https://news.example/a",
               "odd_uri": rng.choice(["", "urn:uuid:1", "dns:news.example", "/relative",
                                      "https://news.example/a b?c#d", "ftp://x/y"]),
               }.get(shape, f"https://news.example/{i}")
        html = _html(text.mutate(kind), rng).encode("utf-8", "surrogatepass")
        ctype = "image/png" if shape == "non_html" and i % 2 else "text/html; charset=utf-8"
        headers = [] if shape == "no_type" else [("Content-Type", ctype)]
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        date = f"2022-11-0{1 + i % 9}T10:00:00Z"
        record = writer.create_warc_record(uri, "response", payload=io.BytesIO(html),
                                           http_headers=http,
                                           warc_headers_dict={
                                               "WARC-Date": date,
                                               "WARC-Record-ID": f"<urn:uuid:{_uuid(rng)}>"})
        writer.write_record(record)
        records += 1
    data = buf.getvalue()
    name = "crawl.warc.gz" if compressed else "crawl.warc"
    if shape == "truncated":
        return Case("warc/truncated", {name: data[: rng.randrange(len(data) // 3, len(data))]},
                    broken=True)
    # Non-HTML and untyped captures are not articles: the count says only "no more than".
    count = records if shape in ("plain", "same_uri", "odd_uri") else None
    return Case(f"warc/{shape}", {name: data}, records=count)


def _uuid(rng: random.Random) -> str:
    import uuid

    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def feed_case(rng: random.Random, text: Text) -> Case:
    shape = rng.choice(["rss", "atom", "same_link", "no_link", "cdata", "not_xml", "html_page",
                        "entity_bomb", "many_items", "empty"])
    n = {"many_items": rng.choice([100, 300])}.get(shape, rng.choice([1, 3, 6]))
    items = []
    for i in range(n):
        body = _escape(text.mutate(_pick(rng) if n < 50 else "plain"))
        link = "" if shape == "no_link" else (
            "<link>https://news.example/a</link>" if shape == "same_link"
            else f"<link>https://news.example/{i}</link>")
        desc = f"<![CDATA[<p>{body}</p>]]>" if shape == "cdata" else body
        items.append(f"<item><title>Item {i}</title>{link}<description>{desc}</description>"
                     f"<pubDate>Mon, 07 Nov 2022 10:00:00 GMT</pubDate></item>")
    if shape == "atom":
        entries = "".join(
            f"<entry><title>E{i}</title><id>urn:e:{i % 2}</id><updated>2022-11-07T10:00:00Z"
            f"</updated><content type='html'>{_escape(text.mutate('plain'))}</content></entry>"
            for i in range(n))
        xml = f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>F</title>" \
              f"{entries}</feed>"
        return Case("feed/atom", {"news.atom": xml.encode()}, records=n)
    if shape == "not_xml":
        return Case("feed/not_xml", {"news.rss": text.mutate("plain").encode()}, broken=True)
    if shape == "html_page":
        return Case("feed/html_page", {"news.xml": _html(text.mutate("plain"), rng).encode()},
                    broken=True)
    if shape == "empty":
        return Case("feed/empty", {"news.rss": b"<rss><channel></channel></rss>"}, broken=True)
    doctype = ""
    if shape == "entity_bomb":
        doctype = ("<!DOCTYPE rss [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;"
                   "&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d '&c;&c;&c;"
                   "&c;&c;&c;&c;&c;&c;&c;'>]>")
        items.append("<item><title>&d;</title><description>&d;&d;&d;</description></item>")
    xml = f"<?xml version='1.0'?>{doctype}<rss><channel><title>Feed</title>{''.join(items)}" \
          "</channel></rss>"
    return Case(f"feed/{shape}", {"news.rss": xml.encode("utf-8", "surrogatepass")},
                records=None if shape == "entity_bomb" else n)


def copies_case(rng: random.Random, text: Text) -> Case:
    """The same file twice in two folders, and a near copy: every copy's origin is kept."""
    body = text.mutate("plain").encode()
    return Case("copies/two_folders", {"x/report.txt": body, "y/report.txt": body,
                                       "z/report.txt": body + b" Updated."}, records=3)


GENERATORS = [text_case, html_case, jsonl_case, warc_case, feed_case, copies_case]
_WEIGHTS = [5, 4, 4, 3, 3, 1]


def _pick(rng: random.Random) -> str:
    kind = rng.choice(TEXT_MUTATIONS)
    if kind in RARE and rng.random() < 0.7:
        kind = rng.choice([k for k in TEXT_MUTATIONS if k not in RARE])
    return kind


def generate(seed: int, count: int, start: int = 0) -> Iterator[Case]:
    """Cases ``start`` to ``count - 1``, the same ones for the same seed (case N does not depend
    on the ones before it, so a long run can be split)."""
    paragraphs = sample_paragraphs()
    for index in range(start, count):
        rng = random.Random(f"{seed}:{index}")
        text = Text(rng, paragraphs)
        generator = rng.choices(GENERATORS, _WEIGHTS)[0]
        case = generator(rng, text)
        yield dataclasses.replace(case, name=f"#{index} {case.name}")


# -- one build, checked --------------------------------------------------------------------------


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


def run_case(case: Case, workdir: Path, schema: bool = True) -> Outcome:
    """Build ``case`` on a fresh store in ``workdir`` and check everything the suite promises
    (with ``schema``, also the export against its JSON Schema, the slowest check)."""
    from storyline.outputs.export import export_dict, to_json
    from storyline.pipeline import build
    from storyline.store import Store

    folder = workdir / "in"
    for rel, data in case.files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    problems: list[str] = []
    db = workdir / "fuzz.db"
    clock = time.perf_counter()
    previous = signal.signal(signal.SIGALRM, _alarm)
    # A hang is a case far past its inputs' time: a minute, and a second more per record.
    signal.alarm(HANG_LIMIT + (case.records or 1))
    try:
        with Store(db) as store, _article_clock() as annotating:
            summary = build([str(folder)], store)
            seconds = time.perf_counter() - clock
            inputs = summary.inputs
            signal.alarm(0)
            problems += _check_counts(case, summary, store)
            problems += _check_store(store, export_dict, to_json, schema)
    except _Hang:
        return Outcome(case.name, time.perf_counter() - clock,
                       [f"hang: over {HANG_LIMIT + (case.records or 1)} s"])
    except Exception as exc:  # noqa: BLE001 - a crash is what the suite looks for
        return Outcome(case.name, time.perf_counter() - clock,
                       [f"crash: {type(exc).__name__}: {str(exc)[:200]}"])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    # The bound is per input, and a record of a file is an input: each record's time is its own
    # annotation plus an even share of what the file's records go through together (reading,
    # batched parsing, the corpus steps, which are linear in the records).
    shared = max(0.0, seconds - sum(annotating.values()))
    share = shared / max(1, inputs)
    slowest = max(annotating.values(), default=0.0) + share
    if slowest > TIME_LIMIT:
        problems.append(f"slow: {slowest:.1f} s for one of {inputs} inputs (annotation "
                        f"{max(annotating.values(), default=0.0):.1f} s + share {share:.1f} s "
                        f"of {seconds:.1f} s) > {TIME_LIMIT:.0f} s")
    return Outcome(case.name, slowest, problems)


@contextlib.contextmanager
def _article_clock() -> Iterator[dict[str, float]]:
    """Seconds each article spends in its annotators, by article id, while the block runs (the
    pipeline looks :func:`storyline.annotate.annotate` up on each batch, so a wrapper sees every
    call, re-annotation after re-dating included)."""
    import storyline.annotate as annotate_module

    seconds: dict[str, float] = {}
    original = annotate_module.annotate

    def timed(article, *args, **kwargs):
        clock = time.perf_counter()
        try:
            return original(article, *args, **kwargs)
        finally:
            seconds[article.id] = seconds.get(article.id, 0.0) + time.perf_counter() - clock

    annotate_module.annotate = timed
    try:
        yield seconds
    finally:
        annotate_module.annotate = original


def _check_counts(case: Case, summary, store) -> list[str]:
    problems = []
    stored = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    accounted = summary.new_articles + summary.unchanged + len(summary.errors)
    if accounted != summary.inputs:
        problems.append(f"counts do not add up: {summary.inputs} inputs, {summary.new_articles} "
                        f"new + {summary.unchanged} unchanged + {len(summary.errors)} reported")
    if stored != summary.new_articles:
        problems.append(f"lost: {summary.new_articles} new articles but {stored} stored")
    if case.records is not None and summary.inputs < case.records:
        problems.append(f"lost: {case.records} records written, {summary.inputs} read")
    if case.broken and not summary.errors:
        problems.append("a damaged input was not reported")
    for origin, reason in summary.errors:
        if not reason or not origin:
            problems.append(f"a report without an input or a reason: {origin!r}: {reason!r}")
    return problems


def _check_store(store, export_dict, to_json, schema: bool) -> list[str]:
    problems = []
    if store.conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        problems.append("store fails SQLite's integrity check")
    store.check()
    data = json.loads(to_json(export_dict(store)))
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for a in data["articles"]:
        for t in a["timexes"]:
            problems += _span(texts, a["id"], t, "timex")
    for e in data["entities"]:
        for m in e["mentions"]:
            problems += _span(texts, m["article_id"], m, "mention")
    for section in ("quotes", "timeline", "figures"):
        for item in data[section]:
            for key in ("mentions", "sources", "sentences"):
                for span in item.get(key) or []:
                    if isinstance(span, dict) and "article_id" in span:
                        problems += _span(texts, span["article_id"], span, section)
    if schema:
        problems += _schema(data)
    return problems[:5]


def _span(texts: dict[str, str], article_id: str, span: dict, what: str) -> list[str]:
    text = texts.get(article_id)
    if text is None:
        return [f"{what} points to a missing article {article_id}"]
    start, end = span.get("start"), span.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(text):
        return [f"{what} span {start}..{end} outside its text of {len(text)}"]
    if what == "mention" and span.get("text") not in (None, text[start:end]):
        return [f"mention {span['text']!r} is not the text it spans {text[start:end]!r}"]
    return []


def _schema(data: dict) -> list[str]:
    import jsonschema

    from storyline.outputs.export import schema

    try:
        jsonschema.validate(data, schema())
    except jsonschema.ValidationError as exc:
        return [f"export does not match its schema: {exc.message[:200]}"]
    return []


def _run_one(case: Case) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="storyline-fuzz-") as tmp:
        # The schema check costs a tenth of a second; every fifth case still covers each kind.
        index = int(case.name[1:].split()[0])
        return run_case(case, Path(tmp), schema=index % 5 == 0)


def _warm_up() -> None:
    """Build one input of each kind untimed, so that the stage modules each kind needs
    (trafilatura, warcio, feedparser, scikit-learn, datasketch …) are imported before any case
    is timed: an import is paid once per process, not by the input that happens to come first."""
    rng = random.Random("warm-up")
    text = Text(rng, sample_paragraphs())
    files = {}
    for n, generator in enumerate(GENERATORS):
        case = generator(rng, text)
        files.update({f"{n}/{rel}": data for rel, data in case.files.items()})
    with tempfile.TemporaryDirectory(prefix="storyline-fuzz-") as tmp:
        run_case(Case("warm-up", files), Path(tmp))


def run(seed: int, count: int, report: Callable[[Outcome], None] | None = None,
        workers: int = 1, start: int = 0) -> list[Outcome]:
    """Every case of ``generate(seed, count, start)`` built and checked, on ``workers``
    processes; returns the ones with problems."""
    import multiprocessing

    from storyline import nlp

    nlp.load()  # once, before any clock starts (forked workers inherit it)
    _warm_up()
    failed = []
    if workers > 1:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            outcomes = pool.imap_unordered(_run_one, generate(seed, count, start), chunksize=1)
            for outcome in outcomes:
                if report:
                    report(outcome)
                if outcome.problems:
                    failed.append(outcome)
        return failed
    for case in generate(seed, count, start):
        outcome = _run_one(case)
        if report:
            report(outcome)
        if outcome.problems:
            failed.append(outcome)
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="first case (to split a run)")
    parser.add_argument("--workers", type=int, default=2, help="processes (this machine: 2)")
    args = parser.parse_args(argv)
    clock = time.perf_counter()
    slowest: list[tuple[float, str]] = []

    def report(outcome: Outcome) -> None:
        slowest.append((outcome.seconds, outcome.case))
        for problem in outcome.problems:
            print(f"{outcome.case}: {problem}", flush=True)
        if len(slowest) % 500 == 0:
            print(f"{len(slowest)} cases in {time.perf_counter() - clock:.0f} s", flush=True)

    failed = run(args.seed, args.count, report, args.workers, args.start)
    slowest.sort(reverse=True)
    print(f"{len(slowest)} inputs (seed {args.seed}, cases {args.start} to {args.count - 1}) in "
          f"{time.perf_counter() - clock:.0f} s: "
          f"{len(failed)} with problems; slowest "
          + ", ".join(f"{name} {s:.1f} s" for s, name in slowest[:5]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
