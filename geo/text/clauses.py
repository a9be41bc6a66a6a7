"""Plan text -> clause tree: scraping repairs, numbering styles, headings and character spans.

A plan's own numbering gives its structure: ``第X章`` / ``第X节`` / ``一、`` / ``(一)`` / ``1.`` / ``（1）``.
Scraped texts break that numbering in a few well-known ways, each repaired by a rule from a table
below and logged as a `Repair`, so that the cleaned text loses no word of the original:

- a paginated viewer's page markers (a line starting ``N、``) cut sentences and words in two;
- OCR slips (``L`` for ``1``, ``IL`` for ``11``, ``O`` for ``。``, ``2 .`` for ``2.``, ``二`` without ``、``);
- web furniture (breadcrumbs, ``发布时间``, ``链接地址``, photo captions, ``来源:`` trailers).

Clause ids read like the text: ``三.(二)`` is item (二) of section 三; ``一.1`` is item 1 of section 一;
the text before the first numbered clause is ``序``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo.text.structure import PREFACE_HEAD, Box, Repair, find_boxes, mask, set_aside_contents, set_aside_head

__all__ = ["Box", "Clause", "Outline", "Repair", "clean_text", "cn_to_int", "headline", "int_to_cn", "parse_outline",
           "split_heading"]

CN_DIGITS = "零〇一二三四五六七八九十百"
_CN_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

PREFACE_ID = "序"

MAX_NUMBER_GAP = 3
"""A numbered marker may skip at most this many numbers (002 lacks 四 and items 8-9: sources do that)."""


def cn_to_int(numeral: str) -> int:
    """Value of a Chinese numeral up to 百 (``十九`` -> 19, ``二十一`` -> 21).

    Examples
    --------
    >>> cn_to_int("二十一")
    21
    """
    if numeral.isdigit():
        return int(numeral)
    total, current = 0, 0
    for ch in numeral:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_VALUE[ch]
    return total + current


def int_to_cn(value: int) -> str:
    """Chinese numeral for 1..199, as plans write them (11 -> ``十一``, 20 -> ``二十``)."""
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    if value < 20:
        return "十" + (digits[value - 10] if value > 10 else "")
    if value < 100:
        tens, ones = divmod(value, 10)
        return digits[tens] + "十" + (digits[ones] if ones else "")
    hundreds, rest = divmod(value, 100)
    return digits[hundreds] + "百" + (("零" if rest < 10 else "") + int_to_cn(rest) if rest else "")


@dataclass(frozen=True)
class NumberingStyle:
    """One numbering style: its rank in the hierarchy, the marker pattern, and how ids print it."""

    name: str
    rank: int
    pattern: str
    id_format: str  # str.format template with {n} (arabic) or {cn} (Chinese numeral)


# Rank orders the hierarchy; a marker's parent is the nearest open marker of a smaller rank.
# `(?<![\dA-Za-z])` keeps `G5、`, `S205、` and `2025.` out; `(?![\d.])` keeps `1.5` out.
NUMBERING_STYLES: tuple[NumberingStyle, ...] = (
    NumberingStyle("part", -1, rf"第(?P<v>[{CN_DIGITS}\d]+)篇", "第{cn}篇"),
    NumberingStyle("chapter", 0, rf"第(?P<v>[{CN_DIGITS}\d]+)章", "第{cn}章"),
    NumberingStyle("section", 1, rf"第(?P<v>[{CN_DIGITS}\d]+)节", "第{cn}节"),
    NumberingStyle("cn", 2, rf"(?P<v>[{CN_DIGITS}]+)[、，,]", "{cn}"),
    NumberingStyle("paren_cn", 3, rf"[(（](?P<v>[{CN_DIGITS}]+)[)）]", "({cn})"),
    NumberingStyle("arabic", 4, r"(?<![\dA-Za-z.])(?P<v>\d{1,2}) ?[.．、](?![\d.])", "{n}"),
    NumberingStyle("paren_arabic", 5, r"[(（](?P<v>\d{1,2})[)）]", "({n})"),
)
_STYLE_BY_NAME = {s.name: s for s in NUMBERING_STYLES}


@dataclass(frozen=True)
class Clause:
    """A numbered clause: its id, heading, own text (children excluded) and span in the cleaned text."""

    id: str
    number: str  # the marker as the id prints it, e.g. "(二)"
    style: str
    level: int  # depth in the tree, 1 = top
    heading: str
    text: str  # the clause's own text, marker excluded, up to its first child or next sibling
    span: tuple[int, int]  # [start, end) of the marker + own text in `Outline.text`
    parent: str | None
    children: tuple[str, ...] = ()
    tables: tuple[Box, ...] = ()  # the 专栏 boxes standing in its own text (kept out of `text`)


@dataclass(frozen=True)
class Outline:
    """A parsed plan: cleaned text, title, clause tree and the repairs that produced the text."""

    text: str
    title: str
    clauses: tuple[Clause, ...]
    repairs: tuple[Repair, ...]
    gaps: tuple[str, ...] = ()  # numbers the source skips, e.g. "一.8"
    front_matter: tuple[str, ...] = field(default=())
    issuer: str = ""  # when the title line names it (中共贵州省委贵州省人民*府关于…)
    contents: tuple[str, ...] = ()  # the entries of a table of contents set aside (page numbers dropped)

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id (KeyError if none)."""
        for c in self.clauses:
            if c.id == clause_id:
                return c
        raise KeyError(clause_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """Clause ids in document order."""
        return tuple(c.id for c in self.clauses)


# --- cleaning ---------------------------------------------------------------------------------

# Lines that are web furniture, not plan text: (pattern over a whole stripped line, reason).
FURNITURE_LINES: tuple[tuple[str, str], ...] = (
    (r"《[^》]+》由会员分享.*", "document-sharing site header"),
    (r"链接地址[:：].*", "link trailer"),
    (r"当前位置[:：].*", "breadcrumb"),
    (r"(发布时间|发布日期)[:：].*", "publication line (date/source/hits)"),
    (r"(来源|稿源|作者|微编|编辑|责任编辑|审核)[:：].{0,40}", "source/editor trailer"),
    (r"[“\"][^”\"]{1,12}[”\"]", "channel trailer"),
    (r"[^。，,]{2,40}。[\u4e00-\u9fff*]{2,4}摄", "photo caption"),
    (r"近日[,，].{2,80}全文如下[:：]", "news lead"),
    (r"(打印|关闭|【打印】|【关闭】|分享到[:：]?.*)", "page buttons"),
)
_FURNITURE_RE = [(re.compile(p), reason) for p, reason in FURNITURE_LINES]

# OCR slips, applied only where the clause numbering expects them (see `_numbering_markers`).
# Each entry: (pattern, replacement, reason).  Patterns are anchored by the caller's context.
OCR_SLIPS: tuple[tuple[str, str, str], ...] = (
    (r"(?<=[%％\d])O(?=[(（]|$|\n)", "。", "O read for 。 after a figure"),
)
_OCR_ITEM_FORMS = {"L": 1, "l": 1, "I": 1, "IL": 11, "Il": 11, "LL": 11, "lL": 11, "ll": 11}

_PAGE_MARKER = re.compile(r"^(\d{1,3})、", re.MULTILINE)
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,8}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号$")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_TITLE = re.compile(
    # quotes may stand inside (关于构建“一核两翼三区”…的指导意见), and a short alias in brackets without a digit
    # (北京城市副中心（通州区）国民经济…纲要; not a date or a period)
    r"(?:关于)?(?:[^\s。，,；;：:《》()（）]|[（(][^\s。，,；;：:《》()（）\d]{1,12}[)）]){2,60}?"
    r"(?:指导意见|实施意见|若干意见|意见|实施方案|工作方案|方案|规划纲要|规划|纲要|通知|决定|办法|行动计划|计划)"
)


