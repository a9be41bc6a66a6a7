"""Map layers: the curated concept sources, the feature schema, building `layers/` and checking it.

Each plan's spatial concepts are curated by hand in ``data/concepts/<plan>.yaml`` (reviewable by a
planner: names, roles and verbatim excerpts, plus a few words saying how to draw each). The builder
turns them into RFC 7946 GeoJSON, one file per kind under ``layers/<plan>/``, deterministically.

Concept source format (one YAML mapping per feature under ``features:``)::

    - id: qj-core                 # stable, short, URL-safe, unique across plans
      name: 麒沾马中心城市         # as the text writes it
      name_en: Qilin-Zhanyi-Malong central city
      kind: core                  # core wing zone node corridor route link eco context
      role: 滇中城市群曲靖副中心    # the plan's own words
      cite:                       # clause ids and the shortest verbatim passage that supports it
        - {clause: "二.(三)", excerpt: 做强“麒沾马”中心城市}
      inferred: {place: 江油市, clue: 六合锻造 is in Jiangyou}   # only behind an anonymised XX / *
      names: [天津市, 河北省]      # optional: further places the cited text names as part of the concept that
                                  # the drawing stands for otherwise (京津冀 drawn as an arc to 北京市; the far
                                  # ends of 京昆高速 beyond the stretch drawn); they join ``members``
      group: 三大片区              # optional: zones of one group must tile without overlap
      draw:                       # exactly one of:
        members: [麒麟区, 沾益区, 马龙区]           # union of whole units -> exact
        parts:                                   # optional, with members: pieces of units -> approximate
          - {of: 江油市, cut: southeast, share: 0.4, keep: inside}   # a straight cut; keep: inside|outside
          - {of: 北川羌族自治县, around_seat_km: 4, keep: inside}
        through: [昆明市, 马龙区, 麒麟区]            # a line through seats, in order -> schematic
        toward: {place: 贵州省, km: 60}            # optional: carry the line on toward a place
        at: 涪城区                                 # a point at a unit's seat -> point
        arc: {from: 盘锦市, to: 无锡市}             # a curved, directed link -> schematic
        named_only: true                          # the text names it, gives nothing to draw
      note: how an approximate or schematic geometry was drawn (the builder adds a default)

Place names in ``draw`` are resolved with the gazetteer within the plan's jurisdiction (an adcode
also works). Points that share a seat are spread on a small ring so that each stays clickable.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import shapely
import yaml
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, mapping, shape
from shapely.ops import unary_union

from geo.feature import KINDS, feature_schema
from geo.places.gazetteer import Gazetteer, Unit, load_gazetteer
from geo.places.mentions import PlaceMention, find_places
from geo.text.plans import Plan, load_plan, plan_ids

ROOT = Path(__file__).resolve().parents[1]
CONCEPTS_DIR = ROOT / "data" / "concepts"
LAYERS_DIR = ROOT / "layers"
# The feature's schema and kinds live in geo.feature; each kind is one layer file and one toggle.

PLAN_BUDGET_BYTES = 400_000
"""All layers of one plan together, as GeoJSON on disk."""

COORD_DECIMALS = 5
POLYGON_DECIMALS = 4  # 11 m: far below the simplification error, and a tenth off every polygon's size
SIMPLIFY_M = 240.0
"""Douglas-Peucker tolerance for the base layers, in metres: with the 4-decimal grid (≤ 8 m) every simplified
boundary stays within 250 m of the source (`geo check` measures it)."""
ERROR_BUDGET_M = 250.0
CONTEXT_MARGIN = 0.01  # neighbours are clipped to the jurisdiction's frame plus this share of its extent
DERIVED_M_PER_KM = 2.5  # derived areas of a wide plan: 2.5 m of tolerance per km of its extent (~1.5 km, 贵州)
DERIVED_FROM_KM = 400.0  # plans narrower than this (a city, a county) keep derived areas at the base tolerance
_SEAT_RING_KM = 2.5  # spread of points sharing one seat: far enough apart to click at city zoom
_KM_PER_DEG = 111.32


class LayerError(ValueError):
    """A concept source that cannot be built; the message names the plan, feature and problem."""


@dataclass
class CheckReport:
    """Problems found by `check_layers`, grouped by plan; empty means all is well."""

    problems: list[str] = field(default_factory=list)
    figures: dict[str, dict] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    def render(self) -> str:
        """A readable report."""
        lines = []
        for plan, fig in self.figures.items():
            lines.append(f"{plan:10} {fig['features']:3} features  {fig['bytes'] / 1000:6.1f} KB  "
                         f"max error {fig.get('max_error_m', '?')} m  " +
                         " ".join(f"{k}={v}" for k, v in sorted(fig["by_kind"].items())))
        lines += [f"PROBLEM: {p}" for p in self.problems] or ["all layers check out"]
        return "\n".join(lines)


# --- reading concept sources --------------------------------------------------------------------


def concept_path(plan_id: str) -> Path:
    """Where the curated concepts of a plan live."""
    return CONCEPTS_DIR / f"{plan_id}.yaml"


def read_concepts(plan_id: str) -> list[dict]:
    """The curated concepts of a plan, as written (see the module docstring for the format)."""
    raw = yaml.safe_load(concept_path(plan_id).read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("features"), list):
        raise LayerError(f"{plan_id}: concept file must be a mapping with a 'features' list")
    return raw["features"]


# --- building -----------------------------------------------------------------------------------


def build_plan_layers(plan_id: str, gazetteer: Gazetteer | None = None) -> dict[str, dict]:
    """Build every layer of one plan.

    Parameters
    ----------
    plan_id : str
        A bundled plan id.
    gazetteer : Gazetteer, optional
        Defaults to the shared one.

    Returns
    -------
    dict
        Layer name -> GeoJSON FeatureCollection (only the kinds the plan has).
    """
    gaz = gazetteer or load_gazetteer()
    plan = load_plan(plan_id)
    juris = plan.meta.jurisdiction.adcode
    admin_units = _admin_units(gaz, juris)
    shapes = plan_shapes(gaz, juris)
    named = _clauses_naming(plan, gaz)
    features = [_admin_feature(plan, u, role, shapes, named.get(u.adcode, [])) for u, role in admin_units]
    seat_use: dict[tuple[float, float], int] = {}
    for concept in read_concepts(plan_id):
        features.append(_concept_feature(plan, gaz, concept, seat_use, shapes))
    layers: dict[str, dict] = {}
    for kind in KINDS:
        members = [f for f in features if f["properties"]["kind"] == kind]
        if members:
            layers[kind] = {"type": "FeatureCollection", "features": members}
    return layers


def write_layers(plan_ids_: Iterable[str] | None = None, out_dir: Path = LAYERS_DIR) -> list[Path]:
    """Regenerate ``layers/`` (and the cleaned plan texts) deterministically; returns the files written."""
    from geo.text.plans import cleaned_path

    gaz = load_gazetteer()
    written: list[Path] = []
    index = {"plans": {}}
    all_layers: dict[str, dict[str, dict]] = {}
    for pid in plan_ids_ or plan_ids():
        plan = load_plan(pid)
        cleaned_path(pid).write_text(plan.outline.text + "\n", encoding="utf-8")
        layers = build_plan_layers(pid, gaz)
        all_layers[pid] = layers
        plan_dir = out_dir / pid
        plan_dir.mkdir(parents=True, exist_ok=True)
        for old in plan_dir.glob("*.geojson"):
            if old.stem not in layers:
                old.unlink()
        for kind, fc in layers.items():
            path = plan_dir / f"{kind}.geojson"
            path.write_text(dumps(fc), encoding="utf-8")
            written.append(path)
        index["plans"][pid] = {
            "layers": {k: len(v["features"]) for k, v in layers.items()},
            "bounds": _bounds([f for fc in layers.values() for f in fc["features"]]),
        }
    meets = plans_meet(all_layers)
    (out_dir / "index.json").write_text(dumps(index), encoding="utf-8")
    (out_dir / "meets.json").write_text(dumps(meets), encoding="utf-8")
    return written + [out_dir / "index.json", out_dir / "meets.json"]


def dumps(obj: object) -> str:
    """Deterministic, compact, UTF-8 JSON (one feature per line, so that diffs stay readable)."""
    if isinstance(obj, dict) and obj.get("type") == "FeatureCollection":
        body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in obj["features"])
        return '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def load_layers(plan_id: str, layers_dir: Path = LAYERS_DIR) -> dict[str, dict]:
    """The built layers of a plan, by kind (KINDS order). A broken file raises LayerError naming it."""
    out: dict[str, dict] = {}
    for kind in KINDS:
        path = layers_dir / plan_id / f"{kind}.geojson"
        if not path.is_file():
            continue
        try:
            fc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise LayerError(f"图层文件损坏 / broken layer file {path.name}: {exc}") from None
        if not isinstance(fc, dict) or not isinstance(fc.get("features"), list):
            raise LayerError(f"图层文件损坏 / broken layer file {path.name}: not a FeatureCollection")
        out[kind] = fc
    return out


def _admin_units(gaz: Gazetteer, juris: str) -> list[tuple[Unit, str]]:
    """The jurisdiction's own units (its counties; a county plan: itself) and its neighbours as context."""
    unit = gaz.unit(juris)
    if unit.level == "county":
        own = [unit]
    else:
        own = [u for u in gaz.units.values() if u.level == "county" and gaz.contains(juris, u.adcode)]
    out = [(u, "own") for u in sorted(own, key=lambda u: u.adcode)]
    out += [(gaz.unit(a), "neighbour") for a in sorted(gaz.neighbours(juris))]
    return out


