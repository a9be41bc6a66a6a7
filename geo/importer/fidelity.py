"""How faithfully `geo.importer.draft` reads real plans: a hand-labelled corpus and its scores.

The development corpus (``tests/data/plans/<id>/``: ``text.txt`` and ``labels.yaml``, format in
``tests/data/plans/FORMAT.md``) holds real plan texts from many provinces, each labelled by hand: the
jurisdiction, every place, every slogan, each part with its members and verbatim evidence, chains, links and the
strings that must not be places. `score_text` drafts a text as a new user would (no jurisdiction given) and
compares the draft with its labels; `score_corpus` adds the texts up. ``bench/import_fidelity.py`` prints the
table; ``tests/unit/importer/test_fidelity.py`` checks the corpus and holds the figures to the targets.

Scores
------
- **places**: the admin units the draft finds in the text (every clause) against the labelled places:
  precision and recall over adcodes.
- **slogans**: recall of the labelled slogans, compared without quotes and punctuation (一核两极两轴、三组团多支撑
  = 一核两极两轴三组团多支撑).
- **parts**: a labelled part counts as found when the draft has features for it (named as the part, or grouped
  under it) whose members together match the label's (Jaccard ≥ 0.8); a part whose items are no admin units
  (四带: 京广高铁经济带 …) is matched on the names of the features grouped under it instead (a name completed
  with the head word its list shares, 三江源、祁连山国家重点生态功能区 -> 三江源国家重点生态功能区, is the item as
  written, 三江源), a part of one such item (一群: 山东半岛城市群) on the excerpts of the feature named as the part.
- **false places**: places the draft finds inside a string the labels say is no place (南部地区, a person's
  name, 井冈山精神), unless the labels list that place (石家庄都市圈 writes 石家庄). Those inside a string the
  labels' ``not_place_kinds`` call a direction or region word or a person's name are counted apart: the issue's
  target (none) is about these.
- **jurisdiction**: the unit the draft detects, against the labelled one.

What the map shows (only features drawn: a feature the check keeps but does not draw is not on the map):

- **links**: the ends of the drawn links (every member but the origin) against the members of the labelled
  ``links``, pooled per text: precision and recall over adcodes.
- **outside members**: members of drawn cores, wings, zones and ecological areas that lie outside the labelled
  plan area (``jurisdiction`` and ``jurisdiction_area``, with the units inside them), are not the province
  holding it and are no member of a labelled part (target: none).
- **far features**: drawn features other than links with a member more than `FAR_KM` km outside the labelled
  plan area, unless their reasons say the text writes the line that far (``check.runs_beyond_area``) (none).
- **exact on part**: drawn areas marked ``exact`` whose members hold a unit the labels' ``units_in_part`` say the
  text names only in part (南昌市中心城区), their excerpts quoting that evidence (none).
- **to check**: features the draft marks ``low`` confidence (reported, no target).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from geo.importer.confidence import FAR_KM, Geography
from geo.places.gazetteer import Gazetteer, load_gazetteer

__all__ = ["CORPUS_DIR", "JACCARD_MATCH", "CorpusText", "TextScore", "load_corpus", "score_corpus", "score_text"]

CORPUS_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "plans"
JACCARD_MATCH = 0.8
"""A drafted part matches a labelled one when their members overlap this much (intersection over union)."""

_PUNCT = re.compile(r"[“”\"'‘’「」『』、，,。；;：:\s·]")


@dataclass(frozen=True)
class CorpusText:
    """One labelled text of the corpus."""

    id: str
    text: str
    labels: Mapping[str, Any]

    @property
    def province(self) -> str:
        return str(self.labels.get("province") or "")


@dataclass
class TextScore:
    """The comparison of one draft with its labels (counts, so that texts add up)."""

    id: str
    places_found: int = 0
    places_labelled: int = 0
    places_hit: int = 0
    slogans_labelled: int = 0
    slogans_hit: int = 0
    parts_labelled: int = 0
    parts_hit: int = 0
    false_places: list[str] = field(default_factory=list)
    false_direction_or_person: list[str] = field(default_factory=list)  # the false places from those words
    jurisdiction_ok: bool = False
    missed_places: list[str] = field(default_factory=list)
    extra_places: list[str] = field(default_factory=list)
    missed_slogans: list[str] = field(default_factory=list)
    missed_parts: list[str] = field(default_factory=list)
    jurisdiction_found: str = ""
    links_found: int = 0
    links_labelled: int = 0
    links_hit: int = 0
    missed_links: list[str] = field(default_factory=list)
    extra_links: list[str] = field(default_factory=list)
    outside_members: list[str] = field(default_factory=list)
    far_features: list[str] = field(default_factory=list)
    exact_on_part: list[str] = field(default_factory=list)
    to_check: int = 0
    features: int = 0

    @property
    def precision(self) -> float:
        return self.places_hit / self.places_found if self.places_found else 1.0

    @property
    def recall(self) -> float:
        return self.places_hit / self.places_labelled if self.places_labelled else 1.0

    @property
    def slogan_recall(self) -> float:
        return self.slogans_hit / self.slogans_labelled if self.slogans_labelled else 1.0

    @property
    def part_recall(self) -> float:
        return self.parts_hit / self.parts_labelled if self.parts_labelled else 1.0

    @property
    def link_precision(self) -> float:
        return self.links_hit / self.links_found if self.links_found else 1.0

    @property
    def link_recall(self) -> float:
        return self.links_hit / self.links_labelled if self.links_labelled else 1.0


def load_corpus(folder: Path | str = CORPUS_DIR) -> list[CorpusText]:
    """Every labelled text under ``folder`` (a folder without ``labels.yaml`` is still being labelled: skipped)."""
    out = []
    for sub in sorted(Path(folder).iterdir()):
        if not (sub / "labels.yaml").is_file() or not (sub / "text.txt").is_file():
            continue
        labels = yaml.safe_load((sub / "labels.yaml").read_text(encoding="utf-8")) or {}
        out.append(CorpusText(sub.name, (sub / "text.txt").read_text(encoding="utf-8"), labels))
    return out


def _normal(text: str) -> str:
    """Compared without punctuation or inserted parentheses (三县(市) = 三县, 儋(州)洋(浦) = 儋洋)."""
    return _PUNCT.sub("", re.sub(r"[(（][^()（）]{0,4}[)）]", "", str(text)))


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 1.0


def score_text(item: CorpusText, gazetteer: Gazetteer | None = None) -> TextScore:
    """Draft one corpus text as a new user would (the jurisdiction detected, not given) and score it."""
    from geo.importer.draft import draft_plan

    gaz = gazetteer or load_gazetteer()
    labels = item.labels
    draft = draft_plan(item.text, gaz)
    score = TextScore(item.id)

    labelled = {str(p["adcode"]) for p in labels.get("places") or []}
    found = {p.adcode for c in draft.clauses for p in c.places}
    score.places_labelled, score.places_found, score.places_hit = len(labelled), len(found), len(labelled & found)
    score.missed_places = sorted(_name(gaz, a) for a in labelled - found)
    score.extra_places = sorted(_name(gaz, a) for a in found - labelled)

    drafted_slogans = {_normal(s.text) for c in draft.clauses for s in c.slogans}
    for slogan in labels.get("slogans") or []:
        text = slogan["text"] if isinstance(slogan, Mapping) else slogan
        score.slogans_labelled += 1
        if _normal(text) in drafted_slogans:
            score.slogans_hit += 1
        else:
            score.missed_slogans.append(str(text))

    features = [f["properties"] for f in draft.collection["features"] if f["properties"]["kind"] != "admin"]
    for part in labels.get("parts") or []:
        score.parts_labelled += 1
        if _part_found(part, features):
            score.parts_hit += 1
        else:
            score.missed_parts.append(f"{part.get('slogan', '')}/{part['part']}")

    kinds = labels.get("not_place_kinds") or {}
    direction_or_person = {str(w) for key in ("direction", "person") for w in kinds.get(key) or []}
    for word in labels.get("not_places") or []:
        for m in re.finditer(re.escape(str(word)), draft.outline.text):
            for c in draft.outline.clauses:
                if not (c.span[0] <= m.start() < c.span[1]):
                    continue
                dc = next(d for d in draft.clauses if d.id == c.id)
                offset = m.start() - c.span[0]
                for p in dc.places_within(offset, offset + len(word)):
                    if p.adcode not in labelled:  # 石家庄都市圈 writes 石家庄, a labelled place
                        score.false_places.append(f"{word}→{p.name}")
                        if str(word) in direction_or_person:
                            score.false_direction_or_person.append(f"{word}→{p.name}")
    score.false_places = sorted(set(score.false_places))
    score.false_direction_or_person = sorted(set(score.false_direction_or_person))

    want = str((labels.get("jurisdiction") or {}).get("adcode") or "")
    score.jurisdiction_found = draft.jurisdiction.adcode or ""
    score.jurisdiction_ok = bool(want) and score.jurisdiction_found == want
    _score_map(score, labels, draft.collection["features"], gaz)
    return score


_AREA_KINDS = ("core", "wing", "zone", "eco")


def _score_map(score: TextScore, labels: Mapping[str, Any], features: Sequence[Mapping[str, Any]],
               gaz: Gazetteer) -> None:
    """The scores of what the map shows: links, members outside the area, far features, exact on part."""
    juris = str((labels.get("jurisdiction") or {}).get("adcode") or "")
    area = [juris] + [str(u["adcode"]) for u in labels.get("jurisdiction_area") or []]
    area = [a for a in area if a in gaz.units]
    geo = Geography(gaz, area)
    part_members = {str(a) for part in labels.get("parts") or [] for a in part.get("members") or []}

    def inside(a: str) -> bool:
        return any(a == u or gaz.contains(u, a) for u in area) or (bool(juris) and gaz.contains(a, juris))

    drafted = [f["properties"] for f in features if f["properties"]["kind"] != "admin"]
    score.features = len(drafted)
    score.to_check = sum(1 for p in drafted if p.get("confidence") == "low")
    drawn = [f["properties"] for f in features if f["properties"]["kind"] != "admin" and f.get("geometry")]

    labelled_ends = {str(a) for link in labels.get("links") or [] for a in link.get("members") or []}
    ends = {a for p in drawn if p["kind"] == "link" for a in (p["members"][1:] if len(p["members"]) > 1
                                                               else p["members"])}
    score.links_labelled, score.links_found = len(labelled_ends), len(ends)
    score.links_hit = len(ends & labelled_ends)
    score.missed_links = sorted(_name(gaz, a) for a in labelled_ends - ends)
    score.extra_links = sorted(_name(gaz, a) for a in ends - labelled_ends)

    in_part = [(str(u["adcode"]), str(u["evidence"])) for u in labels.get("units_in_part") or []]
    for p in drawn:
        codes = [r.get("code") for r in p.get("reasons") or []]
        if p["kind"] in _AREA_KINDS:
            for a in p["members"]:
                if area and not inside(a) and a not in part_members:
                    score.outside_members.append(f"{p['name']}:{_name(gaz, a)}")
        if p["kind"] != "link" and area and "check.runs_beyond_area" not in codes:
            far = [(a, geo.km(a)) for a in p["members"]]
            far = [f"{_name(gaz, a)} {km} km" for a, km in far if km > FAR_KM]
            if far:
                score.far_features.append(f"{p['name']}: {', '.join(far)}")
        if p["kind"] in _AREA_KINDS and p.get("precision") == "exact":
            quoted = " ".join(e["text"] for e in p.get("excerpts") or [])
            for a, evidence in in_part:
                if a in p["members"] and evidence in quoted:
                    score.exact_on_part.append(f"{p['name']}:{evidence}")


def _part_found(part: Mapping[str, Any], features: Sequence[Mapping[str, Any]]) -> bool:
    """Do the draft's features for this part (named as it, or grouped under it) match the labelled members?"""
    name = _normal(part["part"])
    mine = [f for f in features if _normal(f.get("name", "")) == name or _normal(f.get("group") or "") == name]
    if not mine:
        return False
    members = [str(a) for a in part.get("members") or []]
    if members:
        drafted = [a for f in mine for a in f.get("members") or []]
        return _jaccard(drafted, members) >= JACCARD_MATCH
    items = [_normal(i) for i in part.get("items") or []]
    evidence = _normal(part.get("evidence") or "")
    named = [_as_written(_normal(f["name"]), items, evidence) for f in mine if _normal(f.get("group") or "") == name]
    if not named and len(items) == 1:
        # a part of one item is named as the part (一群); its excerpts must hold the item (山东半岛城市群)
        return any(items[0] in _normal(e["text"]) for f in mine for e in f.get("excerpts") or [])
    return bool(items) and _jaccard(named, items) >= JACCARD_MATCH


