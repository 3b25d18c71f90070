"""Google Contacts and Google Calendar, with google-api-python-client and the user's own OAuth.

The rooms: :mod:`.credentials` (scopes, the stored token), :mod:`.auth` (`netweave auth
google`), :mod:`.http` (authorized client, retries, paging, batches), :mod:`.people` (the
address book), :mod:`.events` (event JSON and the model), :mod:`.incremental` (a calendar's
events kept between runs), :mod:`.writes` (owned events written) and :mod:`.calendar` (the
calendar). The names below are what the rest of netweave uses.
"""

from sync.sources.google.auth import authorize, code_from_redirect
from sync.sources.google.calendar import GoogleCalendar
from sync.sources.google.credentials import (
    SCOPE_CALENDAR_EVENTS,
    SCOPE_CALENDAR_FREEBUSY,
    SCOPE_CALENDAR_LIST,
    SCOPE_CONTACTS,
    SCOPE_CONTACTS_READONLY,
    load_credentials,
    refresh,
    save_token,
    scopes_for,
    token_path,
)
from sync.sources.google.events import MARKER_KEY, event_body, event_id_for
from sync.sources.google.http import GoogleApi
from sync.sources.google.people import GoogleContacts

__all__ = [
    "MARKER_KEY",
    "SCOPE_CALENDAR_EVENTS",
    "SCOPE_CALENDAR_FREEBUSY",
    "SCOPE_CALENDAR_LIST",
    "SCOPE_CONTACTS",
    "SCOPE_CONTACTS_READONLY",
    "GoogleApi",
    "GoogleCalendar",
    "GoogleContacts",
    "authorize",
    "code_from_redirect",
    "event_body",
    "event_id_for",
    "load_credentials",
    "refresh",
    "save_token",
    "scopes_for",
    "token_path",
]