ADMIN_NOTE = "界线简化≤250米"


class PlanShapes:
    """Areas of one plan's units, simplified together so that neighbours keep one shared border.

    The jurisdiction's counties and its neighbours (clipped to the map frame) are simplified from the
    full-resolution source in one `topojson` topology with Douglas-Peucker at `SIMPLIFY_DEG`, so each
    shared border is one arc simplified once: no slivers, no gaps, and a bounded distance to the source.
    Any other unit inside the jurisdiction (a prefecture of a province plan) is the union of its simplified
    counties; a unit outside it falls back on the gazetteer's own coverage-simplified geometry.

    ``quick=True`` (drafts of imported plans, which must come back in a second) starts from the gazetteer's
    30 m coverage instead of the full-resolution source and simplifies it with GEOS ``coverage_simplify``:
    the same shared-border guarantee, some 20 times faster, about 30 m more boundary error.
    """

    def __init__(self, gaz: Gazetteer, own: list[str], neighbours: list[str], frame, *, quick: bool = False) -> None:
        self._gaz = gaz
        self.own = own
        codes = own + neighbours
        geometry = gaz.geometry if quick else gaz.source_geometry
        simplify = _quick_simplify if quick else _coverage_simplify
        sources = [geometry(c) for c in own] + [geometry(c).intersection(frame) for c in neighbours]
        self.sources = dict(zip(codes, sources))
        self.areas = simplify(codes, sources, SIMPLIFY_M)
        # Areas derived from units (cores, zones) are generalised to the plan's scale, like any map at that
        # scale: a province-wide plan does not need 240 m detail in a city-cluster outline, and its budget
        # cannot carry it. Plans of city size keep the base tolerance, so their zones align with the base.
        minx, miny, maxx, maxy = frame.bounds
        extent_km = max((maxx - minx) * math.cos(math.radians((miny + maxy) / 2)), maxy - miny) * _KM_PER_DEG
        self.derived_tolerance_m = (max(SIMPLIFY_M, extent_km * DERIVED_M_PER_KM) if extent_km > DERIVED_FROM_KM
                                    else SIMPLIFY_M)
        self.derived = (self.areas if self.derived_tolerance_m == SIMPLIFY_M
                        else simplify(codes, sources, self.derived_tolerance_m))
        self._own_union = unary_union([self.derived[a] for a in own])  # in the neighbours' generalisation
        self._frame_edge = frame.exterior.buffer(2e-4)

    def area(self, adcode: str, *, derived: bool = False):
        """The simplified area of a unit (see the class docstring for which geometry each unit gets)."""
        areas = self.derived if derived else self.areas
        if adcode in areas:
            return areas[adcode]
        inside = [a for a in self.own if self._gaz.contains(adcode, a)]
        if inside:
            return unary_union([areas[a] for a in inside])
        return self._gaz.geometry(adcode)

    def outline_outside(self, adcode: str):
        """A neighbour's boundary without the stretch it shares with the jurisdiction (drawn once, by the own units).

        Neighbours are context: like derived areas they are generalised to the plan's scale (for a city plan
        that is the base tolerance; for a province, whose neighbours are provinces, about 1.5 km).
        """
        boundary = self.derived[adcode].boundary
        # Neither the shared border nor the cut along the map frame is a real boundary of the neighbour.
        outside = boundary.difference(self._own_union.buffer(2e-4)).difference(self._frame_edge)
        return shapely.set_precision(outside, 10**-POLYGON_DECIMALS)

    def max_error_m(self) -> float:
        """Largest boundary distance (Hausdorff, metres) between a simplified own unit and its source."""
        worst = 0.0
        for adcode in self.own:
            src = self.sources[adcode]
            simple = self.areas[adcode]
            if src.is_empty:
                continue
            k = math.cos(math.radians(src.centroid.y))
            scale = lambda xy, k=k: xy * [k, 1.0]
            d = shapely.hausdorff_distance(shapely.transform(src.boundary, scale), shapely.transform(simple.boundary, scale))
            worst = max(worst, d * _KM_PER_DEG * 1000)
        return worst


