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
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise PlanTextError(
                f"文件过大（{size / 1e6:.1f} MB，上限 {max_bytes / 1e6:.0f} MB）"
                f" / the file is too large ({size / 1e6:.1f} MB, limit {max_bytes / 1e6:.0f} MB)"
            )
        data = path.read_bytes()
    except PlanTextError:
        raise
    except IsADirectoryError:
        raise PlanTextError(f"这是一个目录，不是文件 / {path} is a directory, not a file") from None
    except FileNotFoundError:
        raise PlanTextError(f"找不到文件 / no such file: {path}") from None
    except OSError as exc:
        raise PlanTextError(f"无法读取文件 / cannot read {path}: {exc.strerror}") from None
    return decode_bytes(data, max_bytes=max_bytes)


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
