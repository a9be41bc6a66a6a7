"""The side panel of a feature or county (its clauses, excerpts marked), the link's caption, and safe HTML of plan text.

Everything taken from a plan (names, roles, notes, clause text, excerpts) is untrusted: `highlight_html` (over
`geo.safe.escape_html`) and `geo.safe.md_escape` are the only ways it reaches HTML or Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.i18n import confidence_label, data_text, kind_label, precision_label, reason_text, t
from geo.safe import escape_html
from geo.view.model import PlanData

__all__ = [
    "FeaturePanel",
    "Mention",
    "clause_html",
    "clauses_naming",
    "feature_name",
    "feature_panel",
    "highlight_html",
    "list_title_html",
    "plan_title",
    "pre_html",
    "share_caption",
]

# --------------------------------------------------------------------------- safe text


def highlight_html(text: str, spans: Iterable[tuple[int, int]] = (), *, cls: str = "ghyzt-hl") -> str:
    """Escape ``text`` for HTML, then wrap the character ranges ``spans`` in ``<mark>``.

    Offsets count characters of the *unescaped* text; overlapping or touching spans are merged,
    spans outside the text are clipped. Line breaks become ``<br>``.

    Parameters
    ----------
    text : str
        Untrusted text (a clause, an excerpt, a name).
    spans : iterable of (int, int)
        ``[start, end)`` ranges to mark.
    cls : str
        CSS class of the marks (ours, not plan text).

    Returns
    -------
    str
        Safe HTML.

    Examples
    --------
    >>> highlight_html("a<b>c", [(1, 4)])
    'a<mark class="ghyzt-hl">&lt;b&gt;</mark>c'
    """
    merged: list[list[int]] = []
    for start, end in sorted((max(0, int(s)), min(len(text), int(e))) for s, e in spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(_esc(text[pos:start]))
        out.append(f'<mark class="{escape_html(cls)}">{_esc(text[start:end])}</mark>')
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)


def _esc(text: str) -> str:
    """HTML-escape (`geo.safe.escape_html`), keeping line breaks visible."""
    return escape_html(text, breaks=True)


def clause_html(clause: str, text: str, spans: Iterable[tuple[int, int]] = (), *, level: int = 1,
                selected: bool = False, testid: str = "") -> str:
    """A clause in its box: its id, then its text with ``spans`` marked; safe HTML.

    Examples
    --------
    >>> clause_html("一", "<script>x</script>", [(0, 8)])[:60]
    '<div class="ghyzt-clause" data-clause="一"><span class="ghyzt'
    """
    cls = "ghyzt-clause" + (" ghyzt-selected" if selected else "") + (f" ghyzt-l{min(level, 4)}" if level >= 3 else "")
    test = f' data-testid="{_esc(testid)}"' if testid else ""
    return (f'<div class="{cls}" data-clause="{_esc(clause)}"{test}><span class="ghyzt-cid">{_esc(clause)}</span>'
            f"{highlight_html(text, spans)}</div>")


def list_title_html(panel: FeaturePanel, title: str) -> str:
    """The heading of the clause list under the map: name, what the list is, how many; safe HTML."""
    return (f'<p class="ghyzt-list" data-feature="{_esc(panel.id)}"><b>{_esc(panel.name)}</b> · {_esc(title)}'
            f" · {len(panel.mentions)}</p>")


def pre_html(text: str) -> str:
    """Preformatted, escaped text (the original plan text on request)."""
    return f'<div class="ghyzt-pre">{escape_html(text)}</div>'


def table_html(label: str, rows: Iterable[Sequence[str]]) -> str:
    """A clause's 专栏 box as an HTML table: its label as the caption, the first row as the header.

    Examples
    --------
    >>> table_html("专栏1 指标", [("序号", "指标"), ("1", "<b>GDP</b>")])  # doctest: +NORMALIZE_WHITESPACE
    '<table class="ghyzt-table"><caption>专栏1 指标</caption><thead><tr><th>序号</th><th>指标</th></tr></thead><tbody><tr><td>1</td><td>&lt;b&gt;GDP&lt;/b&gt;</td></tr></tbody></table>'
    """
    rows = [list(r) for r in rows]
    head = "".join(f"<th>{escape_html(c)}</th>" for c in rows[0]) if rows else ""
    body = "".join("<tr>" + "".join(f"<td>{escape_html(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    return (f'<table class="ghyzt-table"><caption>{escape_html(label)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


# --------------------------------------------------------------------------- feature panel


@dataclass(frozen=True)
class Mention:
    """One clause that cites a feature (or names a county), with what to highlight in it.

    Parameters
    ----------
    clause : str
        Clause id.
    heading : str
        The clause heading (may be empty).
    text : str
        The clause as shown: number, heading and own text.
    spans : tuple of (int, int)
        Where the cited excerpts sit in ``text`` (character offsets).
    excerpts : tuple of str
        The excerpts cited from this clause.
    missing : tuple of str
        Excerpts that were not found in ``text`` (a stale layer): shown apart, never hidden.
    """

    clause: str
    heading: str
    text: str
    spans: tuple[tuple[int, int], ...]
    excerpts: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    def html(self) -> str:
        """The clause text as safe HTML with its excerpts marked."""
        return highlight_html(self.text, self.spans)

    def block_html(self) -> str:
        """The clause in its box, id first, excerpts marked (the Map page's panel)."""
        return clause_html(self.clause, self.text, self.spans, testid="ghyzt-mention")


@dataclass(frozen=True)
class FeaturePanel:
    """What the side panel shows for a clicked feature or county."""

    id: str
    name: str
    kind: str
    kind_label: str
    role: str
    precision: str
    precision_label: str
    precision_note: str
    inferred_place: str | None
    inferred_clue: str | None
    named_only: bool
    is_admin: bool
    mentions: tuple[Mention, ...]
    confidence: str = ""  # imported plans: high / medium / low (to check)
    reasons: tuple[str, ...] = ()  # imported plans: the reasons, in words (plan text among them: escape)

    @property
    def to_check(self) -> bool:
        """A low-confidence feature of an imported plan: a planner should check it."""
        return self.confidence == "low"

    def header_html(self, lang: str = "zh") -> str:
        """Name, kind, precision and confidence tags, role, precision note, inference and its clue, the reasons
        for the confidence, as safe HTML."""
        tags = [f"<span>{_esc(self.kind_label)}</span>", f"<span>{_esc(self.precision_label)}</span>"]
        if self.inferred_place is not None:
            tags.append(f'<span class="ghyzt-inferred">{_esc(t("map.inferred", lang))}</span>')
        if self.confidence:
            label = f"{t('confidence.title', lang)}：{confidence_label(self.confidence, lang)}" if lang == "zh" else \
                f"{t('confidence.title', lang)}: {confidence_label(self.confidence, lang)}"
            tags.append(f'<span class="ghyzt-confidence{" ghyzt-check" if self.to_check else ""}">{_esc(label)}</span>')
        rows = [f'<div class="ghyzt-feature" data-feature="{_esc(self.id)}"><h3>{_esc(self.name)}</h3>',
                f'<div class="ghyzt-tags">{"".join(tags)}</div>']

        def kv(label_key: str, value: str) -> None:
            rows.append(f'<p class="ghyzt-kv"><b>{_esc(t(label_key, lang))}</b>{_esc(value)}</p>')

        if self.role:
            kv("map.role", self.role)
        if self.precision_note:
            kv("map.precision", self.precision_note)
        if self.inferred_place is not None:
            kv("map.inferred", t("map.inferred_text", lang, place=self.inferred_place, clue=self.inferred_clue or ""))
        if self.named_only:
            rows.append(f'<p class="ghyzt-kv">{_esc(t("map.named_only", lang))}</p>')
        if self.reasons:
            items = "".join(f"<li>{_esc(r)}</li>" for r in self.reasons)
            rows.append(f'<p class="ghyzt-kv"><b>{_esc(t("confidence.reasons", lang))}</b></p>'
                        f'<ul class="ghyzt-reasons">{items}</ul>')
        rows.append("</div>")
        return "".join(rows)


def feature_name(props: Mapping[str, Any], lang: str = "zh") -> str:
    """A feature's name in ``lang`` (English uses ``name_en``, falling back to the Chinese name)."""
    if lang == "en" and props.get("name_en"):
        return str(props["name_en"])
    return str(props.get("name") or props.get("name_en") or "")


def _mentions(data: PlanData, clauses: Sequence[str], excerpts: Sequence[Mapping[str, Any]]) -> tuple[Mention, ...]:
    """Mentions in document order: one per cited clause, every excerpt of that clause marked (first match)."""
    by_clause: dict[str, list[str]] = {}
    for cid in clauses:
        by_clause.setdefault(str(cid), [])
    for ex in excerpts:
        if isinstance(ex, Mapping) and ex.get("text"):
            by_clause.setdefault(str(ex.get("clause", "")), []).append(str(ex["text"]))
    order = data.clause_index
    out = []
    for cid in sorted((c for c in by_clause if c in order), key=order.__getitem__):
        text = data.clause_text(cid)
        spans, missing = [], []
        for ex in dict.fromkeys(by_clause[cid]):
            pos = text.find(ex)
            if pos < 0:
                missing.append(ex)
            else:
                spans.append((pos, pos + len(ex)))
        heading = data.plan.outline.clause(cid).heading
        out.append(Mention(cid, heading, text, tuple(sorted(spans)), tuple(dict.fromkeys(by_clause[cid])),
                           tuple(missing)))
    return tuple(out)


def feature_panel(data: PlanData, feature_id: str, lang: str = "zh") -> FeaturePanel | None:
    """The side panel of a feature: name, role, precision, inference, and every clause that cites it.

    For a county of the admin layer the mentions are every clause that names it.

    Parameters
    ----------
    data : PlanData
    feature_id : str
    lang : {"zh", "en"}

    Returns
    -------
    FeaturePanel or None
        None for an unknown id.
    """
    feat = data.features.get(feature_id)
    if feat is None:
        return None
    p = feat.get("properties") or {}
    inferred = p.get("inferred") if isinstance(p.get("inferred"), Mapping) else None
    kind, precision = str(p.get("kind", "")), str(p.get("precision", ""))
    return FeaturePanel(
        id=feature_id,
        name=feature_name(p, lang),
        kind=kind,
        kind_label=kind_label(kind, lang),
        role=data_text(str(p.get("role") or ""), lang),
        precision=precision,
        precision_label=precision_label(precision, lang),
        precision_note=data_text(str(p.get("precision_note") or ""), lang),
        inferred_place=str(inferred.get("place", "")) if inferred else None,
        inferred_clue=str(inferred.get("clue", "")) if inferred else None,
        named_only=bool(p.get("named_only")),
        is_admin=kind == "admin",
        mentions=_mentions(data, list(p.get("clauses") or ()), list(p.get("excerpts") or ())),
        confidence=str(p.get("confidence") or ""),
        reasons=tuple(reason_text(r, lang) for r in p.get("reasons") or () if isinstance(r, Mapping)),
    )


def clauses_naming(data: PlanData, adcode: str) -> tuple[Mention, ...]:
    """Every clause that names a county, each with the passage that names it marked.

    Uses the county's admin feature (its ``clauses``/``excerpts`` list every clause naming it);
    a county without one is looked up by its name in the clause texts.

    Parameters
    ----------
    data : PlanData
    adcode : str
        Six-digit code of the county.

    Returns
    -------
    tuple of Mention
    """
    for feat in (data.layers.get("admin") or {}).get("features") or ():
        p = feat.get("properties") or {}
        if str(p.get("adcode")) == str(adcode) or str(adcode) in (p.get("members") or ()):
            return _mentions(data, list(p.get("clauses") or ()), list(p.get("excerpts") or ()))
    return ()


# --------------------------------------------------------------------------- the link's caption


def plan_title(data: PlanData, lang: str = "zh", place: str | None = None) -> str:
    """How a plan is named to a reader: its jurisdiction and title (``绵阳市 · 关于构建…的指导意见``).

    ``place``: the jurisdiction's name in ``lang`` (the gazetteer's English name), instead of the plan's own.
    """
    meta = data.plan.meta
    title = meta.title_en if lang == "en" and meta.title_en else meta.title
    place = place or meta.jurisdiction.name
    return f"{place} · {title}" if place else title


def share_caption(data: PlanData, feature_id: str | None = None, clause_id: str | None = None,
                  lang: str = "zh", *, draft: bool = False, place: str | None = None) -> str:
    """One short line saying what a link shows, to paste with it: the plan, the selected feature and clause.

    Plain text (it goes into a code box, never into HTML or Markdown).

    Parameters
    ----------
    data : PlanData
        The plan shown.
    feature_id, clause_id : str, optional
        The selection; ids the plan does not have are left out.
    lang : {"zh", "en"}
    draft : bool
        An unsaved draft of this session: said first.
    place : str, optional
        The jurisdiction's name in ``lang`` (see `plan_title`).

    Returns
    -------
    str
    """
    parts = [t("edit.draft_label", lang)] if draft else []
    parts.append(plan_title(data, lang, place))
    feat = data.features.get(feature_id or "")
    if feat is not None:
        p = feat.get("properties") or {}
        parts.append(t("share.caption_feature", lang, name=feature_name(p, lang),
                       kind=kind_label(str(p.get("kind", "")), lang)))
    if clause_id and clause_id in data.clause_index:
        parts.append(t("share.caption_clause", lang, clause=clause_id))
    return " ".join(" · ".join(parts).split())  # one line, whatever the plan's names hold: the link is the next
