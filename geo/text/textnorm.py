"""Decoded plan text -> the text a planner would have pasted: look-alike radicals, PDF line wraps, traditional script.

Three kinds of damage make an uploaded plan draft worse than the same text pasted:

- **Look-alike radicals.** PDFs made from Word or WPS often map glyphs to the *Kangxi Radicals* block
  (U+2F00–U+2FDF: ``⼀核`` for 一核, ``⼤南昌`` for 大南昌) or the *CJK Radicals Supplement*
  (U+2E80–U+2EFF: ``⻓`` for 长, ``⻔`` for 门). They look the same and match nothing. NFKC maps the Kangxi
  block; the supplement has no compatibility mapping, so `RADICAL_SUPPLEMENT` maps the radicals that stand for
  a whole character (Unihan's equivalent unified ideographs). Nothing else is normalised: NFKC over the whole
  text would turn ``，`` into ``,`` and ``（`` into ``(`` and excerpts must stay verbatim.
- **Line wraps** of a PDF's layout (``鄱\\n余万都``): a line break between two characters of running text,
  where the line does not end a sentence or a heading, is a wrap, not a paragraph (`join_wrapped_lines`).
- **Traditional script** (a Big5 file, or a Taiwan/Hong Kong text in UTF-8): converted to simplified with
  OpenCC (``t2s``) so that places and slogans are found; the planner is told (`to_simplified`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from geo.i18n import both

# CJK Radicals Supplement -> the unified ideograph each stands for (Unihan kEquivalentUnifiedIdeograph), for
# the radicals that are also characters of running text. Pure components (⺀ ⺈ ⺊ …) map to their component.
RADICAL_SUPPLEMENT: dict[str, str] = {
    "⺁": "厂", "⺅": "亻", "⺆": "冂", "⺇": "几", "⺉": "刂", "⺊": "卜", "⺋": "㔾", "⺌": "小", "⺍": "小",
    "⺎": "兀", "⺏": "尣", "⺐": "尢", "⺒": "巳", "⺓": "幺", "⺔": "彑", "⺕": "彐", "⺖": "忄", "⺗": "㣺",
    "⺘": "扌", "⺙": "攵", "⺛": "旡", "⺜": "日", "⺝": "月", "⺞": "歺", "⺟": "母", "⺠": "民", "⺡": "氵",
    "⺢": "氺", "⺣": "灬", "⺤": "爫", "⺥": "爫", "⺦": "丬", "⺧": "牛", "⺨": "犭", "⺩": "王", "⺪": "疋",
    "⺫": "目", "⺬": "示", "⺭": "礻", "⺮": "竹", "⺯": "糸", "⺰": "纟", "⺲": "罒", "⺳": "㓁", "⺶": "羊",
    "⺷": "羊", "⺹": "耂", "⺺": "肀", "⺻": "聿", "⺼": "月", "⺽": "臼", "⺾": "艹", "⺿": "艹", "⻀": "艹",
    "⻁": "虎", "⻂": "衤", "⻃": "覀", "⻄": "西", "⻅": "见", "⻆": "角", "⻇": "角", "⻈": "讠", "⻉": "贝",
    "⻊": "足", "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝", "⻐": "钅", "⻑": "長", "⻒": "镸",
    "⻓": "长", "⻔": "门", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞",
    "⻝": "食", "⻟": "飠", "⻠": "饣", "⻡": "首", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟",
    "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "斉", "⻬": "齐", "⻭": "歯", "⻮": "齿", "⻯": "竜",
    "⻰": "龙", "⻱": "龜", "⻲": "亀", "⻳": "龟",
}
_LOOKALIKE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")


def fix_lookalikes(text: str) -> tuple[str, int]:
    """Replace look-alike radicals by the characters they stand for; return the text and how many changed.

    Examples
    --------
    >>> fix_lookalikes("构建“⼀核”，建设⼤南昌都市圈，⻓株潭")
    ('构建“一核”，建设大南昌都市圈，长株潭', 3)
    """
    count = 0

    def _one(m: re.Match) -> str:
        nonlocal count
        ch = m.group(0)
        fixed = RADICAL_SUPPLEMENT.get(ch) or unicodedata.normalize("NFKC", ch)
        count += fixed != ch
        return fixed

    return _LOOKALIKE.sub(_one, text), count


# --- PDF line wraps -----------------------------------------------------------------------------------------

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A line ends a sentence or a heading block with these (a closing quote or bracket after one of them counts).
_SENTENCE_END = re.compile(r"[。！？!?…][”’」』)）]*$")
# These end a list entry or introduce a list: a line ending with one is a paragraph unless it is a full line.
_CLAUSE_END = re.compile(r"[；;：:][”’」』)）]*$")
# A line that starts a clause, an item or a list entry is never the tail of the line before.
_STARTS_ITEM = re.compile(
    rf"^(?:第[零〇一二三四五六七八九十百\d]+[章节条篇部]|[一二三四五六七八九十]{{1,3}}[、.．]|[(（][{_CJK}\d]{{1,3}}[)）]"
    r"|\d{1,2}\s?[.．、)）](?!\d)|[①-⑳]|[•●■□◆◇▪*＊])"
)
_WRAP_END = re.compile(rf"[{_CJK}\d%％A-Za-z，,、“‘《（(·—\-]$")
_WRAP_START = re.compile(rf"^[{_CJK}\d%％A-Za-z，,、。”’》）)；;：:！？“‘《（(—…·]")


def join_wrapped_lines(text: str) -> tuple[str, int]:
    """Join the lines a PDF's layout wrapped; return the text and how many breaks were joined.

    A break is a wrap when the line before does not end a sentence (``。！？``; ``；：`` only end a line shorter
    than a full one), the line after does not
    start a clause or list item (``一、``, ``(二)``, ``3.``, ``第四章`` …), both sides are running text, and the
    line before is either as long as the page's full lines (its width in characters: the longest lines of the
    text, so a short heading or a paragraph's last line is never joined) or, between two Chinese characters, no
    heading (longer than a heading, not a numbered line, not the first line).

    Examples
    --------
    >>> body = "构建九江—南昌—抚州和沿沪昆高铁通道两大发展轴，培育丰樟高、奉靖、鄱"
    >>> join_wrapped_lines("大南昌都市圈\\n" + body + "\\n余万都组团发展能力。\\n二、保障措施")[0].splitlines()
    ['大南昌都市圈', '构建九江—南昌—抚州和沿沪昆高铁通道两大发展轴，培育丰樟高、奉靖、鄱余万都组团发展能力。', '二、保障措施']
    """
    lines = text.split("\n")
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if len(lengths) < 2:
        return text, 0
    # The page's full line, in characters: the longest but for a few outliers (a table row, a URL).
    full = lengths[int(0.9 * (len(lengths) - 1))] if len(lengths) >= 10 else lengths[-1]
    out: list[str] = []
    joined = 0
    for i, line in enumerate(lines):
        if out and _is_wrap(out[-1], line, full, first=len(out) == 1):
            out[-1] = out[-1].rstrip() + line.strip()
            joined += 1
        else:
            out.append(line)
    return "\n".join(out), joined


def _is_wrap(before: str, after: str, full: int, *, first: bool) -> bool:
    prev, nxt = before.strip(), after.strip()
    if not prev or not nxt or _SENTENCE_END.search(prev) or _STARTS_ITEM.match(nxt):
        return False
    full_line = full >= 15 and len(prev) >= 0.8 * full
    if _CLAUSE_END.search(prev):
        return full_line and bool(_WRAP_START.match(nxt))
    if not (_WRAP_END.search(prev) and _WRAP_START.match(nxt)):
        return False
    if full_line:
        return True
    heading = first or len(prev) <= 30 or _STARTS_ITEM.match(prev)
    return not heading and bool(re.match(rf"[{_CJK}]", prev[-1])) and bool(re.match(rf"[{_CJK}]", nxt[0]))


# --- traditional -> simplified ------------------------------------------------------------------------------

#: Share of the Chinese characters that OpenCC's t2s changes above which a text is taken as traditional
#: (a simplified plan has a handful at most: 乾, 著 in some words).
TRADITIONAL_SHARE = 0.05
_COMMON_TRADITIONAL = frozenset("發展國區會這個們為與經濟劃導業進動產開設關實現點對時體機來說於")
_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


@lru_cache(maxsize=1)
def _t2s():
    """OpenCC's traditional -> simplified converter, or None when OpenCC is not installed."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - a dependency; refused with a message if missing
        return None
    return opencc.OpenCC("t2s")


