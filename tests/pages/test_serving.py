"""The server's page carries static/server-base.js (pages/_serving.py): the middleware alone, on ASGI messages.

The real server with a browser: tests/browser/test_pages_ui.py (`test_a_page_opened_by_its_link_asks_…`)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pages._serving import BUNDLE_TAG, SERVER_BASE_TAG, ServerBaseScript, may_be_page, with_server_base


def _run(coroutine) -> None:
    """Run ``coroutine`` to its end on an event loop of its own, in a thread of its own: the browser tests' sync
    Playwright keeps a loop running in this thread for the whole session, where `asyncio.run` refuses."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


PAGE = b'<html><head><title>Streamlit</title></head><body><div id="root"></div>' + BUNDLE_TAG + \
    b'index.abc.js"></script></body></html>'


def _serve(path: str, body: bytes | list[bytes], content_type: bytes = b"text/html; charset=utf-8",
           headers: list[tuple[bytes, bytes]] | None = None, method: str = "GET", status: int = 200,
           scope_type: str = "http"):
    """Run the middleware around an app that answers ``body`` (in chunks if a list); returns what it sent, the
    request headers the app saw and the response's headers."""
    chunks = body if isinstance(body, list) else [body]
    seen: dict = {}

    async def app(scope, receive, send):
        seen["headers"] = list(scope.get("headers", ()))
        out = [(b"content-type", content_type), (b"content-length", str(sum(map(len, chunks))).encode()),
               (b"etag", b'"abc"'), (b"cache-control", b"no-cache")]
        await send({"type": "http.response.start", "status": status, "headers": out})
        for i, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": i < len(chunks) - 1})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": scope_type, "method": method, "path": path,
             "headers": headers if headers is not None else [(b"accept-encoding", b"gzip"), (b"host", b"x")]}
    _run(ServerBaseScript(app)(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body_out = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return body_out, seen["headers"], dict(start["headers"])


@pytest.mark.parametrize("path", ["/", "/text", "/overview", "/ghyzt/catalogue", "/ghyzt/"])
def test_a_page_gets_the_script_before_the_bundle_once(path):
    body, request_headers, headers = _serve(path, PAGE)
    assert body.count(SERVER_BASE_TAG) == 1
    assert body.index(SERVER_BASE_TAG) + len(SERVER_BASE_TAG) == body.index(BUNDLE_TAG)
    assert body.replace(SERVER_BASE_TAG, b"") == PAGE  # nothing else changed
    assert headers[b"content-length"] == str(len(body)).encode()
    assert b"etag" not in headers and headers[b"cache-control"] == b"no-cache"
    # asked uncompressed (the page is edited) and whole (no 304 for a copy cached without the script)
    assert dict(request_headers) == {b"host": b"x"}


def test_a_page_sent_in_chunks_is_edited_whole():
    half = len(PAGE) // 2 + 3  # the bundle's tag split between the chunks
    body, _, headers = _serve("/text", [PAGE[:half], PAGE[half:]])
    assert body == with_server_base(PAGE) and headers[b"content-length"] == str(len(body)).encode()


@pytest.mark.parametrize("path", ["/_stcore/health", "/_stcore/host-config", "/static/js/index.abc.js",
                                  "/app/static/server-base.js", "/component/pages._mapframe.map/index.html",
                                  "/media/x.png", "/favicon.png", "/ghyzt/_stcore/stream"])
def test_everything_but_a_page_passes_as_it_is(path):
    request = [(b"accept-encoding", b"gzip"), (b"if-none-match", b'"abc"')]
    body, request_headers, headers = _serve(path, PAGE, headers=request)
    assert body == PAGE and request_headers == request and headers[b"etag"] == b'"abc"'
    assert not may_be_page(path)


def test_other_answers_and_methods_pass_as_they_are():
    for kwargs in ({"content_type": b"application/json"}, {"method": "POST"}, {"method": "HEAD"},
                   {"status": 404}, {"status": 304}):
        body, _, headers = _serve("/text", PAGE, **kwargs)
        assert body == PAGE and headers[b"content-length"] == str(len(PAGE)).encode(), kwargs
    # a page that already has the script (a proxy added it) gets no second one
    assert with_server_base(with_server_base(PAGE)) == with_server_base(PAGE)
    # an HTML answer without Streamlit's bundle (another app's page) is left alone
    other = b"<html><body><script src='x.js'></script></body></html>"
    assert _serve("/text", other)[0] == other


def test_a_websocket_passes_untouched():
    seen = {}

    async def app(scope, receive, send):
        seen["scope"] = scope

    scope = {"type": "websocket", "path": "/_stcore/stream", "headers": [(b"accept-encoding", b"gzip")]}
    _run(ServerBaseScript(app)(scope, None, None))
    assert seen["scope"] is scope


def test_the_bundle_tag_is_in_this_streamlits_page():
    """The script goes before the tag of Streamlit's bundle: that tag must be in this version's index.html, once,
    and the script must exist. A Streamlit upgrade that changes the tag says so here, not by the 404s coming back."""
    import streamlit

    from tests.conftest import ROOT

    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_bytes()
    assert index.count(BUNDLE_TAG) == 1 and SERVER_BASE_TAG not in index
    assert with_server_base(index).count(SERVER_BASE_TAG) == 1
    assert (ROOT / "static" / "server-base.js").is_file()
