"""The words around a name that say it is no admin unit there (issue #19): a town's or a 组团's own word after it,
the head word of the list it stands in, a county owning it, a landform, a boundary's direction.

County and city plans name their towns (镇, 乡, 街道), their 组团, 片区 and 新城, their landforms and their
boundaries; many of those names are also a county's somewhere in China (长安镇 is no 长安区, 城北组团 no 城北区,
华北平原 no 平原县, 东至 in 东至海安市 no 东至县). These predicates read the text around a match; the place matcher
(`geo.places.matcher`) asks them before it accepts a short name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# A town, a street or a village of that name: the name is its, never a county's (长安镇, 城关街道, 白云乡).
# (乡 before 村 / 镇 / 土 is 乡村, 乡镇, 乡土: the name stands before a word, not a township.)
_TOWN_AFTER = re.compile(r"^(?:镇(?!压)|乡(?![村镇土愁亲情音])|街道|社区|苏木|嘎查)")

# A part of a city or county plan's own area named after something else: with no jurisdiction to tell near from
# far, the name is that part's (城北组团, 太平片区, 金山新城).
_PART_AFTER = re.compile(r"^(?:组团|片区|新城|副城|科技城|新区)")

# The head word of a list of a plan's own parts: 朝阳、江北、河西三个组团; 安宁、永宁两个乡镇; A、B等特色镇.
_PART_HEAD = re.compile(
    r"^(?:[、，,和及与][\u4e00-\u9fff]{2,4}?)*?(?:等|[一二三四五六七八九十两\d]+[个大]?)"
    r"(?:特色|重点|中心|城市|新型|产业)?(?:组团|片区|新城|副城|乡镇|镇|乡|街道|社区|城区|板块)")

# A landform or sea named after a place: 成都平原, 东海之滨, 珠江三角洲 (the name is the landform's).
_LANDFORM_AFTER = re.compile(r"^(?:平原|高原|盆地|丘陵|三角洲|之滨|之畔|河口|入海口|出海口|海峡)")
# Unit names that are landform words themselves (平原县, 高原?): inside a longer landform name (华北平原) they are it.
_LANDFORM_WORDS = frozenset({"平原", "高原", "盆地", "丘陵"})
_WATERS = "江河湖海"

# A boundary written by directions: 东至海安市，南至长江 (东至 is 东至县 of 安徽 only where nothing else says so).
_BOUNDARY = re.compile(r"[东南西北]至")


def town_after(after: str) -> bool:
    """Does the text after a short name make it a town, street or village (长安镇, 城关街道, 白云乡)?"""
    return bool(_TOWN_AFTER.match(after))


def part_after(after: str) -> bool:
    """Does the text after a short name make it a part of the plan's own area (城北组团, 太平片区, 金山新城)?"""
    return bool(_PART_AFTER.match(after))


def in_list_of_parts(after: str) -> bool:
    """Is the name one item of a list whose head word says the items are towns or 组团 (朝阳、江北、河西三个组团)?"""
    return bool(_PART_HEAD.match(after))


def landform_after(form: str, text: str, start: int, end: int, words: Mapping[str, int]) -> bool:
    """Is the short name part of a landform, a sea or a river mouth: 成都平原 (a plain named after a city), 华北平原
    (平原县's name ends a plain's), 长江口 (江口县's name holds the river's 江 and its mouth), 黄河河口 (河口区)?

    ``words``: the segmenter's word frequencies (长江 is a word, 持平 of 支持平原 is not a region).
    """
    if _LANDFORM_AFTER.match(text[end : end + 4]):
        return True
    before = text[start - 1] if start else ""
    if form in _LANDFORM_WORDS and before and before in "东西南北中":
        return True  # 华北平原, 西南丘陵 (支持平原县 keeps its suffix; a bare 平原 after a verb stays a name)
    if form.endswith("口") and form[0] in _WATERS and before:
        # 黄河河口 (the river's own 河 before its mouth), 长江口 (长江 a word: the mouth of the river)
        return before in _WATERS or (words.get(before + form[0]) or 0) >= 100
    return False


def boundary_direction(text: str, start: int, end: int) -> bool:
    """Is the match a direction of a boundary description (东至海安市，南至长江，西至…), not a county?"""
    form = text[start:end]
    if not _BOUNDARY.fullmatch(form):
        return False
    # another direction of the same kind near it: a boundary (东至、石台、青阳 lists the county)
    window = text[max(0, start - 30) : end + 30]
    return len(_BOUNDARY.findall(window)) >= 2
