"""A plan text -> the outline document: clauses with their places and slogans, and the jurisdiction."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass

from geo.places.gazetteer import Gazetteer
from geo.places.mentions import PlaceMention, find_places, find_slogans
from geo.text.clauses import Clause, Outline, parse_outline
from geo.text.plans import PLANS_DIR, load_plan, plan_ids
from geo.text.structure import cell_spans, mask


@dataclass(frozen=True)
class JurisdictionGuess:
    """The unit a plan governs, how sure we are, and why."""

    adcode: str | None
    name: str | None
    level: str | None
    stated: bool
    reason: str


def clause_places(outline: Outline, clause: Clause, gazetteer: Gazetteer,
                  jurisdiction: str | None = None) -> list[PlaceMention]:
    """The places of a clause as the reader sees it (number, heading, text and its 专栏), offsets into
    ``outline.text[clause.span[0]:clause.span[1]]``.

    The prose is read as prose; a 专栏 (a table of projects: 类型 | 项目名称 | 地点 …) is read cell by cell: a
    place in a cell is a mention of this clause, and as a row stands on its own line the row is what quotes it.
    No name is read across two cells (六合 | 新建铁路 are two cells, not a list or a cluster), and the places of the
    prose, then of the cells already read, settle an ambiguous name as the clause's other places would.

    Examples
    --------
    >>> from geo.places.gazetteer import load_gazetteer
    >>> o = parse_outline("某市规划\\n第一章  项目\\n加快建设。\\n专栏1  重大项目\\n项目\\t地点\\n江北水厂\\t浦口\\n")
    >>> c = o.clause("第一章")
    >>> body = o.text[c.span[0]:c.span[1]]
    >>> [(p.name, body[p.start:p.end]) for p in clause_places(o, c, load_gazetteer(), "320100")]
    [('浦口区', '浦口')]
    """
    start, end = clause.span
    body = outline.text[start:end]
    boxes = [(max(b.span[0], start) - start, min(b.span[1], end) - start) for b in clause.tables]
    if not boxes:
        return _own_zones_out(body, find_places(body, gazetteer, jurisdiction=jurisdiction), gazetteer, jurisdiction)
    places = _own_zones_out(body, find_places(mask(body, boxes), gazetteer, jurisdiction=jurisdiction), gazetteer,
                            jurisdiction)
    for box in clause.tables:
        for a, b in cell_spans(outline.text, box):
            if not (start <= a and b <= end):
                continue
            context = [p.adcode for p in places]
            places += [dataclasses.replace(p, start=p.start + a - start, end=p.end + a - start)
                       for p in find_places(outline.text[a:b], gazetteer, jurisdiction=jurisdiction, context=context)]
    return sorted(places, key=lambda p: (p.start, p.end))


# A development zone's own name after a unit (黔东南高新区, X经开区, X综合保税区).
_ZONE_AFTER = re.compile(r"(?:国家级)?(?:高新区|高新技术产业开发区|经开区|经济技术开发区|经济开发区|开发区|综合保税区|"
                         r"保税区|工业园区|产业园区)")


def _own_zones_out(body: str, places: list[PlaceMention], gazetteer: Gazetteer,
                   jurisdiction: str | None) -> list[PlaceMention]:
    """Without the units that hold the plan's area written only as a zone's name inside it: in 凯里市's plan
    黔东南高新区 is a park in 凯里, named after the prefecture, not a mention of the prefecture."""
    if not jurisdiction:
        return places
    return [p for p in places if p.adcode == jurisdiction or not gazetteer.contains(p.adcode, jurisdiction)
            or not _ZONE_AFTER.match(body, p.end)]


def detect_jurisdiction(outline: Outline, gazetteer: Gazetteer) -> JurisdictionGuess:
    """Which unit a plan governs, from its title, then its issuer, then the places it names most.

    Parameters
    ----------
    outline : Outline
        The parsed plan.
    gazetteer : Gazetteer
        The admin units.

    Returns
    -------
    JurisdictionGuess
        With ``adcode`` None when the text gives nothing to go on (an anonymised plan: ``XX``).
    """
    return stated_jurisdiction(outline, gazetteer) or voted_jurisdiction(outline, gazetteer)


def stated_jurisdiction(outline: Outline, gazetteer: Gazetteer) -> JurisdictionGuess | None:
    """The unit the title, the issuer or the signature names (the most specific one), else None."""
    for source, label in ((outline.title, "标题"), (outline.issuer, "发文机关"),
                          (" ".join(outline.front_matter), "落款")):
        places = find_places(source, gazetteer) if source else []
        if places:
            best = max(places, key=lambda p: ({"county": 3, "prefecture": 2, "province": 1}[p.level], -p.start))
            return JurisdictionGuess(best.adcode, best.name, best.level, True, f"{label}写明“{best.mention}”")
    return None


def voted_jurisdiction(outline: Outline, gazetteer: Gazetteer,
                       places: list[list[PlaceMention]] | None = None) -> JurisdictionGuess:
    """The unit holding at least 60% of the places the clauses name (the most specific such unit).

    ``places``: the places of each clause, found without a jurisdiction, when the caller has them already.
    A county-level name written without its suffix that is the text's only place in its province is a stray
    (凯里新城 read as a 新城区 in another province, 油用牡丹 as 牡丹区) and has no vote: a far homonym needs evidence.
    """
    if places is None:
        places = [find_places(c.text, gazetteer) for c in outline.clauses]
    named = {p.adcode for found in places for p in found}
    province_of = {a: gazetteer.unit(a).province or a for a in named}
    counts: dict[str, int] = {}
    for found in places:
        for p in found:
            if p.level == "county" and p.mention != p.name and not p.via and not any(
                    b != p.adcode and province_of[b] == province_of[p.adcode] for b in named):
                continue
            counts[p.adcode] = counts.get(p.adcode, 0) + 1
    if counts:
        # The unit containing most of the places named is the likeliest jurisdiction.
        scores: dict[str, int] = {}
        for adcode, n in counts.items():
            for anc in [gazetteer.unit(adcode)] + gazetteer.ancestors(adcode):
                scores[anc.adcode] = scores.get(anc.adcode, 0) + n
        total = sum(counts.values())
        best_code = max(scores, key=lambda a: (scores[a] >= 0.6 * total, {"county": 3, "prefecture": 2, "province": 1}[
            gazetteer.unit(a).level] if scores[a] >= 0.6 * total else 0, scores[a]))
        if scores[best_code] >= 0.6 * total:
            u = gazetteer.unit(best_code)
            return JurisdictionGuess(u.adcode, u.name, u.level, False,
                                     f"正文所提地名的{scores[best_code]}/{total}处位于{u.name}")
    return JurisdictionGuess(None, None, None, False, "文本未写明辖区，也无法从地名推断")


def bundled_plan_for(text: str) -> str | None:
    """The id of the bundled plan whose original text this is, if any (so curated metadata applies)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    for pid in plan_ids():
        if hashlib.sha256((PLANS_DIR / pid / "original.txt").read_bytes()).hexdigest() == digest:
            return pid
    return None


