"""Who may do what: roles from sign-in claims, the limits on drafts and publishing, the client's address.

No Streamlit here: `pages/` hands in what Streamlit knows (`st.user`'s claims, the client address, the
request headers) and asks `AccessConfig.role_for`, `allowed` and `owner_for`.

Roles, each with everything of the one before it:

- ``viewer``: reads the bundled plans and published plans (by their link; listed ones are also offered in
  the pickers).
- ``planner``: imports plans, edits drafts, publishes.
- ``admin``: withdraws (unpublishes) published plans and sees the usage per user or address.

Sign-in (Streamlit's ``st.login``, OpenID Connect) is on when ``.streamlit/secrets.toml`` has an ``[auth]``
section, or ``GEO_AUTH=oidc`` (which then requires the section: a server told to sign people in never runs
without it); ``GEO_AUTH=off`` turns it off. Without sign-in every visitor gets ``GEO_LOCAL_ROLE`` (default
``planner``: a single-user local run imports and publishes; admin features need ``GEO_LOCAL_ROLE=admin``).
With sign-in, a signed-in user's role comes from the configuration (`AccessConfig.from_env`):

- ``GEO_AUTH_ADMINS`` / ``GEO_AUTH_PLANNERS``: comma-separated e-mail addresses or group names;
- ``GEO_AUTH_ROLES_CLAIM``: the ID-token claim holding the user's groups or roles (default ``groups``; a
  list, or one string of names separated by commas or spaces);
- ``GEO_AUTH_DEFAULT_ROLE``: the role of a signed-in user named by neither list (default ``viewer``);
- ``GEO_AUTH_ANONYMOUS``: ``none`` (default: nothing is shown before sign-in) or ``viewer`` (visitors read
  plans without signing in; importing needs a planner's sign-in).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ACTIONS", "ENV_NAMES", "ROLES", "AccessConfig", "AccessError", "Limits", "allowed", "client_address",
           "owner_for", "trusted_proxies"]

ROLES = ("viewer", "planner", "admin")
"""Roles, least first: each may do everything the ones before it may."""

#: action -> the least role that may do it.
ACTIONS: Mapping[str, str] = {
    "view": "viewer",      # bundled and published plans, the Overview, exports of what one sees
    "import": "planner",   # the Import page: drafting a text
    "edit": "planner",     # a draft: open its link, edit, autosave; "edit this plan" of a published one
    "publish": "planner",  # a draft published (listed or unlisted)
    "unpublish": "admin",  # a published plan withdrawn, a tombstone left
    "usage": "admin",      # the Admin page: plans, drafts and publishes per user or address
}


#: The environment variables `AccessConfig.from_env` reads (and only these): a caller may keep a configuration for as
#: long as these values and the ``[auth]`` section stay the same.
ENV_NAMES = ("GEO_AUTH", "GEO_LOCAL_ROLE", "GEO_AUTH_ANONYMOUS", "GEO_AUTH_DEFAULT_ROLE", "GEO_AUTH_ROLES_CLAIM",
             "GEO_AUTH_ADMINS", "GEO_AUTH_PLANNERS", "GEO_DRAFT_TTL_DAYS", "GEO_QUOTA_DRAFTS", "GEO_QUOTA_PUBLISHES")


class AccessError(ValueError):
    """The access configuration cannot be used (the message names the variable and the value)."""


def _rank(role: str) -> int:
    return ROLES.index(role)


def allowed(role: str | None, action: str) -> bool:
    """May ``role`` do ``action``? (None: nobody signed in where sign-in is required: nothing.)

    Examples
    --------
    >>> allowed("viewer", "view"), allowed("viewer", "publish"), allowed("planner", "publish")
    (True, False, True)
    >>> allowed("planner", "unpublish"), allowed("admin", "unpublish"), allowed(None, "view")
    (False, True, False)
    """
    if role not in ROLES:
        return False
    return _rank(role) >= _rank(ACTIONS[action])


def _names(value: str | None) -> frozenset[str]:
    """A comma/space-separated list, lower-cased (e-mail addresses and group names compare so)."""
    return frozenset(x.strip().lower() for x in re.split(r"[,\s]+", value or "") if x.strip())


def _claim_values(value: Any) -> set[str]:
    """A claim's values: a list of names, or one string of names separated by commas or spaces."""
    if isinstance(value, str):
        return set(_names(value))
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        return {str(v).strip().lower() for v in value if str(v).strip()}
    return set()


