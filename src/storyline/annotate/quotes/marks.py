"""Quotation marks: pair opening and closing marks into quoted spans, paragraph by paragraph.

Our own scanner because news text mixes straight, curly, angle and low-9 marks, uses the
same character for apostrophes and closing single quotes, and often leaves quotes unclosed;
no library we know pairs these robustly. A quote never runs past its paragraph: an unclosed
quote is capped at the paragraph end, unless the next paragraph opens with a quotation mark
(the convention for a quote running over several paragraphs), in which case both pieces are
linked.
"""

from __future__ import annotations

from dataclasses import dataclass

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
DOUBLE = DOUBLE_OPEN + DOUBLE_CLOSE + '"'
SINGLE_OPEN = "‘‚"
SINGLE = "‘’‚'"
ALL_MARKS = DOUBLE + SINGLE + "‹›"

# Characters after which a straight mark opens rather than closes a quote.
OPENER_CONTEXT = " \t\n([{—–-/:"


@dataclass
class Quoted:
    open: int  # position of the opening mark (or paragraph start for a lone closing mark)
    close: int | None  # position of the closing mark; None when unclosed
    start: int  # content span (without marks, trimmed)
    end: int
    single: bool = False
    continues: bool = False  # continues the previous paragraph's unclosed quote
    continued: bool = False  # runs on into the next paragraph
    close_width: int = 1  # 2 for the typewriter double mark ''

    @property
    def outer_end(self) -> int:
        return self.close + self.close_width if self.close is not None else self.end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines: PolNeAR separates paragraphs with blank lines, scraped text with one
    newline; either way a quotation never legitimately needs to cross a line without a mark."""
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, end))
        pos = end + 1
    return out


def _opens_straight(text: str, i: int, pstart: int, width: int = 1) -> bool:
    prev = text[i - 1] if i > pstart else " "
    nxt = text[i + width] if i + width < len(text) else " "
    if nxt.isspace():
        return False
    return prev in OPENER_CONTEXT or prev in DOUBLE_OPEN + SINGLE_OPEN or not prev.isalnum()


def _closes(text: str, i: int, pend: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    return not prev.isspace() or i + 1 >= pend


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _double_spans(text: str, pstart: int, pend: int) -> tuple[list[Quoted], bool]:
    """Double-quoted spans in one paragraph; the flag says the paragraph ends inside a quote."""
    out: list[Quoted] = []
    inside = False
    opened = 0
    style = ""
    open_width = 1
    i = pstart
    while i < pend:
        ch = text[i]
        width = 1
        if ch == "'" and text[i + 1 : i + 2] == "'":
            # Two apostrophes stand for a double mark in some wire copy (''Quote,'' he said).
            ch, width = '"', 2
        if ch not in DOUBLE and not (inside and ch == "’"):
            i += 1
            continue
        if not inside:
            opens = (
                ch in DOUBLE_OPEN
                or (ch == '"' and _opens_straight(text, i, pstart, width))
                # a reversed curly mark used as an opener ("”Soon”")
                or (
                    ch == "”"
                    and (i == pstart or text[i - 1].isspace())
                    and i + 1 < pend
                    and text[i + 1].isalnum()
                )
            )
            if opens:
                inside, opened, style, open_width = True, i, ch, width
            # else: a lone closing mark — ignored, it cannot delimit anything reliable
        else:
            closing = (
                ch in DOUBLE_CLOSE
                or (ch == '"' and _closes(text, i, pend))
                or (ch == "“" and style == "„")
                # “…StopGunViolence.’ — a single closing mark typed for a double one
                or (
                    ch == "’"
                    and text[i - 1] in ".!?,"
                    and (i + 1 >= pend or text[i + 1].isspace())
                    and "‘" not in text[opened:i]
                )
            )
            if closing:
                s, e = _trim(text, opened + open_width, i)
                if e > s:
                    out.append(Quoted(opened, i, s, e, close_width=width))
                inside = False
            elif ch in DOUBLE_OPEN or ch == '"':
                # A new opening while open: the previous closing mark is missing.
                s, e = _trim(text, opened + open_width, i)
                if e > s:
                    out.append(Quoted(opened, None, s, e))
                opened, style, open_width = i, ch, width
        i += width
    if inside:
        s, e = _trim(text, opened + open_width, pend)
        if e > s:
            out.append(Quoted(opened, None, s, e))
    return out, inside


def _single_spans(text: str, pstart: int, pend: int, taken: list[Quoted]) -> list[Quoted]:
    """Single-quoted spans outside double quotes ('Soon', ‘Key’). An apostrophe (we’ll, can’t,
    Secretary’s) is followed by a letter, so it never closes a quote."""
    out: list[Quoted] = []
    blocked = [(q.open, q.outer_end) for q in taken]

    def free(pos: int) -> bool:
        return not any(a <= pos < b for a, b in blocked)

    i = pstart
    while i < pend:
        ch = text[i]
        prev = text[i - 1] if i > pstart else " "
        nxt = text[i + 1] if i + 1 < pend else " "
        is_open = (
            ch in "‘‚" or (ch in "'’" and (prev in OPENER_CONTEXT or prev in DOUBLE_OPEN))
        ) and (
            nxt.isalpha()
            or (ch in "‘‚" and nxt.isalnum() and not text[i + 1 : i + 4].rstrip("s").isdigit())
        )
        if is_open and free(i):
            j = i + 2
            while j < pend:
                c = text[j]
                after = text[j + 1] if j + 1 < pend else " "
                if c in "’'" and not text[j - 1].isspace() and not after.isalnum():
                    break
                if c in DOUBLE:
                    j = pend
                    break
                j += 1
            if j < pend and free(j):
                s, e = _trim(text, i + 1, j)
                if e > s:
                    out.append(Quoted(i, j, s, e, single=True))
                i = j + 1
                continue
        i += 1
    return out


def _opens_paragraph(head: str) -> bool:
    return bool(head) and (head[0] in DOUBLE_OPEN + '"' or head == "''")


def find_quoted(text: str) -> list[Quoted]:
    """Every quoted span in the text, in order."""
    out: list[Quoted] = []
    carried = False
    for pstart, pend in paragraphs(text):
        doubles, open_at_end = _double_spans(text, pstart, pend)
        if carried:
            first = text[pstart:pend].lstrip()[:2]
            if (
                doubles
                and _opens_paragraph(first)
                and doubles[0].open
                <= pstart + (len(text[pstart:pend]) - len(text[pstart:pend].lstrip()))
            ):
                doubles[0].continues = True
                if out:
                    out[-1].continued = True
        if open_at_end and doubles:
            # Runs on only when the next paragraph opens with a mark; otherwise capped here.
            carried = _opens_paragraph(text[pend:].lstrip()[:2])
        else:
            carried = False
        singles = _single_spans(text, pstart, pend, doubles)
        out.extend(sorted(doubles + singles, key=lambda q: q.open))
    return out
