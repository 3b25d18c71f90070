"""What Google's error answers mean for the user: each reason mapped to what to do.

Google names the cause of a 4xx in ``error.errors[].reason`` (Calendar) or in an ErrorInfo
``error.details[].reason`` (People, and newer Calendar answers). Only a refused or missing
authorization (invalid_grant, 401, a scope the token lacks) asks the user to run `netweave auth
google` again; an API not enabled, a used-up quota or a calendar not shared for writing each get
their own remedy, with the console link when Google gives one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sync.sources.base import AuthError, SourceError
from sync.sources.google.credentials import REAUTH_HINT

RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"})
DISABLED_REASONS = frozenset({"accessNotConfigured", "SERVICE_DISABLED"})
QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded", "RESOURCE_EXHAUSTED"})
SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"})
ACCESS_REASONS = frozenset({"forbidden", "requiredAccessLevel", "forbiddenForNonOrganizer"})
LIBRARY = "https://console.cloud.google.com/apis/library"
QUOTAS = "https://console.cloud.google.com/apis/dashboard"
SCOPE_HINT = (
    "run `netweave auth google` again and leave every box ticked on Google's consent screen"
)
_URL = re.compile(r"https://\S+?(?=[\s,;)]|\.?\s|\.?$)")


@dataclass(frozen=True)
class ErrorBody:
    """The parts of a Google error body that say what went wrong."""

    reasons: tuple[str, ...] = ()
    message: str = ""
    links: tuple[str, ...] = field(default=())


def parse_error(content: bytes | None) -> ErrorBody:
    """Reasons (``errors`` first, then ``details``, then ``status``), message and links."""
    try:
        body = json.loads(content or b"{}")
    except ValueError:
        return ErrorBody()
    err: Any = body.get("error", {}) if isinstance(body, dict) else {}
    if isinstance(err, str):
        return ErrorBody((err,), str(body.get("error_description") or ""))
    if not isinstance(err, dict):
        return ErrorBody()
    items = [
        x for x in [*(err.get("errors") or []), *(err.get("details") or [])] if isinstance(x, dict)
    ]
    reasons = [str(x["reason"]) for x in items if x.get("reason")]
    if err.get("status"):
        reasons.append(str(err["status"]))
    message = str(err.get("message") or "")
    links = [
        str(x["metadata"]["activationUrl"])
        for x in items
        if "activationUrl" in (x.get("metadata") or {})
    ]
    links += _URL.findall(message)
    return ErrorBody(tuple(reasons), message, tuple(dict.fromkeys(links)))


def first_reason(content: bytes | None) -> str:
    body = parse_error(content)
    return body.reasons[0] if body.reasons else body.message


def explain(source: str, where: str, status: int | None, content: bytes | None) -> SourceError:
    """A final error answer as the exception to raise, its message saying what to do.

    ``where`` names the server and the call ("www.googleapis.com events.list").
    """
    body = parse_error(content)
    reasons = set(body.reasons)
    first = body.reasons[0] if body.reasons else (body.message or f"HTTP {status}")
    if status == 401 or "invalid_grant" in reasons:
        return AuthError(source, f"{where}: {status} {first}: {REAUTH_HINT}")
    if reasons & DISABLED_REASONS:
        link = body.links[0] if body.links else LIBRARY
        api = body.message.split(" has not been used", 1)[0] if " has not" in body.message else ""
        return SourceError(
            source,
            f"{where}: {api or 'this Google API'} is not enabled in your Google Cloud project "
            f"(403 accessNotConfigured). Enable it at {link} , wait a few minutes, then run "
            "netweave again (no new authorization is needed).",
        )
    if reasons & QUOTA_REASONS:
        return SourceError(
            source,
            f"{where}: 403 {first}: your Google Cloud project's quota for this API is used up. "
            f"Wait (daily quotas reset at midnight Pacific time); netweave tries again on the "
            f"next sync. The limits are on {QUOTAS} (the API's Quotas page).",
        )
    if reasons & SCOPE_REASONS:
        return AuthError(
            source,
            f"{where}: 403 {first}: the stored authorization does not include the permission "
            f"this needs; {SCOPE_HINT}.",
        )
    if reasons & RATE_REASONS:
        return SourceError(
            source, f"{where}: {status} {first}: Google's rate limit; the next sync tries again"
        )
    if status == 403 and reasons & ACCESS_REASONS:
        return SourceError(
            source,
            f"{where}: 403 {first}: Google refused this account access. If this is a calendar "
            "someone shared with you, ask them to share it with 'Make changes to events' "
            "(or set write = false for it); if it is your own, check calendar_id.",
        )
    detail = f"{first}: {body.message}" if body.message and body.message != first else first
    return SourceError(source, f"{where}: HTTP {status} ({detail})")
