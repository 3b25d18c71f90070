"""Google Contacts (People API v1) as an :class:`~sync.sources.base.AddressBook`.

Reads ``people.connections.list`` at the maximum page size, keeps a sync token and a small
cache in ``sync_state`` (a mapping the engine persists), so a no-change run costs two requests
whatever the number of contacts. Google expires the token 7 days after the *full* sync it
descends from (incremental syncs do not renew it): the request with an expired token answers
EXPIRED_SYNC_TOKEN and one full resync follows, so about once a week a run reads everything.
Tag write-back puts contacts into one contact group per category (``"netweave: mentors"``) with
``contactGroups.members.modify``; nothing else on a contact is touched. Without the contacts
scope (unticked on the consent screen) contacts are read and tags not written, which is said.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from google.auth.credentials import Credentials as BaseCredentials
from googleapiclient.errors import HttpError

from sync.config import AddressBookConfig, Google
from sync.model import CATEGORIES, Contact, Problem, contact_id
from sync.sources.base import ContactsResult, SourceError
from sync.sources.google.credentials import (
    SCOPE_CONTACTS,
    SCOPE_CONTACTS_READONLY,
    how_to_grant,
    missing_scopes,
)
from sync.sources.google.http import Connection, GoogleApi, Json, api_error, status_of

PERSON_FIELDS = ",".join(
    (
        "names", "emailAddresses", "phoneNumbers", "organizations", "biographies",
        "memberships", "relations", "urls", "metadata",
    )
)  # fmt: skip
CONNECTIONS_PAGE = 1000  # People API maximum
MEMBERS_MODIFY_MAX = 1000


class GoogleContacts:
    """Google Contacts as an :class:`~sync.sources.base.AddressBook`.

    ``sync_state`` is a mapping private to this source that the engine persists (SQLite); a
    plain dict works. Without it every read is a full read.
    """

    def __init__(
        self,
        config: AddressBookConfig,
        google: Google,
        sync_state: MutableMapping[str, str] | None = None,
        *,
        credentials: BaseCredentials | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.name = config.name
        self.config = config
        self.google = google
        self.state: MutableMapping[str, str] = sync_state if sync_state is not None else {}
        self._conn = Connection(
            self.name, google, credentials, config.timeout, sleep, rng,
            [SCOPE_CONTACTS, SCOPE_CONTACTS_READONLY] if config.write_tags
            else [SCOPE_CONTACTS_READONLY],
        )  # fmt: skip
        #: Why tags are not written back this run (None: they are); the engine says so.
        self.read_only_reason: str | None = None
        self._prefix = "people:"
        self._people: dict[str, Json] = {}  # contact id -> person (as last read)
        self._groups: dict[str, str] = {}  # resourceName -> name

    @property
    def api(self) -> GoogleApi:
        return self._conn.api

    @property
    def service(self) -> Any:
        return self._conn.service("people", "v1")

    @property
    def requests_made(self) -> int:
        return self._conn.requests_made

    @property
    def can_write_tags(self) -> bool:
        return self.config.write_tags and self.read_only_reason is None

    # -- reading

    def read(self) -> ContactsResult:
        if self.config.write_tags:
            missing = missing_scopes(self.api.credentials, [SCOPE_CONTACTS])
            self.read_only_reason = (
                f"contacts read, tags not written back this run: the Google authorization "
                f"lacks {missing[0]}; {how_to_grant(missing)}"
                if missing
                else None
            )
        self._groups = self._list_groups()
        people = self._sync_people()
        result = ContactsResult()
        self._people = {}
        for rn, person in sorted(people.items()):
            try:
                contact = person_to_contact(person, self._groups, self.config.tag_prefix, self.name)
            except (KeyError, TypeError, ValueError, AttributeError) as e:
                result.problems.append(Problem(self.name, f"unreadable contact: {e!r}", rn))
                continue
            if contact is None:
                result.problems.append(
                    Problem(self.name, "contact has no name, email or phone", rn)
                )
                continue
            result.contacts.append(contact)
            self._people[contact.id] = person
        return result

    def _sync_people(self) -> dict[str, Json]:
        token = self.state.get(self._prefix + "syncToken")
        if token:
            try:
                return self._incremental(token)
            except _ExpiredToken:
                pass
        return self._full()

    def _pages(self, **params: Any) -> Iterator[Json]:
        pages = self.api.pages(
            lambda more: (
                self.service.people()
                .connections()
                .list(
                    resourceName="people/me",
                    personFields=PERSON_FIELDS,
                    pageSize=CONNECTIONS_PAGE,
                    requestSyncToken=True,
                    **params,
                    **more,
                )
            ),
            "people.connections.list",
        )
        try:
            yield from pages
        except HttpError as e:
            if status_of(e) == 400 and "EXPIRED_SYNC_TOKEN" in (e.content or b"").decode(
                errors="replace"
            ):
                raise _ExpiredToken() from None
            if status_of(e) == 400 and "syncToken" in params:
                raise _ExpiredToken() from None
            raise api_error(self.name, e, "people.connections.list") from None

    def _full(self) -> dict[str, Json]:
        people: dict[str, Json] = {}
        token = None
        for page in self._pages():
            for p in page.get("connections", []):
                if isinstance(p, dict) and p.get("resourceName"):
                    people[p["resourceName"]] = p
            token = page.get("nextSyncToken", token)
        for key in [k for k in self.state if k.startswith(self._prefix + "p:")]:
            if key[len(self._prefix) + 2 :] not in people:
                del self.state[key]
        for rn, p in people.items():
            self.state[self._prefix + "p:" + rn] = json.dumps(p, separators=(",", ":"))
        if token:
            self.state[self._prefix + "syncToken"] = token
        else:
            self.state.pop(self._prefix + "syncToken", None)
        return people

    def _incremental(self, token: str) -> dict[str, Json]:
        changed: dict[str, Json | None] = {}
        new_token = None
        for page in self._pages(syncToken=token):
            for p in page.get("connections", []):
                if not isinstance(p, dict) or not p.get("resourceName"):
                    continue
                deleted = bool((p.get("metadata") or {}).get("deleted"))
                changed[p["resourceName"]] = None if deleted else p
            new_token = page.get("nextSyncToken", new_token)
        for rn, p in changed.items():
            if p is None:
                self.state.pop(self._prefix + "p:" + rn, None)
            else:
                self.state[self._prefix + "p:" + rn] = json.dumps(p, separators=(",", ":"))
        if new_token:
            self.state[self._prefix + "syncToken"] = new_token
        people: dict[str, Json] = {}
        plen = len(self._prefix) + 2
        for key, raw in list(self.state.items()):
            if key.startswith(self._prefix + "p:"):
                try:
                    people[key[plen:]] = json.loads(raw)
                except ValueError:
                    raise _ExpiredToken() from None  # a damaged cache: read everything again
        return people

    def list_labels(self) -> list[str]:
        """The names of the user's own contact groups (for ``netweave calendars``)."""
        return list(self._list_groups().values())

    def _list_groups(self) -> dict[str, str]:
        groups: dict[str, str] = {}
        pages = self.api.pages(
            lambda more: self.service.contactGroups().list(pageSize=1000, **more),
            "contactGroups.list",
        )
        try:
            for page in pages:
                for g in page.get("contactGroups", []):
                    if g.get("groupType") == "USER_CONTACT_GROUP":
                        groups[g["resourceName"]] = g.get("formattedName") or g.get("name", "")
        except HttpError as e:
            raise api_error(self.name, e, "contactGroups.list") from None
        return groups

    # -- writing tags

    def write_tags(self, tags: Mapping[str, tuple[str, ...]]) -> list[Problem]:
        """Make netweave's contact groups match ``tags`` (contact id -> categories).

        Only contacts read from this book and present in ``tags`` are touched, and only their
        membership in groups named ``tag_prefix + category``.
        """
        if not self.can_write_tags:
            return []
        problems: list[Problem] = []
        if not self._people:
            self.read()
        prefix = self.config.tag_prefix
        wanted_cats = sorted({c for cats in tags.values() for c in cats if c in CATEGORIES})
        try:
            self._groups = self._list_groups()
            by_name = {n: rn for rn, n in self._groups.items() if n.startswith(prefix)}
            for cat in wanted_cats:
                if prefix + cat not in by_name:
                    by_name[prefix + cat] = self._create_group(prefix + cat)
        except SourceError as e:
            return [Problem(self.name, e.message, "contactGroups")]
        for gname, grn in sorted(by_name.items()):
            cat = gname[len(prefix) :]
            if cat not in CATEGORIES:
                continue  # not one of ours (a user group that happens to share the prefix)
            add, remove = [], []
            for cid, cats in tags.items():
                person = self._people.get(cid)
                if person is None:
                    continue
                member = grn in _membership_names(person)
                if cat in cats and not member:
                    add.append(person["resourceName"])
                elif cat not in cats and member:
                    remove.append(person["resourceName"])
            problems += self._modify(grn, gname, sorted(add), sorted(remove))
        return problems

    def _create_group(self, name: str) -> str:
        req = self.service.contactGroups().create(body={"contactGroup": {"name": name}})
        try:
            return str(self.api.execute(req, "contactGroups.create")["resourceName"])
        except HttpError as e:
            if status_of(e) != 409:
                raise api_error(self.name, e, "contactGroups.create") from None
        # Someone created it meanwhile: use theirs.
        self._groups = self._list_groups()
        for rn, n in self._groups.items():
            if n == name:
                return rn
        raise SourceError(self.name, f"contact group {name!r} exists (409) but is not listed")

    def _modify(self, grn: str, gname: str, add: list[str], remove: list[str]) -> list[Problem]:
        problems = []
        ops = [("add", rn) for rn in add] + [("remove", rn) for rn in remove]
        for i in range(0, len(ops), MEMBERS_MODIFY_MAX):
            chunk = ops[i : i + MEMBERS_MODIFY_MAX]
            body: Json = {}
            adds = [rn for op, rn in chunk if op == "add"]
            removes = [rn for op, rn in chunk if op == "remove"]
            if adds:
                body["resourceNamesToAdd"] = adds
            if removes:
                body["resourceNamesToRemove"] = removes
            req = self.service.contactGroups().members().modify(resourceName=grn, body=body)
            try:
                resp = self.api.execute(req, "contactGroups.members.modify")
            except HttpError as e:
                problems.append(
                    Problem(
                        self.name,
                        api_error(self.name, e, "contactGroups.members.modify").message,
                        gname,
                    )
                )
                continue
            except SourceError as e:
                problems.append(Problem(self.name, e.message, gname))
                continue
            resp = resp if isinstance(resp, dict) else {}
            missing = set(resp.get("notFoundResourceNames", []))
            missing |= set(resp.get("canNotRemoveLastContactGroupResourceNames", []))
            for rn in sorted(missing):
                problems.append(Problem(self.name, f"could not change membership in {gname!r}", rn))
            for op, rn in chunk:
                if rn in missing:
                    continue
                for person in self._people.values():
                    if person["resourceName"] == rn:
                        _set_membership(person, grn, op == "add")
        return problems