def outline_document(text: str, gazetteer: Gazetteer) -> dict:
    """The JSON-ready outline of a plan text: title, jurisdiction, clauses with places and slogans.

    Parameters
    ----------
    text : str
        The decoded plan text.
    gazetteer : Gazetteer
        The admin units.

    Returns
    -------
    dict
        ``{"title", "issuer", "jurisdiction", "clauses": [{"id", "heading", "text", "span", "places", "slogans"}],
        "gaps", "repairs"}``.
    """
    pid = bundled_plan_for(text)
    outline = load_plan(pid).outline if pid else parse_outline(text)
    if pid:
        j = load_plan(pid).meta.jurisdiction
        unit = gazetteer.unit(j.adcode)
        jurisdiction = {"adcode": j.adcode, "name": j.name, "level": unit.level, "stated": j.stated,
                        "reason": "文本写明" if j.stated else "推断（文本匿名为XX/*）",
                        "clues": [{"clause": c.clause, "text": c.text, "why": c.why} for c in j.clues]}
    else:
        guess = detect_jurisdiction(outline, gazetteer)
        jurisdiction = {"adcode": guess.adcode, "name": guess.name, "level": guess.level, "stated": guess.stated,
                        "reason": guess.reason, "clues": []}
    clauses = []
    for clause in outline.clauses:
        body = clause.heading + "\n" + clause.text if clause.heading else clause.text
        places = find_places(body, gazetteer, jurisdiction=jurisdiction["adcode"])
        if clause.tables:  # the 专栏 cells (kept out of the clause's text)
            places += [p for p in clause_places(outline, clause, gazetteer, jurisdiction["adcode"])
                       if any(b.span[0] <= clause.span[0] + p.start < b.span[1] for b in clause.tables)]
        clauses.append({
            "id": clause.id,
            "heading": clause.heading,
            "text": clause.text,
            "span": list(clause.span),
            "places": _unique_places(places),
            "slogans": _unique_slogans(body),
        })
    return {
        "title": outline.title,
        "issuer": outline.issuer or None,
        "jurisdiction": jurisdiction,
        "clauses": clauses,
        "gaps": list(outline.gaps),
        "repairs": [{"kind": r.kind, "original": r.original, "replacement": r.replacement, "reason": r.reason}
                    for r in outline.repairs],
    }


def _unique_places(places: list[PlaceMention]) -> list[dict]:
    """One entry per (unit, written form), in order of first mention."""
    seen: set[tuple[str, str]] = set()
    out = []
    for p in places:
        if (p.adcode, p.mention) in seen:
            continue
        seen.add((p.adcode, p.mention))
        out.append({"name": p.name, "mention": p.mention, "adcode": p.adcode, "level": p.level, "reason": p.reason})
    return out


def _unique_slogans(text: str) -> list[dict]:
    """One entry per slogan text, in order of first mention."""
    seen: set[str] = set()
    out = []
    for s in find_slogans(text):
        if s.text in seen:
            continue
        seen.add(s.text)
        out.append({"text": s.text, "parts": [{"count": p.count, "term": p.term} for p in s.parts]})
    return out
