"""How the server hands out Streamlit's page: its ``index.html`` with ``static/server-base.js`` added.

Streamlit's frontend finds its server by asking the page's own path first (``/text/_stcore/health``, a 404 on
every page but the Map page) unless ``window.__streamlit.BACKEND_BASE_URL`` is set before its bundle starts;
``static/server-base.js`` sets it to the server's root. Streamlit serves ``index.html`` as a fixed file for every
page's path, so the tag is added on the way out, by :class:`ServerBaseScript`, the middleware of the app that
``dashboard.py`` declares (``st.App``). Behind nginx the replica's page already carries it. See
docs/architecture.md, "Two 404s".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The tag of Streamlit's bundle in its index.html (relative, so it resolves under a base URL path too).
BUNDLE_TAG = b'<script type="module" crossorigin src="./static/js/'
#: What goes before it: a file of this origin, so that a Content-Security-Policy needs no hash for it.
SERVER_BASE_TAG = b'<script src="./app/static/server-base.js"></script>'
#: Path segments under which Streamlit serves no page (its API, files, the components' frames, media).
NOT_PAGES = frozenset({"_stcore", "static", "app", "component", "media", "auth", "oauth2callback"})
#: Request headers dropped for a page: the page must come uncompressed to be edited, and whole (an old
#: cached copy without the tag must not be confirmed by a 304).
DROPPED = frozenset({b"accept-encoding", b"if-none-match", b"if-modified-since", b"range"})


def with_server_base(page: bytes) -> bytes:
    """``page`` with the server-base script before Streamlit's bundle, once; unchanged without the bundle."""
    if SERVER_BASE_TAG in page:
        return page
    return page.replace(BUNDLE_TAG, SERVER_BASE_TAG + BUNDLE_TAG, 1)


def may_be_page(path: str) -> bool:
    """Whether a GET of ``path`` may be answered with Streamlit's page (the app's root or a page's path)."""
    segments = [s for s in path.split("/") if s]
    return not any(s in NOT_PAGES for s in segments) and not (segments and "." in segments[-1])


class ServerBaseScript:
    """ASGI middleware: Streamlit's page leaves with :data:`SERVER_BASE_TAG` before its bundle's tag.

    Only a GET that may be a page is touched, and of its answers only an HTML one holding the bundle's tag; all
    else (the websocket, files, the map frame) passes as it is.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or not may_be_page(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        scope = dict(scope, headers=[(k, v) for k, v in scope.get("headers", ()) if k.lower() not in DROPPED])
        start: Message | None = None
        held: list[bytes] = []

        async def send_page(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", ()))
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if message.get("status") == 200 and html and b"content-encoding" not in headers:
                    start = message  # held until the body is whole
                    return
            elif message["type"] == "http.response.body" and start is not None:
                held.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                page = with_server_base(b"".join(held))
                headers = [(k, v) for k, v in start.get("headers", ())
                           if k.lower() not in (b"content-length", b"etag", b"last-modified")]
                await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await self.app(scope, receive, send_page)
