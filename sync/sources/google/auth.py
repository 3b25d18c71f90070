"""`netweave auth google`: the installed-app OAuth flow that creates the stored token.

The user brings their own OAuth client (a "Desktop app" client from the Google Cloud console,
see docs/google.md); its client secrets file is ``[google] client_secrets``. With a browser the
flow uses a loopback redirect; without one the user pastes the redirected address back. Google's
consent screen lets people untick scopes: the token is saved with the scopes actually granted
(by :mod:`sync.sources.google.credentials`), what is missing is said with what it costs and how
to grant it, and the user's calendars are listed so that they can pick a ``calendar_id``.
"""

from __future__ import annotations

import contextlib
import os
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from google.oauth2.credentials import Credentials

from sync.config import Config, ConfigError
from sync.sources.base import AuthError, SourceError
from sync.sources.google.calendar import GoogleCalendar
from sync.sources.google.credentials import (
    SCOPE_CALENDAR_EVENTS,
    SCOPE_CALENDAR_FREEBUSY,
    SCOPE_CALENDAR_LIST,
    SCOPE_CONTACTS,
    SCOPE_CONTACTS_READONLY,
    SOURCE,
    how_to_grant,
    missing_scopes,
    save_token,
    scopes_for,
    token_path,
)

#: What a run does without each scope (the user unticked it on the consent screen).
WITHOUT = {
    SCOPE_CONTACTS: "contacts are read but netweave's tags are not written back",
    SCOPE_CONTACTS_READONLY: "Google Contacts cannot be read (that address book fails)",
    SCOPE_CALENDAR_EVENTS: "Google calendars are read as free/busy only and nothing is written",
    SCOPE_CALENDAR_FREEBUSY: "calendars shared with you as free/busy only cannot be read",
    SCOPE_CALENDAR_LIST: "`netweave auth google` cannot list your calendars' ids",
}

if TYPE_CHECKING:  # the flow's library is imported only when authorizing
    from google_auth_oauthlib.flow import InstalledAppFlow


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
    scopes = scopes_for(config)
    flow = _flow(config, scopes)
    console = bool(console) or not _has_browser()  # no browser here: the console flow
    try:
        with _scopes_may_change():
            if console:
                _console_flow(flow, port, input_fn, out)
            else:
                _local_server_flow(flow, port, timeout_seconds)
    except AuthError:
        raise
    except Exception as e:  # oauthlib raises many types; the user needs one message
        raise AuthError(SOURCE, f"authorization failed: {e}") from None
    creds = flow.credentials
    if not isinstance(creds, Credentials) or not creds.refresh_token:
        raise AuthError(
            SOURCE, "Google returned no refresh token; run `netweave auth google` again"
        )
    granted = set(creds.granted_scopes or scopes)
    if not granted & set(scopes):
        raise AuthError(SOURCE, f"no access was granted: {how_to_grant(scopes)}")
    path = token_path(config.google)
    save_token(path, creds, sorted(granted & set(scopes)))
    missing = missing_scopes(creds, scopes)
    if SCOPE_CALENDAR_LIST not in missing:
        _print_calendars(config, creds, out)
    out(
        f"Saved the Google token to {path} (mode 0600).\n"
        f"Scopes granted: {', '.join(sorted(granted & set(scopes)))}\n"
        + "".join(f"Not granted: {s}: {WITHOUT.get(s, 'reduced')}.\n" for s in missing)
        + (f"To grant them: {how_to_grant(missing)}.\n" if missing else "")
        + "Note: while your OAuth app is in 'Testing' in the Google Cloud console, Google "
        "expires this authorization after 7 days; then run `netweave auth google` again."
    )
    return path


@contextlib.contextmanager
def _scopes_may_change() -> Iterator[None]:
    """Let oauthlib accept fewer scopes than asked for (people may untick some on Google's
    consent screen; without this it raises "Scope has changed"). What was granted is then
    checked by netweave itself."""
    before = os.environ.get("OAUTHLIB_RELAX_TOKEN_SCOPE")
    os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("OAUTHLIB_RELAX_TOKEN_SCOPE", None)
        else:
            os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = before


def _flow(config: Config, scopes: list[str]) -> InstalledAppFlow:
    """The OAuth flow for the user's own client; :class:`ConfigError` if it cannot be made."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    google = config.google
    if google.client_secrets is None:
        raise ConfigError(
            "google.client_secrets",
            "is required for `netweave auth google`: the JSON file of your own OAuth client "
            "(Desktop app) from the Google Cloud console, see docs/google.md",
        )
    if not scopes:
        raise ConfigError(
            "addressbooks", "no address book or calendar of type 'google' to authorize"
        )
    try:
        return InstalledAppFlow.from_client_secrets_file(str(google.client_secrets), scopes=scopes)
    except FileNotFoundError:
        raise ConfigError(
            "google.client_secrets", f"no such file: {google.client_secrets}"
        ) from None
    except (ValueError, KeyError) as e:
        raise ConfigError(
            "google.client_secrets", f"not an OAuth client secrets file (Desktop app): {e}"
        ) from None


def _console_flow(
    flow: InstalledAppFlow, port: int, input_fn: Callable[[str], str], out: Callable[[str], None]
) -> None:
    """Print the URL; the user pastes back the redirected address (or its code)."""
    flow.redirect_uri = f"http://127.0.0.1:{port or 1}/"
    url, state = flow.authorization_url(access_type="offline", prompt="consent")
    out(
        "Open this address in a browser (on any machine), allow access, then copy the "
        "address the browser was sent to (the page itself will not load; that is "
        f"expected) and paste it here:\n\n{url}\n"
    )
    code = code_from_redirect(input_fn("Redirected address or code: "), state)
    flow.fetch_token(code=code)


def _local_server_flow(flow: InstalledAppFlow, port: int, timeout_seconds: int | None) -> None:
    """Open the browser; a loopback server on 127.0.0.1 receives the redirect."""
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


def _print_calendars(config: Config, credentials: Credentials, out: Callable[[str], None]) -> None:
    """Show the calendar ids the user can put in ``calendar_id`` (best effort)."""
    cals = [c for c in config.calendars if c.type == "google"]
    if not cals:
        return
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