def _coverage_simplify(codes: list[str], sources: list, tolerance_m: float) -> dict[str, object]:
    """Douglas-Peucker over a coverage as one topology (each shared border simplified once), in metres."""
    import geopandas as gpd
    import topojson

    # A local frame where a degree of longitude is as long as one of latitude: the tolerance is the same
    # number of metres in every direction.
    k = math.cos(math.radians(shapely.union_all(sources).centroid.y))
    local = shapely.transform(sources, lambda xy: xy * [k, 1.0])
    gdf = gpd.GeoDataFrame({"adcode": codes}, geometry=local, crs=None)
    topo = topojson.Topology(gdf, prequantize=False, toposimplify=tolerance_m / 1000 / _KM_PER_DEG,
                             simplify_algorithm="dp")
    simplified = topo.to_gdf()
    geoms = shapely.transform(simplified.geometry.values, lambda xy: xy / [k, 1.0])
    # Snapping to the output grid also repairs the rare self-touch Douglas-Peucker leaves behind.
    return {a: shapely.set_precision(shapely.make_valid(g), 10**-POLYGON_DECIMALS)
            for a, g in zip(simplified["adcode"], geoms)}


def _quick_simplify(codes: list[str], sources: list, tolerance_m: float) -> dict[str, object]:
    """GEOS coverage simplification in the same local frame as `_coverage_simplify` (see PlanShapes, quick)."""
    k = math.cos(math.radians(shapely.union_all(sources).centroid.y))
    local = shapely.transform(sources, lambda xy: xy * [k, 1.0])
    simplified = shapely.coverage_simplify(local, tolerance_m / 1000 / _KM_PER_DEG)
    geoms = shapely.transform(simplified, lambda xy: xy / [k, 1.0])
    return {a: shapely.set_precision(shapely.make_valid(g), 10**-POLYGON_DECIMALS) for a, g in zip(codes, geoms)}