def clean_text(raw: str) -> tuple[str, list[Repair], list[str]]:
    """Repair scraping damage without losing a word.

    Parameters
    ----------
    raw : str
        The plan text as scraped.

    Returns
    -------
    text : str
        The cleaned text: page markers removed and the words they cut rejoined, furniture lines dropped.
    repairs : list of Repair
        Every change, in order.
    front_matter : list of str
        Lines kept out of the clauses but not furniture: document number, issuer, addressee, signature, date.

    Examples
    --------
    >>> clean_text("1、区域协\\n2、作的体制机制\\n3、完")[0]
    '区域协作的体制机制完'
    """
    text, repairs, front, _ = _clean(raw)
    return text, repairs, front


def _clean(raw: str) -> tuple[str, list[Repair], list[str], tuple[str, ...]]:
    """`clean_text`, and the entries of the table of contents it set aside."""
    repairs: list[Repair] = []
    text = _join_pages(raw, repairs)
    kept: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        reason = _furniture_reason(stripped)
        if reason:
            repairs.append(Repair("furniture", stripped, "", reason))
        else:
            kept.append(line)
    text = "\n".join(kept)
    text = set_aside_head(text, repairs)
    text, contents = set_aside_contents(text, repairs)
    for pattern, replacement, reason in OCR_SLIPS:
        text = _sub_logged(pattern, replacement, text, repairs, "ocr", reason)
    text, front = _split_front_and_back_matter(text, repairs)
    return text.strip(), repairs, front, contents


