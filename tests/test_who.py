"""sync.who: fields, relations, employer ties, the user's corrections (``netweave tag``) and what
``contacts`` shows about them (``--why``, unsorted, never asked)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sync.cli import main
from sync.config import Confidential, ConfigError, Goal, Owner
from sync.model import Contact, contact_id
from sync.who import Setting, infer_field, judge
from sync.who.fields import goal_title
from sync.who.overrides import corrected, parse, render

PEOPLE = Path(__file__).resolve().parent / "data" / "people"
OWNER = Owner(name="Renata Holloway", emails=("renata@brandt.com",), employers=("Brandt Co",))


def card(name: str, **kw: object) -> Contact:
    return Contact(id=contact_id(None, (), name), name=name, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("title", "employers", "field"),
    [
        ("Senior Software Engineer", (), "technology"),
        ("Attending Cardiologist", (), "healthcare"),
        ("VP Operations", (), "operations"),
        ("Associate", ("Kim & Osei LLP",), "law"),
        ("Professor of History", (), "academia"),
        ("", ("City of Chicago",), "public-sector"),
        ("", (), ""),
    ],
)
def test_field_is_inferred_from_title_then_employers(
    title: str, employers: tuple[str, ...], field: str
) -> None:
    assert infer_field(Owner(title=title, employers=employers)) == field


def test_an_explicit_field_wins() -> None:
    assert infer_field(Owner(title="Software Engineer", field="finance")) == "finance"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Staff engineer on a distributed-systems team", "Staff engineer"),
        ("COO role at a mid-size industrial manufacturer", "COO"),
        ("Medical director of a cardiology service line", "Medical director"),
        ("Be known as a trial lawyer", ""),
        ("A first independent board seat at a manufacturing company", ""),
    ],
)
def test_goal_title(text: str, title: str) -> None:
    assert goal_title(Goal("g", text)) == title


def _judge(contacts: list[Contact], **kw: object) -> dict[str, Contact]:
    from sync.config import load
    from sync.who import rules_for

    rules = rules_for(load(PEOPLE / "ops" / "config.toml"))
    setting = Setting(OWNER, Confidential(enabled=True), **kw)  # type: ignore[arg-type]
    return {j.contact.name: j.contact for j in judge(contacts, rules, setting)}


def test_relations_count_only_through_the_owner_or_family() -> None:
    got = _judge(
        [
            card("Anya Reed", note="my sister"),
            card("Greg Reed", extra=(("related.spouse", "Anya Reed"),)),
            card("Jordan Kim", note="close friend"),
            card("Linh Pham", extra=(("related.spouse", "Jordan Kim"),)),
            card("Sam Ortiz", extra=(("related.spouse", "Someone Else"),)),
            card("Tia Vega", extra=(("related.Mother", "Renata Holloway"),)),
        ]
    )
    assert got["Greg Reed"].categories[0] == "family"
    assert got["Linh Pham"].categories[0] == "community"
    assert got["Sam Ortiz"].categories[0] == "unsorted"  # the card's own spouse says nothing
    assert got["Tia Vega"].categories[0] == "family"


def test_possessive_notes() -> None:
    got = _judge(
        [
            card("Karl Brandt", emails=("karl@brandt.com",), title="CEO"),
            card("Tom Reiser", title="Managing Partner", note="Karl's son-in-law"),
            card("Gwen Ellison", note="Maya's mom (Lena's friend)"),
        ]
    )
    assert got["Tom Reiser"].get("employer_tie") == "Karl Brandt's son-in-law"
    assert "targets" not in got["Tom Reiser"].categories
    assert got["Gwen Ellison"].categories[0] == "community"


def test_names_in_notes_and_relations_allow_nicknames_and_full_names() -> None:
    got = _judge(
        [
            card("Thomas Brandt", emails=("tom@brandt.com",), title="CEO"),
            card("Teresa Walsh", note="Tom Brandt's wife, we sit together at church"),
            card("Daniel Osei", extra=(("related.husband", "Renata Holloway"),)),
            card("Ama Osei", note="Dan's mother"),
            card("Coach Rick Alvarez", title="Coach", organization="Youth Soccer"),
            card("Tina Alvarez", extra=(("related.spouse", "Rick Alvarez"),)),
        ]
    )
    assert got["Teresa Walsh"].get("employer_tie") == "Thomas Brandt's wife"
    assert got["Ama Osei"].categories[0] == "family"  # Dan is Daniel, her husband
    assert got["Tina Alvarez"].categories[0] == "community"


def test_a_department_subdomain_is_the_employer() -> None:
    from sync.tagging import employer_domains
    from sync.tagging.tagger import organisation_domain

    assert organisation_domain("cs.wisc.edu") == "wisc.edu"
    assert organisation_domain("mail.acme.co.uk") == "acme.co.uk"
    assert organisation_domain("acme.com") == "acme.com"
    assert employer_domains(["me@cs.wisc.edu", "me@gmail.com"]) == ("cs.wisc.edu", "wisc.edu")
    owner = Owner(name="Ingrid Solberg", emails=("solberg@cs.wisc.edu",), employers=("UW",))
    setting = Setting(owner, Confidential(enabled=True))
    grants = card("Jim Harlow", emails=("jim@wisc.edu",), title="Grants Manager")
    (j,) = judge([grants], [], setting)
    assert j.employer_tie == "email at wisc.edu, your employer"


def test_a_public_body_is_not_known_by_its_place() -> None:
    from sync.who.fields import distinctive

    assert distinctive("Chicago Department of Transportation") == ""
    assert distinctive("City of Chicago") == ""
    assert distinctive("Brandt Precision Components") == "brandt"


def test_corrections_add_remove_and_render_round_trip() -> None:
    fixes = corrected((), "Jane Roe", "mentors", False, ["jane@roe.com"])
    fixes = corrected(fixes, "Jane Roe", "targets", True, [])
    assert parse(render(fixes)) == fixes
    got = _judge(
        [card("Jane Roe", title="CEO", note="want to meet")], corrections=fixes, today=date.today()
    )
    assert got["Jane Roe"].categories[0] == "mentors"
    assert "targets" not in got["Jane Roe"].categories


def test_bad_corrections_file_names_the_key() -> None:
    with pytest.raises(ConfigError, match="people.Jane.add"):
        parse('[people.Jane]\nadd = ["bosses"]\n')


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = 0
    try:
        main(args)
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out + err


@pytest.fixture
def ops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "ops"
    folder.mkdir()
    for f in (PEOPLE / "ops").iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    cfg = folder / "config.toml"
    cfg.write_text(cfg.read_text() + '\n[state]\npath = "state.sqlite"\n')
    monkeypatch.setenv("NETWEAVE_NOW", "2026-11-21T12:00:00-06:00")
    return cfg


def test_tag_is_kept_and_shown(ops: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["--config", str(ops), "tag", "Trevor Banks", "friends"], capsys)
    assert code == 0 and "Trevor Banks: friends" in out
    assert (ops.parent / "netweave-tags.toml").is_file()
    code, out = _run(["--config", str(ops), "tag", "Mark Feldman", "targets", "--not"], capsys)
    assert code == 0
    code, out = _run(["--config", str(ops), "contacts"], capsys)
    assert code == 0
    line = next(x for x in out.splitlines() if "Trevor Banks" in x and "[" in x)
    assert "[friends]" in line
    feldman = next(x for x in out.splitlines() if "Mark Feldman" in x)
    assert "targets" not in feldman
    assert "unsorted (no rule knew them)" in out
    code, out = _run(["--config", str(ops), "contacts", "--why", "Trevor Banks"], capsys)
    assert "friends: netweave tag (your correction)" in out


def test_contacts_why_and_never_asked(ops: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["--config", str(ops), "contacts", "--why", "Tom Reiser"], capsys)
    assert code == 0
    assert "tied to your employer" in out and "not targets" in out
    code, out = _run(["--config", str(ops), "contacts", "--introducers"], capsys)
    assert code == 0
    assert "Never asked, targeted or planned" in out
    assert "Gregory Lund: tied to your employer: email at brandtprecision.com" in out
    assert "Priya Natarajan: listed in confidential.never_ask" in out


@pytest.fixture
def transport(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "transport"
    folder.mkdir()
    for f in (PEOPLE / "transport").iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    cfg = folder / "config.toml"
    cfg.write_text(cfg.read_text() + '\n[state]\npath = "state.sqlite"\n')
    monkeypatch.setenv("NETWEAVE_NOW", "2026-11-21T12:00:00-06:00")
    return cfg


def test_contacts_why_names_the_goals_words(
    transport: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(["--config", str(transport), "contacts", "--why", "Nathan Price"], capsys)
    assert code == 0
    assert "targets: goals[0] words (title 'policy'; title 'director')" in out
    code, out = _run(["--config", str(transport), "contacts", "--why", "Steve Olson"], capsys)
    assert code == 0
    assert "not targets: outside the world your goals name (was targets: rules/fields/" in out
