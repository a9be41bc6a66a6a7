"""Plan files to text: encoding detection, size limits and refusal of binary or empty input.

Chinese government files come as UTF-8 (with or without a BOM), UTF-16 with a BOM (Windows Notepad's
"Unicode"), GB18030/GBK, or Big5 (Taiwan, Hong Kong). A BOM decides; else strict UTF-8; else the legacy
encoding whose decoding reads as Chinese (Big5 bytes decode as GB18030 without error, only the characters
tell); `charset_normalizer` only for anything else, so that a GB18030 file is never misread as Latin-1. Every
text is then made like a pasted one (`geo.text.textnorm`: look-alike radicals, PDF line wraps, traditional script)
and the planner is told what was changed (`DecodedText.notes`). Messages come in both languages (`geo.i18n`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import charset_normalizer

from geo.i18n import both
from geo.text.textnorm import is_traditional, normalise, to_simplified

MAX_TEXT_BYTES = 5 * 1024 * 1024
"""Largest plan text we accept (5 MB: about 1.7 million Chinese characters, far above any plan)."""

# Control characters other than tab/newline/carriage return mark binary data, not text.
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r\f"} | {"\x7f"}


class PlanTextError(ValueError):
    """Input that cannot be read as a plan text; the message is one line, fit for a user."""


@dataclass(frozen=True)
class DecodedText:
    """Text read from bytes, with the encoding that produced it and what reading changed.

    ``notes``: messages for the planner, ``中文 / English`` (traditional script converted, look-alike
    radicals replaced, layout line wraps joined, Word's automatic numbers written out).
    """

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def decode_bytes(data: bytes, *, max_bytes: int = MAX_TEXT_BYTES) -> DecodedText:
    """Decode a plan file's bytes to text.

    A byte-order mark decides (UTF-8, UTF-16 LE/BE as Windows Notepad's "Unicode" saves, UTF-32); else strict
    UTF-8; else the legacy double-byte encoding, GB18030 or Big5, whose decoding reads as Chinese (`_legacy`:
    both decode most byte strings, only the right one gives common characters); else `charset_normalizer`'s
    guess. A decoding that is not mostly Chinese is refused, never drafted as garbage. The text is then made
    like a pasted one (`geo.text.textnorm.normalise`: look-alike radicals; traditional script to simplified, said
    in ``notes``).

    Parameters
    ----------
    data : bytes
        The raw file content.
    max_bytes : int
        Size limit; larger input is refused rather than truncated.

    Returns
    -------
    DecodedText
        The text with ``\\r\\n`` normalised to ``\\n``, the encoding used and notes for the planner.

    Raises
    ------
    PlanTextError
        Empty, oversized, binary or undecodable input.

    Examples
    --------
    >>> decode_bytes("一、总体要求".encode("gb18030")).encoding
    'gb18030'
    >>> decode_bytes("\\ufeff一、總體要求".encode("utf-16-le")).text
    '一、总体要求'
    """
    if not data or not data.strip():
        raise PlanTextError(both("decode.empty"))
    if len(data) > max_bytes:
        raise PlanTextError(_too_large("decode.too_large", len(data), max_bytes))
    decoded = _decode_bom(data)
    if decoded is None:
        if _image_kind(data):
            raise PlanTextError(both("decode.image"))
        if b"\x00" in data[:8192]:
            raise PlanTextError(both("decode.binary"))
        decoded = _decode(data)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    sample = text[:8192]
    if sum(ch in _CONTROL for ch in sample) > max(2, len(sample) // 200):
        raise PlanTextError(both("decode.binary"))
    if not text.strip():
        raise PlanTextError(both("decode.empty"))
    return _normalised(text, decoded.encoding)


def _too_large(key: str, size: int, limit: int) -> str:
    """The size refusal, in MB of 2**20 bytes as the page and Streamlit's uploader state the limits."""
    return both(key, size=f"{size / 2**20:.1f}", limit=f"{limit / 2**20:.0f}")


def _normalised(text: str, encoding: str, *, wraps: bool = False, notes: tuple[str, ...] = ()) -> DecodedText:
    """`geo.text.textnorm.normalise` of a decoded text, its notes after ``notes``."""
    try:
        text, more = normalise(text, wraps=wraps)
    except ValueError as exc:
        raise PlanTextError(str(exc)) from None
    return DecodedText(text, encoding, (*notes, *more))


def read_plan_file(path: str | Path, *, max_bytes: int = MAX_TEXT_BYTES) -> DecodedText:
    """Read and decode a plan text file; see `decode_bytes` for the rules.

    Raises
    ------
    PlanTextError
        Also for a missing or unreadable file.
    """
    return decode_bytes(_read_bytes(path, max_bytes), max_bytes=max_bytes)


def read_upload_file(path: str | Path, *, max_bytes: int = MAX_TEXT_BYTES) -> DecodedText:
    """Read a plan file of any upload type (.txt, .docx, .pdf); see `decode_upload` for the rules.

    Raises
    ------
    PlanTextError
        Also for a missing or unreadable file.
    """
    return decode_upload(Path(path).name, _read_bytes(path, MAX_UPLOAD_BYTES), max_bytes=max_bytes)


def _read_bytes(path: str | Path, limit: int) -> bytes:
    """A file's bytes, refusing a missing, unreadable or oversized file with a one-line PlanTextError."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise PlanTextError(_too_large("decode.too_large", size, limit))
        return path.read_bytes()
    except PlanTextError:
        raise
    except IsADirectoryError:
        raise PlanTextError(f"这是一个目录，不是文件 / {path} is a directory, not a file") from None
    except FileNotFoundError:
        raise PlanTextError(f"找不到文件 / no such file: {path}") from None
    except OSError as exc:
        raise PlanTextError(f"无法读取文件 / cannot read {path}: {exc.strerror}") from None


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
)
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office containers: .doc, .wps, .xls


def _image_kind(data: bytes) -> bool:
    """Does the content start like an image file (PNG, JPEG, GIF, TIFF, BMP, WebP)?"""
    return data.startswith(_IMAGES[:-1]) or (data[:2] == b"BM" and b"\x00" in data[:32]) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _decode_bom(data: bytes) -> DecodedText | None:
    """The text a byte-order mark announces (None without one); invalid text after a BOM is refused."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data[len(bom):].decode(codec), name)
            except UnicodeDecodeError:
                raise PlanTextError(both("decode.damaged_bom", encoding=codec.upper())) from None
    return None


#: A legacy decoding is taken only if at least this share of its Chinese characters are common ones (a plan
#: in the right encoding: over 0.9; Big5 read as GB18030 or GB18030 as Big5: about half).
MIN_COMMON_SHARE = 0.75
_LEGACY = ("gb18030", "cp950", "big5hkscs")


def _decode(data: bytes) -> DecodedText:
    """Strict UTF-8, then the legacy encoding that reads as Chinese, then charset_normalizer's best guess."""
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    legacy = _legacy(data)
    if legacy is not None:
        return legacy
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise PlanTextError(both("decode.encoding"))
    text = str(best)
    # A guess that yields no Chinese is a wrong guess for a Chinese plan (Latin-1 decodes anything).
    letters = [ch for ch in text[:20000] if ch.isalpha()]
    if not letters or sum("\u4e00" <= ch <= "\u9fff" for ch in letters) < 0.2 * len(letters):
        raise PlanTextError(both("decode.encoding"))
    # Japanese or Korean (kana, hangul), or Chinese characters that are mostly rare ones: not a Chinese plan.
    foreign = sum("\u3040" <= ch <= "\u30ff" or "\uac00" <= ch <= "\ud7af" for ch in letters)
    if foreign > 0.05 * len(letters) or _common_share(text) < MIN_COMMON_SHARE:
        raise PlanTextError(both("decode.garbage", encoding=best.encoding))
    return DecodedText(text, best.encoding)


def _legacy(data: bytes) -> DecodedText | None:
    """GB18030 or Big5 (cp950, Big5-HKSCS): of the strict decodings, the one richest in common characters.

    Big5 bytes decode as GB18030 without error (and GB bytes often as Big5): only the characters tell. A
    decoding qualifies with `MIN_COMMON_SHARE`; a text too short to tell (under 4 Chinese characters) takes
    GB18030 as before.
    """
    scored: list[tuple[float, int, DecodedText]] = []
    for rank, codec in enumerate(_LEGACY):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scored.append((_common_share(text), -rank, DecodedText(text, "big5" if codec == "cp950" else codec)))
    if not scored:
        return None
    share, _, best = max(scored, key=lambda s: s[:2])
    return best if share >= MIN_COMMON_SHARE else None


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """The 3,755 most common Chinese characters (GB 2312 level 1), simplified forms."""
    chars = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def _common_share(text: str) -> float:
    """Share of a text's Chinese characters (traditional ones taken in simplified form) that are common.

    1.0 for a text with fewer than 4 Chinese characters (nothing to tell by).
    """
    hanzi = "".join(ch for ch in text[:20000] if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")
    if len(hanzi) < 4:
        return 1.0
    common = _common_chars()
    plain = sum(ch in common for ch in hanzi)
    if plain >= 0.9 * len(hanzi) or not is_traditional(hanzi):
        return plain / len(hanzi)
    return sum(ch in common for ch in to_simplified(hanzi)) / len(hanzi)


# --- uploads ----------------------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Largest uploaded file (20 MB): a .docx or .pdf carries images and fonts besides its text; the text it
yields is then held to `MAX_TEXT_BYTES` like any other."""

_MAX_DOCX_XML = 50 * 1024 * 1024  # uncompressed document.xml: a zip bomb stops here, a real plan is far below
UPLOAD_TYPES = ("txt", "docx", "pdf")
"""File types `decode_upload` reads (anything else is tried as text)."""
UPLOADER_TYPES = (*UPLOAD_TYPES, "doc", "wps", "png", "jpg", "jpeg", "tif", "tiff", "bmp")
"""What the Import page's uploader lets through: the types read, and those `decode_upload` refuses with the
reason and the way out (an old .doc/.wps: save as .docx; an image: OCR first). Streamlit refuses any other
type in the browser, before the server sees it."""


def decode_upload(filename: str, data: bytes, *, max_bytes: int = MAX_TEXT_BYTES) -> DecodedText:
    """Text of an uploaded plan: a text file in any common Chinese encoding, a Word .docx, or a PDF with text.

    The format is told by the file's content, not only its name (a .pdf renamed .txt still reads as a
    PDF). Word: paragraphs and table cells in document order (python-docx). PDF: the text layer, page by
    page (pypdf); a scanned PDF without one is refused with a message saying so.

    Parameters
    ----------
    filename : str
        The name the file was uploaded under (only its extension is used).
    data : bytes
        The file's content.
    max_bytes : int
        Limit on the text (UTF-8 bytes) a file yields; a text file is held to it directly.

    Returns
    -------
    DecodedText
        ``encoding`` is the text encoding, or ``"docx"`` / ``"pdf"``.

    Raises
    ------
    PlanTextError
        Empty, oversized, binary, image-only, encrypted, corrupt or undecodable input: the message is one
        line, in Chinese and English.

    Examples
    --------
    >>> decode_upload("plan.txt", "一、总体要求".encode("gbk")).text
    '一、总体要求'
    """
    if not data:
        raise PlanTextError(both("decode.empty"))
    suffix = Path(str(filename or "")).suffix.lower().lstrip(".")
    kind = "pdf" if data[:5] == b"%PDF-" else "docx" if data[:4] == b"PK\x03\x04" else suffix
    if kind in ("doc", "wps") or data[:8] == _OLE:
        raise PlanTextError(both("decode.old_office"))
    if kind not in ("pdf", "docx"):
        return decode_bytes(data, max_bytes=max_bytes)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PlanTextError(_too_large("decode.too_large", len(data), MAX_UPLOAD_BYTES))
    notes: tuple[str, ...] = ()
    if kind == "docx":
        text, numbered = _docx_text(data)
        notes = (both("decode.note.numbering", n=numbered),) if numbered else ()
    else:
        text = _pdf_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise PlanTextError(both("decode.pdf_no_text" if kind == "pdf" else "decode.empty"))
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise PlanTextError(_too_large("decode.text_too_large", size, max_bytes))
    return _normalised(text, kind, wraps=kind == "pdf", notes=notes)


def _docx_text(data: bytes) -> tuple[str, int]:
    """Paragraphs and table rows of a .docx in document order (a table row is one line, cells by tabs).

    Paragraphs numbered by Word itself (a list style, or numbering set on the paragraph: ``w:numPr``) get
    their number written out as Word shows it (`_WordNumbering`), since the number is a clause marker.
    Returns the text and how many numbers were written out.
    """
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("word/document.xml")
            if info.file_size > _MAX_DOCX_XML:
                raise PlanTextError(both("decode.docx_too_large"))
    except KeyError:
        raise PlanTextError(both("decode.not_docx")) from None
    except zipfile.BadZipFile:
        raise PlanTextError(both("decode.docx_damaged")) from None
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        numbering = _WordNumbering(document)
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(numbering.label(block) + block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))
                    lines.append("\t".join(c for c in cells if c))
        return "\n".join(lines), numbering.written
    except PlanTextError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a malformed package
        raise PlanTextError(both("decode.docx_unreadable", error=type(exc).__name__)) from None


_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_LEGAL = dict(zip("零一二三四五六七八九十百", "零壹贰叁肆伍陆柒捌玖拾佰"))


def format_number(value: int, fmt: str) -> str:
    """A list number as Word prints it in number format ``fmt`` (``w:numFmt``); "" for bullets and none.

    Examples
    --------
    >>> [format_number(13, f) for f in ("decimal", "chineseCounting", "ideographTraditional", "upperRoman")]
    ['13', '十三', '丙', 'XIII']
    """
    from geo.text.clauses import int_to_cn

    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
               "japaneseCounting", "koreanCounting"):
        return int_to_cn(value) if 0 < value < 200 else str(value)
    if fmt == "chineseLegalSimplified":
        return "".join(_LEGAL.get(ch, ch) for ch in int_to_cn(value)) if 0 < value < 200 else str(value)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
    if fmt == "ideographTraditional":
        return _TIANGAN[(value - 1) % 10]
    if fmt == "ideographZodiac":
        return _DIZHI[(value - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < value <= 20:
        return chr(0x2460 + value - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(value).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        letters = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("bullet", "none"):
        return ""
    return str(value)  # decimal and anything unknown


def _roman(value: int) -> str:
    out = ""
    for n, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                   (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= n:
            out, value = out + sym, value - n
    return out


class _WordNumbering:
    """Word's automatic paragraph numbers (numbering.xml), counted through a document as Word counts them.

    A paragraph is numbered by ``w:numPr`` (``w:numId``, ``w:ilvl``) in its own properties or its style's
    (a heading style linked to a list). ``w:num`` points to a ``w:abstractNum`` whose ``w:lvl`` give each
    level's start, format (``w:numFmt``: decimal, chineseCounting …) and text (``w:lvlText``: ``%1、``,
    ``（%1）``, ``%1.%2``). Counters are kept per abstract list, as Word continues a list across its ``w:num``
    instances unless one restarts it (``w:lvlOverride/w:startOverride``); a level's counter restarts when a
    higher level advances.
    """

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self.written = 0
        self._levels: dict[str, dict[int, tuple[int, str, str, bool]]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no numbering part, or one python-docx cannot read
            return
        for absnum in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in absnum.findall(qn("w:lvl")):
                start = lvl.find(qn("w:start"))
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    int(start.get(qn("w:val"), "1")) if start is not None else 1,
                    fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                    text.get(qn("w:val"), "") if text is not None else "",
                    lvl.find(qn("w:isLgl")) is not None,
                )
            self._levels[absnum.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start.get(qn("w:val"), "1"))
            self._nums[num.get(qn("w:numId"))] = (ref.get(qn("w:val")), overrides)

    def _num_pr(self, paragraph) -> tuple[str | None, int | None]:
        """(numId, ilvl) of a paragraph: its own numPr, else its style's (through based-on styles)."""
        qn = self._qn
        num_id, ilvl = None, None
        elements = [paragraph._p]
        style = paragraph.style
        seen = 0
        while style is not None and seen < 20:
            elements.append(style.element)
            style, seen = style.base_style, seen + 1
        for element in elements:
            ppr = element.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if numpr is None:
                continue
            nid, lvl = numpr.find(qn("w:numId")), numpr.find(qn("w:ilvl"))
            if num_id is None and nid is not None:
                num_id = nid.get(qn("w:val"))
            if ilvl is None and lvl is not None:
                ilvl = int(lvl.get(qn("w:val"), "0"))
            if num_id is not None and ilvl is not None:
                break
        return num_id, ilvl

    def label(self, paragraph) -> str:
        """The number Word shows before this paragraph ("" if none), counting it."""
        if not self._nums:
            return ""
        num_id, ilvl = self._num_pr(paragraph)
        if num_id in (None, "0") or num_id not in self._nums:
            return ""
        ilvl = ilvl or 0
        abstract, overrides = self._nums[num_id]
        levels = self._levels.get(abstract) or {}
        if ilvl not in levels:
            return ""
        counters = self._counters.setdefault(abstract, {})
        if num_id not in self._started:  # a num instance with start overrides restarts those levels
            self._started.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        start, fmt, text, _ = levels[ilvl]
        if fmt in ("bullet", "none") or not text:
            return ""

        def _level(m) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            value = counters.get(k, levels[k][0])
            return str(value) if levels[ilvl][3] else format_number(value, levels[k][1])

        import re

        self.written += 1
        return re.sub(r"%([1-9])", _level, text)


def _pdf_text(data: bytes) -> str:
    """The text layer of a PDF, page by page (layout order as pypdf extracts it)."""
    import io
    import logging

    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable files warn a lot
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001 - any failure means we cannot read it
                raise PlanTextError(both("decode.pdf_encrypted")) from None
        pages = []
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            if sum(len(p) for p in pages) * 3 > MAX_TEXT_BYTES * 2:
                break  # enough to know it is too large
        return "\n".join(pages)
    except PlanTextError:
        raise
    except PdfReadError:
        raise PlanTextError(both("decode.pdf_damaged")) from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a malformed file
        raise PlanTextError(both("decode.pdf_unreadable", error=type(exc).__name__)) from None