def _join_pages(raw: str, repairs: list[Repair]) -> str:
    """Remove a paginated viewer's `N、` page markers (1, 2, 3 … at line starts) and rejoin what they cut."""
    lines = raw.split("\n")
    numbered = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := _PAGE_MARKER.match(line))]
    # Page markers count 1, 2, 3 … on consecutive lines; numbered list items never fill most lines.
    expected, run = 1, []
    for i, n in numbered:
        if n == expected:
            run.append(i)
            expected += 1
    nonblank = sum(1 for line in lines if line.strip())
    if len(run) < 3 or len(run) < 0.6 * nonblank:
        return raw
    out: list[str] = []
    page_lines = set(run)
    for i, line in enumerate(lines):
        if i in page_lines:
            marker = _PAGE_MARKER.match(line).group(0)
            repairs.append(Repair("page-marker", marker, "", f"page marker of a paginated viewer (page {marker[:-1]})"))
            body = line[len(marker):]
            if out and i - 1 in page_lines or (out and run and i > run[0]):
                out[-1] += body  # a page break is not a paragraph break: rejoin the cut sentence
            else:
                out.append(body)
        else:
            out.append(line)
    return "\n".join(out)


def _furniture_reason(line: str) -> str | None:
    """Why a whole line is web furniture, or None."""
    if not line:
        return None
    for regex, reason in _FURNITURE_RE:
        if regex.fullmatch(line):
            return reason
    if line.startswith(("链接地址", "当前位置")):
        return "web furniture"
    return None


def _sub_logged(pattern: str, replacement: str, text: str, repairs: list[Repair], kind: str, reason: str) -> str:
    """re.sub that logs each replacement as a Repair."""

    def _repl(m: re.Match) -> str:
        repairs.append(Repair(kind, m.group(0), replacement, reason))
        return replacement

    return re.sub(pattern, _repl, text, flags=re.MULTILINE)


def _split_front_and_back_matter(text: str, repairs: list[Repair]) -> tuple[str, list[str]]:
    """Move document number, issuer/signature and date lines out of the body (kept in front_matter)."""
    lines = text.split("\n")
    front: list[str] = []
    body: list[str] = []
    for line in lines:
        s = re.sub(r"\s+", "", line)
        if _DOC_NUMBER.match(s) or _DATE_LINE.match(s):
            front.append(line.strip())
            repairs.append(Repair("front-matter", line.strip(), "", "document number or date line"))
        else:
            body.append(line)
    # A signature (issuer line) directly before a closing date line is back matter too.
    while body and not body[-1].strip():
        body.pop()
    if front and body and re.fullmatch(r"[\u4e00-\u9fff]{4,30}", body[-1].strip() or "-") and any(
        _DATE_LINE.match(re.sub(r"\s+", "", f)) for f in front
    ):
        sig = body.pop().strip()
        front.append(sig)
        repairs.append(Repair("front-matter", sig, "", "signature"))
    return "\n".join(body), front


# --- numbering --------------------------------------------------------------------------------


@dataclass
class _Marker:
    style: NumberingStyle
    value: int
    start: int
    end: int  # end of the marker itself
    written: str


