"""What the importer's rules work on and produce: clauses with their places, concepts (features under
construction) and the items of a counted list."""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field

from geo.places.mentions import PlaceMention, Slogan

LINE_KINDS = ("corridor", "route")
"""The kinds of concept drawn as lines through their members."""


@dataclass(frozen=True)
class DraftClause:
    """One clause with the places and slogans found in it (offsets are into ``text``)."""

    id: str
    heading: str
    text: str  # the clause as the reader sees it: number, heading and own text
    places: tuple[PlaceMention, ...]
    slogans: tuple[Slogan, ...]

    @functools.cached_property
    def _starts(self) -> list[int]:
        return [p.start for p in self.places]  # find_places returns them sorted by start

    @functools.cached_property
    def _by_end(self) -> dict[int, list[PlaceMention]]:
        out: dict[int, list[PlaceMention]] = {}
        for p in self.places:
            out.setdefault(p.end, []).append(p)
        return out

    def places_within(self, start: int, end: int) -> list[PlaceMention]:
        """Places lying inside text[start:end] (a bisection: texts with thousands of places stay fast).

        A prefecture written only before its county (酒泉市肃州区: ``via == "qualifier"``) is a place of the clause
        but no member of what the span defines: the county is."""
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.places) and self.places[i].start < end:
            if self.places[i].end <= end and self.places[i].via != "qualifier":
                out.append(self.places[i])
            i += 1
        return out

    def places_ending_at(self, pos: int) -> list[PlaceMention]:
        """Places whose written form ends at ``pos`` (the members of a cluster share one span)."""
        return self._by_end.get(pos, [])


@dataclass
class Concept:
    """A feature under construction."""

    kind: str
    name: str
    role: str
    cites: list[tuple[str, str]]  # (clause id, verbatim excerpt)
    members: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)  # members only part of which is meant
    partial_words: list[str] = field(default_factory=list)
    group: str = ""
    anchor: str = ""  # a named region drawn at an anchor unit
    origin: str = ""  # links: where the arc starts
    named_undefined: bool = False
    rule: str = ""  # which rule resolved the members, said in the feature's note
    how: str = ""  # the name of the rule that read it (`geo.importer.confidence.RULE_REASONS`)

    def key(self) -> tuple:
        """Equal concepts merge: links by their ends (无锡 and 无锡市 are one tie), others also by name."""
        if self.kind == "link":
            return (self.kind, tuple(self.members), self.anchor)
        return (self.kind, self.name, tuple(self.members), self.origin)


@dataclass(frozen=True)
class Item:
    """One item of a counted list: as written (verbs trimmed), its span, and its members inside the plan."""

    name: str
    start: int
    end: int
    members: list[str]
    spatial: bool = True  # a place or a named area (else a name the count vouches for: 洞庭湖, 湘南)
