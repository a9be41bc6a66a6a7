"""Where plans meet, from the map: the other plans that name a place clicked, with their clauses about it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from geo.view.model import PlanData
from geo.view.panels import Mention, _mentions, feature_name

__all__ = [
    "PlanMeeting",
    "place_adcodes",
    "plans_meeting_at",
]

@dataclass(frozen=True)
class PlanMeeting:
    """Another plan that names a place: what it says there, and what to select to see it in that plan.

    Parameters
    ----------
    plan : str
        The other plan's id.
    adcode : str
        The place (an admin unit).
    place : str
        Its name, as the other plan's feature writes it.
    target : str or None
        The feature to select in the other plan: its county of the admin layer when it draws one, else the
        first feature that names the place.
    mentions : tuple of Mention
        The other plan's clauses about the place, in document order, the excerpts marked.
    """

    plan: str
    adcode: str
    place: str
    target: str | None
    mentions: tuple[Mention, ...]


def place_adcodes(data: PlanData, feature_id: str | None) -> tuple[str, ...]:
    """The place a selected feature is: the unit of a county of the admin layer (nothing for other kinds)."""
    feat = data.features.get(feature_id or "")
    p = (feat or {}).get("properties") or {}
    if p.get("kind") != "admin":
        return ()
    return tuple(str(m) for m in p.get("members") or ())


def plans_meeting_at(adcodes: Iterable[str], here: str, others: Iterable[PlanData],
                     lang: str = "zh") -> list[PlanMeeting]:
    """Every other plan (bundled or saved) that names one of these places, with its clauses about it.

    Parameters
    ----------
    adcodes : iterable of str
        The places (usually the one county clicked on the map).
    here : str
        The plan shown, left out.
    others : iterable of PlanData
        The plans to look in.
    lang : {"zh", "en"}
        Language of the place's name.

    Returns
    -------
    list of PlanMeeting
        In the order of ``others``, one per plan and place.
    """
    wanted = list(dict.fromkeys(str(a) for a in adcodes))
    out = []
    for other in others:
        if other.id == here:
            continue
        for adcode in wanted:
            fids = other.places.get(adcode)
            if not fids:
                continue
            clauses: list[str] = []
            excerpts: list[Mapping[str, Any]] = []
            for fid in fids:
                p = other.features[fid].get("properties") or {}
                clauses.extend(str(c) for c in p.get("clauses") or ())
                excerpts.extend(e for e in p.get("excerpts") or () if isinstance(e, Mapping))
            county = other.county_feature(adcode)
            target = county or fids[0]
            out.append(PlanMeeting(other.id, adcode, feature_name(other.features[target].get("properties") or {}, lang),
                                   target,
                                   _mentions(other, list(dict.fromkeys(clauses)), excerpts)))
    return out