_ANY_MARKER = re.compile(
    "|".join(f"(?P<{s.name}>{s.pattern.replace('(?P<v>', '(?:')})" for s in NUMBERING_STYLES)
    + r"|(?P<bare_cn>(?<=[。；;)）\n])[一二三四五六七八九十]{1,3}(?=[\u4e00-\u9fff]))"
    + r"|(?P<ocr_item>(?<![A-Za-z])(?:IL|Il|LL|lL|ll|L|l|I)(?=[\u4e00-\u9fff]))"
)
_VALUE_RES = {s.name: re.compile(s.pattern) for s in NUMBERING_STYLES}
# A counted part of a structure slogan standing alone (一核。 两翼： 三带，): its numeral is no clause number.
_COUNTED_PART = re.compile(r"[一二两三四五六七八九十]{1,3}[核翼带轴心区圈群极城廊屏主副点片环湾]+(?=[。．：:，,、\s“”])")
# Where a marker may stand: line start, after a sentence end, or right after a heading.
_BOUNDARY_BEFORE = set("。；;：:)）\n”\"") | {""}


def _numbering_markers(text: str, repairs: list[Repair]) -> list[_Marker]:
    """Markers that continue the document's numbering, in order.

    A candidate is kept only if its number is the next one at its level (or 1 under a new parent,
    or a small gap ahead): this is what tells `一、` the section from `一、二、三产业` in a sentence.
    Slips of a style (a bare ``二`` without ``、``, ``L`` for 1) and markers glued to the previous word
    need stronger evidence: exactly the next number, and a heading or a child marker right after.
    """
    accepted: list[_Marker] = []
    last_value: dict[int, int] = {}  # rank -> last value accepted at that rank
    for m in _ANY_MARKER.finditer(text):
        kind = m.lastgroup
        written = m.group(0)
        if kind == "bare_cn":
            if _COUNTED_PART.match(text, m.start()):
                continue  # （一）一核。以…为核心: the count of a structure's part, not a slipped 一、
            style, value = _STYLE_BY_NAME["cn"], cn_to_int(written)
        elif kind == "ocr_item":
            style, value = _STYLE_BY_NAME["arabic"], _OCR_ITEM_FORMS[written]
        else:
            style = _STYLE_BY_NAME[kind]
            raw_value = _VALUE_RES[kind].match(written).group("v")
            value = int(raw_value) if raw_value.isdigit() else cn_to_int(raw_value)
        if value < 1 or (style.name == "cn" and written[-1] in "，,"):
            continue  # `一，` is a list inside a sentence, never a section
        if style.name == "part" and m.start() > 0 and text[m.start() - 1] != "\n":
            continue  # 第X篇 heads a line; inside a sentence it is a reference (本规划第二篇)
        prev = last_value.get(style.rank, 0)
        parent_changed = any(
            a.style.rank < style.rank for a in accepted[_last_index_at_rank(accepted, style.rank) + 1 :]
        )
        is_next = value == prev + 1 or (value == 1 and parent_changed)
        # An excerpt may start at any chapter (第十二章): the first chapter/section marker on its own line counts.
        if style.rank <= 1 and prev == 0 and (m.start() == 0 or text[m.start() - 1] == "\n"):
            is_next = True
            prev = value - 1
        if not (is_next or prev < value <= prev + 1 + MAX_NUMBER_GAP):
            continue
        before = text[m.start() - 1] if m.start() > 0 else ""
        paren = style.name in ("paren_cn", "paren_arabic")
        if paren and (before.isascii() and (before.isalnum() or before in "_$")):
            continue  # a call or a formula inside a sentence (alert(1), SUM(1)), never a clause
        # A marker starts a clause at a line start, after a sentence end or a heading; chapters stand anywhere.
        at_boundary = before in _BOUNDARY_BEFORE or style.name in ("chapter", "section")
        if kind == "bare_cn":
            ok = _child_marker_soon(text, m.end(), style.rank)
        elif kind == "ocr_item":
            ok = is_next and _looks_like_heading_after(text, m.end())
        elif at_boundary:
            ok = True
        elif paren:
            # Glued to the previous word only right after a parent's short heading on the same line
            # (二、发展定位(一)…); elsewhere a number in parentheses is a reference (见附件(1)), not a clause.
            ok = _heading_precedes(accepted, text, m.start()) and "\n" not in text[accepted[-1].end : m.start()]
        elif style.rank < 4:
            ok = False  # a section number glued to a word is a list in a sentence (一、二、三产业)
        else:
            # Glued to the previous word: after a parent's short heading, or the next number with a heading.
            ok = _heading_precedes(accepted, text, m.start()) or (is_next and _looks_like_heading_after(text, m.end()))
        if not ok:
            continue
        if kind == "ocr_item":
            repairs.append(Repair("ocr", written, f"{value}.", f"OCR read “{written}” for item number {value}"))
        elif kind == "bare_cn":
            repairs.append(Repair("ocr", written, written + "、", f"section number {written} lost its 、"))
        elif " " in written:
            repairs.append(Repair("ocr", written, written.replace(" ", ""), "stray space inside an item number"))
        accepted.append(_Marker(style, value, m.start(), m.end(), written))
        last_value[style.rank] = value
    return accepted