def _env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise AccessError(f"{name}={raw!r} is not a whole number") from None
    if value < 0:
        raise AccessError(f"{name}={raw!r} must be 0 (no limit) or more")
    return value


@dataclass(frozen=True)
class Limits:
    """What one user (or, without sign-in, one client address) may keep and do.

    Attributes
    ----------
    draft_days : int
        Days a draft is kept after its last edit or opening (``GEO_DRAFT_TTL_DAYS``, default 30; 0: forever).
    drafts : int
        Drafts one owner may keep at once (``GEO_QUOTA_DRAFTS``, default 50; 0: no limit).
    publishes : int
        Plans one owner may publish in 24 hours (``GEO_QUOTA_PUBLISHES``, default 20; 0: no limit).
    """

    draft_days: int = 30
    drafts: int = 50
    publishes: int = 20

    @property
    def draft_seconds(self) -> float | None:
        """The drafts' lifetime in seconds (None: kept forever)."""
        return self.draft_days * 86400.0 if self.draft_days else None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        env = os.environ if env is None else env
        return cls(_env_int(env, "GEO_DRAFT_TTL_DAYS", cls.draft_days),
                   _env_int(env, "GEO_QUOTA_DRAFTS", cls.drafts),
                   _env_int(env, "GEO_QUOTA_PUBLISHES", cls.publishes))


@dataclass(frozen=True)
class AccessConfig:
    """How the server decides who may do what (see the module's docstring for the variables).

    Attributes
    ----------
    sign_in : bool
        Sign-in (OpenID Connect) is on.
    local_role : str
        Everyone's role when sign-in is off.
    anonymous_role : str or None
        The role of a visitor not signed in when sign-in is on (None: must sign in first).
    default_role : str
        A signed-in user's role when no list names them.
    roles_claim : str
        The claim holding the user's groups or roles.
    admins, planners : frozenset of str
        E-mail addresses and group names (lower case) that make a signed-in user admin or planner.
    limits : Limits
    """

    sign_in: bool = False
    local_role: str = "planner"
    anonymous_role: str | None = None
    default_role: str = "viewer"
    roles_claim: str = "groups"
    admins: frozenset[str] = frozenset()
    planners: frozenset[str] = frozenset()
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_env(cls, has_auth_section: bool, env: Mapping[str, str] | None = None) -> AccessConfig:
        """The configuration from the environment; ``has_auth_section``: secrets.toml has ``[auth]``.

        Raises
        ------
        AccessError
            A value cannot be used, or ``GEO_AUTH=oidc`` without an ``[auth]`` section.
        """
        env = os.environ if env is None else env
        mode = env.get("GEO_AUTH", "").strip().lower()
        if mode not in ("", "oidc", "off"):
            raise AccessError(f"GEO_AUTH={mode!r}: use oidc or off")
        if mode == "oidc" and not has_auth_section:
            raise AccessError("GEO_AUTH=oidc but .streamlit/secrets.toml has no [auth] section")

        def role(name: str, default: str, choices: tuple[str, ...] = ROLES) -> str:
            value = env.get(name, "").strip().lower() or default
            if value not in choices:
                raise AccessError(f"{name}={value!r}: use one of {', '.join(choices)}")
            return value

        anonymous = role("GEO_AUTH_ANONYMOUS", "none", ("none", "viewer"))
        return cls(
            sign_in=mode == "oidc" or (mode == "" and has_auth_section),
            local_role=role("GEO_LOCAL_ROLE", "planner"),
            anonymous_role=None if anonymous == "none" else anonymous,
            default_role=role("GEO_AUTH_DEFAULT_ROLE", "viewer", ("viewer", "planner")),
            roles_claim=env.get("GEO_AUTH_ROLES_CLAIM", "").strip() or "groups",
            admins=_names(env.get("GEO_AUTH_ADMINS")),
            planners=_names(env.get("GEO_AUTH_PLANNERS")),
            limits=Limits.from_env(env),
        )

    def role_for(self, claims: Mapping[str, Any] | None) -> str | None:
        """The role of a visitor with these sign-in claims (``st.user``; None or not logged in: a visitor).

        Examples
        --------
        >>> c = AccessConfig(sign_in=True, admins=frozenset({"it@bureau.cn"}), planners=frozenset({"gh-planning"}))
        >>> c.role_for({"is_logged_in": True, "email": "IT@bureau.cn"})
        'admin'
        >>> c.role_for({"is_logged_in": True, "email": "a@bureau.cn", "groups": ["staff", "GH-Planning"]})
        'planner'
        >>> c.role_for({"is_logged_in": True, "email": "b@bureau.cn"}), c.role_for({"is_logged_in": False})
        ('viewer', None)
        >>> AccessConfig().role_for(None)
        'planner'
        """
        if not self.sign_in:
            return self.local_role
        if not claims or not claims.get("is_logged_in"):
            return self.anonymous_role
        names = _claim_values(claims.get(self.roles_claim))
        email = str(claims.get("email") or "").strip().lower()
        if email:
            names.add(email)
        if names & self.admins:
            return "admin"
        if names & self.planners:
            return "planner"
        return self.default_role


