"""Merging the same person across address books."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.merge import (
    merge_contacts,
    names_compatible,
    normalize_phone,
    origins,
    tags_for_source,
)
from sync.model import Contact, contact_id
from sync.sources.vcard import VcardDir, VcardFile

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def rec(
    name: str,
    source: str,
    emails: tuple[str, ...] = (),
    phones: tuple[str, ...] = (),
    uid: str | None = None,
    **kw: object,
) -> Contact:
    return Contact(
        id=contact_id(uid, tuple(e.lower() for e in emails), name),
        name=name,
        emails=tuple(e.lower() for e in emails),
        phones=phones,
        uid=uid,
        sources=(source,),
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("(212) 555-0142", "+12125550142"),
        ("212.555.0142", "+12125550142"),
        ("+1 212 555 0142", "+12125550142"),
        ("1-212-555-0142", "+12125550142"),
        ("tel:+1-212-555-0142;ext=204", "+12125550142"),
        ("+1-212-555-0189 ext. 204", "+12125550189"),
        ("(212) 555-0142 x12", "+12125550142"),
        ("0044 20 7946 0000", "+442079460000"),
        ("011 44 20 7946 0000", "+442079460000"),
        ("+44 20 7946 0000", "+442079460000"),
        ("020 7946 0000", "02079460000"),
        ("204", ""),
        ("", ""),
    ],
)
def test_normalize_phone(raw: str, norm: str) -> None:
    assert normalize_phone(raw) == norm


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        ("Robert Smith", "Bob Smith", True),
        ("Robert Smith", "Smith, Robert", True),
        ("R. Smith", "Robert Smith", True),
        ("Chris Navarro", "Christopher Navarro", True),
        ("Sarah Jones", "Sarah Miller", True),  # married name, same first name
        ("Dr. Helen Cho", "Helen Cho MD", True),
        ("José Núñez", "Jose Nunez", True),
        ("Steve Marsh", "Steven Marsh", True),
        ("Jane Smith", "John Smith", False),
        ("Acme LLP", "John Smith", False),
        ("Smith", "John Smith", True),
        ("jane@x.com", "John Smith", True),
        ("", "John Smith", True),
        ("Kate Brown", "Catherine Brown", True),
    ],
)
def test_names_compatible(a: str, b: str, ok: bool) -> None:
    assert names_compatible(a, b) is ok
    assert names_compatible(b, a) is ok


def test_merge_by_email_case_insensitive_unites_fields() -> None:
    a = rec(
        "Steven Marsh",
        "contacts",
        ("smarsh@baxterlowe.com",),
        ("+1 (212) 555-0120",),
        source_categories=("Work",),
        organization="Baxter & Lowe LLP",
        note="Mentor.",
    )
    b = rec(
        "Steve Marsh",
        "outlook",
        ("SMarsh@BaxterLowe.com", "steve.marsh@gmail.com"),
        ("212.555.0120", "917.555.0121"),
        source_categories=("work", "Golf"),
        organization="Baxter & Lowe LLP",
        title="Partner",
        note="Plays golf on Saturdays.",
        relations=("spouse",),
    )
    merged, problems = merge_contacts([b, a], ["contacts", "outlook"])
    assert problems == [] and len(merged) == 1
    m = merged[0]
    assert m.id == a.id and m.name == "Steven Marsh"
    assert m.emails == ("smarsh@baxterlowe.com", "steve.marsh@gmail.com")
    assert m.phones == ("+1 (212) 555-0120", "917.555.0121")
    assert m.sources == ("contacts", "outlook")
    assert m.source_categories == ("Work", "Golf")
    assert (m.organization, m.title) == ("Baxter & Lowe LLP", "Partner")
    assert m.note == "Mentor.\n\nPlays golf on Saturdays."
    assert m.relations == ("spouse",)
    assert origins(m) == [(a.id, "contacts"), (b.id, "outlook")]


def test_merge_by_phone_and_transitively() -> None:
    a = rec("Michael Tran", "contacts", ("mtran@harborviewpharma.com",), ("+1 (212) 555-0134",))
    b = rec("Michael Tran", "outlook", ("michael.tran@harborviewpharma.com",), ("212.555.0134",))
    c = rec("Mike Tran", "linkedin", ("michael.tran@harborviewpharma.com", "mike@tran.example"))
    merged, problems = merge_contacts([c, b, a], ["contacts", "outlook", "linkedin"])
    assert len(merged) == 1 and not problems
    assert merged[0].emails == (
        "mtran@harborviewpharma.com",
        "michael.tran@harborviewpharma.com",
        "mike@tran.example",
    )
    assert merged[0].id == a.id


def test_switchboard_number_is_no_evidence() -> None:
    board = "(212) 555-0100"
    people = [
        rec("Tom Reyes", "a", phones=(board,)),
        rec("Ann Lindqvist", "a", phones=(board,)),
        rec("Paul Okoye", "b", phones=("+1 212 555 0100",)),
        rec("Tom Reyes", "b", ("treyes@rl.example",), phones=("212-555-0100",)),
    ]
    merged, problems = merge_contacts(people, ["a", "b"])
    assert sorted(c.name for c in merged) == [
        "Ann Lindqvist",
        "Paul Okoye",
        "Tom Reyes",
        "Tom Reyes",
    ]
    assert problems == []


def test_couple_sharing_a_landline_is_not_merged_silently() -> None:
    people = [
        rec("Jane Smith", "a", phones=("(718) 555-0111",)),
        rec("John Smith", "b", phones=("718-555-0111",)),
    ]
    merged, problems = merge_contacts(people)
    assert len(merged) == 2 and problems == []  # a shared phone is common: no noise


def test_shared_email_with_different_names_is_reported_not_merged() -> None:
    people = [
        rec("Jane Smith", "a", ("smiths@family.example",)),
        rec("John Smith", "b", ("Smiths@Family.example", "john@smith.example")),
    ]
    merged, problems = merge_contacts(people, ["a", "b"])
    assert len(merged) == 2 and len({c.id for c in merged}) == 2
    assert len(problems) == 1
    assert problems[0].place == "smiths@family.example"
    assert "Jane Smith" in problems[0].message and "John Smith" in problems[0].message


def test_chain_through_an_initial_does_not_join_two_people() -> None:
    people = [
        rec("John Smith", "a", ("js@firm.example",)),
        rec("J. Smith", "b", ("js@firm.example",), ("(212) 555-0177",)),
        rec("Jane Smith", "c", phones=("212 555 0177",)),
    ]
    merged, _ = merge_contacts(people, ["a", "b", "c"])
    assert sorted(c.name for c in merged) == ["Jane Smith", "John Smith"]


def test_id_survives_a_new_source_with_a_second_email() -> None:
    a = rec("Grace Liu", "contacts", ("grace.liu@hartwell.example",))
    before, _ = merge_contacts([a], ["contacts"])
    b = rec("Grace Liu", "google", ("aaa.grace@gmail.example", "Grace.Liu@hartwell.example"))
    after, _ = merge_contacts([b, a], ["contacts", "google"])
    assert before[0].id == after[0].id == a.id
    # without a config order, sources sort by name: still deterministic
    assert merge_contacts([b, a])[0][0].id == merge_contacts([a, b])[0][0].id


def test_same_uid_in_two_books_is_one_person() -> None:
    a = rec("Omar Haddad", "vdir", uid="urn:uuid:B1C2D3E4-F5A6-4B7C-8D9E-0F1A2B3C4D5E")
    b = rec("Omar Haddad", "carddav", uid="b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e")
    merged, _ = merge_contacts([a, b], ["vdir", "carddav"])
    assert len(merged) == 1 and merged[0].id == a.id


def test_name_from_email_gives_way_to_a_real_name() -> None:
    a = rec("bob@reyes.example", "a", ("bob@reyes.example",))
    b = rec("Robert Reyes", "b", ("bob@reyes.example",), organization="Reyes LLP")
    merged, _ = merge_contacts([a, b], ["a", "b"])
    assert merged[0].name == "Robert Reyes" and merged[0].id == a.id
    assert merged[0].organization == "Reyes LLP"


def test_name_only_namesakes_keep_distinct_ids() -> None:
    people = [rec("John Smith", "a"), rec("John Smith", "b")]
    merged, _ = merge_contacts(people, ["a", "b"])
    assert len(merged) == 2 and len({c.id for c in merged}) == 2
    assert merged[0].id == contact_id(None, (), "John Smith") or merged[1].id == contact_id(
        None, (), "John Smith"
    )


def test_tags_for_source_maps_merged_ids_back() -> None:
    a = rec("Priya Raman", "contacts", ("priya.raman@gmail.com",))
    b = rec("Priya Raman", "nextcloud", ("Priya.Raman@gmail.com",), uid="u-1")
    c = rec("Tom Reyes", "nextcloud", ("tom@reyes.example",))
    merged, _ = merge_contacts([a, b, c], ["contacts", "nextcloud"])
    tags = {m.id: ("friends",) for m in merged}
    assert tags_for_source(tags, merged, "nextcloud") == {b.id: ("friends",), c.id: ("friends",)}
    assert tags_for_source(tags, merged, "contacts") == {a.id: ("friends",)}
    # merging again (already merged input) keeps the origins
    again, _ = merge_contacts(merged, ["contacts", "nextcloud"])
    assert again == merged


# --------------------------------------------------------------------------- order independence

_NAMES = ["Ann Lee", "Anne Lee", "Bob Stone", "Robert Stone", "Carl Diaz", "Carla Diaz", "Lee"]
_EMAILS = ["ann@x.example", "bob@y.example", "c.diaz@z.example", "info@firm.example"]
_PHONES = ["(212) 555-0100", "212.555.0100", "+1 646 555 0101", "917-555-0102", "555-0103"]


@st.composite
def records(draw: st.DrawFn) -> list[Contact]:
    n = draw(st.integers(1, 9))
    out: list[Contact] = []
    for i in range(n):
        name = draw(st.sampled_from(_NAMES))
        emails = tuple(draw(st.lists(st.sampled_from(_EMAILS), max_size=2, unique=True)))
        phones = tuple(draw(st.lists(st.sampled_from(_PHONES), max_size=2, unique=True)))
        src = draw(st.sampled_from(["a", "b", "c"]))
        org = draw(st.sampled_from([None, "Firm LLP", "Other Inc"]))
        note = draw(st.sampled_from(["", f"n{i}"]))
        r = rec(name, src, emails, phones, organization=org, note=note)
        if all((r.id, src) != (o.id, o.sources[0]) for o in out):  # ids are unique per source
            out.append(r)
    return out


@settings(max_examples=80, deadline=None)
@given(people=records(), seed=st.randoms(use_true_random=False))
def test_merge_is_independent_of_input_order(people: list[Contact], seed: random.Random) -> None:
    shuffled = list(people)
    seed.shuffle(shuffled)
    order = ["b", "a", "c"]
    one, p1 = merge_contacts(people, order)
    two, p2 = merge_contacts(shuffled, order)
    assert one == two and p1 == p2
    assert len({c.id for c in one}) == len(one)  # ids unique
    # every input record is in exactly one output contact
    assert sum(len(origins(c)) for c in one) == len(people)
    for c in one:  # every merged group has compatible names
        names = [p.name for p in people if (p.id, p.sources[0]) in origins(c)]
        assert all(names_compatible(x, y) for x in names for y in names)


# --------------------------------------------------------------------------- the example data


@pytest.mark.skipif(not (EXAMPLES / "expected.toml").exists(), reason="no example data")
def test_example_address_books_merge_as_expected() -> None:
    expected = tomllib.loads((EXAMPLES / "expected.toml").read_text())
    books: list[VcardFile | VcardDir] = [
        VcardFile("contacts.vcf", EXAMPLES / "contacts.vcf"),
        VcardFile("outlook.vcf", EXAMPLES / "outlook.vcf"),
        VcardDir("nextcloud/", EXAMPLES / "nextcloud"),
    ]
    raw: list[Contact] = []
    for b in books:
        res = b.read()
        assert res.problems == []
        assert len(res.contacts) == expected["counts"]["cards"][b.name]
        raw += res.contacts
    merged, problems = merge_contacts(raw, [b.name for b in books])
    assert problems == []
    assert len(merged) == expected["counts"]["merged_people"]
    multi = [c for c in merged if len(c.sources) > 1]
    assert len(multi) == expected["counts"]["duplicate_groups"]
    by_name = {c.name: c for c in merged}
    for dup in expected["duplicates"]:
        person = by_name[dup["person"]]
        files = {card["file"] for card in dup["cards"]}
        assert set(person.sources) == files
        for card in dup["cards"]:
            assert {e.lower() for e in card["emails"]} <= set(person.emails)
    for name in expected["people"]:
        assert name in by_name
    broken = VcardFile("broken", EXAMPLES / "broken.vcf").read()
    assert sorted(c.name for c in broken.contacts) == sorted(expected["broken"]["readable"])
    assert len(broken.problems) == len(expected["broken"]["malformed"])