def _last_index_at_rank(markers: list[_Marker], rank: int) -> int:
    """Index of the last accepted marker of this rank, or -1."""
    for i in range(len(markers) - 1, -1, -1):
        if markers[i].style.rank == rank:
            return i
    return -1


def _child_marker_soon(text: str, pos: int, rank: int) -> bool:
    """Is a marker of a deeper style within a heading's length after `pos`?"""
    window = text[pos : pos + 40]
    for s in NUMBERING_STYLES:
        if s.rank > rank and re.search(s.pattern, window):
            return True
    return bool(re.search(r"(?:IL|L)(?=[\u4e00-\u9fff])", window))


def _looks_like_heading_after(text: str, pos: int) -> bool:
    """An item heading follows: a short phrase closed by 。 or ：."""
    return bool(re.match(r"[\u4e00-\u9fff“”、*＊]{2,30}[。：:]", text[pos:]))


def _heading_precedes(accepted: list[_Marker], text: str, pos: int) -> bool:
    """The marker comes right after a parent marker's short heading (``二深化城乡融合发展3 .积极``)."""
    if not accepted:
        return False
    last = accepted[-1]
    gap = text[last.end : pos]
    return 2 <= len(gap) <= 30 and not re.search(r"[。；;]", gap)


# --- headings ---------------------------------------------------------------------------------

# Words that open a sentence in Chinese policy prose; used only when a heading runs into the text
# with no punctuation at all (``(一)指导思想坚持以…``).  Order does not matter.
SENTENCE_OPENERS: tuple[str, ...] = (
    "坚持", "加快", "推动", "深入", "大力", "积极", "要", "以", "按照", "立足", "加强", "结合", "各区域",
    "有序", "实施", "强化", "明确", "突破", "着眼", "充分", "依托", "围绕", "聚焦", "全面", "进一步",
    "完善", "建立", "健全", "支持", "鼓励", "引导", "统筹", "力争", "市推进", "区域", "通过", "发挥",
    "构建", "打造", "推进", "提升", "优化", "促进", "贯彻", "落实", "根据", "对", "在", "把", "将",
)
_OPENER_TIME = re.compile(r"(到|至)?20\d\d年")
_HEADING_END = re.compile(r"[。：:]")
MAX_HEADING = 30


def split_heading(body: str, *, closed: bool = True) -> tuple[str, str]:
    """Split a clause body into (heading, rest).

    Rules, in order: a short body with no sentence punctuation is all heading (a section whose items
    follow); a heading on its own line; where the document closes headings with ``。`` / ``：``
    (``closed``), that; otherwise a heading that runs straight into the text is cut where a sentence
    opener starts (a verb from `SENTENCE_OPENERS`, a year, or a term the heading names). Without such
    evidence there is no heading: the clause is all text.

    Examples
    --------
    >>> split_heading("基本思路。全面贯彻落实")
    ('基本思路', '全面贯彻落实')
    >>> split_heading("指导思想坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻", closed=False)
    ('指导思想', '坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻')
    """
    stripped = body.strip()
    if len(stripped) <= MAX_HEADING and not re.search(r"[。；;，,：:\n]", stripped):
        return stripped, ""
    first_line = stripped.split("\n", 1)[0].strip()
    if "\n" in stripped and 0 < len(first_line) <= MAX_HEADING and not re.search(r"[。；;，,]", first_line):
        return first_line, stripped[len(first_line):].strip()
    if closed:
        m = _closing_mark(stripped)
        if m is not None:
            return stripped[:m].strip(), stripped[m + 1 :].strip()
    for k in range(4, min(MAX_HEADING, len(stripped)) + 1):
        if re.search(r"[，,。；;：:]", stripped[:k]):
            break
        if _opens_sentence(stripped[:k], stripped[k:]):
            return stripped[:k], stripped[k:]
    return "", stripped