class _ExpiredToken(Exception):
    pass


def person_to_contact(
    p: Json, groups: Mapping[str, str], tag_prefix: str, source: str
) -> Contact | None:
    """A People API person as a contact (``None`` without a name, email or phone).

    ``groups`` maps contact group resource names to their names; membership in a group whose
    name starts with ``tag_prefix`` (netweave's own) is not a source category.
    """
    rn = p["resourceName"]
    name = _primary(p.get("names"), "displayName") or _primary(p.get("names"), "unstructuredName")
    emails = tuple(x["value"].strip() for x in p.get("emailAddresses") or [] if x.get("value"))
    phones = tuple(x["value"].strip() for x in p.get("phoneNumbers") or [] if x.get("value"))
    org = (p.get("organizations") or [{}])[0]
    name = name or org.get("name") or (emails[0] if emails else "") or (phones[0] if phones else "")
    if not name:
        return None
    categories = []
    for rg in _membership_names(p):
        gname = groups.get(rg)
        if gname and not gname.startswith(tag_prefix):
            categories.append(gname)
    extra = [("google_resource", rn)]
    extra += [("url", u["value"]) for u in p.get("urls") or [] if u.get("value")][:1]
    return Contact(
        id=contact_id(rn, emails, name),
        name=name.strip(),
        emails=emails,
        phones=phones,
        organization=org.get("name") or None,
        title=org.get("title") or None,
        note=_primary(p.get("biographies"), "value") or "",
        source_categories=tuple(categories),
        relations=tuple(
            str(r.get("type") or r.get("formattedType")).lower()
            for r in p.get("relations") or []
            if r.get("type") or r.get("formattedType")
        ),
        uid=rn,
        sources=(source,),
        extra=tuple(extra),
    )


def _primary(items: Any, key: str) -> str:
    if not items:
        return ""
    for it in items:
        if (it.get("metadata") or {}).get("primary") and it.get(key):
            return str(it[key])
    return str(items[0].get(key) or "")


def _membership_names(person: Json) -> set[str]:
    return {
        (m.get("contactGroupMembership") or {}).get("contactGroupResourceName", "")
        for m in person.get("memberships") or []
    } - {""}


def _set_membership(person: Json, grn: str, member: bool) -> None:
    ms = [
        m
        for m in person.get("memberships") or []
        if (m.get("contactGroupMembership") or {}).get("contactGroupResourceName") != grn
    ]
    if member:
        gid = grn.split("/", 1)[-1]
        ms.append(
            {"contactGroupMembership": {"contactGroupId": gid, "contactGroupResourceName": grn}}
        )
    person["memberships"] = ms
