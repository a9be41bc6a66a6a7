"""Plan files to text: encoding detection, size limits and refusal of binary or empty input.

Chinese government files come as UTF-8, UTF-8 with a BOM, or GB18030/GBK. We try the strict
decodings we expect first (they are cheap and unambiguous when they succeed) and fall back on
`charset_normalizer` only for anything else, so that a GB18030 file is never misread as Latin-1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

MAX_TEXT_BYTES = 5 * 1024 * 1024
"""Largest plan text we accept (5 MB: about 1.7 million Chinese characters, far above any plan)."""

# Control characters other than tab/newline/carriage return mark binary data, not text.
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r\f"} | {"\x7f"}


class PlanTextError(ValueError):
    """Input that cannot be read as a plan text; the message is one line, fit for a user."""


@dataclass(frozen=True)
class DecodedText:
    """Text read from bytes, with the encoding that produced it."""

    text: str
    encoding: str


def decode_bytes(data: bytes, *, max_bytes: int = MAX_TEXT_BYTES) -> DecodedText:
    """Decode a plan file's bytes to text.

    Parameters
    ----------
    data : bytes
        The raw file content.
    max_bytes : int
        Size limit; larger input is refused rather than truncated.

    Returns
    -------
    DecodedText
        The text with ``\\r\\n`` normalised to ``\\n`` and the encoding used.

    Raises
    ------
    PlanTextError
        Empty, oversized, binary or undecodable input.

    Examples
    --------
    >>> decode_bytes("一、总体要求".encode("gb18030")).encoding
    'gb18030'
    """
    if not data or not data.strip():
        raise PlanTextError("文件为空 / the file is empty")
    if len(data) > max_bytes:
        raise PlanTextError(
            f"文件过大（{len(data) / 1e6:.1f} MB，上限 {max_bytes / 1e6:.0f} MB）"
            f" / the file is too large ({len(data) / 1e6:.1f} MB, limit {max_bytes / 1e6:.0f} MB)"
        )
    if b"\x00" in data[:8192]:
        raise PlanTextError("这是二进制文件，不是文本 / this is a binary file, not text")
    decoded = _decode(data)
    if decoded is None:
        raise PlanTextError("无法识别文件编码 / the file's encoding could not be recognised")
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    sample = text[:8192]
    if sum(ch in _CONTROL for ch in sample) > max(2, len(sample) // 200):
        raise PlanTextError("这是二进制文件，不是文本 / this is a binary file, not text")
    if not text.strip():
        raise PlanTextError("文件为空 / the file is empty")
    return DecodedText(text, decoded.encoding)


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
            raise PlanTextError(
                f"文件过大（{size / 1e6:.1f} MB，上限 {limit / 1e6:.0f} MB）"
                f" / the file is too large ({size / 1e6:.1f} MB, limit {limit / 1e6:.0f} MB)"
            )
        return path.read_bytes()
    except PlanTextError:
        raise
    except IsADirectoryError:
        raise PlanTextError(f"这是一个目录，不是文件 / {path} is a directory, not a file") from None
    except FileNotFoundError:
        raise PlanTextError(f"找不到文件 / no such file: {path}") from None
    except OSError as exc:
        raise PlanTextError(f"无法读取文件 / cannot read {path}: {exc.strerror}") from None


def _decode(data: bytes) -> DecodedText | None:
    """Strict UTF-8 (with or without BOM), then strict GB18030, then charset_normalizer's best guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return DecodedText(data[3:].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return DecodedText(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    # A guess that yields no Chinese is a wrong guess for a Chinese plan (Latin-1 decodes anything).
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or sum("\u4e00" <= ch <= "\u9fff" for ch in letters) < 0.2 * len(letters):
        return None
    return DecodedText(text, best.encoding)


# --- uploads ----------------------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Largest uploaded file (20 MB): a .docx or .pdf carries images and fonts besides its text; the text it
yields is then held to `MAX_TEXT_BYTES` like any other."""

_MAX_DOCX_XML = 50 * 1024 * 1024  # uncompressed document.xml: a zip bomb stops here, a real plan is far below
UPLOAD_TYPES = ("txt", "docx", "pdf")
"""File types `decode_upload` reads (anything else is tried as text)."""


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
        raise PlanTextError("文件为空 / the file is empty")
    suffix = Path(str(filename or "")).suffix.lower().lstrip(".")
    kind = "pdf" if data[:5] == b"%PDF-" else "docx" if data[:4] == b"PK\x03\x04" else suffix
    if kind == "doc" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise PlanTextError("不支持旧版 Word (.doc) 文件，请另存为 .docx 或 .txt"
                            " / old Word .doc files are not supported: save as .docx or .txt")
    if kind not in ("pdf", "docx"):
        return decode_bytes(data, max_bytes=max_bytes)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PlanTextError(
            f"文件过大（{len(data) / 1e6:.1f} MB，上限 {MAX_UPLOAD_BYTES / 1e6:.0f} MB）"
            f" / the file is too large ({len(data) / 1e6:.1f} MB, limit {MAX_UPLOAD_BYTES / 1e6:.0f} MB)"
        )
    text = _docx_text(data) if kind == "docx" else _pdf_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        if kind == "pdf":
            raise PlanTextError("PDF 中没有文字层（可能是扫描件），请先做文字识别或粘贴文本"
                                " / the PDF has no text layer (a scan?): run OCR first or paste the text")
        raise PlanTextError("文件为空 / the file is empty")
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise PlanTextError(
            f"文本过长（{size / 1e6:.1f} MB，上限 {max_bytes / 1e6:.0f} MB）"
            f" / the text is too large ({size / 1e6:.1f} MB, limit {max_bytes / 1e6:.0f} MB)"
        )
    return DecodedText(text, kind)


def _docx_text(data: bytes) -> str:
    """Paragraphs and table rows of a .docx in document order (a table row is one line, cells by tabs)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("word/document.xml")
            if info.file_size > _MAX_DOCX_XML:
                raise PlanTextError("Word 文件内容过大 / the Word document is too large to read")
    except KeyError:
        raise PlanTextError("这不是 Word (.docx) 文件 / this is not a Word .docx file") from None
    except zipfile.BadZipFile:
        raise PlanTextError("Word 文件已损坏 / the .docx file is damaged") from None
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))
                    lines.append("\t".join(c for c in cells if c))
        return "\n".join(lines)
    except PlanTextError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a malformed package
        raise PlanTextError(f"无法读取 Word 文件 / cannot read the .docx file ({type(exc).__name__})") from None


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
                raise PlanTextError("PDF 已加密 / the PDF is encrypted") from None
        pages = []
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            if sum(len(p) for p in pages) * 3 > MAX_TEXT_BYTES * 2:
                break  # enough to know it is too large
        return "\n".join(pages)
    except PlanTextError:
        raise
    except PdfReadError:
        raise PlanTextError("PDF 文件已损坏 / the PDF file is damaged") from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a malformed file
        raise PlanTextError(f"无法读取 PDF 文件 / cannot read the PDF file ({type(exc).__name__})") from None