def _closing_mark(body: str) -> int | None:
    """Index of the 。/： that closes a heading within MAX_HEADING characters, before any comma."""
    m = _HEADING_END.search(body[: MAX_HEADING + 1])
    if m and not re.search(r"[，,；;]", body[: m.start()]):
        return m.start()
    return None


def _headings_closed(bodies: list[str]) -> bool:
    """Does this document close its headings with 。/：? (Most plans do; some run heading into text.)"""
    votes = [_closing_mark(b.strip()) is not None for b in bodies if len(b.strip()) > MAX_HEADING]
    return not votes or sum(votes) * 2 >= len(votes)


def _opens_sentence(heading: str, rest: str) -> bool:
    """Does `rest` start like a new sentence after `heading`?"""
    if _OPENER_TIME.match(rest):
        return True
    quoted = re.findall(r"“[^”]{1,8}”", heading)
    if any(rest.startswith(q) for q in quoted):
        return True
    # The heading's own subject repeated as the sentence's subject (支持三大片区错位发展三大片区覆盖…).
    for n in (4, 3):
        for i in range(len(heading) - n + 1):
            if rest.startswith(heading[i : i + n]) and i > 0:
                return True
    return any(rest.startswith(w) for w in SENTENCE_OPENERS) and not rest.startswith(("的", "和", "与"))


# --- outline ----------------------------------------------------------------------------------


def parse_outline(raw: str) -> Outline:
    """Parse a plan text into its clause tree.

    Parameters
    ----------
    raw : str
        The plan text as scraped or uploaded (already decoded).

    Returns
    -------
    Outline
        Cleaned text, title, clauses in document order (parents before children) and repairs.

    Examples
    --------
    >>> o = parse_outline("关于X的意见\\n为了Y，制定本意见。\\n一、总体要求\\n(一)指导思想。坚持。\\n(二)目标。到2030年。"
    ...                   "\\n二、保障\\n(一)组织。加强。")
    >>> [c.id for c in o.clauses]
    ['序', '一', '一.(一)', '一.(二)', '二', '二.(一)']
    """
    text, repairs, front, contents = _clean(raw)
    title, issuer, title_end = _find_title(text)
    boxes = find_boxes(text)
    markers = _numbering_markers(mask(text, [b.span for b in boxes]), repairs)
    markers = [mk for mk in markers if mk.start >= title_end]
    clauses: list[Clause] = []
    stack: list[tuple[int, str]] = []  # (rank, clause id) of open ancestors
    children: dict[str, list[str]] = {}
    gaps: list[str] = []
    last_value_under: dict[tuple[str | None, int], int] = {}
    last_value_any: dict[int, int] = {}  # rank -> last value, whatever the parent

    preface_end = markers[0].start if markers else len(text)
    preface = text[title_end:preface_end].strip()
    if preface:
        start = text.index(preface, title_end)
        # An introduction headed 序言 / 前言 (or unheaded: the text between the title and the first numbered clause)
        head, _, rest = preface.partition("\n")
        heading, own = (re.sub(r"[\s\u3000]+", "", head), rest.strip()) if PREFACE_HEAD.fullmatch(head.strip()) \
            else ("", preface)
        clauses.append(Clause(PREFACE_ID, PREFACE_ID, "preface", 1, heading, own, (start, start + len(preface)), None))

    bodies = [text[mk.end : (markers[i + 1].start if i + 1 < len(markers) else len(text))]
              for i, mk in enumerate(markers)]
    closed = {rank: _headings_closed([b for mk, b in zip(markers, bodies) if mk.style.rank == rank])
              for rank in {mk.style.rank for mk in markers}}
    for i, mk in enumerate(markers):
        while stack and stack[-1][0] >= mk.style.rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        number = mk.style.id_format.format(n=mk.value, cn=int_to_cn(mk.value))
        clause_id = f"{parent}.{number}" if parent else number
        # Numbers the source skips (never invented): under the same parent they print with its id;
        # numbering that runs across sections (001, 002) prints them bare, their parent being unknown.
        prev_here = last_value_under.get((parent, mk.style.rank))
        prev_any = last_value_any.get(mk.style.rank, 0)
        prev = prev_here if prev_here is not None else (prev_any if mk.value != 1 else None)
        if prev is not None and mk.value > prev + 1:
            prefix = f"{parent}." if parent and prev_here is not None else ""
            gaps += [prefix + mk.style.id_format.format(n=v, cn=int_to_cn(v)) for v in range(prev + 1, mk.value)]
        last_value_under[(parent, mk.style.rank)] = mk.value
        last_value_any[mk.style.rank] = mk.value
        body = bodies[i]
        heading, own_text = _heading_block(body, mk.style.rank) or split_heading(body, closed=closed[mk.style.rank])
        tables = tuple(b for b in boxes if mk.end <= b.span[0] < mk.end + len(body))
        for b in tables:  # a 专栏 is a table of its clause, not its prose
            own_text = own_text.replace(text[b.span[0]:b.span[1]], "")
        clauses.append(
            Clause(clause_id, number, mk.style.name, len(stack) + 1, heading, re.sub(r"\n{3,}", "\n\n", own_text.strip()),
                   (mk.start, mk.end + len(body.rstrip())), parent, (), tables)
        )
        if parent:
            children.setdefault(parent, []).append(clause_id)
        stack.append((mk.style.rank, clause_id))

    clauses = [
        Clause(c.id, c.number, c.style, c.level, c.heading, c.text, c.span, c.parent, tuple(children.get(c.id, ())),
               c.tables)
        for c in clauses
    ]
    _check_unique([c.id for c in clauses])
    return Outline(text, title, tuple(clauses), tuple(repairs), tuple(gaps), tuple(front), issuer, contents)


