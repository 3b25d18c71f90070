"""Google credentials: the scopes a config needs, and the stored token (load, refresh, save).

The token is stored as JSON (never pickle) in ``[google] token_file`` or ``<platform config
dir>/netweave/google-token.json``, created with mode 0600, refreshed automatically and saved
again. A missing, revoked or too narrow token is an :class:`AuthError` that says what to do.

Scopes are the least that the config needs: contacts read-only unless an address book writes
tags back; calendar events; free/busy for calendars shared with free/busy access only; the
calendar list (read-only) so that `auth google` can show which calendar ids exist. People may
untick some of them on Google's consent screen: the token keeps the scopes actually granted,
and each source runs with what it has (:func:`missing_scopes` says what is lacking and how to
grant it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs
from google.auth.exceptions import GoogleAuthError, RefreshError, TransportError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials

from sync.config import APP, Config, Google
from sync.sources.base import AuthError

SCOPE_CONTACTS_READONLY = "https://www.googleapis.com/auth/contacts.readonly"
SCOPE_CONTACTS = "https://www.googleapis.com/auth/contacts"
SCOPE_CALENDAR_EVENTS = "https://www.googleapis.com/auth/calendar.events"
SCOPE_CALENDAR_FREEBUSY = "https://www.googleapis.com/auth/calendar.freebusy"
SCOPE_CALENDAR_LIST = "https://www.googleapis.com/auth/calendar.calendarlist.readonly"

SOURCE = "google"
#: What Google's consent screen calls each scope (so the user knows which box to tick).
SCOPE_LABELS = {
    SCOPE_CONTACTS_READONLY: "See and download your contacts",
    SCOPE_CONTACTS: "See, edit, download, and permanently delete your contacts",
    SCOPE_CALENDAR_EVENTS: "View and edit events on all your calendars",
    SCOPE_CALENDAR_FREEBUSY: "See the availability on Google calendars you have access to",
    SCOPE_CALENDAR_LIST: "See the list of Google calendars you're subscribed to",
}
REAUTH_HINT = (
    "run `netweave auth google` again. (If your OAuth client's app is still in 'Testing' "
    "in the Google Cloud console, Google expires its refresh tokens after 7 days: publish the "
    "app, or re-authorize weekly; see docs/google.md.)"
)


def scopes_for(config: Config) -> list[str]:
    """The least-privilege scopes the config needs (sorted, stable)."""
    scopes: set[str] = set()
    for ab in config.addressbooks:
        if ab.type == "google":
            scopes.add(SCOPE_CONTACTS if ab.write_tags else SCOPE_CONTACTS_READONLY)
    if SCOPE_CONTACTS in scopes:
        scopes.discard(SCOPE_CONTACTS_READONLY)
    if any(c.type == "google" for c in config.calendars):
        scopes |= {SCOPE_CALENDAR_EVENTS, SCOPE_CALENDAR_FREEBUSY, SCOPE_CALENDAR_LIST}
    return sorted(scopes)


def token_path(google: Google) -> Path:
    if google.token_file is not None:
        return google.token_file
    return Path(platformdirs.user_config_dir(APP)) / "google-token.json"


def save_token(path: Path, credentials: Credentials, scopes: Iterable[str] | None = None) -> None:
    """Write the token as JSON with mode 0600, atomically (never readable by others).

    ``scopes``: the scopes actually granted, stored instead of those asked for.
    """
    text = credentials.to_json()
    if scopes is not None:
        info = json.loads(text)
        info["scopes"] = sorted(scopes)
        text = json.dumps(info)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def granted_scopes(credentials: Any) -> set[str] | None:
    """The scopes the credentials carry (granted, else stored); None when they do not say."""
    got = getattr(credentials, "granted_scopes", None) or getattr(credentials, "scopes", None)
    return set(got) if got else None


def missing_scopes(credentials: Any, wanted: Iterable[str]) -> list[str]:
    """The scopes of ``wanted`` the credentials lack (none when they do not say)."""
    granted = granted_scopes(credentials)
    if granted is None:
        return []
    # The full contacts scope includes reading them.
    if SCOPE_CONTACTS in granted:
        granted.add(SCOPE_CONTACTS_READONLY)
    return sorted(set(wanted) - granted)


def how_to_grant(scopes: Iterable[str]) -> str:
    """What to tick on the consent screen for ``scopes``, and how to get there again."""
    boxes = "; ".join(f"'{SCOPE_LABELS.get(s, s)}' ({s.rsplit('/', 1)[-1]})" for s in scopes)
    return f"run `netweave auth google` again and tick {boxes} on Google's consent screen"


def load_credentials(
    google: Google, scopes: Iterable[str], request: Any | None = None
) -> Credentials:
    """The stored credentials, refreshed (and saved again) when expired.

    ``scopes`` are the scopes any one of which makes the credentials useful to the caller.
    Raises :class:`AuthError` with what to do when there is no token, it has none of them, or
    the refresh token was revoked or expired. A token with some of them is returned: the
    caller runs with what was granted.
    """
    path = token_path(google)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AuthError(SOURCE, f"no Google token at {path}: run `netweave auth google`") from None
    except (OSError, ValueError) as e:
        raise AuthError(
            SOURCE, f"cannot read the Google token {path} ({e}): {REAUTH_HINT}"
        ) from None
    try:
        creds = Credentials.from_authorized_user_info(info)
    except ValueError as e:
        raise AuthError(
            SOURCE, f"the Google token {path} is incomplete ({e}): {REAUTH_HINT}"
        ) from None
    local = _local_token_uri(google)
    if local:
        creds._token_uri = local  # google-auth pins Google's endpoint; see _local_token_uri
    wanted = list(scopes)
    missing = missing_scopes(creds, wanted)
    if wanted and len(missing) == len(wanted):
        raise AuthError(
            SOURCE,
            f"the stored Google authorization lacks {', '.join(missing)} (unticked on the "
            f"consent screen, or the config changed, e.g. write_tags): {how_to_grant(missing)}",
        )
    if not creds.valid:
        refresh(creds, path, request)
    return creds


def _local_token_uri(google: Google) -> str | None:
    """The token endpoint of a local test server, when ``api_endpoint`` points at loopback.

    google-auth always replaces the token file's ``token_uri`` with Google's own (a token file
    must not be able to send the refresh token elsewhere). The only exception netweave makes is
    a fake Google on 127.0.0.1/localhost named by ``[google] api_endpoint`` (tests); it serves
    ``/token`` at the same origin.
    """
    if not google.api_endpoint:
        return None
    parts = urlsplit(google.api_endpoint)
    if parts.hostname in ("127.0.0.1", "localhost", "::1"):
        return f"{parts.scheme}://{parts.netloc}/token"
    return None


def refresh(credentials: Credentials, path: Path | None, request: Any | None = None) -> None:
    """Refresh the access token and save it; :class:`AuthError` if Google refuses."""
    try:
        credentials.refresh(request or Request())
    except RefreshError as e:
        raise AuthError(
            SOURCE, f"Google refused the stored authorization ({_reason(e)}): {REAUTH_HINT}"
        ) from None
    except TransportError as e:
        raise AuthError(
            SOURCE, f"cannot reach Google's token endpoint ({e}); try again later"
        ) from None
    if path is not None:
        save_token(path, credentials)


def _reason(e: GoogleAuthError) -> str:
    args = [a for a in e.args if isinstance(a, str)]
    return args[0] if args else type(e).__name__
