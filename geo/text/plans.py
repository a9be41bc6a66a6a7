"""The bundled plans: metadata, original and cleaned text, and their clause outlines, by plan id."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from geo.text.clauses import Outline, parse_outline

PLANS_DIR = Path(__file__).resolve().parents[2] / "data" / "plans"
PLAN_ID = re.compile(r"^[a-z][a-z0-9]{1,31}$")


class UnknownPlanError(KeyError):
    """No bundled plan has this id."""

    def __str__(self) -> str:
        return f"unknown plan id {self.args[0]!r}"


@dataclass(frozen=True)
class Clue:
    """Evidence for an inferred place: a verbatim passage of a clause and why it points there."""

    clause: str
    text: str
    why: str


@dataclass(frozen=True)
class Jurisdiction:
    """The unit a plan governs; `stated` is False where the text anonymises it and we infer it."""

    adcode: str
    name: str
    stated: bool
    clues: tuple[Clue, ...] = ()


@dataclass(frozen=True)
class PlanMeta:
    """What the text states about itself (None where it does not), plus the jurisdiction."""

    id: str
    seed: str
    title: str
    title_en: str
    issuer: str | None
    date: str | None
    doc_number: str | None
    source: str | None
    anonymised: str | None
    jurisdiction: Jurisdiction
    date_as_written: str | None = None


@dataclass(frozen=True)
class Plan:
    """A bundled plan: metadata, the original text as scraped, and its outline (cleaned text inside)."""

    meta: PlanMeta
    original: str
    outline: Outline

    @property
    def id(self) -> str:
        """The plan id."""
        return self.meta.id


def plan_ids() -> list[str]:
    """Ids of the bundled plans, in the order of their seed files.

    Examples
    --------
    >>> plan_ids()
    ['mianyang', 'wangcang', 'panjin', 'qujing', 'guizhou']
    """
    metas = [_read_meta(d.name) for d in PLANS_DIR.iterdir() if (d / "plan.yaml").is_file()]
    return [m.id for m in sorted(metas, key=lambda m: m.seed)]


@functools.cache
def load_plan(plan_id: str) -> Plan:
    """Load a bundled plan by id.

    Raises
    ------
    UnknownPlanError
        For an id that is malformed or names no bundled plan (ids never reach the file system unchecked).
    """
    if not isinstance(plan_id, str) or not PLAN_ID.match(plan_id) or not (PLANS_DIR / plan_id / "plan.yaml").is_file():
        raise UnknownPlanError(plan_id)
    meta = _read_meta(plan_id)
    original = (PLANS_DIR / plan_id / "original.txt").read_text(encoding="utf-8")
    return Plan(meta, original, parse_outline(original))


def cleaned_path(plan_id: str) -> Path:
    """Where the cleaned text of a bundled plan is kept, beside the original."""
    return PLANS_DIR / plan_id / "cleaned.txt"


def _read_meta(plan_id: str) -> PlanMeta:
    """Read data/plans/<id>/plan.yaml."""
    raw = yaml.safe_load((PLANS_DIR / plan_id / "plan.yaml").read_text(encoding="utf-8"))
    j = raw["jurisdiction"]
    jurisdiction = Jurisdiction(
        str(j["adcode"]), j["name"], bool(j["stated"]), tuple(Clue(**c) for c in j.get("clues") or ())
    )
    return PlanMeta(
        id=raw["id"], seed=raw["seed"], title=raw["title"], title_en=raw["title_en"], issuer=raw.get("issuer"),
        date=raw.get("date"), doc_number=raw.get("doc_number"), source=raw.get("source"),
        anonymised=raw.get("anonymised"), jurisdiction=jurisdiction, date_as_written=raw.get("date_as_written"),
    )
