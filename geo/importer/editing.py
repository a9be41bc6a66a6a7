"""A draft plan being edited before it is published: its private token and ids, its edits, saving and exporting it.

The Import page drafts a text (`geo.importer.draft.draft_plan`); the planner opens the draft on the Map page, where it
is shown like any plan (`geo.view.model.PlanData`), and fixes it there: rename, re-kind, delete, merge, add a
place by clicking it. A `PlanDraft` is immutable: every edit returns a new revision whose ``parent`` is the
one it came from, so undoing an edit is going back to the parent.

A draft has a private token (`geo.store.new_draft_token`: 28 letters, 131 bits) for its whole life, and
each revision a plan id: ``draft`` + the token + 10 letters of a hash of its content (`geo.view.state.DRAFT_ID`).
The id follows the content, so whatever is cached per plan id (the layers, the rendered map) can never show
another revision; the token makes it a private link: every revision is autosaved in the plan store
(`autosave`) and the link reopens the draft with its undo history (`restore`) after a reload, a closed tab
or a server restart, for whoever holds it. Publishing (`PlanDraft.save`) gives the content-hash id to share.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.importer import draft as dr
from geo.places.gazetteer import Gazetteer, load_gazetteer
from geo.store import DRAFT_TOKEN, DraftRevision, PlanStore, new_draft_token
from geo.text.plans import Jurisdiction, Plan, PlanMeta
from geo.view.state import DRAFT_ID, DRAFT_PREFIX, ViewState

__all__ = ["EDIT_EXPORT_FORMATS", "PlanDraft", "autosave", "draft_token", "is_draft_id", "restore",
           "view_after_edit"]

EDIT_EXPORT_FORMATS = ("png", "pdf", "geojson", "gpkg", "csv")
"""What a draft exports: the structure diagram as for a bundled plan, its layers, its clauses."""

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_ID_LETTERS = 10  # after the prefix and the token: 47 bits of the content
_TOKEN_LETTERS = 28


def is_draft_id(plan_id: Any) -> bool:
    """Is this the id of a draft revision (not a bundled or a stored plan)?

    Examples
    --------
    >>> is_draft_id("draft" + "t" * 28 + "abcdefghij"), is_draft_id("qujing"), is_draft_id("abcdefghijklmnop")
    (True, False, False)
    """
    return isinstance(plan_id, str) and bool(DRAFT_ID.fullmatch(plan_id))


def draft_token(plan_id: Any) -> str | None:
    """The private token of a draft revision's id (None: not a draft id).

    Examples
    --------
    >>> draft_token("draft" + "t" * 28 + "abcdefghij") == "t" * 28, draft_token("qujing")
    (True, None)
    """
    if not is_draft_id(plan_id):
        return None
    return plan_id[len(DRAFT_PREFIX): len(DRAFT_PREFIX) + _TOKEN_LETTERS]


@dataclass(frozen=True)
class PlanDraft:
    """One revision of a draft plan: text, jurisdiction and layers as the planner has them now.

    Parameters
    ----------
    title : str
        The title the text gives itself ("" when none).
    text : str
        The plan text as imported (never edited: excerpts stay verbatim).
    jurisdiction : Mapping
        ``{"adcode", "name", "level", "stated", "reason"}`` (what `geo.store` keeps).
    collection : Mapping
        One GeoJSON FeatureCollection, every kind (admin base included).
    source : str
        Where the text came from: "粘贴 / pasted", a file name, or the stored plan it was opened from.
    parent : str or None
        Id of the revision this one was edited from (None: as drafted or as stored).
    saved_as : str or None
        Id of the stored plan this revision was opened from, while it is unedited.
    token : str
        The draft's private token, the same for all its revisions (a new one when not given).
    """

    title: str
    text: str
    jurisdiction: Mapping[str, Any]
    collection: Mapping[str, Any]
    source: str = ""
    parent: str | None = None
    saved_as: str | None = None
    token: str = dataclasses.field(default_factory=new_draft_token, repr=False)
    _outline: Any = dataclasses.field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not DRAFT_TOKEN.match(self.token):
            raise ValueError("a draft token is 28 lowercase letters")

    # ---- making one

    @classmethod
    def from_draft(cls, draft: dr.Draft, source: str = "", token: str | None = None) -> PlanDraft:
        """A new draft as `geo.importer.draft.draft_plan` made it (under ``token``: a redraft of the same draft)."""
        j = draft.jurisdiction
        return cls(draft.title, draft.text, {"adcode": j.adcode, "name": j.name, "level": j.level,
                                             "stated": j.stated, "reason": j.reason},
                   draft.collection, source, token=token or new_draft_token(), _outline=draft.outline)

    @classmethod
    def from_stored(cls, stored: Any) -> PlanDraft:
        """A stored plan (`geo.store.StoredPlan`) opened again for editing: a new draft, with a new token."""
        return cls(stored.title, stored.text, dict(stored.jurisdiction), stored.layers, stored.id,
                   saved_as=stored.id)

    def revision(self, saved_as: str | None = None) -> DraftRevision:
        """This revision as the store keeps it (``saved_as``: the stored plan it was published as)."""
        return DraftRevision(self.id, self.parent, dict(self.jurisdiction), self.collection,
                             saved_as or self.saved_as)

    # ---- what it is

    @functools.cached_property
    def id(self) -> str:
        """``draft`` + the token + 10 letters of the SHA-256 of title, text, jurisdiction and features."""
        features = [{**f, "properties": {k: v for k, v in (f.get("properties") or {}).items() if k != "plan"}}
                    for f in self.collection.get("features") or []]
        blob = json.dumps({"title": self.title, "text": self.text, "jurisdiction": self.adcode,
                           "features": features}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        n = int.from_bytes(hashlib.sha256(blob.encode("utf-8")).digest()[:8], "big")
        letters = []
        for _ in range(_ID_LETTERS):
            n, r = divmod(n, 26)
            letters.append(_ALPHABET[r])
        return DRAFT_PREFIX + self.token + "".join(letters)

    @property
    def public_id(self) -> str:
        """``draft`` + the content letters of `id`, without the private token: what exported files are named."""
        return DRAFT_PREFIX + self.id[-_ID_LETTERS:]

    @property
    def adcode(self) -> str | None:
        """Adcode of the jurisdiction the draft is drawn for (None: not found)."""
        return self.jurisdiction.get("adcode") or None

    @functools.cached_property
    def outline(self) -> Any:
        """The text's clause tree (`geo.text.clauses.Outline`), parsed once for all revisions."""
        from geo.text.clauses import parse_outline

        return self._outline if self._outline is not None else parse_outline(self.text)

    @functools.cached_property
    def plan_data(self) -> Any:
        """The draft as every page of the dashboard reads a plan (`geo.view.model.PlanData`)."""
        from geo.view.model import PlanData

        j = self.jurisdiction
        name = self.title or "草图 / draft"
        meta = PlanMeta(id=self.id, seed=self.id, title=name, title_en=name,
                        issuer=self.outline.issuer or None, date=None, doc_number=None, source="draft",
                        anonymised=None,
                        jurisdiction=Jurisdiction(str(j.get("adcode") or ""), str(j.get("name") or ""),
                                                  bool(j.get("stated"))))
        return PlanData(Plan(meta, self.text, self.outline), dr.layers_by_kind(self.collection))

    def feature(self, fid: str) -> Mapping[str, Any] | None:
        """A feature by id (None if there is none)."""
        return next((f for f in self.collection.get("features") or [] if f.get("id") == fid), None)

    def editable(self, fid: str | None) -> bool:
        """Is ``fid`` a feature the planner may edit (anything but the admin base)?"""
        f = self.feature(fid) if fid else None
        return f is not None and f["properties"].get("kind") != "admin"

    def feature_ids(self) -> list[str]:
        """Ids of the editable features, in map order."""
        return [f["id"] for f in self.collection.get("features") or [] if f["properties"].get("kind") != "admin"]

    def member_names(self, fid: str, gazetteer: Gazetteer | None = None, lang: str = "zh") -> list[str]:
        """Names of a feature's members (admin units), in order, in ``lang``."""
        gaz = gazetteer or load_gazetteer()
        f = self.feature(fid)
        units = [gaz.unit(a) for a in (f["properties"].get("members") or [] if f else []) if a in gaz.units]
        return [u.name_en if lang == "en" else u.name for u in units]

    @staticmethod
    def place_of(feature_id: str | None, collection: Mapping[str, Any]) -> str | None:
        """The adcode of an admin-base feature (a county clicked on the map), else None."""
        f = next((f for f in collection.get("features") or [] if f.get("id") == feature_id), None)
        if f is None or f["properties"].get("kind") != "admin":
            return None
        members = f["properties"].get("members") or []
        return members[0] if members else None

    # ---- edits: each returns the next revision (geo.importer.draft redraws what changed)

    def _next(self, collection: Mapping[str, Any]) -> PlanDraft:
        """The revision holding ``collection`` (this one, if nothing changed: an edit never points to itself)."""
        new = dataclasses.replace(self, collection=collection, parent=self.id, saved_as=None, _outline=self.outline)
        return self if new.id == self.id else new

    def since(self, earlier: PlanDraft) -> PlanDraft:
        """This revision as one edit of ``earlier`` (a rename and a re-kind made together are undone together)."""
        return self if self.id == earlier.id else dataclasses.replace(self, parent=earlier.id, _outline=self.outline)

    def rename(self, fid: str, name: str) -> PlanDraft:
        """Rename a feature (``ValueError`` for an empty name, ``KeyError`` for an unknown feature)."""
        self._check(fid)
        return self._next(dr.rename(self.collection, fid, name))

    def rekind(self, fid: str, kind: str, gazetteer: Gazetteer | None = None) -> PlanDraft:
        """Give a feature another kind; it is redrawn for that kind."""
        self._check(fid)
        return self._next(dr.rekind(self.collection, fid, kind, gazetteer, self.adcode))

    def delete(self, fids: Iterable[str]) -> PlanDraft:
        """Remove features (the admin base stays)."""
        fids = list(fids)
        for fid in fids:
            self._check(fid)
        return self._next(dr.delete(self.collection, fids))

    def merge(self, fids: Sequence[str], gazetteer: Gazetteer | None = None) -> PlanDraft:
        """Merge features into the first one: members, clauses and excerpts united, redrawn."""
        return self._next(dr.merge(self.collection, fids, gazetteer, self.adcode))

    def add_place(self, fid: str, adcode: str, gazetteer: Gazetteer | None = None) -> PlanDraft:
        """Add a place (a county clicked on the map) to a feature and redraw it."""
        self._check(fid)
        return self._next(dr.add_member(self.collection, fid, adcode, gazetteer, self.adcode))

    def _check(self, fid: str) -> None:
        f = self.feature(fid)
        if f is None:
            raise KeyError(f"no feature {fid!r}")
        if f["properties"].get("kind") == "admin":
            raise ValueError("行政区底图不能编辑 / the admin base cannot be edited")

    # ---- saving and exporting

    def save(self, store: Any, *, owner: str = "", listed: bool = False, quota: int = 0) -> str:
        """Save the draft in a plan store (`geo.store.PlanStore`); return the stored plan's id.

        The id is a hash of the content, so saving an unchanged draft again gives the same id. ``owner``
        publishes it, ``listed`` offers it in the pickers, ``quota`` caps the owner's publishes a day
        (`geo.store.QuotaExceeded`).
        """
        return store.save(self.title or self.source, self.text, dict(self.jurisdiction), self.collection,
                          owner=owner, listed=listed, quota=quota)

    def export(self, fmt: str, layers: Iterable[str] = (), lang: str = "zh",
               gazetteer: Gazetteer | None = None, *, selected: str | None = None, clause: str | None = None,
               dpi: int = 300) -> bytes:
        """The draft's structure diagram (PNG, PDF), its layers (GeoJSON, GeoPackage), or a CSV of every clause
        with the places it names and the features citing it.

        Parameters
        ----------
        fmt : {"png", "pdf", "geojson", "gpkg", "csv"}
        layers : iterable of str
            The visible layers (all if empty).
        lang : {"zh", "en"}
        gazetteer : Gazetteer, optional
            For the CSV (the places of each clause are found again).
        selected, clause : str, optional
            Highlighted on the diagram, as for a bundled plan (the data formats ignore them).
        dpi : int
            PNG resolution.

        Raises
        ------
        ValueError
            A format a draft does not export (`EDIT_EXPORT_FORMATS`); `geo.export.ExportError` (a
            ``ValueError``) for an unknown feature or clause, or a draft with nothing to draw.
        """
        if fmt in ("png", "pdf"):
            from geo.export import render_plan

            data = self.plan_data
            return render_plan(data.plan, data.layers, layers=list(layers) or None, selected=selected,
                               clause=clause, fmt=fmt, dpi=dpi, lang=lang, origin="draft").data
        wanted = set(layers)
        collection = {"type": "FeatureCollection",
                      "features": [f for f in self.collection.get("features") or []
                                   if not wanted or f["properties"].get("kind") in wanted]}
        if fmt == "geojson":
            return dr.draft_geojson(collection)
        if fmt == "gpkg":
            return dr.draft_gpkg(collection, self.public_id)
        if fmt == "csv":
            found = dr.draft_plan(self.text, gazetteer or load_gazetteer(), jurisdiction=self.adcode)
            return dr.draft_clauses_csv(found, collection, lang=lang)
        raise ValueError(f"a draft exports {', '.join(EDIT_EXPORT_FORMATS)}, not {fmt}")