def client_address(peer: str | None, headers: Mapping[str, str] | None,
                   trusted: Iterable[str] = ("127.0.0.1", "::1")) -> str:
    """The client's address: the connection's peer, or, when the peer is a trusted proxy (nginx), the
    address the proxy reports (``X-Real-IP``, else the last entry of ``X-Forwarded-For``, which the proxy
    appended itself). Headers from an untrusted peer are ignored: anyone can send them.

    ``peer`` None is a loopback connection (Streamlit's ``st.context.ip_address`` gives None then).

    Examples
    --------
    >>> client_address("10.0.0.5", {"X-Real-IP": "6.6.6.6"})
    '10.0.0.5'
    >>> client_address(None, {"X-Forwarded-For": "6.6.6.6, 10.1.2.3"})
    '10.1.2.3'
    >>> client_address(None, {"x-real-ip": "10.1.2.4"}), client_address(None, {})
    ('10.1.2.4', '127.0.0.1')
    """
    peer = peer or "127.0.0.1"
    if peer not in set(trusted):
        return peer
    lowered = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    for candidate in (lowered.get("x-real-ip", ""), lowered.get("x-forwarded-for", "").split(",")[-1]):
        candidate = candidate.strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return peer


def trusted_proxies(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Addresses whose forwarded-for headers are believed (``GEO_TRUSTED_PROXIES``, default loopback)."""
    env = os.environ if env is None else env
    return tuple(_names(env.get("GEO_TRUSTED_PROXIES"))) or ("127.0.0.1", "::1")


def owner_for(claims: Mapping[str, Any] | None, address: str) -> str:
    """Who a draft or a published plan is counted against: the signed-in user's e-mail (else subject),
    or ``ip:<address>`` for a visitor not signed in.

    Examples
    --------
    >>> owner_for({"is_logged_in": True, "email": "A@b.cn", "sub": "x"}, "10.0.0.1")
    'a@b.cn'
    >>> owner_for({"is_logged_in": True, "sub": "x1"}, "10.0.0.1"), owner_for(None, "10.0.0.1")
    ('sub:x1', 'ip:10.0.0.1')
    """
    if claims and claims.get("is_logged_in"):
        email = str(claims.get("email") or "").strip().lower()
        if email:
            return email[:200]
        sub = str(claims.get("sub") or "").strip()
        if sub:
            return f"sub:{sub[:200]}"
    return f"ip:{address}"