def _as_written(name: str, items: Sequence[str], evidence: str) -> str:
    """A drafted item named with the head word its list shares (三江源、祁连山国家重点生态功能区 -> 三江源国家重点生态功能区;
    净月、富锋、兴隆等三个组团 -> 净月组团) is the labelled item as written (三江源, 净月), and a drafted item as written
    is the labelled item named with that head word: the head word stands in the evidence after the list's last
    item."""
    if name in items or not items:
        return name
    after = evidence[evidence.rfind(items[-1]) + len(items[-1]) :] if items[-1] in evidence else ""
    for item in items:
        if name.startswith(item) and len(name) > len(item) and name[len(item) :] in after:
            return item
        if item.startswith(name) and len(item) > len(name) and name in evidence and item[len(name) :] in evidence:
            return item  # (and the other way: 陇东 of 陇东、河西两大能源基地 is the labelled 陇东能源基地)
    return name


def _name(gaz: Gazetteer, adcode: str) -> str:
    return gaz.unit(adcode).name if adcode in gaz.units else adcode


def score_corpus(items: Sequence[CorpusText], gazetteer: Gazetteer | None = None) -> tuple[list[TextScore], TextScore]:
    """Score every text; the second value adds them up (places, slogans and parts pooled over the corpus)."""
    gaz = gazetteer or load_gazetteer()
    scores = [score_text(item, gaz) for item in items]
    total = TextScore("all")
    for s in scores:
        for attr in ("places_found", "places_labelled", "places_hit", "slogans_labelled", "slogans_hit",
                     "parts_labelled", "parts_hit", "links_found", "links_labelled", "links_hit", "to_check",
                     "features"):
            setattr(total, attr, getattr(total, attr) + getattr(s, attr))
        for attr in ("outside_members", "far_features", "exact_on_part"):
            getattr(total, attr).extend(f"{s.id}: {x}" for x in getattr(s, attr))
        total.false_places += s.false_places
        total.false_direction_or_person += s.false_direction_or_person
    total.jurisdiction_ok = all(s.jurisdiction_ok for s in scores)
    return scores, total
