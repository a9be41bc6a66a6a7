"""One planner's dashboard session over Streamlit's own websocket protocol, without a browser.

What a browser tab does on the wire, done with the protobuf messages Streamlit ships (``streamlit.proto``):
open the websocket ``/_stcore/stream`` (subprotocol ``streamlit`` and the XSRF token, as Streamlit's
frontend sends them), send a ``BackMsg`` ``rerun_script`` carrying the page's query string, page and the
browser context, and read ``ForwardMsg``\\ s (``new_session``, ``delta``, ``page_info_changed``,
``navigation``, ``script_finished``) until the run is done. Messages the server marks cacheable are kept
by hash and their hashes reported with every rerun, as the frontend's message cache does, so the server
may answer with a reference (``ref_hash``), which is resolved here; a reference to a message this session
never received is an error.

The Map page's map is the ``map`` component (pages/_mapframe.py). Once its element has arrived, the
browser's frame draws the map and reports its view (geo/view/mapframe/frame.js); a click on a feature is
the frame reporting ``{"last_object_clicked_popup": '{"f": id, "c": clause, "go": null, "n": k}', "zoom",
"center"}`` (geo/view/mapframe/controller.js), which reaches the server as the component's widget state
(a JSON value) in a rerun. The features the frame knows, with the clauses that cite them, are read from
the map's own script (the controller's ``DATA``), i.e. from what the server sent. The click has worked
when the rerun finished and its elements hold the clause list of that feature (``ghyzt-list`` with its
``data-feature``) and its first clause (``data-clause``): the same list the browser shows below the map.

Used by bench/load.py (the default, protocol mode) and tests/unit/test_stclient.py. Needs ``websockets``.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

MAP_COMPONENT = "map"  # pages/_mapframe.py: declare_component("map", …), named after its module
DONE = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)
_LIST = re.compile(r'class="ghyzt-list" data-feature="([^"]*)"')
_CLAUSE = re.compile(r'data-clause="([^"]*)"')
_FIT = re.compile(r"fitBounds\(\s*(\[\[[-0-9.eE, \[\]]+\]\])")


class ProtocolError(RuntimeError):
    """The server answered something a browser could not have used (a reference to an unknown message, a
    run that never finishes, an exception shown on the page)."""


class MessageCache:
    """Cacheable ForwardMsgs by hash, shared by the sessions of one generator process (each session keeps
    only the hashes it received itself, as a browser tab does, and the ages the frontend's cache keeps)."""

    def __init__(self) -> None:
        self.payloads: dict[str, bytes] = {}
        self.maps: dict[tuple, MapInfo] = {}  # the map component's arguments → what its frame knows

    def map_info(self, component: Any) -> MapInfo:
        """What the frame knows of a map (`MapInfo.read` of its component element), read once per distinct map for
        all sessions."""
        key = (component.json_args, *((a.key, a.bytes) for a in component.special_args))
        info = self.maps.get(key)
        if info is None:
            info = self.maps[key] = MapInfo.read(component_args(component))
        return info

    def put(self, msg_hash: str, payload: bytes) -> None:
        self.payloads.setdefault(msg_hash, payload)

    def get(self, msg_hash: str) -> ForwardMsg:
        return ForwardMsg.FromString(self.payloads[msg_hash])


@dataclass
class Run:
    """What one rerun request brought: the elements' text, the map component, timings (perf_counter)."""

    sent_at: float
    finished_at: float = float("nan")
    status: int | None = None
    texts: list[str] = field(default_factory=list)  # markdown / html bodies, unescaped
    first_text_at: dict[str, float] = field(default_factory=dict)  # feature id of a clause list → arrival
    component: Any = None  # the map's ComponentInstance, if the run drew it
    page_links: dict[str, tuple[str, str]] = field(default_factory=dict)  # page → (script hash, query)
    exceptions: list[str] = field(default_factory=list)
    messages: int = 0
    bytes_in: int = 0
    refs: int = 0  # messages the server sent as a reference to one this session holds

    @property
    def seconds(self) -> float:
        return self.finished_at - self.sent_at

    def lists(self) -> set[str]:
        """Features whose clause list the run drew."""
        return {m for t in self.texts for m in _LIST.findall(t)}

    def clauses(self) -> set[str]:
        return {m for t in self.texts for m in _CLAUSE.findall(t)}


@dataclass
class Feature:
    id: str
    clause: str | None  # the first clause citing it: what the frame reports with the click


def component_args(component: Any) -> dict[str, Any]:
    """A component element's arguments as its frame reads them: the JSON ones, and those sent as bytes (the map's
    ``script`` and ``feature_group``, UTF-8) decoded; ``feature_group`` followed by ``command``, as the frame runs
    them."""
    args = json.loads(component.json_args)
    for special in component.special_args:
        if special.WhichOneof("value") == "bytes":
            args[special.key] = special.bytes.decode("utf-8")
    if args.get("command"):  # the Map page's command, sent apart: the frame runs it after the layers' script
        args["feature_group"] = (args.get("feature_group") or "") + args["command"]
    return args


@dataclass
class MapInfo:
    """What the map's frame knows: its features with their first clauses (the controller's DATA), those it
    draws that some clause cites (what a click can select), and the view it opens at."""

    features: dict[str, Feature]
    clickable: list[Feature]
    view: dict[str, Any]

    @classmethod
    def read(cls, args: dict[str, Any]) -> MapInfo:
        """From the map component's arguments (`component_args`)."""
        script, drawn = args.get("script") or "", args.get("feature_group") or ""
        features: dict[str, Feature] = {}
        at = script.find("DATA = ")
        if at >= 0:
            data, _ = json.JSONDecoder().raw_decode(script, at + len("DATA = "))
            features = {fid: Feature(fid, f["mentions"][0][0] if f.get("mentions") else None)
                        for fid, f in (data.get("features") or {}).items()}
        drawn_ids = set(re.findall(r'"id":\s*"([^"]+)"', drawn))
        view: dict[str, Any] = {"zoom": 7, "center": {"lat": 0.0, "lng": 0.0}}
        fits = _FIT.findall(drawn + script)
        if fits:  # the first command's fit, else the base map's: where the map opens
            (s, w), (n, e) = json.loads(fits[0])
            view["center"] = {"lat": round((s + n) / 2, 5), "lng": round((w + e) / 2, 5)}
        if args.get("center"):
            view["center"] = {"lat": args["center"][0], "lng": args["center"][1]}
        if args.get("zoom"):
            view["zoom"] = args["zoom"]
        return cls(features, [f for f in features.values() if f.clause and f.id in drawn_ids], view)


class Session:
    """One browser tab's Streamlit session, over the websocket.

    Parameters
    ----------
    url : str
        The dashboard's base URL (``http://host:port``), through nginx or straight to a replica.
    cache : MessageCache, optional
        Shared by the sessions of one process.
    local_addr : str, optional
        The source address of the connection (``127.0.1.7``): nginx limits new websockets per client
        address, and K planners are K addresses.
    cookies : dict, optional
        Sent with the websocket's handshake (nginx's sticky route cookie).
    timeout : float
        Seconds a rerun may take before it counts as failed.
    """

    def __init__(self, url: str, *, cache: MessageCache | None = None, local_addr: str | None = None,
                 cookies: dict[str, str] | None = None, timeout: float = 120) -> None:
        self.url = url.rstrip("/")
        self.cache = cache if cache is not None else MessageCache()
        self.local_addr = local_addr
        self.cookies = dict(cookies or {})
        self.timeout = timeout
        self.ws = None
        self.page_hash = ""
        self.query = ""
        self.pages: dict[str, str] = {}  # url path ("" for the default page) → page script hash
        self.max_age = 2
        self.run_count = 0
        self.held: dict[str, int] = {}  # hash → the run count it was last used in (the frontend's cache)
        self.map: Any = None  # the map's last ComponentInstance
        self.features: dict[str, Feature] = {}
        self._clickable: list[Feature] = []
        self.view: dict[str, Any] = {"zoom": 7, "center": {"lat": 0.0, "lng": 0.0}}
        self.clicks = 0
        self.choice: str | None = None  # the last click, as the frame reports it with every view change after it
        self.last: Run | None = None
        self.bytes_in = 0

    # ------------------------------------------------------------------ the connection

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        parts = urlsplit(self.url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        # As Streamlit's frontend: ["streamlit", the XSRF cookie or a placeholder]; the server selects the first.
        xsrf = self.cookies.get("_streamlit_xsrf") or "PLACEHOLDER_AUTH_TOKEN"
        extra = {"local_addr": (self.local_addr, 0)} if self.local_addr else {}
        self.ws = await connect(f"{scheme}://{parts.netloc}/_stcore/stream", subprotocols=["streamlit", xsrf],
                                origin=f"{parts.scheme}://{parts.netloc}", additional_headers=headers,
                                proxy=None, max_size=None, ping_interval=None, open_timeout=self.timeout,
                                **extra)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------------ runs

    async def rerun(self, *, widgets: list[Any] = (), page_hash: str | None = None, page_name: str = "",
                    query: str | None = None, history: bool = False) -> Run:
        """Send one ``rerun_script`` as the frontend does and read until the run is done (a run that ends
        early for a rerun the script asked for is followed by that rerun, which is read too). ``history``: the
        browser's back or forward button (its address is ``query``)."""
        msg = BackMsg()
        rs = msg.rerun_script
        if query is not None:
            self.query = query  # the address bar's, until the app changes it
        rs.query_string = self.query
        rs.page_script_hash = self.page_hash if page_hash is None else page_hash
        rs.page_name = page_name
        rs.widget_states.widgets.extend(widgets)
        rs.is_history_navigation = history
        rs.cached_message_hashes.extend(self.held)
        path = next((p for p, h in self.pages.items() if h == rs.page_script_hash), page_name)
        ctx = rs.context_info
        ctx.timezone, ctx.timezone_offset, ctx.locale = "Asia/Shanghai", -480, "zh-CN"
        ctx.url = f"{self.url}/{path}" + (f"?{rs.query_string}" if rs.query_string else "")
        ctx.is_embedded, ctx.color_scheme = False, "light"
        run = Run(sent_at=time.perf_counter())
        await self.ws.send(msg.SerializeToString())
        await asyncio.wait_for(self._read_run(run), self.timeout)
        self.last = run
        return run

    async def _read_run(self, run: Run) -> None:
        while True:
            data = await self.ws.recv(decode=False)
            run.messages += 1
            run.bytes_in += len(data)
            self.bytes_in += len(data)
            msg = ForwardMsg.FromString(data)
            if msg.HasField("ref_hash"):
                if msg.ref_hash not in self.held:
                    raise ProtocolError(f"a reference to a message this session does not hold ({msg.ref_hash})")
                self.held[msg.ref_hash] = self.run_count
                run.refs += 1
                meta = msg.metadata
                msg = self.cache.get(msg.ref_hash)
                msg.metadata.CopyFrom(meta)
            elif msg.metadata.cacheable and msg.hash:
                self.cache.put(msg.hash, data)
                self.held[msg.hash] = self.run_count  # cached now, or its age renewed
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                ns = msg.new_session
                self.page_hash = ns.page_script_hash or self.page_hash
                self.max_age = ns.config.max_cached_message_age or self.max_age
            elif kind == "navigation":  # the pages st.navigation registered (not the pages/ folder's files)
                self.page_hash = msg.navigation.page_script_hash or self.page_hash
                self.pages = {"" if p.is_default else p.url_pathname: p.page_script_hash
                              for p in msg.navigation.app_pages}
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "page_not_found":
                run.exceptions.append(f"page not found: {msg.page_not_found.page_name}")
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element, run)
            elif kind == "script_finished":
                status = msg.script_finished
                if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    self._age_cache()
                if status in DONE:
                    run.status = status
                    run.finished_at = time.perf_counter()
                    return

    def _age_cache(self) -> None:
        """The frontend's cache: a message unused for more than ``max_cached_message_age`` runs is dropped."""
        self.run_count += 1
        for h in [h for h, used in self.held.items() if self.run_count - used > self.max_age]:
            del self.held[h]

    def _element(self, el: Any, run: Run) -> None:
        kind = el.WhichOneof("type")
        if kind in ("markdown", "html"):
            text = html.unescape(getattr(el, kind).body)
            run.texts.append(text)
            for fid in _LIST.findall(text):
                run.first_text_at.setdefault(fid, time.perf_counter())
        elif kind == "component_instance":
            ci = el.component_instance
            if ci.component_name == MAP_COMPONENT or ci.component_name.endswith("." + MAP_COMPONENT):
                run.component = ci
                info = self.cache.map_info(ci)
                self.features, self.view = info.features, dict(info.view)
                self._clickable = info.clickable
                self.map = ci
        elif kind == "page_link":
            pl = el.page_link
            run.page_links[pl.page] = (pl.page_script_hash, pl.query_string)
        elif kind == "exception":
            run.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])

    def _map_value(self, value: dict[str, Any]) -> Any:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        if self.map is None:
            raise ProtocolError("no map on the page")
        return WidgetState(id=self.map.id, json_value=json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    # ------------------------------------------------------------------ what a planner does

    async def open_map(self, query: str = "plan=guizhou") -> Run:
        """Open the Map page as a browser does: the first run (the map alone), then the frame, once drawn,
        reports its view, and the page runs in full. Returns the last run; its ``sent_at`` is the first's."""
        first = await self.rerun(query=query, page_hash="", page_name="")
        self._check(first)
        if first.component is None:
            raise ProtocolError("the Map page's first run drew no map")
        full = await self.rerun(widgets=[self._map_value({"last_object_clicked_popup": None, **self.view})])
        self._check(full)
        full.sent_at = first.sent_at
        return full

    def clickable(self) -> list[Feature]:
        """Features the map draws that a click would select and that some clause cites, in the map's order."""
        return list(self._clickable)

    async def click(self, feature_id: str, clause: str | None = None) -> tuple[Run, str]:
        """Click a feature on the map: the frame's report of the choice, and the rerun it causes.

        Returns the run and "" if its elements hold that feature's clause list with ``clause`` (its first
        citing clause by default), else what went wrong.
        """
        f = self.features.get(feature_id)
        clause = clause if clause is not None else (f.clause if f else None)
        self.clicks += 1
        self.choice = json.dumps({"f": feature_id, "c": clause, "go": None, "n": self.clicks}, ensure_ascii=False,
                                 separators=(",", ":"))
        run = await self.rerun(widgets=[self._map_value({"last_object_clicked_popup": self.choice, **self.view})])
        return run, self.shows_list(run, feature_id, clause)

    async def pan(self, zoom: int | None = None, center: dict[str, float] | None = None,
                  query: str | None = None) -> Run:
        """Move the map (a pan, a zoom): the frame's view report, the last click with the new view, and the rerun
        it causes. ``query``: the address the browser sends it with, if not the one it was last given (a report
        sent before the address written by the run before it had arrived)."""
        self.view = {"zoom": self.view["zoom"] if zoom is None else zoom,
                     "center": dict(self.view["center"]) if center is None else center}
        return await self.rerun(widgets=[self._map_value({"last_object_clicked_popup": self.choice, **self.view})],
                                query=query)

    @staticmethod
    def shows_list(run: Run, feature_id: str, clause: str | None) -> str:
        """"" if ``run`` drew the clause list of ``feature_id`` with ``clause`` in it, else why not."""
        if run.exceptions:
            return f"exception on the page: {run.exceptions[0]}"
        lists = run.lists()
        if feature_id not in lists:
            return f"no clause list of {feature_id!r} (lists shown: {sorted(lists) or 'none'})"
        if clause and clause not in run.clauses():
            return f"the clause list of {feature_id!r} lacks clause {clause!r}"
        return ""

    async def switch(self, page: str) -> Run:
        """Follow the sidebar's link to ``page`` ("text", or "" for the Map page) as the frontend does: the
        link's page and query string; on the Map page, the frame mounted afresh reports its view."""
        link = next(((h, q) for p, (h, q) in (self.last.page_links if self.last else {}).items()
                     if h == self.pages.get(page)), None)
        if link is None:
            raise ProtocolError(f"no link to the page {page!r} on the page")
        run = await self.rerun(page_hash=link[0], query=link[1])
        self._check(run)
        if run.component is not None:
            sent = run.sent_at
            run = await self.rerun(widgets=[self._map_value({"last_object_clicked_popup": None, **self.view})])
            self._check(run)
            run.sent_at = sent
        return run

    @staticmethod
    def _check(run: Run) -> None:
        if run.exceptions:
            raise ProtocolError(f"exception on the page: {run.exceptions[0]}")
        if run.status != ForwardMsg.FINISHED_SUCCESSFULLY:
            raise ProtocolError(f"the run ended with status {run.status}")
