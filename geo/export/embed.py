"""The embed snippet: an ``<iframe>`` that shows a view of the dashboard in an intranet page.

The URL and the title are escaped by `geo.safe.escape_html`, like every untrusted text the project puts into
HTML.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit, urlunsplit

from geo.safe import escape_html

__all__ = ["embed_snippet"]

_WIDTH_RE = re.compile(r"^[0-9]{1,5}(px|%)?$")


def embed_snippet(url: str, *, width: int | str = "100%", height: int = 640, title: str = "规划一张图") -> str:
    """Return an ``<iframe>`` that embeds a view of the dashboard in an intranet page.

    ``embed=true`` is added to the URL (Streamlit's embed mode hides its menu and toolbar). The iframe is
    sandboxed to what Streamlit needs: scripts and its own origin (its websocket and session), pop-ups
    that leave the sandbox (a link opened in a new tab works normally) and downloads (the export
    buttons); no top navigation, no forms. It loads lazily and sends no referrer (the bureau's page
    address stays on the intranet page).

    Parameters
    ----------
    url : str
        An http(s) link to a view, e.g. ``ViewState.url(base)``.
    width : int or str
        Pixels, or a string such as ``"100%"`` or ``"960px"``.
    height : int
        Pixels.
    title : str
        The iframe's accessible title.

    Returns
    -------
    str
        One line of HTML; the URL and the title are HTML-escaped.

    Raises
    ------
    ValueError
        A URL that is not http(s), or a malformed size.

    Examples
    --------
    >>> print(embed_snippet("http://10.1.2.3:8501/?plan=guizhou&layers=core", height=600))  # doctest: +ELLIPSIS
    <iframe src="http://10.1.2.3:8501/?plan=guizhou&amp;layers=core&amp;embed=true" title="规划一张图" ...></iframe>
    """
    parts = urlsplit(str(url).strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"embed_snippet needs an http(s) URL, got {str(url)[:60]!r}")
    query = parts.query
    if "embed" not in {k.lower() for k in parse_qs(query, keep_blank_values=True)}:
        query = query + ("&" if query else "") + "embed=true"
    src = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))
    width_s = str(width)
    if isinstance(width, bool) or not _WIDTH_RE.fullmatch(width_s):
        raise ValueError(f"width must be pixels or a percentage, got {width!r}")
    if isinstance(height, bool) or not isinstance(height, int) or not 0 < height < 100_000:
        raise ValueError(f"height must be a positive number of pixels, got {height!r}")
    e = escape_html
    return (f'<iframe src="{e(src)}" title="{e(title)}" width="{e(width_s)}" height="{height}" '
            'style="border:0" loading="lazy" referrerpolicy="no-referrer" allow="clipboard-write" '
            'sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox '
            'allow-downloads"></iframe>')
