"""bench/stclient.py, the load bench's protocol session, against a running dashboard: it must measure something.

One session over Streamlit's websocket protocol opens the Map page, clicks a feature and receives that
feature's clause list; a click naming no feature of the plan is a counted failure, not a success; a
reference to a cached message is resolved (the map's element, unchanged, comes back as a reference on a
click). Not timed: the figures are bench/load.py's.
"""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, streamlit_server
from tests.stprotocol import run as _run
from tests.stprotocol import stclient

pytestmark = pytest.mark.slow

if not (ROOT / "layers" / "guizhou" / "admin.geojson").is_file():
    pytest.skip("layers/ not built", allow_module_level=True)


@pytest.fixture(scope="module")
def server():
    with streamlit_server("dashboard.py") as url:
        yield url


def test_a_session_opens_the_map_clicks_a_feature_and_receives_its_clause_list(server):
    async def go():
        async with stclient.Session(server) as s:
            load = await s.open_map("plan=guizhou")
            assert load.status == stclient.ForwardMsg.FINISHED_SUCCESSFULLY
            assert "plan=guizhou" in s.query and "z=" in s.query  # the full run wrote the view into the URL
            targets = s.clickable()
            assert len(targets) >= 6  # what a bench session clicks: features drawn by default and cited
            first, second = targets[0], targets[len(targets) // 2]
            run, why = await s.click(first.id)
            assert why == ""
            assert first.id in run.lists() and first.clause in run.clauses()
            assert f"f={first.id}" in s.query
            # a second feature: its own list, not the first one's
            run, why = await s.click(second.id)
            assert why == "" and run.lists() == {second.id}
            # the unchanged map came back as a reference to the message this session holds, resolved here
            assert run.refs >= 1 and run.component is not None and s.map.id == run.component.id
            # the other page and back, by the sidebar's links
            text = await s.switch("text")
            assert text.component is None and s.page_hash == s.pages["text"]
            back = await s.switch("")
            assert back.component is not None and s.page_hash == s.pages[""]

    _run(go())


def test_a_click_on_a_feature_the_plan_lacks_is_a_failure(server):
    async def go():
        async with stclient.Session(server) as s:
            await s.open_map("plan=guizhou")
            run, why = await s.click("no-such-feature", "一")
            assert "no clause list of 'no-such-feature'" in why
            assert run.lists() == set()
            # a list of the right feature that lacks the clause reported with the click is a failure too
            target = s.clickable()[0]
            run, why = await s.click(target.id, "no-such-clause")
            assert why == f"the clause list of {target.id!r} lacks clause 'no-such-clause'"

    _run(go())


def test_a_reference_to_a_message_the_session_never_received_is_an_error():
    msg = stclient.ForwardMsg(ref_hash="0123abcd")
    msg.metadata.delta_path.extend([0, 1])

    class FakeSocket:
        async def recv(self, decode=False):
            return msg.SerializeToString()

    s = stclient.Session("http://127.0.0.1:1")
    s.ws = FakeSocket()
    run = stclient.Run(sent_at=0.0)
    with pytest.raises(stclient.ProtocolError, match="does not hold"):
        _run(s._read_run(run))