def autosave(store: PlanStore, revisions: Sequence[PlanDraft], head: PlanDraft,
             saved: Mapping[str, str] | None = None, *, owner: str = "", quota: int = 0) -> None:
    """Save a draft's new revisions and its head (the revision the planner is on) in one transaction.

    Parameters
    ----------
    store : PlanStore
    revisions : sequence of PlanDraft
        Revisions of ``head``'s draft not yet in the store, oldest first (may be empty: the head moved).
    head : PlanDraft
    saved : Mapping, optional
        Revision id -> id of the stored plan it was published as.
    owner, quota : optional
        Whose draft it is, and how many drafts they may keep (a new draft beyond it is refused).

    Raises
    ------
    geo.store.StoreError
        The store cannot be written (`geo.store.QuotaExceeded`: a new draft beyond the owner's quota);
        nothing of this autosave is in it.
    """
    saved = saved or {}
    mine = [r.revision(saved.get(r.id)) for r in revisions if r.token == head.token]
    store.save_draft(head.token, head.title, head.source, head.text, head.id, mine, owner=owner, quota=quota)


def restore(store: PlanStore, plan_id: str) -> tuple[list[PlanDraft], str, dict[str, str]] | None:
    """A draft reopened from its link: its revisions (oldest first), the one to show, and what was published.

    The revision shown is the one the link names if the store still has it, else the draft's head (the
    revision the planner was last on). None: no draft has the link's token.

    Raises
    ------
    geo.store.StoreError
        The store cannot be read.
    """
    token = draft_token(plan_id)
    stored = store.get_draft(token) if token else None
    if stored is None or not stored.revisions:
        return None
    from geo.text.clauses import parse_outline

    outline = parse_outline(stored.text)  # one parse for every revision: the text never changes
    revisions = []
    for r in stored.revisions:
        d = PlanDraft(stored.title, stored.text, r.jurisdiction, r.layers, stored.source, r.parent, token=token,
                      _outline=outline)
        # The stored id was computed from this content when it was saved: hashing 30 revisions' layers again
        # would cost a second on a province-wide draft. `id` is a cached_property, kept in the instance dict.
        d.__dict__["id"] = r.id
        revisions.append(d)
    by_id = {d.id: d for d in revisions}
    shown = plan_id if plan_id in by_id else stored.head if stored.head in by_id else revisions[-1].id
    return revisions, shown, {r.id: r.saved_as for r in stored.revisions if r.saved_as}


def view_after_edit(state: ViewState, draft: PlanDraft, feature: str | None) -> ViewState:
    """The view of a new revision: its id, ``feature`` selected if it still exists (its layer shown), same map.

    Layers the revision no longer has are dropped from an explicit layer list, so that the next run reads
    the link without a notice.

    Examples
    --------
    >>> fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "n-1", "geometry": None,
    ...       "properties": {"kind": "node", "name": "n"}}]}
    >>> d = PlanDraft("t", "一、总则", {"adcode": None}, fc)
    >>> s = view_after_edit(ViewState(layers=("core",), feature="gone", zoom=8), d, "n-1")
    >>> (s.plan == d.id, s.feature, s.layers, s.zoom)
    (True, 'n-1', ('node',), 8)
    """
    from geo.view.model import with_layer

    data = draft.plan_data
    fid = feature if feature in data.features else None
    layers = state.layers
    if layers is not None:
        layers = tuple(k for k in layers if k in data.layers)
        if fid:
            layers = with_layer(layers, data.kind_of(fid), data.layers)
    return state.with_(plan=draft.id, feature=fid, layers=layers,
                       clause=state.clause if fid and fid == state.feature else None)