@functools.lru_cache(maxsize=8)
def plan_shapes(gaz: Gazetteer, juris: str, quick: bool = False) -> PlanShapes:
    """The simplified unit areas of a plan with this jurisdiction (cached: check and build share them)."""
    units = _admin_units(gaz, juris)
    own = [u.adcode for u, role in units if role == "own"]
    neighbours = [u.adcode for u, role in units if role == "neighbour"]
    minx, miny, maxx, maxy = shapely.total_bounds([gaz.geometry(a) for a in own])
    margin = CONTEXT_MARGIN * max(maxx - minx, maxy - miny)
    frame = shapely.box(minx - margin, miny - margin, maxx + margin, maxy + margin)
    return PlanShapes(gaz, own, neighbours, frame, quick=quick)


def _clauses_naming(plan: Plan, gaz: Gazetteer) -> dict[str, list[dict]]:
    """Adcode -> the excerpts of the clauses naming it (its first mention in each), in clause order.

    Places are found once per clause, not once per county and clause.
    """
    outline = plan.outline
    named: dict[str, list[dict]] = {}
    for clause in outline.clauses:
        body = outline.text[clause.span[0] : clause.span[1]]
        first: dict[str, PlaceMention] = {}
        for p in find_places(body, gaz, jurisdiction=plan.meta.jurisdiction.adcode):
            first.setdefault(p.adcode, p)
        for adcode, p in first.items():
            named.setdefault(adcode, []).append({"clause": clause.id, "text": sentence_around(body, p.start, p.end)})
    return named