def is_traditional(text: str) -> bool:
    """Is this text written in traditional characters? (OpenCC t2s changes more than `TRADITIONAL_SHARE` of them.)

    Examples
    --------
    >>> is_traditional("構建「一核兩翼」區域發展新格局"), is_traditional("构建“一核两翼”区域发展新格局")
    (True, False)
    """
    sample = "".join(re.findall(rf"[{_CJK}]", text[:20000]))
    if len(sample) < 4:
        return False
    converter = _t2s()
    if converter is None:  # pragma: no cover - without OpenCC: the commonest traditional-only characters
        return sum(ch in _COMMON_TRADITIONAL for ch in sample) > TRADITIONAL_SHARE * len(sample)
    converted = converter.convert(sample)
    if len(converted) == len(sample):
        changed = sum(a != b for a, b in zip(sample, converted))
    else:
        changed = sum(converter.convert(ch) != ch for ch in sample)
    return changed >= 2 and changed > TRADITIONAL_SHARE * len(sample)


def to_simplified(text: str) -> str:
    """The text in simplified characters (OpenCC t2s), 「」/『』 quotes as “”/‘’ as simplified plans write them.

    Examples
    --------
    >>> to_simplified("形成「一核兩極兩軸」的都市圈區域格局")
    '形成“一核两极两轴”的都市圈区域格局'
    """
    return _t2s().convert(text).translate(_QUOTES)


def normalise(text: str, *, wraps: bool = False) -> tuple[str, list[str]]:
    """A decoded plan text made like a pasted one; return it with notes for the planner (both languages).

    Parameters
    ----------
    text : str
        Decoded text, line ends already ``\\n``.
    wraps : bool
        Join layout line wraps (for text extracted from a PDF).

    Raises
    ------
    ValueError
        Traditional text when OpenCC is missing (the message in both languages).
    """
    notes: list[str] = []
    text, n = fix_lookalikes(text)
    if n:
        notes.append(both("decode.note.lookalikes", n=n))
    if wraps:
        text, n = join_wrapped_lines(text)
        if n:
            notes.append(both("decode.note.wraps", n=n))
    if is_traditional(text):
        if _t2s() is None:  # pragma: no cover
            raise ValueError(both("decode.no_converter"))
        text = to_simplified(text)
        notes.append(both("decode.note.traditional"))
    return text, notes
