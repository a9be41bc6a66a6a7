"""The Text page: the outline as a tree, which clauses to open, hit counts, the chips of a clause, the scroll script."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.safe import md_escape
from geo.view.mapview import KIND_ORDER
from geo.view.model import PlanData
from geo.view.panels import feature_name

__all__ = [
    "TEXT_OPEN_LIMIT",
    "Chip",
    "TextNode",
    "clause_chips",
    "scroll_script",
    "text_collapsible",
    "text_hits",
    "text_open",
    "text_tree",
]

#: The Text page opens the way to at most this many clauses by itself (search hits, the clauses citing
#: a feature): each open clause is sent with its chips, and a common word can be in most clauses.
TEXT_OPEN_LIMIT = 30


@dataclass(frozen=True)
class Chip:
    """A place or feature named in a clause; it links to the Map page with the feature selected."""

    id: str
    label: str
    kind: str
    is_place: bool


@dataclass(frozen=True)
class TextNode:
    """A clause of the outline tree, with its children."""

    id: str
    level: int
    heading: str
    text: str
    children: tuple[TextNode, ...] = ()
    number: str = ""  # the marker as the id prints it, e.g. "(二)"
    heading_only: bool = False  # nothing but its number and heading (一、总体要求): the label says it all
    tables: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()  # its 专栏 boxes: (label, rows of cells)

    def walk(self) -> Iterable[TextNode]:
        """This node and its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def label(self, hits: int = 0) -> str:
        """The node's line in the tree: number and heading, Markdown-escaped, with its search hits if any.

        The hit count carries no words, so the label (which Streamlit keys the widget on) stays the same
        in both languages.

        Examples
        --------
        >>> TextNode("三.(二)", 2, "深化[合作](x)", "", number="(二)").label(3)
        '\\\\(二\\\\) 深化\\\\[合作\\\\]\\\\(x\\\\) · 3'
        """
        label = md_escape(f"{self.number or self.id} {self.heading}".strip())
        return f"{label} · {hits}" if hits else label


def text_tree(data: PlanData) -> tuple[TextNode, ...]:
    """The outline as a tree of top-level clauses (``序`` included), each clause's text as shown."""
    outline = data.plan.outline
    by_id = {c.id: c for c in outline.clauses}

    def node(cid: str) -> TextNode:
        c = by_id[cid]
        return TextNode(c.id, c.level, c.heading, data.clause_text(c.id),
                        tuple(node(k) for k in c.children if k in by_id), c.number,
                        bool(c.heading) and not c.text.strip() and not c.tables,
                        tuple((b.label, b.rows) for b in c.tables))

    return tuple(node(c.id) for c in outline.clauses if c.parent is None or c.parent not in by_id)


def text_open(tree: Sequence[TextNode], targets: Iterable[str], limit: int | None = None) -> frozenset[str]:
    """The nodes to open so that every clause of ``targets`` (or the first ``limit`` of them) is in view.

    That is each target's ancestors, and the target itself when it has children or stands at the top (its
    own text is inside it: the Text page draws every top-level clause as a node that opens, 序 too). The Text page opens these for the selected clause, the search hits and the clauses
    citing the selected feature, and leaves the rest of a long plan closed. ``limit`` counts targets
    in document order: a common word found in most clauses of a long plan would otherwise open, and
    send, the whole plan at once.

    Examples
    --------
    >>> leaf = TextNode("一.(一).1", 3, "", "")
    >>> mid = TextNode("一.(一)", 2, "", "", (leaf,))
    >>> tree = (TextNode("一", 1, "", "", (mid,)), TextNode("二", 1, "", ""))
    >>> sorted(text_open(tree, ["一.(一).1", "二"]))
    ['一', '一.(一)', '二']
    >>> sorted(text_open(tree, ["一.(一)"]))
    ['一', '一.(一)']
    >>> sorted(text_open(tree, ["二", "一.(一).1"], limit=1))
    ['一', '一.(一)']
    """
    wanted = set(targets)
    out: set[str] = set()
    found = 0
    for top in tree:
        stack: list[tuple[TextNode, tuple[str, ...]]] = [(top, ())]
        while stack:
            node, path = stack.pop()
            if node.id in wanted:
                if limit is not None and found >= limit:
                    return frozenset(out)
                found += 1
                out.update(path)
                if node.children or not path:  # a top-level clause is collapsible even without children (序)
                    out.add(node.id)
            stack.extend((child, (*path, node.id)) for child in reversed(node.children))
    return frozenset(out)


def text_collapsible(tree: Sequence[TextNode]) -> tuple[str, ...]:
    """Ids of the nodes the Text page draws as collapsible: every top-level clause and every clause with children.

    Examples
    --------
    >>> tree = (TextNode("序", 1, "", ""), TextNode("一", 1, "", "", (TextNode("一.1", 2, "", ""),)))
    >>> text_collapsible(tree)
    ('序', '一')
    """
    return tuple(n.id for top in tree for n in top.walk() if n is top or n.children)


def scroll_script(selector: str, serial: int) -> str:
    """A script that scrolls the first element matching ``selector`` (our own class names) into view.

    It waits for the element (Streamlit draws the page's elements as they arrive) and gives up after
    two seconds. ``serial`` makes the markup differ each time it is wanted again, so that the browser
    mounts it afresh and the script runs again.

    Examples
    --------
    >>> "scrollIntoView" in scroll_script(".ghyzt-selected", 1)
    True
    """
    return (f'<script data-serial="{int(serial)}">(() => {{ const sel = {json.dumps(selector)}; let tries = 0;'
            " const go = () => { const el = document.querySelector(sel);"
            " if (el && el.offsetParent !== null) el.scrollIntoView({block: 'center'});"
            " else if (tries++ < 40) setTimeout(go, 50); }; go(); })();</script>")


def text_hits(tree: Sequence[TextNode], matches: Mapping[str, Any]) -> dict[str, int]:
    """Node id -> how many clauses of its subtree (itself included) match the search; nodes without hits left out.

    A collapsed node shows the count in its label, so hits are not lost when the reader closes it.
    """
    out: dict[str, int] = {}

    def count(node: TextNode) -> int:
        n = (node.id in matches) + sum(count(child) for child in node.children)
        if n:
            out[node.id] = n
        return n

    for top in tree:
        count(top)
    return out


def clause_chips(data: PlanData, lang: str = "zh") -> dict[str, list[Chip]]:
    """Clause id -> the features citing it and the places (counties) it names, features first."""
    out: dict[str, list[Chip]] = {}
    for fid, feat in data.features.items():
        p = feat.get("properties") or {}
        is_place = p.get("kind") == "admin"
        for cid in dict.fromkeys(p.get("clauses") or ()):
            out.setdefault(str(cid), []).append(Chip(fid, feature_name(p, lang), str(p.get("kind", "")), is_place))
    rank = {k: i for i, k in enumerate(reversed(KIND_ORDER))}
    for chips in out.values():
        chips.sort(key=lambda c: (c.is_place, rank.get(c.kind, 99)))
    return out
