"""Import pipeline: uploads, the draft of any plan (places, slogans, features), edits, exports, `geo draft`.

The measurement on the five seed plans compares the places the importer detects with the members of the
curated layers (see `reference_members` for exactly what counts); the figures are printed (``pytest -s``)
and quoted in README.md. Every other test uses invented snippets from plans of other provinces.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess

import jsonschema
import pytest

from geo.importer.draft import (
    EDIT_KINDS,
    add_member,
    apply_rows,
    delete,
    draft_clauses_csv,
    draft_geojson,
    draft_gpkg,
    draft_plan,
    feature_rows,
    jurisdiction_candidates,
    layers_by_kind,
    merge,
    rekind,
    rename,
    search_units,
)
from geo.layers import feature_schema, load_layers
from geo.places.gazetteer import load_gazetteer
from geo.places.mentions import CHAR_ABBREVIATIONS, FORMER_NAMES, find_places, find_slogans
from geo.text.decode import MAX_TEXT_BYTES, PlanTextError, decode_upload
from geo.text.plans import load_plan, plan_ids
from tests.conftest import ROOT, run_geo

pytestmark = pytest.mark.slow  # drafts real plan texts end to end

GAZ = load_gazetteer()
VALIDATOR = jsonschema.Draft202012Validator(feature_schema())


def features(d, kind=None):
    return [f for f in d.collection["features"] if f["properties"]["kind"] != "admin"
            and (kind is None or f["properties"]["kind"] == kind)]


def member_names(f):
    return [GAZ.unit(a).name for a in f["properties"]["members"]]


def check_collection(d):
    """Every feature follows the schema and cites clauses the text has, with verbatim excerpts."""
    spans = {c.id: d.outline.text[c.span[0] : c.span[1]] for c in d.outline.clauses}
    ids = [f["id"] for f in d.collection["features"]]
    assert len(ids) == len(set(ids))
    for f in d.collection["features"]:
        errors = [e.message for e in VALIDATOR.iter_errors(f)]
        assert not errors, (f["id"], errors)
        p = f["properties"]
        assert f["geometry"] is not None or p["named_only"], f["id"]
        for ex in p["excerpts"]:
            assert ex["clause"] in p["clauses"] and ex["text"] in spans[ex["clause"]], (f["id"], ex)
        if p["kind"] != "admin":
            assert p["excerpts"], f["id"]


# --------------------------------------------------------------------------- uploads


def _pdf(text: str | None) -> bytes:
    """A one-page PDF whose text layer holds ``text`` (Adobe's GB1 CMap, no embedded font); None: no text."""
    content = b"" if text is None else b"BT /F1 12 Tf 50 700 Td <%s> Tj ET" % text.encode("utf-16-be").hex().encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        (b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
         b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> >>"),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def _docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


SNIPPET = "关于推进长株潭一体化的实施意见\n一、总体布局\n构建“一核两翼”格局。"


@pytest.mark.parametrize("encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("gbk", b"")])
def test_text_uploads_in_common_encodings(encoding, prefix):
    assert decode_upload("plan.txt", prefix + SNIPPET.encode(encoding)).text == SNIPPET


def test_docx_paragraphs_and_tables_in_order():
    data = _docx(["关于推进厦漳泉同城化的意见", "一、总体要求"], [["片区", "范围"], ["北部", "泉州"]])
    decoded = decode_upload("plan.docx", data)
    assert decoded.encoding == "docx"
    assert decoded.text.splitlines() == ["关于推进厦漳泉同城化的意见", "一、总体要求", "片区\t范围", "北部\t泉州"]


def test_pdf_text_layer():
    decoded = decode_upload("plan.pdf", _pdf("一、总体要求。推进呼包鄂协同发展"))
    assert decoded.encoding == "pdf" and "推进呼包鄂协同发展" in decoded.text


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("plan.txt", b"", "empty"),
        ("plan.txt", b"   \n", "empty"),
        ("plan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "image"),
        ("scan.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "image"),
        ("plan.txt", b"x" * (MAX_TEXT_BYTES + 1), "too large"),
        ("plan.txt", b"\x80\xff\xfe\x81" * 500, "encoding"),
        ("scan.pdf", _pdf(None), "no text layer"),
        ("plan.pdf", b"%PDF-1.4\nthis is not a pdf at all", "PDF"),
        ("plan.docx", b"PK\x03\x04" + b"\x00" * 100, "docx"),
        ("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc"),
    ],
)
def test_bad_uploads_get_one_line_messages(name, data, message):
    with pytest.raises(PlanTextError, match=message) as info:
        decode_upload(name, data)
    assert "\n" not in str(info.value)


def test_format_follows_content_not_name():
    assert decode_upload("renamed.txt", _pdf("一、总则")).encoding == "pdf"


def test_oversized_docx_text_is_refused():
    big = _docx(["一、总则", "区" * (MAX_TEXT_BYTES // 3 + 10)])
    with pytest.raises(PlanTextError, match="too large"):
        decode_upload("big.docx", big)


def _pdf_lines(lines: list[str]) -> bytes:
    """A one-page PDF with one text line per item (as a PDF's layout places them), fonts as in `_pdf`."""
    content = b"\n".join(b"BT /F1 12 Tf 40 %d Td <%s> Tj ET" % (800 - 16 * i, line.encode("utf-16-be").hex().encode())
                         for i, line in enumerate(lines))
    return _pdf(None).replace(b"<< /Length 0 >>\nstream\n\nendstream",
                              b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")


def _relink(pdf: bytes) -> bytes:
    """The PDF with its cross-reference table recomputed (after its content stream changed length)."""
    body = pdf[: pdf.index(b"xref\n")]
    offsets = [m.start() for m in re.finditer(rb"(?m)^\d+ 0 obj\n", body)]
    xref = len(body)
    out = body + b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)


NANCHANG = (ROOT / "tests" / "data" / "plans" / "jiangxi_nanchang_metro" / "text.txt").read_text(encoding="utf-8")
ZHENGZHOU = (ROOT / "tests" / "data" / "plans" / "henan_zhengzhou_metro" / "text.txt").read_text(encoding="utf-8")


def _counts(text: str) -> tuple[int, int]:
    """Features (admin base excluded) and distinct slogans of a text's draft."""
    d = draft_plan(text, GAZ)
    return len(features(d)), len({s.text for c in d.clauses for s in c.slogans})


def _big5(text: str) -> bytes:
    import opencc

    return opencc.OpenCC("s2tw").convert(text).encode("cp950")


@pytest.mark.parametrize("seed", [NANCHANG, ZHENGZHOU], ids=["nanchang", "zhengzhou"])
@pytest.mark.parametrize(
    "encode, encoding, converted",
    [
        (lambda s: "\ufeff".encode("utf-16-le") + s.encode("utf-16-le"), "utf-16-le", False),
        (lambda s: "\ufeff".encode("utf-16-be") + s.encode("utf-16-be"), "utf-16-be", False),
        (_big5, "big5", True),
        (lambda s: s.encode("gb18030"), "gb18030", False),
        (lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), "utf-8-sig", False),
    ],
    ids=["utf-16-le-bom", "utf-16-be-bom", "big5-traditional", "gb18030", "utf-8-bom"],
)
def test_a_seed_text_in_any_encoding_drafts_like_the_pasted_text(seed, encode, encoding, converted):
    decoded = decode_upload("plan.txt", encode(seed))
    assert decoded.encoding == encoding
    assert any("traditional" in note for note in decoded.notes) == converted
    if not converted:
        assert decoded.text == seed
    assert _counts(decoded.text) == _counts(seed)


@pytest.mark.parametrize(
    "data, message",
    [
        ("日本の地域開発計画について、東京都と大阪府の連携を強化する。".encode("shift_jis") * 5, "not Chinese text"),
        (bytes(range(0x81, 0xFF)) * 20, "encoding"),
        ("Plan régional de développement".encode("latin-1") * 5, "encoding"),
        (b"\xff\xfe" + b"\x00\xd8" * 10, "UTF-16"),  # a BOM, then unpaired surrogates
    ],
    ids=["shift-jis", "high-bytes", "latin-1", "bad-utf-16"],
)
def test_garbage_decodings_are_refused(data, message):
    with pytest.raises(PlanTextError, match=message):
        decode_upload("plan.txt", data)


def test_big5_is_not_read_as_gb18030():
    decoded = decode_upload("plan.txt", _big5("构建“一核两翼三区”区域发展新格局，推进长株潭一体化。"))
    assert decoded.encoding == "big5"
    assert decoded.text == "构建“一核两翼三区”区域发展新格局，推进长株潭一体化。"


# Kangxi radicals (U+2F00–U+2FDF) and the CJK radicals supplement (U+2E80–U+2EFF) as Word/WPS PDFs map them.
LOOKALIKES = {"一": "\u2f00", "大": "\u2f24", "长": "\u2ed3", "门": "\u2ed4", "见": "\u2ec5"}


def _wrapped(text: str, width: int, lookalikes: bool = True) -> list[str]:
    """A text laid out as a PDF page: paragraphs cut every ``width`` characters, and after 鄱 (鄱\\n余万都)."""
    if lookalikes:
        text = text.translate(str.maketrans(LOOKALIKES))
    lines = []
    for para in text.splitlines():
        for piece in para.replace("鄱余", "鄱\n余").split("\n"):
            lines += [piece[i : i + width] for i in range(0, len(piece), width)]
    return lines


@pytest.mark.parametrize("width", [28, 34, 41])
def test_a_pdf_with_lookalike_radicals_and_wrapped_lines_drafts_like_the_pasted_text(width):
    lines = _wrapped(NANCHANG.strip(), width)
    assert any(line.endswith("鄱") for line in lines) and any(ch in "".join(lines) for ch in LOOKALIKES.values())
    decoded = decode_upload("plan.pdf", _relink(_pdf_lines(lines)))
    assert decoded.encoding == "pdf"
    assert decoded.text == NANCHANG.strip()
    assert _counts(decoded.text) == _counts(NANCHANG) == (10, 2)
    assert any("look-alike" in n for n in decoded.notes) and any("line breaks" in n for n in decoded.notes)


@pytest.mark.parametrize(
    "text, expected",
    [
        # headings, numbered lines and sentence ends are never joined
        ("关于推进大南昌都市圈发展的意见\n一、总体要求\n构建“一核两极两轴”格局。\n(一)发展定位\n建设都市圈。",
         "关于推进大南昌都市圈发展的意见\n一、总体要求\n构建“一核两极两轴”格局。\n(一)发展定位\n建设都市圈。"),
        # a full line cut inside a number or a name is joined
        ("地区生产总值达到2.2万亿元，建成1至2个世界级先进制造业集群，形成丰樟高、奉靖、鄱\n余万都组团。\n二、保障",
         "地区生产总值达到2.2万亿元，建成1至2个世界级先进制造业集群，形成丰樟高、奉靖、鄱余万都组团。\n二、保障"),
        ("构建九江—南昌—抚州和沿沪昆高铁通道两大发展轴，培育丰樟高、奉靖\n、鄱余万都组团。",
         "构建九江—南昌—抚州和沿沪昆高铁通道两大发展轴，培育丰樟高、奉靖、鄱余万都组团。"),
    ],
)
def test_layout_wraps_are_joined_and_paragraphs_kept(text, expected):
    from geo.text.textnorm import join_wrapped_lines

    assert join_wrapped_lines(text)[0] == expected


@pytest.mark.parametrize(
    "char, expected",
    [("\u2f00", "一"), ("\u2f24", "大"), ("\u2f2f", "工"), ("\u2ed3", "长"), ("\u2ed4", "门"), ("\u2ee2", "马"),
     ("\u2ef3", "龟"), ("\u2e9f", "母")],
)
def test_lookalike_radicals_map_to_characters(char, expected):
    from geo.text.textnorm import fix_lookalikes

    assert fix_lookalikes(f"建设{char}区") == (f"建设{expected}区", 1)


def _numbered_docx(rows: list[tuple[str, int | None]], *, style_numbered: bool = False) -> bytes:
    """A .docx whose paragraphs ``(text, level)`` are numbered by Word (level None: not numbered).

    Level 0 is ``chineseCounting`` with ``%1、``, level 1 ``chineseCounting`` with ``（%1）``, level 2 ``decimal``
    with ``%3.``. ``style_numbered``: the numbering sits in the heading styles (Heading 1/2/3 linked to the list),
    as a template's multilevel list does, not on the paragraphs.
    """
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        + "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                  f'<w:suff w:val="nothing"/></w:lvl>' for i, (fmt, text) in enumerate(levels))
        + "</w:abstractNum>"))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="90"/></w:num>'))

    def num_pr(level: int) -> object:
        return parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="91"/></w:numPr>')

    if style_numbered:
        for level in range(3):
            document.styles[f"Heading {level + 1}"].element.get_or_add_pPr().append(num_pr(level))
    for text, level in rows:
        if level is None:
            document.add_paragraph(text)
        elif style_numbered:
            document.add_paragraph(text, style=f"Heading {level + 1}")
        else:
            document.add_paragraph(text)._p.get_or_add_pPr().append(num_pr(level))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


NUMBERED = [
    ("关于推进长株潭一体化的实施意见", None),
    ("总体要求", 0), ("指导思想。坚持新发展理念。", 1), ("发展目标。到2030年基本实现一体化。", 1),
    ("空间布局", 0), ("构建“一核两翼”格局。", 1), ("长沙为核。", 2), ("株洲、湘潭为两翼。", 2),
    ("保障措施", 0), ("加强组织领导。", 1),
]


@pytest.mark.parametrize("style_numbered", [False, True], ids=["paragraph-numbering", "heading-style-numbering"])
def test_word_automatic_numbering_is_written_out(style_numbered):
    decoded = decode_upload("plan.docx", _numbered_docx(NUMBERED, style_numbered=style_numbered))
    assert decoded.text.splitlines() == [
        "关于推进长株潭一体化的实施意见",
        "一、总体要求", "（一）指导思想。坚持新发展理念。", "（二）发展目标。到2030年基本实现一体化。",
        "二、空间布局", "（一）构建“一核两翼”格局。", "1.长沙为核。", "2.株洲、湘潭为两翼。",
        "三、保障措施", "（一）加强组织领导。",
    ]
    assert any("automatic Word numbers" in n for n in decoded.notes)
    outline = draft_plan(decoded.text, GAZ).outline
    assert [c.id for c in outline.clauses] == ["一", "一.(一)", "一.(二)", "二", "二.(一)", "二.(一).1",
                                                 "二.(一).2", "三", "三.(一)"]


@pytest.mark.parametrize(
    "value, fmt, expected",
    [(1, "chineseCounting", "一"), (11, "chineseCounting", "十一"), (20, "chineseCountingThousand", "二十"),
     (3, "ideographTraditional", "丙"), (2, "ideographZodiac", "丑"), (3, "decimalEnclosedCircle", "③"),
     (12, "decimal", "12"), (4, "decimalFullWidth", "４"), (2, "lowerLetter", "b"), (4, "upperRoman", "IV"),
     (12, "chineseLegalSimplified", "拾贰"), (1, "bullet", "")],
)
def test_word_number_formats(value, fmt, expected):
    from geo.text.decode import format_number

    assert format_number(value, fmt) == expected


# --------------------------------------------------------------------------- places and slogans of other provinces


@pytest.mark.parametrize(
    "text, jurisdiction, expected",
    [
        ("推进厦漳泉同城化发展", "350000", ["厦门市", "漳州市", "泉州市"]),
        ("厦漳泉都市圈", None, ["厦门市", "漳州市", "泉州市"]),
        ("呼包鄂协同发展", None, ["呼和浩特市", "包头市", "鄂尔多斯市"]),
        ("推动宁镇扬一体化", None, ["南京市", "镇江市", "扬州市"]),
        ("长株潭都市圈", "430000", ["长沙市", "株洲市", "湘潭市"]),
        ("打造苏锡常都市圈", None, ["苏州市", "无锡市", "常州市"]),
        ("推进宜荆荆都市圈建设", "420000", ["宜昌市", "荆门市", "荆州市"]),
        ("北钦防一体化", None, ["北海市", "钦州市", "防城港市"]),
        ("郑汴一体化", None, ["郑州市", "开封市"]),
        ("依托西成客专", "510700", ["西安市", "成都市"]),
        ("贵广高铁", "520000", ["贵阳市", "广州市"]),
        ("加快三大高速建设", "510700", ["三台县", "大英县"]),
    ],
)
def test_abbreviation_clusters_of_other_provinces(text, jurisdiction, expected):
    places = find_places(text, GAZ, jurisdiction=jurisdiction)
    assert [p.name for p in places if p.via == "cluster"] == expected


@pytest.mark.parametrize(
    "text, jurisdiction, expected",
    [
        ("加强与襄樊的合作", None, ["襄阳市"]),
        ("襄樊市", "420000", ["襄阳市"]),
        ("原思茅地区", "530000", ["普洱市"]),
        ("深化与思茅的合作", "530000", ["普洱市"]),
        ("思茅区城市更新", "530800", ["思茅区"]),  # today's district keeps its own name
        ("中甸县", None, ["香格里拉市"]),
        ("伊克昭盟", None, ["鄂尔多斯市"]),
    ],
)
def test_former_names_give_todays_unit_and_say_so(text, jurisdiction, expected):
    places = find_places(text, GAZ, jurisdiction=jurisdiction)
    assert [p.name for p in places] == expected
    if expected[0] != "思茅区":
        assert places[0].via == "former name" and "旧称" in places[0].reason


@pytest.mark.parametrize(
    "text, jurisdiction",
    [
        ("进入国家特大城市行列", "520000"),  # 大城市 is not 大城县
        ("加快示范县建设", "510700"),  # 范县 hides in 示范县
        ("县和县之间的路网", "510700"),
        ("推动贵安新区与雄安新区合作", "520000"),  # 安新县 hides in 雄安新区
        ("中部平坝区域", "510700"),  # 平坝区 hides in 平坝区域
        ("最南最北海岸线遥相呼应", "211100"),
        ("“引通济安”工程", "510700"),  # a quoted run is a cluster as a whole or not at all
        ("经济建设“三大”主战场", "510821"),
        ("主动融入丝绸之路经济带和中巴经济走廊", "510821"),
        ("西部陆海新通道", "530300"),
        ("川东北经济区", "510821"),
    ],
)
def test_words_that_hide_place_names(text, jurisdiction):
    assert [p.name for p in find_places(text, GAZ, jurisdiction=jurisdiction)] == []


@pytest.mark.parametrize(
    "text, slogan, parts",
    [
        ("构建“一群两心三圈”发展格局", "一群两心三圈", [(1, "群"), (2, "心"), (3, "圈")]),
        ("形成一核一带一区的空间格局", "一核一带一区", [(1, "核"), (1, "带"), (1, "区")]),
        ("构建“中心引领、协同支撑”的发展格局", "中心引领、协同支撑", [(None, "中心"), (None, "协同")]),
        ("打造“一主两副多节点”城镇格局", "一主两副多节点", [(1, "主"), (2, "副"), (None, "节点")]),
        ("推动10个园区26个片区提质增效", "10个园区26个片区", [(10, "园区"), (26, "片区")]),
        ("“一心两翼三带”", "一心两翼三带", [(1, "心"), (2, "翼"), (3, "带")]),
        ("“东连黔桂、南向出境、西融滇中、北接川渝”目标", "东连黔桂、南向出境、西融滇中、北接川渝",
         [(None, "黔桂"), (None, "出境"), (None, "滇中"), (None, "川渝")]),
    ],
)
def test_slogans_of_any_shape(text, slogan, parts):
    found = find_slogans(text)
    assert [s.text for s in found] == [slogan]
    assert [(p.count, p.term) for p in found[0].parts] == parts


@pytest.mark.parametrize("text", ["推进“一带一路”建设", "构建统筹有力、竞争有序、绿色协调、共享共赢区域协调发展新机制",
                                  "“千村美丽、万村整洁”", "“巩固、转型、延链、培新、聚集”的发展思路"])
def test_phrases_without_space_are_not_slogans(text):
    assert find_slogans(text) == []


#: Every structure slogan PLANS.md lists, by plan: (text as the slogan reads, parts).
PLANS_MD_SLOGANS = {
    "mianyang": [("一核两翼三区", [(1, "核"), (2, "翼"), (3, "区")]),
                 ("两环十射四联", [(2, "环"), (10, "射"), (4, "联")]),
                 ("一纵一横两联", [(1, "纵"), (1, "横"), (2, "联")]),
                 ("1+5+N", [(1, ""), (5, ""), (None, "")])],
    "wangcang": [("一极两地四区", [(1, "极"), (2, "地"), (4, "区")]),
                 ("多点多极支撑", [(None, "点"), (None, "极")])],
    "panjin": [("17+1", [(17, ""), (1, "")])],
    "qujing": [("做强滇中、搞活沿边、多点支撑、联动廊道", [(None, "滇中"), (None, "沿边"), (None, "点"), (None, "廊道")]),
               ("一主四副、通道对接、点轴联动", [(1, "主"), (4, "副"), (None, "通道"), (None, "点轴")]),
               ("一主一副、多点支撑", [(1, "主"), (1, "副"), (None, "点")]),
               ("一核引领、两环支撑", [(1, "核"), (2, "环")]),
               ("一环五射", [(1, "环"), (5, "射")]),
               ("1环3纵5横7联", [(1, "环"), (3, "纵"), (5, "横"), (7, "联")]),
               ("2枢纽3园区6中心", [(2, "枢纽"), (3, "园区"), (6, "中心")]),
               ("10个园区26个片区", [(10, "园区"), (26, "片区")]),
               ("东连黔桂、南向出境、西融滇中、北接川渝", [(None, "黔桂"), (None, "出境"), (None, "滇中"), (None, "川渝")]),
               ("中心引领、协同支撑", [(None, "中心"), (None, "协同")])],
    "guizhou": [("一枢纽十六支", [(1, "枢纽"), (16, "支")]), ("1+8", [(1, ""), (8, "")])],
}


@pytest.mark.parametrize("plan_id", plan_ids())
def test_every_plans_md_slogan_is_found_and_parsed(plan_id):
    d = draft_plan(load_plan(plan_id).original, GAZ, jurisdiction=load_plan(plan_id).meta.jurisdiction.adcode)
    found = {s.text: [(p.count, p.term) for p in s.parts] for c in d.clauses for s in c.slogans}
    for text, parts in PLANS_MD_SLOGANS[plan_id]:
        assert found.get(text) == parts, (text, found.get(text))


# --------------------------------------------------------------------------- drafts of invented plans

CHANGSHA = """长沙市推进区域协调发展实施方案
一、空间格局
（一）构建“一核两翼”格局。“一核”包括岳麓区、天心区、开福区。北翼以望城区为重点，南翼以长沙县为重点。
（二）推进长株潭一体化，打造长沙—株洲—湘潭发展轴。加快长沙至浏阳高速公路建设。
二、开放合作
（三）主动融入粤港澳大湾区，深化与武汉、南昌的合作，加快浏阳经济技术开发区建设。
（四）中部片区包括芙蓉区、雨花区全域，以及宁乡市沿江区域。
"""


@pytest.fixture(scope="module")
def changsha():
    return draft_plan(CHANGSHA, GAZ)


def test_a_city_plan_drafts_cores_wings_zones_corridors_links_nodes(changsha):
    d = changsha
    assert d.jurisdiction.adcode == "430100" and d.jurisdiction.stated
    check_collection(d)
    core = next(f for f in features(d, "core") if f["properties"]["name"] == "一核")
    assert member_names(core) == ["岳麓区", "天心区", "开福区"] and core["properties"]["precision"] == "exact"
    assert "“一核”包括岳麓区、天心区、开福区" in [e["text"] for e in core["properties"]["excerpts"]]
    wings = {f["properties"]["name"]: member_names(f) for f in features(d, "wing")}
    assert wings == {"北翼": ["望城区"], "南翼": ["长沙县"]}
    axis = next(f for f in features(d, "corridor") if "发展轴" in f["properties"]["name"])
    assert member_names(axis) == ["长沙市", "株洲市", "湘潭市"] and axis["geometry"]["type"] == "LineString"
    assert axis["properties"]["precision"] == "schematic"
    road = next(f for f in features(d, "route") if "高速" in f["properties"]["name"])
    assert member_names(road) == ["长沙市", "浏阳市"]
    links = {f["properties"]["name"]: member_names(f) for f in features(d, "link")}
    assert links["粤港澳大湾区"] == ["长沙市", "广州市"]  # a named region at its anchor, said in the note
    assert links["武汉"] == ["长沙市", "武汉市"] and links["南昌"] == ["长沙市", "南昌市"]
    assert all(f["properties"]["direction"] == "forward" for f in features(d, "link"))
    node = next(f for f in features(d, "node") if f["properties"]["name"] == "浏阳经济技术开发区")
    assert node["geometry"]["type"] == "Point" and node["properties"]["precision"] == "point"
    zone = next(f for f in features(d, "zone") if f["properties"]["name"] == "中部片区")
    assert member_names(zone) == ["芙蓉区", "雨花区", "宁乡市"] and zone["properties"]["precision"] == "approximate"
    assert "宁乡市" in zone["properties"]["precision_note"]
    admin = {f["id"] for f in d.collection["features"] if f["properties"]["kind"] == "admin"}
    assert "a-430104" in admin and any(a.startswith("nb-") for a in admin)


@pytest.mark.parametrize(
    "text, jurisdiction, kind, name, members",
    [
        ("福建省推进厦漳泉同城化方案\n一、总体要求\n构建“一核一带一区”格局。“一核”即厦门市。", None, "core", "一核", ["厦门市"]),
        ("内蒙古自治区推进呼包鄂协同发展的意见\n一、布局\n（一）打造呼和浩特—包头—鄂尔多斯经济走廊。", None, "corridor",
         "呼和浩特—包头—鄂尔多斯经济走廊", ["呼和浩特市", "包头市", "鄂尔多斯市"]),
        ("江苏省宁镇扬同城化规划\n一、交通\n（一）建设南京至扬州城际铁路。", None, "route", "南京至扬州城际铁路",
         ["南京市", "扬州市"]),
        ("湖北省襄阳市区域发展方案\n一、合作\n（一）加强与十堰的合作。", None, "link", "十堰", ["襄阳市", "十堰市"]),
    ],
)
def test_drafts_of_other_provinces(text, jurisdiction, kind, name, members):
    d = draft_plan(text, GAZ, jurisdiction=jurisdiction)
    check_collection(d)
    found = {f["properties"]["name"]: member_names(f) for f in features(d, kind)}
    assert found.get(name) == members, found


def test_parts_the_text_does_not_define_are_named_only():
    d = draft_plan("云南省普洱市发展方案\n一、布局\n构建“一群两心三圈”格局。", GAZ)
    check_collection(d)
    parts = {f["properties"]["name"]: f for f in features(d)}
    assert set(parts) >= {"一群", "两心", "三圈"}
    assert all(f["geometry"] is None and f["properties"]["named_only"] for f in parts.values())
    assert "未编造" in parts["一群"]["properties"]["precision_note"]


def test_the_planner_corrects_the_jurisdiction(changsha):
    assert "430100" in [u.adcode for u in jurisdiction_candidates(changsha, GAZ)]
    assert search_units("株洲", GAZ)[0].adcode == "430200"
    again = draft_plan(CHANGSHA, GAZ, jurisdiction="430000")
    assert again.jurisdiction.adcode == "430000" and again.jurisdiction.reason == "由规划人员指定"
    assert {f["properties"]["name"] for f in features(again, "link")} >= {"粤港澳大湾区", "武汉"}


def test_a_region_link_lists_the_places_its_name_writes_and_ends_at_its_anchor():
    d = draft_plan("西安市区域协调发展方案\n一、开放合作\n主动融入“京津冀”协同发展，深化与“粤港澳”大湾区合作。", GAZ,
                   jurisdiction="610100")
    links = {f["properties"]["name"]: f for f in features(d, "link")}
    jjj, gba = links["京津冀"], links["粤港澳大湾区"]
    assert member_names(jjj) == ["西安市", "天津市", "河北省", "北京市"]  # the anchor, 北京, last
    assert jjj["geometry"]["type"] == "MultiLineString" and len(jjj["geometry"]["coordinates"]) == 3
    assert member_names(gba)[0] == "西安市" and member_names(gba)[-1] == "广州市"
    assert {"香港特别行政区", "澳门特别行政区"} <= set(member_names(gba))
    # 广东省 and its capital 广州 share a seat: one arc, not two on top of each other
    assert len(gba["geometry"]["coordinates"]) == 3
    assert "以北京市代表" in jjj["properties"]["precision_note"]
    check_collection(d)


HUBEI = """湖北省人民政府关于加快构建“一主引领、两翼驱动、全域协同”区域发展布局的实施意见
一、总体要求
(一)发展格局。“一主”即武汉城市圈,包括武汉、黄石、鄂州、黄冈、孝感、咸宁、仙桃、天门、潜江9市;“两翼”指襄十随神城市群和宜荆荆恩城市群。
二、主要任务
(二)强化武汉龙头引领。建设武汉至宜昌、武汉至十堰高铁。
"""

NEIMENG = """内蒙古自治区推动呼包鄂乌一体化发展实施方案
一、总体要求
(一)格局。构建“一核一带一圈”发展格局,“一核”指呼和浩特,“一带”为沿黄河生态经济带,“一圈”为呼包鄂乌城市圈。
"""


def test_a_definition_naming_two_areas_gives_one_feature_each():
    d = draft_plan(HUBEI, GAZ)
    assert d.jurisdiction.adcode == "420000"
    wings = {f["properties"]["name"]: member_names(f) for f in features(d, "wing")}
    # 神 of 襄十随神 is 神农架林区, a county the province governs directly, ranked with the cities
    assert wings == {"襄十随神城市群": ["襄阳市", "十堰市", "随州市", "神农架林区"],
                     "宜荆荆恩城市群": ["宜昌市", "荆门市", "荆州市", "恩施土家族苗族自治州"]}
    core = next(f for f in features(d, "core") if f["properties"]["name"] == "一主")
    assert len(core["properties"]["members"]) == 9
    check_collection(d)


def test_a_definition_ends_where_the_next_quoted_part_is_defined():
    d = draft_plan(NEIMENG, GAZ)
    parts = {f["properties"]["name"]: f for f in features(d)}
    assert member_names(parts["一核"]) == ["呼和浩特市"]
    # 呼包鄂乌's 乌 is 乌兰察布 (乌海 touches the others too: read two ways, the run is known by usage)
    assert member_names(parts["一圈"]) == ["呼和浩特市", "包头市", "鄂尔多斯市", "乌兰察布市"]
    assert parts["一带"]["properties"]["named_only"]  # 沿黄河: no place named, nothing invented
    check_collection(d)


def test_chains_listed_before_one_route_word_share_it():
    d = draft_plan(HUBEI, GAZ)
    routes = {f["properties"]["name"]: f for f in features(d, "route")}
    assert set(routes) >= {"武汉至宜昌（高铁）", "武汉至十堰高铁"}
    shared = routes["武汉至宜昌（高铁）"]["properties"]
    assert member_names(routes["武汉至宜昌（高铁）"]) == ["武汉市", "宜昌市"]
    assert shared["excerpts"] == [{"clause": "二.(二)", "text": "武汉至宜昌、武汉至十堰高铁"}]  # verbatim


def test_no_jurisdiction_no_base_layer_and_no_links():
    d = draft_plan("关于XX的意见\n一、总则\n推动XX与XX合作，建设“一核”。", GAZ)
    assert d.jurisdiction.adcode is None
    assert not [f for f in d.collection["features"] if f["properties"]["kind"] in ("admin", "link")]
    check_collection(d)


# --------------------------------------------------------------------------- edits


def test_rename_rekind_delete_merge_add(changsha):
    fc, j = changsha.collection, changsha.jurisdiction.adcode
    core = next(f for f in features(changsha, "core") if f["properties"]["name"] == "一核")["id"]
    wing = next(f for f in features(changsha, "wing") if f["properties"]["name"] == "北翼")["id"]
    renamed = rename(fc, core, "  主城核心  ")
    assert next(f for f in renamed["features"] if f["id"] == core)["properties"]["name"] == "主城核心"
    with pytest.raises(ValueError):
        rename(fc, core, " ")
    as_corridor = rekind(fc, core, "corridor", GAZ, j)
    f = next(f for f in as_corridor["features"] if f["id"] == core)
    assert f["geometry"]["type"] == "LineString" and f["properties"]["precision"] == "schematic"
    with pytest.raises(ValueError):
        rekind(fc, core, "admin", GAZ, j)
    merged = merge(fc, [core, wing], GAZ, j, name="核心与北翼")
    f = next(f for f in merged["features"] if f["id"] == core)
    assert member_names(f) == ["岳麓区", "天心区", "开福区", "望城区"]
    assert wing not in {g["id"] for g in merged["features"]}
    assert {e["clause"] for e in f["properties"]["excerpts"]} == {"一.(一)"}
    added = add_member(fc, wing, "430181", GAZ, j)  # a county clicked on the map: 浏阳市
    assert member_names(next(g for g in added["features"] if g["id"] == wing)) == ["望城区", "浏阳市"]
    gone = delete(fc, [core, "a-430104"])
    assert core not in {g["id"] for g in gone["features"]} and "a-430104" in {g["id"] for g in gone["features"]}
    for collection in (renamed, as_corridor, merged, added, gone):
        for g in collection["features"]:
            assert not [e.message for e in VALIDATOR.iter_errors(g)]
    assert fc == changsha.collection  # edits return new collections


def test_the_table_round_trip(changsha):
    rows = feature_rows(changsha.collection, GAZ)
    assert {r["kind"] for r in rows} <= set(EDIT_KINDS)
    first = rows[0]
    edited = [{**first, "name": "新名称", "kind": "zone"}, {**rows[1], "delete": True}]
    out = apply_rows(changsha.collection, edited, GAZ, changsha.jurisdiction.adcode)
    by_id = {f["id"]: f for f in out["features"]}
    assert by_id[first["id"]]["properties"]["name"] == "新名称"
    assert by_id[first["id"]]["properties"]["kind"] == "zone"
    assert rows[1]["id"] not in by_id


# --------------------------------------------------------------------------- exports


def test_exports_of_a_draft(changsha):
    fc = changsha.collection
    back = json.loads(draft_geojson(fc))
    assert back["features"] == fc["features"]
    gpkg = draft_gpkg(fc, "draft")
    assert gpkg[:16] == b"SQLite format 3\x00"
    import pyogrio

    path = ROOT / "bench" / "out"
    path.mkdir(parents=True, exist_ok=True)
    (path / "test-draft.gpkg").write_bytes(gpkg)
    assert {name for name, _ in pyogrio.list_layers(path / "test-draft.gpkg")} == set(layers_by_kind(fc))
    rows = list(csv.reader(io.StringIO(draft_clauses_csv(changsha).decode("utf-8-sig"))))
    assert rows[0] == ["条文编号", "条文标题", "条文中的地名", "引用此条的要素", "条文全文"]
    assert [r[0] for r in rows[1:]] == list(changsha.outline.ids)
    first = next(r for r in rows if r[0] == "一.(一)")
    assert "岳麓区(430104)" in first[2] and "一核" in first[3]
    with pytest.raises(ValueError):
        draft_gpkg({"type": "FeatureCollection", "features": []})


def test_csv_quotes_formula_like_plan_text():
    d = draft_plan("长沙市方案\n=HYPERLINK(\"http://x\")“一核”包括岳麓区。\n一、布局\n@SUM(1)", GAZ)
    rows = list(csv.reader(io.StringIO(draft_clauses_csv(d).decode("utf-8-sig"))))
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c and c[0] in "=+-@"]
    assert any(c.startswith(("'=HYPERLINK", "'@SUM")) for c in cells)


# --------------------------------------------------------------------------- the command line


def run_draft(path) -> subprocess.CompletedProcess:
    return run_geo("draft", path)


def test_geo_draft_prints_one_feature_collection(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(CHANGSHA.encode("gb18030"))
    result = run_draft(path)
    assert result.returncode == 0, result.stderr
    fc = json.loads(result.stdout)
    assert fc["type"] == "FeatureCollection"
    for f in fc["features"]:
        assert not [e.message for e in VALIDATOR.iter_errors(f)]
    assert {f["properties"]["kind"] for f in fc["features"]} >= {"admin", "core", "wing", "corridor", "link"}


def test_geo_draft_reads_docx(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx(CHANGSHA.splitlines()))
    result = run_draft(path)
    assert result.returncode == 0, result.stderr
    assert any(f["properties"]["name"] == "一核" for f in json.loads(result.stdout)["features"])


@pytest.mark.parametrize("content, message", [(b"", "empty"), (b"\x00\x01binary\x00" * 100, "binary"),
                                              (b"\x80\xff\xfe\x81" * 500, "encoding")])
def test_geo_draft_errors_are_one_line_with_exit_status_2(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run_draft(path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
    for missing in (tmp_path / "nope.txt", tmp_path):
        result = run_draft(missing)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- the five seed plans: recall and precision

GROUPING = (r"(?:一体化|地区|经济|城市|都市|双城|合作|协同|同城|高速|铁路|城际|客专|高铁|通道|走廊|廊道|片区|结合|物流|煤层气|"
            r"生态)")


def _forms(unit) -> set[str]:
    return {unit.name, *unit.short_names} | {k for k, v in FORMER_NAMES.items() if v == unit.adcode}


def _abbreviations(unit) -> set[str]:
    return {unit.name[0]} | {c for c, codes in CHAR_ABBREVIATIONS.items() if unit.adcode in codes}


def _abbreviation_capable(ch: str) -> bool:
    return ch in CHAR_ABBREVIATIONS or any(u.name[0] == ch for u in GAZ.units.values() if u.level != "county")


COUNTED_UNITS = r"[一二三四五六七八九十两]+(?:市|省|州|县|区)"  # 川滇黔十四市: the run before a count of units


def _cluster_runs(excerpt: str) -> list[str]:
    runs = re.findall(r"“([\u4e00-\u9fff]{2,4})”", excerpt)
    ends = [m.group(0) for m in re.finditer(rf"[\u4e00-\u9fff]+?(?={GROUPING}|{COUNTED_UNITS})", excerpt)]
    # a list of runs sharing one grouping word: 川滇、云桂、川滇黔渝、粤桂黔滇合作
    for m in re.finditer(rf"(?:[\u4e00-\u9fff]+、)+[\u4e00-\u9fff]+?(?={GROUPING})", excerpt):
        ends += m.group(0).split("、")
    for run in ends:
        runs += [run[-k:] for k in (4, 3, 2) if len(run) >= k]
    return runs


def _written(unit, members: list[str], clause_text: str, excerpts: list[str]) -> bool:
    if any(form in clause_text for form in _forms(unit)):
        return True
    others = [_abbreviations(GAZ.unit(m)) for m in members if m != unit.adcode]
    for excerpt in excerpts:
        for run in _cluster_runs(excerpt):
            if not _abbreviations(unit) & set(run):
                continue
            if any(chars & set(run) for chars in others):
                return True  # two members abbreviated together: 三大高速 (三台, 大英), 宝成铁路
            if unit.level != "county" and all(_abbreviation_capable(c) for c in run):
                return True  # a city or province inside a cluster: 呼包鄂榆 (鄂尔多斯), “京津冀” (北京)
    return False


def reference_members(plan_id: str) -> tuple[set[str], set[str]]:
    """The places a perfect importer should find in a seed plan, and the clauses they are found in.

    The reference is built from the curated layers (``layers/<plan>/*.geojson``) and the plan's text only,
    never from the importer: an adcode is in it when

    1. it is a member of a curated feature that is not ``admin`` (a ``named_only`` feature counts through the
       places its name writes, ``names`` in the concept source: 川滇黔十四市(州) names 四川, 云南, 贵州); and
    2. the feature's cited clause actually writes that place: its full name, a short name (三台 for 三台县)
       or a former name occurs in the clause's text, or its one-character abbreviation stands in an
       abbreviation cluster in one of the feature's verbatim excerpts from that clause (a quoted run such
       as “京津冀”, or a run right before a grouping word such as 呼包鄂榆地区, 三大高速, 宝成铁路) together
       with the abbreviation of another member of the feature, or, for a city or province, together with
       characters that each abbreviate some city or province.

    So places behind ``XX`` / ``*`` (inferred by the curators) and anchors the curators chose for regions
    the text names (粤港澳大湾区 drawn to 广州) are not in the reference: no importer can read them in the
    text. The second value is the set of cited clause ids, where detection is compared.
    """
    plan = load_plan(plan_id)
    spans = {c.id: plan.outline.text[c.span[0] : c.span[1]] for c in plan.outline.clauses}
    reference, cited = set(), set()
    for kind, fc in load_layers(plan_id).items():
        if kind == "admin":
            continue
        for f in fc["features"]:
            p = f["properties"]
            cited |= set(p["clauses"])
            for m in p["members"]:
                if any(_written(GAZ.unit(m), p["members"], spans[c],
                                [e["text"] for e in p["excerpts"] if e["clause"] == c]) for c in p["clauses"]):
                    reference.add(m)
    return reference, cited


@pytest.fixture(scope="module")
def seed_figures():
    """Per plan: reference, places detected in the cited clauses, and the places the draft maps."""
    out = {}
    for pid in plan_ids():
        plan = load_plan(pid)
        reference, cited = reference_members(pid)
        # The planner confirms the jurisdiction (two of the texts are anonymised: it cannot be read there).
        d = draft_plan(plan.original, GAZ, jurisdiction=plan.meta.jurisdiction.adcode)
        written = {p.adcode for c in d.clauses for p in c.places}
        detected = {p.adcode for c in d.clauses if c.id in cited for p in c.places}
        mapped = set()
        named_in = {c.id: {p.adcode for p in c.places} for c in d.clauses}
        for f in features(d):
            members = f["properties"]["members"]
            here = set().union(*(named_in.get(cid, set()) for cid in f["properties"]["clauses"]))
            # a region's anchor (粤港澳大湾区 drawn to 广州) counts only where the clause writes it
            anchored = f["properties"].get("anchor") and members[-1] not in here
            mapped |= set(members[:-1] if anchored else members)
        out[pid] = (reference, detected, mapped & written)
    lines = []
    totals = {"detected": [0, 0, 0], "mapped": [0, 0, 0]}
    for pid, (reference, detected, mapped) in out.items():
        for label, found in (("detected", detected), ("mapped", mapped)):
            hit = len(reference & found)
            totals[label] = [t + x for t, x in zip(totals[label], (hit, len(reference), len(found)))]
            lines.append(f"{pid:9} {label:8} reference {len(reference):3}  found {len(found):3}  "
                         f"recall {hit / len(reference):.3f}  precision {hit / max(1, len(found)):.3f}  "
                         f"missed {sorted(GAZ.unit(a).name for a in reference - found)}  "
                         f"extra {sorted(GAZ.unit(a).name for a in found - reference)}")
    for label, (hit, ref, found) in totals.items():
        lines.append(f"all five  {label:8} reference {ref:3}  found {found:3}  recall {hit / ref:.3f}  "
                     f"precision {hit / found:.3f}")
    print("\n" + "\n".join(lines))
    return out, totals


def test_reference_excludes_masked_places():
    reference, _ = reference_members("mianyang")
    assert "510781" not in reference  # 江油市: the text writes XX; the curated 北翼 infers it
    assert {"510722", "510923"} <= reference  # 三台县 and 大英县 in 三大高速


def test_seed_plans_place_recall(seed_figures):
    per_plan, totals = seed_figures
    hit, ref, _ = totals["detected"]
    assert hit / ref >= 0.95
    for pid, (reference, detected, _) in per_plan.items():
        assert len(reference & detected) / len(reference) >= 0.9, pid


def test_seed_plans_place_precision(seed_figures):
    """Precision against the curated members: ≥ 95 % over the five plans (the issue's target).

    The places detected beyond the reference are written in the text but belong to no curated concept: the far
    ends of national routes named by abbreviation (京昆 = 北京—昆明, 沪昆), a model elsewhere the plan learns
    from (借鉴陕西省安康市飞地模式).
    """
    _, totals = seed_figures
    hit, _, found = totals["detected"]
    assert hit / found >= 0.95
    hit, _, found = totals["mapped"]
    assert hit / found >= 0.95


# One sentence per import rule (geo.importer.rules): the written form it reads -> the features it draws, as
# (kind, name, member names). Each case lists features that must be among the draft's (the admin base aside).
RULE_SENTENCES = [
    ("by_direction_pair", "530300", "形成“南北林带、中部城区、沿河发展”的格局。\n1．南北林带：南林带是南盘江以南的区域，北林带是北部山区。",
     [("zone", "南林带", []), ("zone", "北林带", [])]),
    ("by_quoted_names", "530300", "构建“两带两轴”格局，以‘沿江城镇带’‘沿路产业带’和‘东西发展轴’为纽带。",
     [("corridor", "沿江城镇带", []), ("corridor", "沿路产业带", [])]),
    ("by_elaboration", "530300", "实施“中心带动、两翼齐飞、组团发展”战略。发挥麒麟区带动作用，打造临港、临空两大基地，构建组团格局。",
     [("wing", "临港", []), ("wing", "临空", [])]),
    ("by_water_name", "530300", "以南盘江为轴，形成“一江两岸、联动发展”的格局。", [("eco", "一江", [])]),
    ("by_definition", "530300", "构建“一核两翼”发展格局。“一核”包括麒麟区、沾益区和马龙区。",
     [("core", "一核", ["麒麟区", "沾益区", "马龙区"])]),
    ("by_definition (以…为两翼)", "530300", "构建“一核两翼”格局。以宣威市、会泽县为两翼。",
     [("wing", "宣威市", ["宣威市"]), ("wing", "会泽县", ["会泽县"])]),
    ("by_count", "530300", "构建“一核三极”格局。打造宣威市、会泽县、罗平县三个新增长极。",
     [("core", "宣威市", ["宣威市"]), ("core", "会泽县", ["会泽县"]), ("core", "罗平县", ["罗平县"])]),
    ("by_reference", "530300", "构建“一核两圈”格局。打造麒麟区城市圈，建设陆良县城市圈。以两大城市圈为支撑，辐射带动全市发展。",
     [("zone", "麒麟区城市圈", ["麒麟区"]), ("zone", "陆良县城市圈", ["陆良县"])]),
    ("by_role_words", "530300", "构建“一主一副”格局。做强“麒沾马”中心城市，建设宣威副中心。",
     [("core", "一主", ["麒麟区", "沾益区", "马龙区"]), ("node", "一副", ["宣威市"])]),
    ("by_core_word", "530300", "构建“一核”格局。麒麟区居于核心位置。", [("core", "一核", ["麒麟区"])]),
    ("shared_out", "620000", "形成“两州两市”(甘南藏族自治州、临夏回族自治州、定西市、陇南市)协同发展格局。",
     [("zone", "甘南藏族自治州", ["甘南藏族自治州"]), ("zone", "临夏回族自治州", ["临夏回族自治州"]),
      ("zone", "定西市", ["定西市"]), ("zone", "陇南市", ["陇南市"])]),
    ("road network", "530300", "构建“1环3纵5横”高速公路网。", [("route", "1环3纵5横", [])]),
    ("named_parts", "530300", "东部片区包括罗平县、师宗县全域及富源县平坝区域。",
     [("zone", "东部片区", ["罗平县", "师宗县", "富源县"])]),
    ("chains (route)", "530300", "推进曲靖—昆明高铁建设。", [("route", "曲靖—昆明高铁", ["曲靖市", "昆明市"])]),
    ("chains (corridor)", "530300", "建设宣威—会泽发展轴。", [("corridor", "宣威—会泽发展轴", ["宣威市", "会泽县"])]),
    ("by_settlements", "330825", "构建“一核两极”体系。强化湖镇、溪口2个中心镇支撑。", [("core", "湖镇", []), ("core", "溪口", [])]),
    ("nodes", "530300", "做强曲靖经济技术开发区。", [("node", "曲靖经济技术开发区", ["曲靖市"])]),
    ("links", "530300", "加强与贵州省六盘水市合作。", [("link", "六盘水市", ["曲靖市", "六盘水市"])]),
    ("links (region)", "530300", "主动融入粤港澳大湾区，加强经贸合作。", [("link", "粤港澳大湾区", ["曲靖市", "广州市"])]),
]


@pytest.mark.parametrize("rule, jurisdiction, text, expected", RULE_SENTENCES, ids=[c[0] for c in RULE_SENTENCES])
def test_rule_sentence(rule, jurisdiction, text, expected):
    d = draft_plan(text, GAZ, jurisdiction=jurisdiction)
    got = [(p["kind"], p["name"], [GAZ.unit(a).name for a in p["members"]])
           for p in (f["properties"] for f in d.collection["features"]) if p["kind"] != "admin"]
    for feature in expected:
        assert feature in got, (rule, got)


def test_rule_tables_name_each_rule_once():
    from geo.importer.rules import PART_RULES, RULES

    assert [r.__name__ for r in RULES] == ["slogan_parts", "named_parts", "chains", "nodes", "links"]
    assert [r.__name__ for r in PART_RULES] == ["by_direction_pair", "by_definition", "by_quoted_names", "by_count",
                                                "by_settlements", "by_reference", "by_elaboration", "by_role_words",
                                                "by_core_word", "by_water_name"]
    assert all(r.__doc__ for r in (*RULES, *PART_RULES))
