"""The words around a name that say it is no admin unit there (issue #19): a town's or a 组团's own word after it,
the head word of the list it stands in, a county owning it, a landform, a boundary's direction.

County and city plans name their towns (镇, 乡, 街道), their 组团, 片区 and 新城, their landforms and their
boundaries; many of those names are also a county's somewhere in China (长安镇 is no 长安区, 城北组团 no 城北区,
华北平原 no 平原县, 东至 in 东至海安市 no 东至县). These predicates read the text around a match; the place matcher
(`geo.places.matcher`) asks them before it accepts a short name.
"""

from __future__ import annotations

import re

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

# Landforms, seas and river mouths whose name holds a county's (华北平原, 东海之滨, 长江口, 黄河河口, 成都平原).
_LANDFORM_AFTER = re.compile(r"^(?:平原|高原|盆地|丘陵|三角洲|之滨|之畔|沿岸|河口|入海口|出海口|口(?![岸岩碑径])|湾(?![区])|海峡)")
# A landform word that ends inside a longer name: 华北平原 holds 平原 (平原县), 东海之滨 holds 东海, 长江口 holds 江口.
_LANDFORM_HOLDS = re.compile(r"(?:平原|高原|河口|江口|东海|南海|黄海|渤海)")

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


def landform_after(form: str, text: str, start: int, end: int) -> bool:
    """Is the short name the head or the tail of a landform or sea named with it (华北平原 → 平原, 东海之滨 → 东海,
    长江口 → 江口, 黄河河口 → 河口)?"""
    if _LANDFORM_AFTER.match(text[end:]):
        return True
    # the name's own characters finish a landform begun before it (华北|平原, 长|江口, 黄河|河口)
    for m in _LANDFORM_HOLDS.finditer(text, max(0, start - 2), min(len(text), end + 2)):
        if m.start() <= start < m.end() or m.start() < end <= m.end():
            if m.group() != form or (start and _is_han(text[start - 1]) and text[start - 1] in "北南东西中江河湖海"):
                return True
    return False


def boundary_direction(text: str, start: int, end: int) -> bool:
    """Is the match a direction of a boundary description (东至海安市，南至长江，西至…), not a county?"""
    form = text[start:end]
    if not _BOUNDARY.fullmatch(form):
        return False
    # another direction of the same kind near it, or a place right after it: a boundary, not 东至县
    window = text[max(0, start - 30) : end + 30]
    return len(_BOUNDARY.findall(window)) >= 2 or not text.startswith(("县", "等", "、"), end)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"