def _admin_feature(plan: Plan, unit: Unit, role: str, shapes: PlanShapes, named: list[dict]) -> dict:
    """A base-map unit with every clause that names it (so a click on a county lists them)."""
    excerpts = named if role == "own" else []
    clauses = [e["clause"] for e in excerpts]
    props = feature_properties(
        plan.id, name=unit.name, name_en=unit.name_en, kind="admin",
        role="辖区单元" if role == "own" else "相邻单元",
        clauses=clauses, excerpts=excerpts, precision="exact",
        precision_note=ADMIN_NOTE if role == "own" else (
            f"相邻单元（背景）：只画辖区外的边界，按规划尺度概括（约{shapes.derived_tolerance_m:.0f}米）"),
        members=[unit.adcode], group=role,
    )
    if role == "own":
        return make_feature(f"{plan.id[:2]}-{unit.adcode}", shapes.area(unit.adcode), props)
    return make_feature(f"{plan.id[:2]}-nb-{unit.adcode}", shapes.outline_outside(unit.adcode), props)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds [start, end), verbatim, at most 80 characters around the match."""
    left = max(text.rfind(ch, 0, start) for ch in "。；;\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。；;\n") if i >= 0]
    right = min(rights) if rights else len(text)
    left, right = max(left, start - 40), min(right, end + 40)
    return text[left:right].strip()


def _concept_feature(plan: Plan, gaz: Gazetteer, c: dict, seat_use: dict, shapes: PlanShapes) -> dict:
    """One curated concept -> one GeoJSON feature."""
    where = f"{plan.id}/{c.get('id', '?')}"
    for key in ("id", "name", "name_en", "kind", "role", "cite", "draw"):
        if key not in c:
            raise LayerError(f"{where}: missing '{key}'")
    draw = c["draw"]
    juris = plan.meta.jurisdiction.adcode

    def place(name: str) -> Unit:
        if re.fullmatch(r"\d{6}", str(name)):
            return gaz.unit(str(name))
        res = gaz.resolve(str(name), jurisdiction=juris)
        if res is None:
            raise LayerError(f"{where}: unknown place {name!r}")
        return res.unit

    members: list[str] = []
    note = c.get("note", "")
    named_only = bool(draw.get("named_only"))
    if named_only:
        geom, precision = None, "schematic"
        note = note or "文本仅提及名称，没有可绘制的空间信息（未编造几何）"
    elif "members" in draw:
        units = [place(n) for n in draw["members"]]
        members = [u.adcode for u in units]
        pieces = [shapes.area(u.adcode, derived=True) for u in units]
        parts = draw.get("parts") or []
        for part in parts:
            unit = place(part["of"])
            members.append(unit.adcode)
            pieces.append(_part_of(shapes.area(unit.adcode, derived=True), unit, part))
        geom = unary_union(pieces) if pieces else None
        precision = "approximate" if parts else "exact"
        if parts and not note:
            note = "部分单元按直线或县城周边近似切分（文本未给出镇界）"
        note = note or "整县（区、市）行政区合并"
        if shapes.derived_tolerance_m > SIMPLIFY_M:
            note += f"；轮廓按规划尺度概括（约{shapes.derived_tolerance_m:.0f}米）"
    elif "through" in draw:
        units = [place(n) for n in draw["through"]]
        members = [u.adcode for u in units]
        coords = [u.seat for u in units]
        if "toward" in draw:
            target = place(draw["toward"]["place"]).seat
            coords.append(step_toward(coords[-1], target, float(draw["toward"]["km"])))
        geom, precision = LineString(coords), "schematic"
        note = note or "示意线：按文中顺序连接各地驻地（" + "—".join(u.name for u in units) + "）"
    elif "arc" in draw:
        a, b = place(draw["arc"]["from"]), place(draw["arc"]["to"])
        members = [a.adcode, b.adcode]
        geom, precision = arc(a.seat, b.seat), "schematic"
        note = note or f"联系弧线：由{a.name}指向{b.name}（示意，不代表线路走向）"
    elif "at" in draw:
        unit = place(draw["at"])
        members = [unit.adcode]
        geom, precision = Point(spread(unit.seat, seat_use)), "point"
        note = note or f"点位近似：置于{unit.name}驻地附近（文本未给出确切位置）"
    else:
        raise LayerError(f"{where}: draw needs one of members/through/arc/at/named_only")
    # Members are every unit the concept involves, so a click on 天津 finds the 京津冀 link drawn to 北京.
    members += [a for a in (place(n).adcode for n in c.get("names") or ()) if a not in members]
    cites = c["cite"]
    props = feature_properties(
        plan.id, name=c["name"], name_en=c["name_en"], kind=c["kind"], role=c["role"],
        clauses=list(dict.fromkeys(x["clause"] for x in cites)),
        excerpts=[{"clause": x["clause"], "text": x["excerpt"]} for x in cites],
        precision=precision, precision_note=note, members=members, inferred=c.get("inferred"),
        named_only=named_only, group=c.get("group", ""),
        direction="forward" if ("arc" in draw or draw.get("directed")) else None,
    )
    return make_feature(c["id"], geom, props)


def feature_properties(plan: str, *, name: str, name_en: str, kind: str, role: str, clauses: list, excerpts: list,
                precision: str, precision_note: str, members: list, inferred: dict | None = None,
                named_only: bool = False, group: str = "", direction: str | None = None) -> dict:
    """Feature properties in schema order."""
    props = {
        "plan": plan, "name": name, "name_en": name_en, "kind": kind, "role": role, "clauses": clauses,
        "excerpts": excerpts, "precision": precision, "precision_note": precision_note, "members": members,
        "inferred": inferred, "named_only": named_only,
    }
    # Optional properties only where they say something: every byte is sent to the browser.
    if group:
        props["group"] = group
    if direction:
        props["direction"] = direction
    return props


def make_feature(fid: str, geom, props: dict) -> dict:
    """A GeoJSON feature with coordinates rounded to COORD_DECIMALS."""
    geometry = None
    if geom is not None:
        areal = geom.geom_type.endswith("Polygon") or geom.geom_type == "GeometryCollection"
        if areal:
            geom = as_multipolygon(shapely.set_precision(geom, 10**-POLYGON_DECIMALS))
            if len(geom.geoms) == 1:
                geom = geom.geoms[0]
        # Points keep 5 decimals (1 m); lines and areas 4 (11 m), far below their schematic or simplified error.
        # An empty shape (a neighbour whose outline outside the plan's area is nothing) has no geometry.
        geometry = None if geom.is_empty else _round(mapping(geom), COORD_DECIMALS if geom.geom_type == "Point" else POLYGON_DECIMALS)
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": {"id": fid, **props}}


def _round(geo: dict, decimals: int = COORD_DECIMALS) -> dict:
    """Round every coordinate of a GeoJSON geometry mapping."""

    def r(c):
        if isinstance(c[0], (int, float)):
            return [round(float(c[0]), decimals), round(float(c[1]), decimals)]
        return [r(x) for x in c]

    return {"type": geo["type"], "coordinates": r(geo["coordinates"])}


def _part_of(whole, unit: Unit, part: dict):
    """A piece of a unit's area: a straight cut at an area share, or the area around its seat (and complements)."""
    if "around_seat_km" in part:
        lon, lat = unit.seat
        r = float(part["around_seat_km"]) / _KM_PER_DEG
        disc = shapely.affinity.scale(Point(lon, lat).buffer(r, 32), 1 / math.cos(math.radians(lat)), 1.0)
        inside = whole.intersection(disc)
    else:
        inside = _cut(whole, part["cut"], float(part["share"]))
    return inside if part.get("keep", "inside") == "inside" else whole.difference(inside)


