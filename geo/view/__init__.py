"""What the pages show, without Streamlit; the pages read it as ``from geo import view as vm``.

The URL's view is `geo.view.state`, the folium map `geo.view.mapview`. What the pages compute from plans is
split by concern, and every public name of these modules is re-exported here:

- `geo.view.model`: a plan and its layers, the catalog, layer options, bounds
- `geo.view.panels`: the feature panel, the link's caption, safe HTML of plan text
- `geo.view.meets`: where plans meet, over all plans, from the store's index
- `geo.view.catalogue`: the catalogue, full-text search and the pickers, from the index (imported as a module)
- `geo.view.cascade`: the plan cascade (规划传导) of a unit
- `geo.view.footprints`: the Overview's footprints of many plans, by level
- `geo.view.compare`: comparing two plans
- `geo.view.overview`: the Overview page
- `geo.view.searching`: search
- `geo.view.texttree`: the Text page's tree
- `geo.view.mapwidget`: the Map page's map: panel data, command, controller

`md_escape` (`geo.safe`) is re-exported too: the pages escape plan text for Markdown with it.
"""

from geo.safe import md_escape
from geo.view.cascade import Cascade, CascadeRow, plan_cascade
from geo.view.compare import (
    COMPARE_KINDS,
    OVERLAY_KINDS,
    SharedPlace,
    compare_collections,
    place_outlines,
    shared_places,
)
from geo.view.mapwidget import (
    MapCommand,
    MapController,
    command_group,
    controller_script,
    map_choice,
    panel_data,
    skeleton,
)
from geo.view.meets import (
    MEETINGS_PAGE,
    MeetingClause,
    MeetingGroup,
    Meetings,
    PlanAtPlace,
    meeting_clauses,
    place_adcodes,
    where_plans_meet,
    without,
)
from geo.view.model import (
    KIND_GROUPS,
    STORED_EXPORT_FORMATS,
    LayerOption,
    PlanData,
    available_plans,
    catalog_from_layers,
    default_layers,
    feature_bounds,
    is_stored_plan_id,
    jurisdiction_bounds,
    layer_options,
    layer_order,
    load_meets,
    load_plan_data,
    stored_plan_export,
    visible_layers,
    with_layer,
)
from geo.view.overview import (
    OVERVIEW_KINDS,
    meet_rows,
    overview_collections,
    overview_rows,
    province_outlines,
)
from geo.view.panels import (
    FeaturePanel,
    Mention,
    clause_html,
    clauses_naming,
    feature_name,
    feature_panel,
    highlight_html,
    list_title_html,
    plan_title,
    pre_html,
    share_caption,
    table_html,
)
from geo.view.searching import ClauseHit, Hit, SearchResults, search, snippet_html, text_matches
from geo.view.texttree import (
    TEXT_OPEN_LIMIT,
    Chip,
    TextNode,
    clause_chips,
    scroll_script,
    text_collapsible,
    text_hits,
    text_open,
    text_tree,
)

__all__ = [
    "COMPARE_KINDS",
    "KIND_GROUPS",
    "MEETINGS_PAGE",
    "OVERLAY_KINDS",
    "OVERVIEW_KINDS",
    "STORED_EXPORT_FORMATS",
    "TEXT_OPEN_LIMIT",
    "Cascade",
    "CascadeRow",
    "Chip",
    "ClauseHit",
    "FeaturePanel",
    "Hit",
    "LayerOption",
    "MapCommand",
    "MapController",
    "MeetingClause",
    "MeetingGroup",
    "Meetings",
    "Mention",
    "PlanAtPlace",
    "PlanData",
    "SearchResults",
    "SharedPlace",
    "TextNode",
    "available_plans",
    "catalog_from_layers",
    "clause_chips",
    "clause_html",
    "clauses_naming",
    "command_group",
    "compare_collections",
    "controller_script",
    "default_layers",
    "feature_bounds",
    "feature_name",
    "feature_panel",
    "highlight_html",
    "is_stored_plan_id",
    "jurisdiction_bounds",
    "layer_options",
    "layer_order",
    "list_title_html",
    "load_meets",
    "load_plan_data",
    "map_choice",
    "md_escape",
    "meet_rows",
    "meeting_clauses",
    "overview_collections",
    "overview_rows",
    "panel_data",
    "place_adcodes",
    "place_outlines",
    "plan_cascade",
    "plan_title",
    "pre_html",
    "province_outlines",
    "scroll_script",
    "search",
    "share_caption",
    "shared_places",
    "skeleton",
    "snippet_html",
    "stored_plan_export",
    "table_html",
    "text_collapsible",
    "text_hits",
    "text_matches",
    "text_open",
    "text_tree",
    "visible_layers",
    "where_plans_meet",
    "with_layer",
    "without",
]
