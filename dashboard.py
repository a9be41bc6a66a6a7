"""规划一张图's entry point: `streamlit run dashboard.py` (docs/using.md).

Streamlit imports this file to serve it, and runs it as the app's script on every rerun of a session. Imported, it
declares the server: Streamlit's own app (`st.App`), whose page carries static/server-base.js (pages/_serving.py;
docs/architecture.md, "Two 404s"). Run, it draws the app (pages/_shell.py). The pages' modules are first imported
by a run, under Streamlit's runtime, as the components they declare need.
"""

from __future__ import annotations

import streamlit as st

if __name__ == "__main__":  # a run of the app's script (AppTest runs it so too)
    from pages._shell import run_app

    run_app()
else:
    from starlette.middleware import Middleware

    from pages._serving import ServerBaseScript

    app = st.App(__file__, middleware=[Middleware(ServerBaseScript)])