_DIRECTIONS = {"north": (0, 1), "south": (0, -1), "east": (1, 0), "west": (-1, 0),
               "northeast": (1, 1), "northwest": (-1, 1), "southeast": (1, -1), "southwest": (-1, -1)}


@functools.lru_cache(maxsize=64)
def _cut_cached(wkb: bytes, direction: str, share: float) -> bytes:
    """Cache of `_cut` by geometry bytes (the builder asks for the same cut and its complement)."""
    geom = shapely.from_wkb(wkb)
    dx, dy = _DIRECTIONS[direction]
    norm = math.hypot(dx, dy)
    dx, dy = dx / norm, dy / norm
    minx, miny, maxx, maxy = geom.bounds
    corners = [(minx, miny), (minx, maxy), (maxx, miny), (maxx, maxy)]
    lo = min(x * dx + y * dy for x, y in corners)
    hi = max(x * dx + y * dy for x, y in corners)
    big = (maxx - minx + maxy - miny) * 2

    ux, uy = -dy, dx
    along = ((minx + maxx) / 2) * ux + ((miny + maxy) / 2) * uy  # the cut line passes the geometry's middle

    def side(t: float) -> Polygon:
        # Half-plane {p : p·d >= t}, as a large polygon around the geometry.
        px, py = t * dx + along * ux, t * dy + along * uy
        return Polygon([(px + ux * big, py + uy * big), (px - ux * big, py - uy * big),
                        (px - ux * big + dx * big, py - uy * big + dy * big),
                        (px + ux * big + dx * big, py + uy * big + dy * big)])

    area = geom.area
    for _ in range(40):  # bisection on the cut position until the share is met
        mid = (lo + hi) / 2
        if geom.intersection(side(mid)).area > share * area:
            lo = mid
        else:
            hi = mid
    return shapely.to_wkb(geom.intersection(side((lo + hi) / 2)))


def _cut(geom, direction: str, share: float):
    """The `share` of a polygon's area that lies furthest in `direction`, cut by a straight line."""
    return shapely.from_wkb(_cut_cached(shapely.to_wkb(geom), direction, share))


def step_toward(start: tuple[float, float], target: tuple[float, float], km: float) -> tuple[float, float]:
    """The point `km` from start toward target (flat-earth: fine at corridor scale)."""
    lon0, lat0 = start
    dx = (target[0] - lon0) * math.cos(math.radians(lat0))
    dy = target[1] - lat0
    dist = math.hypot(dx, dy) or 1.0
    step = km / _KM_PER_DEG
    return (lon0 + dx / dist * step / math.cos(math.radians(lat0)), lat0 + dy / dist * step)


