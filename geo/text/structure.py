"""A whole plan's structure around its clauses: what is set aside before numbering, and its 专栏 boxes.

A planner's real input is the whole document (a 五年规划纲要 of 50,000–100,000 characters), not an excerpt.
Around and inside the plan's own numbered text it carries things that are not clauses, each recognised by a
rule below, set aside from the text and logged as a `Repair` (so no word of the source is lost):

- **site furniture** before the body: a news site's menu (搜索, 数字报, 投诉举报 …), time stamps (05-26 11:30),
  an app's name or slogan (…客户端), the site's 摘要, and the page header repeating the title;
- a **notice wrapper**: ``关于印发《…》的通知`` with its addressees, body, signature and date, before the plan's
  own title (the title it names);
- a **table of contents** (目录): a block headed ``目录`` / ``目 录`` up to where the body repeats its first entry,
  or, without a header, lines holding a chapter number and a page number (``第一章  发展基础    1``).

Inside the body, a **专栏** (``专栏3  “1026”先进制造业集群体系`` and its rows up to a blank line, with a ``注：`` block
after it) is a box of projects or indicators: `find_boxes` returns it as a `Box` (title, rows of cells), which
`geo.text.clauses.parse_outline` attaches to its clause as a table and keeps out of the numbering and the
clause's prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

_CN = "零〇一二三四五六七八九十百"


@dataclass(frozen=True)
class Repair:
    """One change made while cleaning: what stood in the source, what replaced it, and why."""

    kind: str  # page-marker | ocr | furniture | front-matter | wrapper | contents
    original: str
    replacement: str
    reason: str


@dataclass(frozen=True)
class Box:
    """A 专栏: its number as written, title, rows of cells (a row's cells split on runs of spaces or tabs)."""

    number: str
    title: str
    rows: tuple[tuple[str, ...], ...]
    span: tuple[int, int]  # [start, end) in the cleaned text, the 专栏 line to its last row or note

    @property
    def label(self) -> str:
        """``专栏3 “1026”先进制造业集群体系``."""
        return f"专栏{self.number} {self.title}".strip()


# --- the head of the document: furniture, wrapper, repeated title ------------------------------------

# Whole lines of a site's page around a plan (menus, buttons, stamps), recognised only before the body starts.
SITE_FURNITURE: tuple[tuple[str, str], ...] = (
    ((r"(搜索|数字报|电子报|投诉举报|登录|注册|首页|无障碍|English|繁体|简体|返回顶部|返回|收藏|扫一扫|分享|打印|关闭"
     r"|字号[:：]?.{0,6}|[大中小]|微信|微博|客户端|APP|App|下载|评论|点赞|[\u4e00-\u9fff]{2,4}号)"), "site menu"),
    (r"(\d{4}[-/.])?\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}(:\d{2})?", "time stamp"),
    (r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}", "time stamp"),
    (r"[\u4e00-\u9fffA-Za-z]{1,10}(客户端|APP|App|新闻网|日报|晚报|在线)", "site or app name"),
    (r"(来源|稿源|作者|编辑|责任编辑|审核|浏览次数|阅读数?)[:：].{0,40}", "source/editor line"),
    (r"【?(打印|关闭|分享|收藏|纠错)】?(\s*【?(打印|关闭|分享|收藏|纠错)】?)*", "page buttons"),
)
_SITE_RE = [(re.compile(p), reason) for p, reason in SITE_FURNITURE]

_CONTENTS_HEAD = re.compile(r"目[\s\u3000]*录")
PREFACE_HEAD = re.compile(r"(序[\s\u3000]*言|前[\s\u3000]*言|说[\s\u3000]*明|引[\s\u3000]*言)")
"""The header of a plan's introduction (序言, 前 言 …), matched over a whole line."""
_BODY_START = re.compile(rf"(第[一1][篇章]|第[{_CN}\d]+[篇章](?=[\s\u3000])|一、)")
_NOTICE = re.compile(r".{0,40}?关于印发(?P<named>.{2,120})的通知")
_TITLE_WORDS = r"(规划纲要|纲要|总体规划|规划|实施方案|方案|行动计划|计划|意见|办法)"
_TITLE_LINE = re.compile(rf"[^\s。，,；;：:（）()]{{2,60}}?{_TITLE_WORDS}([（(]\d{{4}}\s*[—–\-－~～至]+\s*\d{{4}}年?[)）])?")
_YEAR_MONTH = re.compile(r"\d{4}年\d{1,2}月(\d{1,2}日)?")


_SITE_LABEL = re.compile(r"(摘要|内容摘要|内容提要|提要|导读|编者按)[:：]?")
_INTRODUCTION = re.compile(r".{20,}[。！!][”’」』）)]*")  # prose closed by a sentence's end: the plan's own words


HEAD_LINES = 80
"""The head of a document (where site furniture and a notice wrapper stand) is at most this many lines."""


def _squash(line: str) -> str:
    return re.sub(r"[\s\u3000]+", "", line)


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _body_start(lines: list[tuple[int, str]]) -> int:
    """Index of the first line of the body: a 目录 or 序言/前言 header, or the first part, chapter or 一、."""
    prose = None
    for i, (_, line) in enumerate(lines[:HEAD_LINES]):
        s = _squash(line)
        if not s:
            continue
        if _CONTENTS_HEAD.fullmatch(s) or PREFACE_HEAD.fullmatch(s) or _BODY_START.match(line.strip()):
            return i
        if prose is None and len(s) > 200:  # a paragraph of prose (a site's 摘要, or the body without a header)
            prose = i
    return min(len(lines), HEAD_LINES) if prose is None else prose


def _site_reason(line: str) -> str | None:
    s = line.strip()
    if not s:
        return None
    for regex, reason in _SITE_RE:
        if regex.fullmatch(s):
            return reason
    return None


def _title_at(lines: list[tuple[int, str]], i: int) -> tuple[str, int] | None:
    """A title standing on line ``i`` alone or over lines ``i`` and ``i+1``: (title, index of its last line)."""
    s = _squash(lines[i][1])
    if not s or len(s) > 60 or re.search(r"[。，,；;：:]", s):
        return None
    if _TITLE_LINE.fullmatch(s):
        return s, i
    if i + 1 < len(lines):
        nxt = _squash(lines[i + 1][1])
        if nxt and len(nxt) <= 40 and not nxt.startswith("关于") and _TITLE_LINE.fullmatch(s + nxt) and not re.search(
                r"[。，,；;：:]", nxt):
            return s + nxt, i + 1
    return None


def set_aside_head(text: str, repairs: list[Repair]) -> str:
    """Set aside a site's furniture, a notice wrapper and a repeated title before the plan's body.

    Examples
    --------
    >>> rs = []
    >>> set_aside_head("X市发展规划\\n 搜索 \\n数字报\\nX市发展规划\\n第一章 总则\\n正文。", rs)
    'X市发展规划\\n第一章 总则\\n正文。'
    >>> [r.reason for r in rs]
    ['the page header repeating the title', 'site menu', 'site menu']
    """
    lines = _lines_with_offsets(text)
    head_end = _body_start(lines)
    drop: dict[int, str] = {}
    for i in range(head_end):
        reason = _site_reason(lines[i][1])
        if reason:
            drop[i] = reason
    kept = [i for i in range(head_end) if i not in drop]
    # A notice wrapper: 关于印发《…》的通知 … up to the plan's own title (the one it names, or the next title line).
    wrapper: list[int] = []
    for k, i in enumerate(kept):
        m = _NOTICE.fullmatch(_squash(lines[i][1]))
        if not m:
            continue
        named = _squash(m.group("named")).strip("《》〈〉")
        for j in kept[k + 1:]:
            t = _title_at(lines, j)
            if t and (t[0] == named or not named or named.endswith(t[0]) or t[0].endswith(named)):
                wrapper = [x for x in range(i, j) if x not in drop]
                break
        break
    for i in wrapper:
        drop[i] = "notice wrapper (关于印发…的通知, its addressees, body, signature and date) before the plan's title"
    # The page header repeating the title: keep the last copy before the body; set aside what stands between.
    kept = [i for i in range(head_end) if i not in drop]
    titles = [(i, t) for i in kept if (t := _title_at(lines, i)) and t[1] == i]
    for (a, ta), (b, tb) in pairwise(titles):
        if ta[0] == tb[0]:
            drop[a] = "the page header repeating the title"
    # Between the title and a 目录 header belong to the plan: a date, a parenthesised note and an unheaded
    # introduction (sentences closed by 。, kept as the 序 clause); a site's 摘要 (its label and the paragraph
    # under it) and its slogans are furniture.
    kept = [i for i in range(head_end) if i not in drop]
    title_idx = next((i for i in kept if _title_at(lines, i)), None)
    if title_idx is not None and head_end < len(lines) and _CONTENTS_HEAD.fullmatch(_squash(lines[head_end][1])):
        last = _title_at(lines, title_idx)[1]
        under_label = False
        for i in kept:
            s = _squash(lines[i][1])
            if i <= last or not s or _YEAR_MONTH.fullmatch(s) or re.fullmatch(r"[（(].*[)）]", s):
                continue
            if _SITE_LABEL.fullmatch(s):
                under_label = True
            elif not under_label and _INTRODUCTION.fullmatch(s):
                continue
            else:
                under_label = False
            drop[i] = "site furniture between the title and the contents"
    if not drop:
        return text
    for i in sorted(drop):
        if lines[i][1].strip():
            repairs.append(Repair("wrapper" if drop[i].startswith("notice") else "furniture",
                                  lines[i][1].strip(), "", drop[i]))
    return "\n".join(line for i, (_, line) in enumerate(lines) if i not in drop)


# --- the table of contents ------------------------------------------------------------------------------

_ENTRY = re.compile(rf"(第(?P<v>[{_CN}\d]+)(?P<k>[篇章节])|[{_CN}]+、|[(（][{_CN}]+[)）]|附[件录图表]|序[\s\u3000]*言"
                    r"|前[\s\u3000]*言|后[\s\u3000]*记|结[\s\u3000]*语|专栏)")
_PAGE_NUMBERED = re.compile(rf"(第[{_CN}\d]+[篇章节]|[{_CN}]+、|附[件录图表]|序[\s\u3000]*言|前[\s\u3000]*言|后[\s\u3000]*记|结[\s\u3000]*语)"
                            r"[^。；;]{0,70}?(?:[\s\u3000]{2,}|[\s\u3000]*[.．…·—-]{2,}[\s\u3000]*)\d{1,3}")


def _entry_key(line: str) -> str:
    s = line.strip()
    m = _ENTRY.match(s)
    if m and m.group("k"):
        return f"{m.group('k')}{m.group('v')}"
    return re.sub(r"[\s\u3000.．…·—-]*\d{1,3}$", "", _squash(s))


def set_aside_contents(text: str, repairs: list[Repair]) -> tuple[str, tuple[str, ...]]:
    """Remove a table of contents; returns the text and the entries (page numbers dropped).

    Examples
    --------
    >>> rs = []
    >>> t, entries = set_aside_contents("题\\n目 录\\n第一章 总则  1\\n第二章 布局  3\\n第一章 总则\\n正文。", rs)
    >>> t, entries
    ('题\\n第一章 总则\\n正文。', ('第一章 总则', '第二章 布局'))
    >>> set_aside_contents("第一章  发展基础    1\\n第二章  机遇挑战    7\\n第三章  总体要求    9\\n\\n第一章 发展基础\\n正文。",
    ...                    [])[0]
    '\\n第一章 发展基础\\n正文。'
    """
    lines = _lines_with_offsets(text)
    drop: set[int] = set()
    entries: list[str] = []
    i = 0
    while i < len(lines):
        s = _squash(lines[i][1])
        if _CONTENTS_HEAD.fullmatch(s):
            block, first, j = [i], None, i + 1
            while j < len(lines):
                line = lines[j][1].strip()
                if not line:
                    block.append(j)
                    j += 1
                    continue
                if len(line) > 80 or re.search(r"[。；;]", line):
                    break
                key = _entry_key(line)
                if first is not None and (key == first or (len(key) >= 4 and first.startswith(key))):
                    break  # the body repeats the first entry: the contents end here
                if first is None:
                    first = key
                block.append(j)
                entries.append(_strip_page(line))
                j += 1
            if first is not None:
                drop.update(block)
            i = j
            continue
        if _PAGE_NUMBERED.fullmatch(lines[i][1].strip()):
            # Without a header: a run of at least three entries with page numbers (blank lines and the second
            # line of a long entry in between).
            run, j, last_numbered = [], i, i
            while j < len(lines) and j - last_numbered <= 2:
                line = lines[j][1].strip()
                if _PAGE_NUMBERED.fullmatch(line):
                    run.append(j)
                    last_numbered = j
                elif line and (len(line) > 40 or re.search(r"[。；;，,]", line)):
                    break
                j += 1
            numbered = [k for k in run]
            if len(numbered) >= 3:
                block = list(range(i, last_numbered + 1))
                drop.update(block)
                entries += [_strip_page(lines[k][1].strip()) for k in block if lines[k][1].strip()]
                i = last_numbered + 1
                continue
        i += 1
    if not drop:
        return text, ()
    removed = "\n".join(lines[k][1] for k in sorted(drop)).strip("\n")
    repairs.append(Repair("contents", removed, "", f"table of contents ({len(entries)} entries), not clauses"))
    return "\n".join(line for k, (_, line) in enumerate(lines) if k not in drop), tuple(entries)


def _strip_page(line: str) -> str:
    return re.sub(r"(?:[\s\u3000]+|[\s\u3000]*[.．…·—-]{2,}[\s\u3000]*)\d{1,3}$", "", line).strip()


# --- 专栏 boxes -------------------------------------------------------------------------------------------

_BOX_HEAD = re.compile(rf"专栏[\s\u3000]*(?P<n>[\d{_CN}]{{1,4}})(?:[\s\u3000:：、.．]+(?P<t>[^\n]{{0,60}}))?$")
_BOX_STOP = re.compile(rf"(第[{_CN}\d]+[篇章节])[\s\u3000]|专栏[\s\u3000]*[\d{_CN}]")
_CELL_SPLIT = re.compile(r"\t+|[ \u3000]{2,}")


def find_boxes(text: str) -> list[Box]:
    """The 专栏 boxes of a text: a ``专栏N 标题`` line, its rows up to a blank line, and a ``注：`` block after it.

    Examples
    --------
    >>> b = find_boxes("正文。\\n专栏1  重大项目\\n序号    项目\\n1    南京港\\n\\n注：见附图。\\n\\n第二节 下一节")[0]
    >>> b.label, b.rows
    ('专栏1 重大项目', (('序号', '项目'), ('1', '南京港'), ('注：见附图。',)))
    """
    boxes: list[Box] = []
    lines = _lines_with_offsets(text)
    i = 0
    while i < len(lines):
        start, line = lines[i]
        m = _BOX_HEAD.match(line.strip())
        if not m:
            i += 1
            continue
        rows: list[tuple[str, ...]] = []
        j = _take_rows(lines, i + 1, rows)
        k = j
        while k < len(lines) and not lines[k][1].strip():
            k += 1
        if k < len(lines) and re.match(r"注[:：]", lines[k][1].strip()) and rows:
            j = _take_rows(lines, k, rows)
        end = lines[j - 1][0] + len(lines[j - 1][1])
        if rows:
            boxes.append(Box(m.group("n"), (m.group("t") or "").strip(), tuple(rows), (start, end)))
        i = max(j, i + 1)
    return boxes


def _take_rows(lines: list[tuple[int, str]], j: int, rows: list[tuple[str, ...]]) -> int:
    """Append the rows from line ``j`` up to a blank line or a heading; the index after the last row."""
    while j < len(lines) and lines[j][1].strip() and not _BOX_STOP.match(lines[j][1].strip()):
        rows.append(tuple(c.strip() for c in _CELL_SPLIT.split(lines[j][1].strip()) if c.strip()))
        j += 1
    return j


def cell_spans(text: str, box: Box) -> tuple[tuple[int, int], ...]:
    """Where each cell of a 专栏 stands in ``text`` (the text `find_boxes` read), line by line: its heading line
    (``专栏13``, its title), then each row's cells as `find_boxes` splits them (tabs or runs of spaces), then the
    ``注：`` lines. Every span is stripped and holds no line break, so that a cell is read on its own.

    Examples
    --------
    >>> text = "专栏1  重大项目\\n序号    项目    地点\\n1\\t宁淮城际铁路\\t六合"
    >>> [text[a:b] for a, b in cell_spans(text, find_boxes(text)[0])]
    ['专栏1', '重大项目', '序号', '项目', '地点', '1', '宁淮城际铁路', '六合']
    """
    out: list[tuple[int, int]] = []
    pos = box.span[0]
    for line in text[box.span[0]:box.span[1]].split("\n"):
        start = 0
        for sep in [*_CELL_SPLIT.finditer(line), None]:
            end = sep.start() if sep else len(line)
            cell = line[start:end]
            if cell.strip():
                lead = len(cell) - len(cell.lstrip())
                out.append((pos + start + lead, pos + start + lead + len(cell.strip())))
            if sep:
                start = sep.end()
        pos += len(line) + 1
    return tuple(out)


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with these spans blanked (newlines kept), so that no numbering is read inside them."""
    if not spans:
        return text
    out = list(text)
    for a, b in spans:
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "
    return "".join(out)
