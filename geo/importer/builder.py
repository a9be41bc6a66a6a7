"""The draft builder: the plan's area and the concepts the rules find, drawn as features.

`Builder.build` runs the rules of `geo.importer.rules.RULES` in order, each adding concepts (`Builder.add` merges
equal ones), then draws the admin base and every concept (`geo.importer.edits.redraw`).
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.i18n import kind_label
from geo.importer.concepts import Concept, DraftClause
from geo.importer.confidence import Geography, assess
from geo.importer.edits import redraw
from geo.importer.items import owners
from geo.importer.jurisdiction import scope_units
from geo.importer.patterns import (
    ONE_PLUS,
    PARTIAL,
    WHOLE,
    sentence_at,
)
from geo.importer.rules import RULES
from geo.layers import ADMIN_NOTE, feature_properties, make_feature, plan_shapes, sentence_around
from geo.places.gazetteer import Gazetteer
from geo.places.mentions import find_places

__all__ = ["NOT_DRAWN_NOTE", "Builder"]

NOT_DRAWN_NOTE = "未绘制：核对未通过，见可信度说明"
"""The note of a feature the check keeps but does not draw (its reasons say why)."""

class Builder:
    """Collects concepts from the clauses (one pass per rule of `geo.importer.rules.RULES`), then draws them."""

    def __init__(self, gaz: Gazetteer, juris: str | None, plan: str, clauses: Sequence[DraftClause],
                 title: str = "") -> None:
        self.gaz, self.juris, self.plan, self.clauses, self.title = gaz, juris, plan, clauses, title
        self.concepts: list[Concept] = []
        self._index: dict[tuple, Concept] = {}
        self.taken: set[tuple[str, int, int]] = set()  # (clause, start, end) of mentions already used
        self.defined_names: set[str] = set()  # named areas drawn as a slogan's items (not again on their own)
        self.area, self.area_cite = self._plan_area()
        self._rule = ""  # the rule running (`build`), recorded on the concepts it adds

    # ---- helpers
    def inside(self, adcode: str) -> bool:
        """Is a unit inside the plan's area: the jurisdiction, or the units a metropolitan area plan lists?"""
        if not self.juris:
            return False
        return self.gaz.contains(self.juris, adcode) or any(self.gaz.contains(a, adcode) for a in self.area)

    def near(self, adcode: str) -> bool:
        """Is a unit in the jurisdiction's province or one bordering it (沪昆's 上海 is not near 南昌)?"""
        if not self.juris:
            return True
        home, there = self.gaz.unit(self.juris).province, self.gaz.unit(adcode).province
        return home == there or there in self.gaz.neighbours(home)

    def overlaps_area(self, adcode: str) -> bool:
        """Does a unit hold part of a multi-unit plan's area (抚州市 of 大南昌都市圈, which lists 抚州's 临川区)?"""
        return self.gaz.unit(adcode).level != "province" and any(self.gaz.contains(adcode, a) for a in self.area)

    def outside(self, adcode: str) -> bool:
        """Outside the plan's area and not one of the units holding it (云南省 in 曲靖's plan is home)."""
        if not self.juris:
            return False
        return not self.inside(adcode) and not self.gaz.contains(adcode, self.juris)

    def _plan_area(self) -> tuple[tuple[str, ...], tuple[str, str] | None]:
        """The units of a plan whose area spans several (大南昌都市圈包括南昌市、九江市和抚州市临川区…).

        A metropolitan area, city cluster or economic belt plan governs no one unit: the text says which units
        it covers, and those are inside the plan (their places are members, never cooperation links). Only
        an area the plan is about counts: its name stands in the title or is the first such definition.
        """
        if not self.juris or not self.clauses:
            return (), None
        title = self.clauses[0].text[:120]
        # An area counted as its lead city and N others (“1+4”(郑州+开封、新乡…)新增加了洛阳…): the units of that
        # sentence in the lead city's province, before any other definition (it is the plan's own area)
        for clause in self.clauses:
            for m in ONE_PLUS.finditer(clause.text):
                sentence, at = sentence_at(clause.text, m.start(), m.end())
                units = [p.adcode for p in clause.places_within(at, at + len(sentence)) if p.level != "province"
                         and self.gaz.unit(p.adcode).province == self.gaz.unit(self.juris).province]
                if self.juris in units and len(set(units)) >= 2:
                    return tuple(dict.fromkeys(units)), (clause.id, sentence[:120])
        # A scope sentence (规划范围包括A、B、C), a definition of the area the title names (大南昌都市圈包括…) or the
        # cities that with its lead city form it (石家庄都市圈以石家庄市为中心，与联系紧密的衡水市、邢台市…共同组成: members,
        # not links): `geo.importer.jurisdiction.scope_span` reads every such form
        for clause in self.clauses:
            units = scope_units(clause.text, clause.places, f"{self.title}\n{title}", formed=True)
            if units:
                sentence, _ = sentence_at(clause.text, units[0].start, units[-1].end)
                # 宜春市的丰城市、樟树市: a prefecture written right before its counties is not wholly inside (one
                # listed apart, as 咸阳市、铜川市三市部分区县，杨凌示范区, is: its area the sentence qualifies itself)
                held = {p.adcode for p, q in zip(units, units[1:]) if p.adcode != q.adcode
                        and self.gaz.contains(p.adcode, q.adcode) and clause.text[p.end : q.start] in ("", "的")}
                codes = [p.adcode for p in units if p.adcode not in held]
                return tuple(dict.fromkeys(codes)), (clause.id, sentence[:120])
        # A title naming its area by a cluster (厦漳泉同城化总体规划): the cluster's units, the jurisdiction one of them
        clustered = [p for p in find_places(self.title, self.gaz) if p.via == "cluster"] if self.title else []
        if len({p.adcode for p in clustered}) >= 2 and self.juris in {p.adcode for p in clustered}:
            return tuple(dict.fromkeys(p.adcode for p in clustered)), None
        return (), None

    def add(self, concept: Concept) -> None:
        """Add a concept, merging it with an equal one (`Concept.key`)."""
        concept.how = concept.how or self._rule
        c = self._index.get(concept.key())
        if c is None:
            self._index[concept.key()] = concept
            self.concepts.append(concept)
            return
        for cite in concept.cites:
            if cite not in c.cites:
                c.cites.append(cite)

    # ---- running the rules, and the members a span of text gives
    def build(self) -> list[dict]:
        """All features: admin base first, then concepts in the order the rules found them, each checked against
        the plan's area first (`geo.importer.confidence.assess`: its confidence, its reasons, what is drawn)."""
        for rule in RULES:
            self._rule = rule.__name__
            rule(self)
        self._rule = ""
        features = self._admin()
        seat_use: dict = {}
        counters: dict[str, int] = {}
        geography = Geography.of(self)
        for concept in self.concepts:
            counters[concept.kind] = counters.get(concept.kind, 0) + 1
            fid = f"{concept.kind}-{counters[concept.kind]}"
            features.append(self._feature(fid, concept, seat_use, geography))
        return features

    def members_in(self, clause: DraftClause, start: int, end: int, *, anywhere: bool = False
                   ) -> tuple[list[str], list[str], list[str]]:
        """Inside places in text[start:end]; those qualified as a part (平坝区域, 除…以外) listed separately.

        ``anywhere``: places outside the jurisdiction too (not the provinces holding it), for a definition that
        names them as a part of the plan's own structure.
        """
        text = clause.text
        members: list[str] = []
        partial: list[str] = []
        words: list[str] = []
        places = [p for p in clause.places_within(start, end) if not self.juris or self.inside(p.adcode)
                  or (anywhere and not self.gaz.contains(p.adcode, self.juris))]
        for p in places:
            if p.adcode == self.juris and not self.area and (len(places) > 1
                                                            or self.gaz.unit(p.adcode).level == "province"):
                # A province's plan names itself in passing (陇海铁路陕西段): no part is the whole of it. In a
                # plan spanning several units the lead unit is one of them (广州和佛山两市作为核心区).
                continue
            seg_end = end
            for sep in "、，,；;":
                k = text.find(sep, p.end, end)
                if k >= 0:
                    seg_end = min(seg_end, k)
            k = text.find("以及", p.end, end)
            if k >= 0:
                seg_end = min(seg_end, k)
            tail = text[p.end : seg_end]
            # "A和B平坝区域": the qualifier after the last of names joined by 和 applies to them all.
            q = PARTIAL.search(tail)
            if q and not WHOLE.search(tail[: q.start()]):
                partial.append(p.adcode)
                words.append(q.group(0))
            members.append(p.adcode)
        owning = owners(self, clause, places)  # 宜春市的丰城市、樟树市: those counties, not all of 宜春市
        members = [a for a in dict.fromkeys(members) if a not in owning]
        partial = [a for a in dict.fromkeys(partial) if a in members]
        return members, partial, list(dict.fromkeys(words))

    # ---- drawing
    def _admin(self) -> list[dict]:
        """The base layer: own counties with the clauses naming each, neighbours as context outlines."""
        if not self.juris:
            return []
        shapes = plan_shapes(self.gaz, self.juris, True)
        own = set(shapes.own)
        naming: dict[str, list[tuple[str, str]]] = {a: [] for a in shapes.own}
        for clause in self.clauses:
            for p in clause.places:
                hits = [p.adcode] if p.adcode in own else [a for a in shapes.own if self.gaz.contains(p.adcode, a)
                                                          and p.adcode != self.juris and len(shapes.own) > 1]
                for a in hits:
                    if all(c != clause.id for c, _ in naming[a]):
                        # sentence_around keeps at most 40 characters each side: a window keeps it linear.
                        w = max(0, p.start - 41)
                        naming[a].append((clause.id, sentence_around(clause.text[w : p.end + 41], p.start - w,
                                                                      p.end - w)))
        out = []
        for a in shapes.own:
            u = self.gaz.unit(a)
            props = feature_properties(
                self.plan, name=u.name, name_en=u.name_en, kind="admin", role="辖区单元",
                clauses=[c for c, _ in naming[a]], excerpts=[{"clause": c, "text": t} for c, t in naming[a] if len(t) >= 2],
                precision="exact", precision_note=ADMIN_NOTE, members=[a], group="own")
            out.append(make_feature(f"a-{a}", shapes.area(a), props))
        # A plan spanning several units (规划范围包括A、B、C) draws the outline of its whole area: each listed unit
        # outside the jurisdiction, as the text names it (a prefecture whole, a county alone).
        area = [a for a in self.area if a != self.juris and not self.gaz.contains(self.juris, a)
                and not any(b != a and self.gaz.contains(b, a) for b in self.area)]
        if area:
            clause_id, sentence = self.area_cite or ("", "")
            for a in area:
                u = self.gaz.unit(a)
                props = feature_properties(
                    self.plan, name=u.name, name_en=u.name_en, kind="admin", role="规划范围单元",
                    clauses=[clause_id] if clause_id else [],
                    excerpts=[{"clause": clause_id, "text": sentence}] if clause_id else [],
                    precision="exact", precision_note=f"{ADMIN_NOTE}；规划范围句列出的单元", members=[a], group="area")
                out.append(make_feature(f"ar-{a}", shapes.area(a), props))
        for a in sorted(self.gaz.neighbours(self.juris)):
            if any(self.gaz.contains(b, a) or self.gaz.contains(a, b) for b in area):
                continue  # inside the plan's area, drawn above (or holding part of it)
            u = self.gaz.unit(a)
            props = feature_properties(
                self.plan, name=u.name, name_en=u.name_en, kind="admin", role="相邻单元", clauses=[], excerpts=[],
                precision="exact", precision_note="相邻单元（背景）：只画辖区外的边界", members=[a], group="neighbour")
            out.append(make_feature(f"nb-{a}", shapes.outline_outside(a), props))
        return out

    def _feature(self, fid: str, c: Concept, seat_use: dict, geography: Geography) -> dict:
        """A concept -> a schema feature (geometry by `redraw`), as the check left it."""
        checked = assess(self, c, geography)
        cites = list(dict.fromkeys(c.cites))
        props = feature_properties(
            self.plan, name=c.name, name_en=_name_en(self.gaz, c.kind, checked.members), kind=c.kind, role=c.role,
            clauses=list(dict.fromkeys(cid for cid, _ in cites)),
            excerpts=[{"clause": cid, "text": t} for cid, t in cites if len(t) >= 2],
            precision="exact", precision_note="", members=list(checked.members), named_only=False, group=c.group,
            direction="forward" if c.kind == "link" else None,
        )
        if checked.partial:
            props["partial"] = list(checked.partial)
            props["partial_words"] = list(checked.partial_words)
        if c.anchor:
            props["anchor"] = c.anchor
        rule = c.rule
        if checked.left_out:  # the note says what the check left out (融入粤港澳大湾区先行区: 广东省)
            names = "、".join(self.gaz.unit(a).name for a in checked.left_out)
            rule = f"{rule}；" if rule else ""
            rule += f"规划范围外的{names}不作成员（分区位于规划范围内）"
        if rule:
            props["rule"] = rule
        props["confidence"], props["reasons"] = checked.confidence, checked.reasons
        feat = {"type": "Feature", "id": fid, "geometry": None, "properties": {"id": fid, **props}}
        drawn = redraw(feat, self.gaz, self.juris, seat_use=seat_use, undefined=c.named_undefined)
        if not checked.drawn:  # kept for the planner to check, not drawn
            drawn = {**drawn, "geometry": None, "properties": {**drawn["properties"], "named_only": True,
                                                              "precision_note": NOT_DRAWN_NOTE}}
        return drawn


def _name_en(gaz: Gazetteer, kind: str, members: Sequence[str]) -> str:
    """An English name: the kind and up to three members."""
    names = [gaz.unit(a).name_en for a in members[:3] if a in gaz.units]
    label = "Draft " + kind_label(kind, "en").lower()
    return f"{label}: {', '.join(names)}{' …' if len(members) > 3 else ''}" if names else label

