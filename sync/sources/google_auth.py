"""OAuth for Google: `netweave auth google`, token storage (JSON, mode 0600) and refresh.

The user brings their own OAuth client (a "Desktop app" client from the Google Cloud console,
see docs/google.md); its client secrets file is ``[google] client_secrets``. The token is stored
as JSON (never pickle) in ``[google] token_file`` or ``<platform config dir>/netweave/
google-token.json``, created with mode 0600, refreshed automatically and saved again.

Scopes are the least that the config needs: contacts read-only unless an address book writes
tags back; calendar events; free/busy for calendars shared with free/busy access only; the
calendar list (read-only) so that `auth google` can show which calendar ids exist.
"""

from __future__ import annotations

import json
import os
import webbrowser
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import platformdirs
from google.auth.exceptions import GoogleAuthError, RefreshError, TransportError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials

from sync.config import APP, Config, ConfigError, Google
from sync.sources.base import AuthError

SCOPE_CONTACTS_READONLY = "https://www.googleapis.com/auth/contacts.readonly"
SCOPE_CONTACTS = "https://www.googleapis.com/auth/contacts"
SCOPE_CALENDAR_EVENTS = "https://www.googleapis.com/auth/calendar.events"
SCOPE_CALENDAR_FREEBUSY = "https://www.googleapis.com/auth/calendar.freebusy"
SCOPE_CALENDAR_LIST = "https://www.googleapis.com/auth/calendar.calendarlist.readonly"

SOURCE = "google"
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


def save_token(path: Path, credentials: Credentials) -> None:
    """Write the token as JSON with mode 0600, atomically (never readable by others)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(credentials.to_json())
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def _granted(credentials: Credentials) -> set[str]:
    return set(credentials.granted_scopes or credentials.scopes or ())


def load_credentials(
    google: Google, scopes: Iterable[str], request: Any | None = None
) -> Credentials:
    """The stored credentials, refreshed (and saved again) when expired.

    Raises :class:`AuthError` with what to do when there is no token, it lacks a scope the
    config now needs, or the refresh token was revoked or expired.
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
    missing = set(scopes) - _granted(creds)
    if missing and _granted(creds):
        raise AuthError(
            SOURCE,
            f"the stored Google authorization lacks {', '.join(sorted(missing))} (the config "
            f"changed, e.g. write_tags): {REAUTH_HINT}",
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


def _has_browser() -> bool:
    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def code_from_redirect(text: str, expected_state: str | None) -> str:
    """The authorization code from what the user pasted: the redirected URL or the bare code."""
    text = text.strip()
    if "://" not in text and "code=" not in text:
        if not text:
            raise AuthError(SOURCE, "no authorization code given")
        return text
    query = parse_qs(urlsplit(text).query if "://" in text else text)
    if "error" in query:
        raise AuthError(SOURCE, f"Google said: {query['error'][0]}")
    if expected_state is not None and query.get("state", [expected_state])[0] != expected_state:
        raise AuthError(
            SOURCE, "the pasted URL belongs to another authorization attempt (state differs)"
        )
    codes = query.get("code")
    if not codes:
        raise AuthError(SOURCE, "the pasted URL carries no code=")
    return codes[0]


def authorize(
    config: Config,
    *,
    console: bool | None = None,
    port: int = 0,
    input_fn: Callable[[str], str] = input,
    out: Callable[[str], None] = print,
    timeout_seconds: int | None = 300,
) -> Path:
    """`netweave auth google`: the installed-app flow; returns where the token was saved.

    With a browser: a loopback redirect server on 127.0.0.1 (``run_local_server``). Without one
    (``console=True``, or no browser found): print the URL, the user opens it anywhere, and
    pastes back the address the browser was redirected to (it fails to load; that is expected)
    or just its ``code``. Google removed the out-of-band copy-paste flow, so the redirect still
    points at the loopback address.
    """
    from google_auth_oauthlib.flow import InstalledAppFlow

    google = config.google
    if google.client_secrets is None:
        raise ConfigError(
            "google.client_secrets",
            "is required for `netweave auth google`: the JSON file of your own OAuth client "
            "(Desktop app) from the Google Cloud console, see docs/google.md",
        )
    scopes = scopes_for(config)
    if not scopes:
        raise ConfigError(
            "addressbooks", "no address book or calendar of type 'google' to authorize"
        )
    try:
        flow = InstalledAppFlow.from_client_secrets_file(str(google.client_secrets), scopes=scopes)
    except FileNotFoundError:
        raise ConfigError(
            "google.client_secrets", f"no such file: {google.client_secrets}"
        ) from None
    except (ValueError, KeyError) as e:
        raise ConfigError(
            "google.client_secrets", f"not an OAuth client secrets file (Desktop app): {e}"
        ) from None
    console = bool(console) or not _has_browser()  # no browser here: the console flow
    try:
        if console:
            flow.redirect_uri = f"http://127.0.0.1:{port or 1}/"
            url, state = flow.authorization_url(access_type="offline", prompt="consent")
            out(
                "Open this address in a browser (on any machine), allow access, then copy the "
                "address the browser was sent to (the page itself will not load; that is "
                f"expected) and paste it here:\n\n{url}\n"
            )
            code = code_from_redirect(input_fn("Redirected address or code: "), state)
            flow.fetch_token(code=code)
        else:
            flow.run_local_server(
                host="127.0.0.1",
                port=port,
                open_browser=True,
                authorization_prompt_message="If no browser opened, visit:\n{url}",
                success_message="netweave is authorized; you may close this tab.",
                timeout_seconds=timeout_seconds,
                access_type="offline",
                prompt="consent",
            )
    except AuthError:
        raise
    except Exception as e:  # oauthlib raises many types; the user needs one message
        raise AuthError(SOURCE, f"authorization failed: {e}") from None
    creds = flow.credentials
    if not isinstance(creds, Credentials) or not creds.refresh_token:
        raise AuthError(
            SOURCE, "Google returned no refresh token; run `netweave auth google` again"
        )
    path = token_path(google)
    save_token(path, creds)
    _print_calendars(config, creds, out)
    out(
        f"Saved the Google token to {path} (mode 0600).\nScopes: {', '.join(scopes)}\n"
        "Note: while your OAuth app is in 'Testing' in the Google Cloud console, Google expires "
        "this authorization after 7 days; then run `netweave auth google` again."
    )
    return path


def _print_calendars(config: Config, credentials: Credentials, out: Callable[[str], None]) -> None:
    """Show the calendar ids the user can put in ``calendar_id`` (best effort)."""
    cals = [c for c in config.calendars if c.type == "google"]
    if not cals:
        return
    from sync.sources.base import SourceError
    from sync.sources.google import GoogleCalendar

    try:
        gc = GoogleCalendar(cals[0], config.google, config.tz, None, credentials=credentials)
        found = gc.list_calendars()
    except SourceError as e:
        out(f"(Could not list your calendars: {e.message})")
        return
    out("Your calendars (use the id as calendar_id):")
    for c in found:
        mark = " (primary)" if c.get("primary") else ""
        out(f"  {c.get('id')}  {c.get('summary') or ''}{mark}  [{c.get('accessRole')}]")