def arc(a: tuple[float, float], b: tuple[float, float], bend: float = 0.18, n: int = 12) -> LineString:
    """A quadratic Bezier from a to b, bent to the left of travel: links read as links, not as roads."""
    (x0, y0), (x1, y1) = a, b
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    cx, cy = mx - (y1 - y0) * bend, my + (x1 - x0) * bend
    pts = []
    for i in range(n + 1):
        t = i / n
        pts.append(((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1,
                    (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1))
    return LineString(pts)


def spread(seat: tuple[float, float], seat_use: dict) -> tuple[float, float]:
    """Seat position for the n-th point placed at the same seat: on a small ring, so each is clickable."""
    key = (round(seat[0], 4), round(seat[1], 4))
    n = seat_use.get(key, 0)
    seat_use[key] = n + 1
    if n == 0:
        return seat
    angle = math.radians(n * 137.5)  # golden angle: no two points line up however many share the seat
    r = _SEAT_RING_KM * (1 + n // 8) / _KM_PER_DEG
    return (seat[0] + r * math.cos(angle) / math.cos(math.radians(seat[1])), seat[1] + r * math.sin(angle))


def _bounds(features: list[dict]) -> list[list[float]]:
    """[[south, west], [north, east]] of features with geometry."""
    geoms = [shape(f["geometry"]) for f in features if f.get("geometry")]
    if not geoms:
        return [[18.0, 73.0], [54.0, 135.0]]
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    return [[round(miny, 4), round(minx, 4)], [round(maxy, 4), round(maxx, 4)]]


# --- where plans meet ---------------------------------------------------------------------------


def plans_meet(all_layers: dict[str, dict[str, dict]], gazetteer: Gazetteer | None = None) -> list[dict]:
    """Places and features named by more than one plan, with the clauses on each side.

    Two features meet when they share a name (曲靖—安顺循环经济产业园 in 003 and 004, compared loosely).
    Plans meet at a place when a feature of one is built from a unit that another also builds a feature
    from, or that lies in the other's jurisdiction (旺苍's 绵广高速复线 runs from 绵阳, 000's city).
    """
    gaz = gazetteer or load_gazetteer()
    by_name: dict[str, list[tuple[str, dict]]] = {}
    by_unit: dict[str, dict[str, list[dict]]] = {}
    for pid, layers in all_layers.items():
        for fc in layers.values():
            for f in fc["features"]:
                p = f["properties"]
                if p["kind"] == "admin":
                    continue
                by_name.setdefault(_meet_key(p["name"]), []).append((pid, f))
                for m in p["members"]:
                    by_unit.setdefault(m, {}).setdefault(pid, []).append(f)
    meets = []
    for key, hits in sorted(by_name.items()):
        if len({pid for pid, _ in hits}) < 2:
            continue
        meets.append({"type": "feature", "name": hits[0][1]["properties"]["name"],
                      "plans": sorted({pid for pid, _ in hits}), "features": [_meet_side(pid, f) for pid, f in hits]})
    jurisdictions = {pid: load_plan(pid).meta.jurisdiction.adcode for pid in all_layers}
    for adcode, sides in sorted(by_unit.items()):
        plans = set(sides)
        plans |= {pid for pid, j in jurisdictions.items() if gaz.contains(j, adcode)}
        if len(plans) < 2:
            continue
        meets.append({"type": "place", "name": gaz.unit(adcode).name, "adcode": adcode, "plans": sorted(plans),
                      "features": [_meet_side(pid, f) for pid in sorted(sides) for f in sides[pid]]})
    return meets


def _meet_side(pid: str, feature: dict) -> dict:
    """One plan's side of a meeting: its feature and the clauses that state it."""
    p = feature["properties"]
    return {"plan": pid, "id": feature["id"], "name": p["name"], "clauses": p["clauses"], "excerpts": p["excerpts"]}


def _meet_key(name: str) -> str:
    """Names compared loosely: dashes and brackets differ between plans (曲靖—安顺 / 曲靖-安顺)."""
    return re.sub(r"[—\-–－（）()“”\s·]", "", name)


# --- checking -----------------------------------------------------------------------------------


def check_layers(layers_dir: Path = LAYERS_DIR, plans: Iterable[str] | None = None) -> CheckReport:
    """Validate built layers against the plans, the gazetteer and the budget.

    Checks: schema, unique ids, excerpts found verbatim in the cited clause, clause ids that exist,
    members that exist, valid non-empty geometry, zones of one group without overlaps, size budget,
    cleaned texts up to date, and layers up to date with their concept sources.
    """
    from geo.text.plans import cleaned_path

    report = CheckReport()
    gaz = load_gazetteer()
    validator = jsonschema.Draft202012Validator(feature_schema())
    seen_ids: dict[str, str] = {}
    for pid in plans or plan_ids():
        plan = load_plan(pid)
        try:
            layers = load_layers(pid, layers_dir)
        except LayerError as exc:
            report.problems.append(f"{pid}: {exc}")
            continue
        if not layers:
            report.problems.append(f"{pid}: no layers built (run python -m geo build)")
            continue
        if not cleaned_path(pid).is_file() or cleaned_path(pid).read_text(encoding="utf-8") != plan.outline.text + "\n":
            report.problems.append(f"{pid}: data/plans/{pid}/cleaned.txt is out of date (run python -m geo build)")
        size = sum((layers_dir / pid / f"{k}.geojson").stat().st_size for k in layers)
        by_kind = {k: len(v["features"]) for k, v in layers.items()}
        report.figures[pid] = {"features": sum(by_kind.values()), "bytes": size, "by_kind": by_kind}
        if size > PLAN_BUDGET_BYTES:
            report.problems.append(f"{pid}: layers take {size / 1000:.0f} KB, over the {PLAN_BUDGET_BYTES / 1000:.0f} KB budget")
        error_m = plan_shapes(gaz, plan.meta.jurisdiction.adcode).max_error_m()
        report.figures[pid]["max_error_m"] = round(error_m)
        if error_m > ERROR_BUDGET_M:
            report.problems.append(f"{pid}: base layer boundaries are up to {error_m:.0f} m from the source (> {ERROR_BUDGET_M:.0f} m)")
        spans = {c.id: plan.outline.text[c.span[0] : c.span[1]] for c in plan.outline.clauses}
        zones: dict[str, list[tuple[str, object]]] = {}
        for kind, fc in layers.items():
            for f in fc["features"]:
                fid = f.get("id", "?")
                where = f"{pid}/{kind}/{fid}"
                for err in validator.iter_errors(f):
                    report.problems.append(f"{where}: schema: {err.message} at {'/'.join(map(str, err.path))}")
                if fid in seen_ids:
                    report.problems.append(f"{where}: id also used in {seen_ids[fid]}")
                seen_ids[fid] = where
                p = f.get("properties", {})
                if p.get("kind") != kind:
                    report.problems.append(f"{where}: kind {p.get('kind')!r} in the {kind} layer")
                for cid in p.get("clauses", []):
                    if cid not in spans:
                        report.problems.append(f"{where}: cites clause {cid!r}, which {pid} does not have")
                for ex in p.get("excerpts", []):
                    if ex.get("clause") not in spans:
                        continue
                    if ex.get("text", "") not in spans[ex["clause"]]:
                        report.problems.append(f"{where}: excerpt not found verbatim in {ex['clause']}: {ex.get('text')!r}")
                if kind != "admin" and not p.get("excerpts"):
                    report.problems.append(f"{where}: cites no excerpt")
                for m in p.get("members", []):
                    if m not in gaz.units:
                        report.problems.append(f"{where}: member {m} is not in the gazetteer")
                if p.get("inferred") and any(p["inferred"].get("place", "") == ex.get("text") for ex in p.get("excerpts", [])):
                    report.problems.append(f"{where}: an inference is shown as a quotation")
                geom = f.get("geometry")
                if geom is None:
                    if not p.get("named_only"):
                        report.problems.append(f"{where}: no geometry and not marked named_only")
                    continue
                try:
                    g = shape(geom)
                except Exception as exc:  # noqa: BLE001 - any malformed geometry is a problem to report
                    report.problems.append(f"{where}: unreadable geometry: {exc}")
                    continue
                if g.is_empty or not g.is_valid:
                    report.problems.append(f"{where}: geometry is {'empty' if g.is_empty else 'invalid: ' + shapely.is_valid_reason(g)}")
                if kind == "zone" and p.get("group"):
                    zones.setdefault(p["group"], []).append((fid, g))
        for group, items in zones.items():
            for problem in zone_overlaps(items):
                report.problems.append(f"{pid}: zones of {group}: {problem}")
        if concept_path(pid).is_file():
            fresh = build_plan_layers(pid, gaz)
            for kind, fc in fresh.items():
                path = layers_dir / pid / f"{kind}.geojson"
                if not path.is_file() or path.read_text(encoding="utf-8") != dumps(fc):
                    report.problems.append(f"{pid}: {kind}.geojson is out of date with its sources (run python -m geo build)")
    return report


def zone_overlaps(items: list[tuple[str, object]], tolerance: float = 0.001) -> list[str]:
    """Pairs of zones whose overlap exceeds `tolerance` of the smaller one's area."""
    problems = []
    for i, (a_id, a) in enumerate(items):
        for b_id, b in items[i + 1 :]:
            shared = a.intersection(b).area
            if shared > tolerance * min(a.area, b.area):
                problems.append(f"{a_id} and {b_id} overlap by {shared / min(a.area, b.area):.2%}")
    return problems


def as_multipolygon(geom) -> MultiPolygon:
    """Any areal geometry as a MultiPolygon (for uniform output)."""
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    return MultiPolygon([g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)])
