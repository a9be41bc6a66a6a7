"""What the plan store keeps: saved plans, drafts and their revisions, tombstones, usage; ids and tokens.

A saved plan's id is derived from its content (`plan_id_for`: 16 lowercase letters); a draft's private token
is drawn by `secrets` (`new_draft_token`: 28 letters).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from geo.text.plans import Clue, Jurisdiction, Plan, PlanMeta

STORED_ID = re.compile(r"^[a-z]{16}$")
"""What a stored plan's id looks like (bundled plans have word ids such as ``qujing``)."""

MAX_STORED_BYTES = 20 * 1024 * 1024
"""Largest record accepted (text + layers as JSON): a 5 MB text and its layers fit with room to spare."""

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"

DRAFT_TOKEN = re.compile(r"^[a-z]{28}$")
"""A draft's private token: 28 letters, log2(26**28) = 131.6 bits (`new_draft_token`)."""

MAX_DRAFT_REVISIONS = 30
"""Revisions of a draft kept (its undo history): older ones are dropped as new ones are saved."""


@dataclass(frozen=True)
class Tombstone:
    """What is left of a withdrawn plan: who withdrew it and when, never its content.

    Attributes
    ----------
    id : str
    withdrawn : float
        Unix time.
    by : str
        The administrator (their e-mail, or ``local`` without sign-in).
    """

    id: str
    withdrawn: float
    by: str


@dataclass(frozen=True)
class PlanRecord:
    """A published plan as the Admin page lists it (no text, no layers)."""

    id: str
    title: str
    owner: str
    listed: bool
    created: float
    withdrawn: float | None = None
    withdrawn_by: str | None = None


@dataclass(frozen=True)
class Usage:
    """One owner's use of the store (the Admin page's usage table).

    Attributes
    ----------
    owner : str
        An e-mail address, ``sub:<subject>``, ``ip:<address>``, or "" (before owners were recorded).
    plans, listed, withdrawn : int
        Published plans (withdrawn ones included), of them listed, of them withdrawn.
    publishes_24h : int
        Plans published in the last 24 hours.
    drafts : int
        Drafts kept now.
    """

    owner: str
    plans: int = 0
    listed: int = 0
    withdrawn: int = 0
    publishes_24h: int = 0
    drafts: int = 0


@dataclass(frozen=True)
class StoredPlan:
    """A saved plan: what a shared link restores.

    Attributes
    ----------
    id : str
        16 lowercase letters (`plan_id_for`).
    title : str
        The title the text gives itself, or the planner's.
    text : str
        The plan text as imported (decoded, not cleaned: the clause parser cleans it again, deterministically).
    jurisdiction : dict
        ``{"adcode", "name", "level", "stated", "reason"}`` as confirmed by the planner.
    layers : dict
        One GeoJSON FeatureCollection (all kinds), features stamped with ``plan = id``.
    created : float
        Unix time of the first save.
    listed : bool
        Offered in the pickers (the Overview's compare picker, where plans meet); unlisted: its link only.
    owner : str
        Who published it (`geo.access.owner_for`; "" before owners were recorded).
    """

    id: str
    title: str
    text: str
    jurisdiction: Mapping[str, Any]
    layers: Mapping[str, Any]
    created: float = 0.0
    listed: bool = False
    owner: str = ""

    def to_plan(self) -> Plan:
        """The plan as the dashboard's pages read bundled ones (`geo.text.plans.Plan`): metadata, text, outline."""
        from geo.text.clauses import parse_outline

        j = self.jurisdiction
        juris = Jurisdiction(str(j.get("adcode") or ""), str(j.get("name") or ""), bool(j.get("stated")),
                             tuple(Clue(**c) for c in j.get("clues") or ()))
        meta = PlanMeta(id=self.id, seed=self.id, title=self.title or self.id, title_en=self.title or self.id,
                        issuer=None, date=None, doc_number=None, source="imported", anonymised=None,
                        jurisdiction=juris)
        return Plan(meta, self.text, parse_outline(self.text))

    def layers_by_kind(self) -> dict[str, dict]:
        """Layer name (= kind) -> FeatureCollection, in `geo.layers.KINDS` order (what `PlanData.layers` holds)."""
        from geo.importer.draft import layers_by_kind

        return layers_by_kind(self.layers)


@dataclass(frozen=True)
class DraftRevision:
    """One revision of a draft as the store keeps it (`geo.importer.editing.PlanDraft` without its text).

    Attributes
    ----------
    id : str
        The revision's plan id (``draft`` + token + a hash of its content, `geo.importer.editing`).
    parent : str or None
        Id of the revision it was edited from (None: as drafted or as opened from a stored plan).
    jurisdiction : dict
        As for `StoredPlan`.
    layers : dict
        One GeoJSON FeatureCollection.
    saved_as : str or None
        Id of the stored plan this revision was published as, if it was.
    """

    id: str
    parent: str | None
    jurisdiction: Mapping[str, Any]
    layers: Mapping[str, Any]
    saved_as: str | None = None


@dataclass(frozen=True)
class StoredDraft:
    """A draft as autosaved: what its private link reopens.

    Attributes
    ----------
    token : str
        The private token (`DRAFT_TOKEN`).
    title, source, text : str
        The draft's title ("" when the text gives none), where its text came from, the text.
    head : str
        Id of the revision the planner was on.
    revisions : tuple of DraftRevision
        The undo history, oldest first (the latest `MAX_DRAFT_REVISIONS`).
    created, updated : float
        Unix times of the first and the latest autosave.
    """

    token: str
    title: str
    source: str
    text: str
    head: str
    revisions: tuple[DraftRevision, ...] = field(default=())
    created: float = 0.0
    updated: float = 0.0


def new_draft_token() -> str:
    """A fresh private draft token: 28 letters drawn by `secrets` (131 bits, never guessed, never listed).

    Examples
    --------
    >>> bool(DRAFT_TOKEN.match(new_draft_token()))
    True
    """
    return "".join(secrets.choice(_ALPHABET) for _ in range(28))


def plan_id_for(text: str, jurisdiction: Mapping[str, Any], layers: Mapping[str, Any]) -> str:
    """The content-hash id of a plan: 16 letters from the SHA-256 of text, jurisdiction and layers.

    Feature ``plan`` properties are left out of the hash (they are stamped with the id on save).

    Examples
    --------
    >>> pid = plan_id_for("一、总则", {"adcode": "530300"}, {"type": "FeatureCollection", "features": []})
    >>> len(pid), pid.isalpha(), pid == pid.lower()
    (16, True, True)
    """
    features = [{**f, "properties": {k: v for k, v in (f.get("properties") or {}).items() if k != "plan"}}
                for f in layers.get("features") or []]
    blob = json.dumps({"text": text, "jurisdiction": (jurisdiction or {}).get("adcode"), "features": features},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    n = int.from_bytes(hashlib.sha256(blob.encode("utf-8")).digest()[:10], "big")
    letters = []
    for _ in range(16):
        n, r = divmod(n, 26)
        letters.append(_ALPHABET[r])
    return "".join(letters)