def _heading_block(body: str, rank: int) -> tuple[str, str] | None:
    """A part's, chapter's or section's heading over one or two lines up to a blank line (``第一篇  聚焦…，\\n推进…``).

    Only where the first line alone is no heading (it holds a comma, or runs on to the next line): the
    block of at most two short lines without a sentence's end, closed by a blank line.
    """
    if rank > 1:
        return None
    m = re.match(r"[ \t\u3000]*([^\n]{1,40})\n([^\n]{1,40})(?:\n[ \t\u3000]*\n|\s*$)", body)
    if not m or re.search(r"[。；;：:]", m.group(0)) or not m.group(1).strip() or not m.group(2).strip():
        return None
    if not re.search(r"[，,、]$", m.group(1).strip()) and len(m.group(1).strip()) < 12:
        return None
    return m.group(1).strip() + m.group(2).strip(), body[m.end():].strip()


_MARKER_START = "|".join(f"(?:{st.pattern.replace('(?P<v>', '(?:')})" for st in NUMBERING_STYLES)


def _find_title(text: str) -> tuple[str, str, int]:
    """The document's title, its issuer if the title line names one, and where the body starts.

    ``中共贵州省委贵州省人民*府关于…的实施意见(年7月30日)为贯彻…``: issuer 中共贵州省委贵州省人民*府,
    title 关于…的实施意见, and the dated parenthesis belongs to the title line. Returns ("", "", 0) when
    no title is found near the top.
    """
    two = _two_line_title(text)
    if two:
        return two
    m = _TITLE.search(text[:400])
    if not m or m.start() > 200:
        return "", "", 0
    title, issuer = m.group(0), ""
    if rest := _TITLE_REST.match(text, m.end()):  # …第十四个五年规划和二〇三五年远景目标纲要: the whole line's title
        title += rest.group(0)
    line_start = text.rfind("\n", 0, m.start()) + 1
    # Lines without a Chinese character before it (markup such as <script>…</script> or {{7*7}}, a stray
    # symbol) are no headline: the title still opens the text. They stay in the text, shown as text.
    if text[:line_start].strip() and not _CJK_CHAR.search(text[:line_start]):
        lead = ""
    else:
        lead = text[:line_start]
    if lead.strip() or text[line_start : m.start()].strip(" \t\u3000《“\"'"):
        # Below a headline or inside a paragraph: only a plan named as such (这24个字是《宁夏空间发展战略规划》的
        # 核心内容) is the title, and the body is the whole text, so that no word before it is lost.
        named = text[m.start() - 1 : m.start()] == "《" and text[m.end() : m.end() + 1] in ("》", "(", "（")
        return (title, issuer, 0) if named else ("", "", 0)
    at = title.find("关于")
    if at > 0 and re.search(r"(委|府|厅|局|办公室|委员会|院|会)$", title[:at]):
        issuer, title = title[:at], title[at:]
    end = m.start() + len(title)
    date = re.match(r"[(（][^()（）]{0,20}[日年][)）]", text[end:])  # (2021年7月30日), a period (2021—2035年)
    if date:
        end += date.end()
    # Header lines before the body that repeat the title or name the issuer (001) belong to the title block.
    while end < len(text) and text[end] in " \t\u3000\n":
        line_end = text.find("\n", end + 1)
        line_end = len(text) if line_end < 0 else line_end
        line = text[end:line_end].strip()
        if line and (len(line) > 40 or re.search(r"[。，,：:；;]", line) or re.match(_MARKER_START, line)
                     or PREFACE_HEAD.fullmatch(line)):
            break  # (a 序言/前言 header opens the body: the 序 clause's heading)
        end = line_end
    return title, issuer, end


