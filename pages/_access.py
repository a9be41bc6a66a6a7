"""Who may do what at the Streamlit edge (`geo.access`): sign-in, the visitor's role, whom drafts count against."""

from __future__ import annotations

import functools
import os
import time
from typing import Any

import streamlit as st

from geo import access
from geo.i18n import t
from pages._view import end_page

#: Seconds an answer of `has_auth_section` holds for the same secrets. Asked some 20 times a run (every `can`);
#: without a secrets file Streamlit looks for one again on each asking (its config, the paths, a raised error),
#: some 2 ms of a Map page click's run. A secrets file added to a running server counts within this time.
_SECRETS_TTL_S = 5.0
_secrets_seen: tuple[object, float, bool] | None = None  # (st.secrets, when asked, the answer)


def has_auth_section() -> bool:
    """Does ``.streamlit/secrets.toml`` configure sign-in (an ``[auth]`` section)?"""
    global _secrets_seen
    secrets, now = st.secrets, time.monotonic()
    seen = _secrets_seen
    if seen is not None and seen[0] is secrets and now - seen[1] < _SECRETS_TTL_S:
        return seen[2]
    try:
        found = "auth" in secrets
    except Exception:  # noqa: BLE001 - no secrets file: no sign-in configured
        found = False
    _secrets_seen = (secrets, now, found)
    return found


def access_config() -> access.AccessConfig:
    """The access configuration (environment and secrets.toml). Raises `geo.access.AccessError`."""
    return _access_config(has_auth_section(), tuple(os.environ.get(name) for name in access.ENV_NAMES))


@functools.lru_cache(maxsize=8)
def _access_config(has_auth: bool, values: tuple[str | None, ...]) -> access.AccessConfig:
    """`geo.access.AccessConfig.from_env` of these values of `geo.access.ENV_NAMES`, made once (an error is
    raised again on every call: nothing is kept)."""
    return access.AccessConfig.from_env(has_auth, {k: v for k, v in zip(access.ENV_NAMES, values) if v is not None})


def claims() -> dict[str, Any] | None:
    """The signed-in user's claims (``st.user``), None when sign-in is off."""
    if not access_config().sign_in:
        return None
    try:
        return dict(st.user.to_dict())
    except Exception:  # noqa: BLE001 - no user information in this context
        return None


def role() -> str | None:
    """This visitor's role (None: must sign in first)."""
    return access_config().role_for(claims())


def can(action: str) -> bool:
    """May this visitor do ``action`` (`geo.access.ACTIONS`)? Checked on the server before every action."""
    return access.allowed(role(), action)


def require(action: str, lang: str) -> None:
    """Stop the page here, with a message, unless this visitor may do ``action`` (a page run by its URL)."""
    if not can(action):
        st.error(t("access.denied", lang))
        end_page()


def client() -> str:
    """The client's address: the connection's, or the one nginx reports (`geo.access.client_address`)."""
    try:
        peer, headers = st.context.ip_address, dict(st.context.headers)
    except Exception:  # noqa: BLE001 - outside a browser session (tests): loopback
        peer, headers = None, {}
    peer = peer if isinstance(peer, str) else None  # AppTest's context gives stand-ins, not addresses
    headers = {k: v for k, v in headers.items() if isinstance(k, str) and isinstance(v, str)}
    return access.client_address(peer, headers, access.trusted_proxies())


def owner() -> str:
    """Who this visitor's drafts and publishes are counted against: their e-mail, or ``ip:<address>``."""
    return access.owner_for(claims(), client())


def limits() -> access.Limits:
    """The limits on drafts and publishes."""
    return access_config().limits


def user_label() -> str | None:
    """The signed-in user's e-mail or name (None: nobody signed in)."""
    c = claims()
    if not c or not c.get("is_logged_in"):
        return None
    return str(c.get("email") or c.get("name") or c.get("sub") or "")


if __name__ == "__main__":  # run as a page of the pages-folder mode (see `pages._view.through_dashboard`)
    from pages._view import through_dashboard

    through_dashboard()
