"""``netweave calendars`` against real servers: a Radicale (CalDAV and CardDAV on 127.0.0.1)
and the Google fake driven by the real google-api-python-client. It lists what each account
offers, and the lines it prints, pasted into a config, read those very sources."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from datetime import datetime
from pathlib import Path

import pytest
from google.oauth2.credentials import Credentials
from radicale_server import RadicaleServer, radicale_fixture  # noqa: F401 (the fixture)
from test_google_engine import World, make_world

from sync.cli import main
from sync.sources.google.credentials import (
    SCOPE_CALENDAR_EVENTS,
    SCOPE_CALENDAR_FREEBUSY,
    SCOPE_CONTACTS_READONLY,
    save_token,
)

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-21T10:00:00-05:00"

pytestmark = pytest.mark.network


def run(config: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(["--config", str(config), *args])
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def blocks(out: str) -> dict[str, str]:
    """Each offer printed: its comment's name -> its TOML lines."""
    found = re.findall(r"^# (.+?) \(found through [^)]+\)\n((?:.+\n)+)", out, re.M)
    return {name: text for name, text in found}


def without_sources(text: str) -> str:
    """The example config without its address books and calendars (sub-tables included)."""
    kept: list[str] = []
    skipping = False
    for line in text.splitlines():
        s = line.split("#", 1)[0].strip()
        if s.startswith("["):
            skipping = s in ("[[calendars]]", "[[addressbooks]]") or s.startswith(
                ("[calendars.", "[addressbooks.")
            )
        if not skipping:
            kept.append(line)
    return "\n".join(kept) + "\n"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.setenv("NETWEAVE_DAV_PASSWORD", "x")
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{last};{first};;;\r\n"
    "EMAIL:{email}\r\nEND:VCARD\r\n"
)


def test_calendars_lists_a_dav_accounts_collections_as_lines_that_work(
    home: Path, radicale: RadicaleServer, capsys: pytest.CaptureFixture[str]
) -> None:
    user = radicale.new_user()
    for name in ("personal", "court dates"):
        radicale.make_calendar(user, name)
    radicale.make_calendar(user, "chores", comp="VTODO")  # tasks only: no busy time there
    radicale.make_addressbook(user, "contacts")
    family = radicale.make_addressbook(user, "family")
    card = CARD.format(
        uid="rosa-1", name="Rosa Delacroix", last="Delacroix", first="Rosa", email="rosa@ex.org"
    )
    assert radicale.put(user, family + "rosa.vcf", card, "text/vcard").status_code == 201
    account = textwrap.dedent(
        f"""
        username = "{user}"
        password_env = "NETWEAVE_DAV_PASSWORD"
        url = "{radicale.url}/"
        """
    )
    config = home / "config.toml"
    base = without_sources((ROOT / "config.example.toml").read_text())
    config.write_text(
        base
        + '\n[[addressbooks]]\ntype = "carddav"\nname = "dav-book"'
        + account
        + '\n[[calendars]]\ntype = "caldav"\nname = "dav-cal"\nbusy = true'
        + account
    )
    code, out, err = run(config, capsys, "calendars")
    assert code == 0, err
    offers = blocks(out)
    assert set(offers) == {"personal", "court dates", "contacts", "family"}, out
    for name in ("personal", "court dates"):
        text = offers[name]
        assert text.startswith('[[calendars]]\ntype = "caldav"\n')
        assert f'name = "{name}"' in text
        assert re.search(rf'collection = "{re.escape(radicale.url)}/{user}/[^"]+/"', text)
    for name in ("contacts", "family"):
        assert offers[name].startswith('[[addressbooks]]\ntype = "carddav"\n')
    for text in offers.values():
        assert f'username = "{user}"' in text
        assert 'password_env = "NETWEAVE_DAV_PASSWORD"' in text
        assert "password =" not in text.replace("password_env =", "")
    assert "chores" not in out
    # Pasted into a config, the lines read exactly those collections.
    pasted = home / "pasted.toml"
    pasted.write_text(base + "\n" + offers["family"] + "\n" + offers["court dates"])
    code, out, err = run(pasted, capsys, "contacts", "--json")
    assert code == 0, err
    names = {c["name"] for c in json.loads(out)}
    assert "Rosa Delacroix" in names


def test_calendars_lists_a_google_accounts_calendars_and_contacts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    w: World = make_world(tmp_path / "home")
    try:
        fake = w.fake
        fake.add_calendar("en.usa#holiday@group.v.calendar.google.com", "Holidays in United States",
                          access_role="reader")  # fmt: skip
        fake.seed_group("Bar association")
        fake.seed_group("Mentors")
        fake.seed_person(
            names=[{"displayName": "Grace Okafor"}],
            emailAddresses=[{"value": "grace@okafor-law.example"}],
        )
        scopes = [SCOPE_CALENDAR_EVENTS, SCOPE_CALENDAR_FREEBUSY, SCOPE_CONTACTS_READONLY]
        creds = Credentials(
            token="expired",
            refresh_token="refresh-1",
            token_uri=fake.token_uri,
            client_id="cid.apps.googleusercontent.com",
            client_secret="secret",
            scopes=scopes,
            expiry=datetime(2020, 1, 1),
        )
        save_token(w.home / "cfg" / "google-token.json", creds)  # as `auth google` leaves it
        text = w.config.read_text()
        head, sep, rest = text.partition("[[calendars]]")
        book = '[[addressbooks]]\ntype = "google"\nname = "gmail"\n\n'
        w.config.write_text(head + book + sep + rest)
        fake.reset_counters()
        code, out, err = run(w.config, capsys, "calendars")
        assert code == 0, err
        assert fake.calls["calendarList.list"] >= 1 and fake.calls["contactGroups.list"] >= 1
        offers = blocks(out)
        assert {"Baxter Lowe team", "Holidays in United States", "Google Contacts"} <= set(offers)
        team = offers["Baxter Lowe team"]
        assert team.startswith('[[calendars]]\ntype = "google"\n')
        assert 'calendar_id = "baxterlowe-team@group.calendar.google.com"' in team
        assert "# access: writer" in team
        assert "# access: reader" in offers["Holidays in United States"]
        contacts = offers["Google Contacts"]
        assert contacts.startswith('[[addressbooks]]\ntype = "google"\n')
        assert "# labels: Bar association, Mentors" in contacts
        # The team calendar's lines, pasted, are read as a busy calendar.
        w.config.write_text(head + book + sep + rest + "\n" + team)
        code, out, err = run(w.config, capsys, "plan", "--json")
        assert code == 0, err
        assert fake.calls["events.list"] + fake.calls["freebusy.query"] >= 1
    finally:
        w.fake.stop()