# The rest of a title line that ends in a title word again (和二〇三五年远景目标纲要 after …第十四个五年规划).
_TITLE_REST = re.compile(r"[^\s。，,；;：:《》()（）]{1,30}?(?:规划纲要|纲要|规划|方案|意见|计划)(?=[（(\s]|$)")

_TITLE_SECOND_LINE = re.compile(
    r"(第[^\s。，,]{1,6}个五年规划(纲要)?|[^\s。，,]{0,20}(国土空间总体规划|总体规划|规划纲要|发展规划|专项规划))"
    r"([（(]\d{4}\s*[—–\-－~～至]+\s*\d{4}年?[)）])?")


def _two_line_title(text: str) -> tuple[str, str, int] | None:
    """A title set over the first two lines: ``南京市国民经济和社会发展`` / ``第十五个五年规划纲要``, or a unit's
    name over ``国土空间总体规划（2021—2035年）``. The title joins them; the body starts after the second line.
    """
    lines = text.lstrip().split("\n", 2)
    if len(lines) < 2:
        return None
    first, second = lines[0].strip(), lines[1].strip()
    if not (2 <= len(first) <= 40 and 4 <= len(second) <= 40) or re.search(r"[。，,；;：:]", first + second):
        return None
    if _TITLE.fullmatch(first) or not _TITLE_SECOND_LINE.fullmatch(second):
        return None
    if not (first.endswith("国民经济和社会发展") or re.search(r"(省|市|县|区|州|盟|旗|新区|自治区)$", first)):
        return None
    end = text.index(second, text.index(first) + len(first)) + len(second)
    return re.sub(r"[\s\u3000]+", "", first + second), "", end


_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_MARKUP = re.compile(r"<[^<>]{0,200}>|\{\{.{0,200}?\}\}|\{%.{0,200}?%\}|\$\{[^{}]{0,200}\}")


def headline(text: str, limit: int = 60) -> str:
    """A name for a text without a formal title: its first line holding Chinese, markup removed.

    Markup (HTML tags, ``{{…}}`` / ``{%…%}`` / ``${…}`` templates) is dropped from the name only: the text
    keeps it, and every page shows it as text. Returns "" when no line holds Chinese.

    Examples
    --------
    >>> headline("<script>alert(1)</script>\\n<b>江西:加快构建大南昌都市圈发展格局</b>\\n近日……")
    '江西:加快构建大南昌都市圈发展格局'
    >>> headline("{{7*7}}")
    ''
    """
    for line in text.split("\n"):
        plain = re.sub(r"\s+", " ", _MARKUP.sub("", line)).strip()
        if _CJK_CHAR.search(plain):
            return plain if len(plain) <= limit else plain[: limit - 1] + "…"
    return ""


def _check_unique(ids: list[str]) -> None:
    """Duplicate ids mean the numbering went wrong; fail loudly rather than link the wrong clause."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"duplicate clause id {i!r}")
        seen.add(i)
