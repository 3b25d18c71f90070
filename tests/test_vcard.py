"""vCard files and vdirs: the three dialects, broken cards, and CATEGORIES write-back."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.model import Contact, contact_id
from sync.sources.base import AddressBook, SourceError
from sync.sources.vcard import (
    VcardDir,
    VcardFile,
    parse_vcards,
    set_categories,
    unique_ids,
)
from sync.sources.vcard.files import ChangedMeanwhile, atomic_write

DATA = Path(__file__).parent / "data" / "vcf"
PREFIX = "netweave: "


def by_name(path: Path) -> dict[str, Contact]:
    res = VcardFile(path.stem, path).read()
    assert not res.problems, res.problems
    return {c.name: c for c in res.contacts}


# --------------------------------------------------------------------------- dialects


def test_outlook_21_quoted_printable_and_charsets() -> None:
    people = by_name(DATA / "outlook21.vcf")
    assert set(people) == {"Jürgen Müller", "Lefèvre François", "Søren Østergaard", "María Peña"}
    j = people["Jürgen Müller"]
    assert j.emails == ("jmueller@kesslerstrauss.example",)
    assert j.organization == "Kessler & Strauss LLP"
    assert j.title == "Senior Partner"
    # QP soft line breaks joined, =96 is an en dash in Windows-1252, CRLF inside became \n
    assert j.note == (
        "Met at the ABA Litigation Section meeting in Chicago – great conversation.\n"
        "Interested in arbitration; knows the general counsel at Norvell."
    )
    assert j.phones == ("(212) 555-0142", "+1 917 555 0199", "(212) 555-0143")
    assert j.relations == ("spouse",)
    assert j.get("related.spouse") == "Ingrid Müller"
    assert j.get("bday") == "1968-08-15"
    assert j.get("city") == "New York"
    assert j.get("url") == "http://www.kesslerstrauss.example"
    # raw Windows-1252 bytes without CHARSET in a 2.1 card: Outlook's ANSI code page
    f = people["Lefèvre François"]
    assert f.title == "Avocat associé"
    # CHARSET=UTF-8 quoted-printable, CATEGORIES read
    s = people["Søren Østergaard"]
    assert s.source_categories == ("Clients",)
    # CHARSET=ISO-8859-1 raw bytes; an unindented base64 photo does not break the card
    m = people["María Peña"]
    assert m.organization == "Fundación Amparo"
    assert m.phones == ("212.555.0161",)


def test_apple_30_groups_labels_and_company_cards() -> None:
    people = by_name(DATA / "apple30.vcf")
    assert set(people) == {"Adaeze Okafor", "Harbor Court Reporting", "Tom Reyes"}
    a = people["Adaeze Okafor"]
    assert a.emails == ("adaeze.okafor@norvell.example", "ada.okafor@gmail.example")
    assert a.organization == "Norvell Industries"
    assert a.relations == ("mother", "spouse")
    assert a.get("related.mother") == "Chinwe Okafor"
    assert a.note.endswith(
        "mentor of junior associates, active in the Women’s Bar Association; prefers breakfast "
        "meetings."
    )
    assert a.uid == "6B29A1E2-7F3C-4E0B-9C6A-2D4F1E8B7A10"
    assert a.id == contact_id(a.uid, (), "")
    assert (a.get("url") or "").endswith("adaeze-okafor-example")
    # the group card is no contact: its name becomes a category of its members (any UID case)
    assert a.source_categories == ("Federal Bar Council",)
    t = people["Tom Reyes"]
    assert t.source_categories == ("Federal Bar Council",)
    assert t.relations == ("sister",)
    assert t.phones == ("(212) 555-0100", "+1 917-555-0177")
    h = people["Harbor Court Reporting"]
    assert h.get("kind") == "org"


def test_google_30_categories_and_name_only_cards() -> None:
    people = by_name(DATA / "google30.vcf")
    p = people["Priya Raman"]
    assert p.source_categories == ("myContacts", "Friends", "NYU Law")
    assert p.relations == ("spouse",)
    assert p.emails == ("priya.raman@fintrust.example", "priya.raman@gmail.example")
    assert p.note == (
        "Law school classmate (NYU '08), moot court partner.\nAsk about the GC opening."
    )
    assert p.get("city") == "Hoboken"
    sam = people["Sam Whitfield"]  # only a name: kept
    assert sam.emails == () and sam.id == contact_id(None, (), "Sam Whitfield")
    assert people["Dr. Helen Cho"].phones == ("+1 212-555-0190",)


def test_nextcloud_40_uris_related_kind_and_members() -> None:
    people = by_name(DATA / "nextcloud40.vcf")
    assert set(people) == {"Marcus Bell", "Okonkwo & Hale"}  # the KIND:group card is no person
    m = people["Marcus Bell"]
    assert m.uid == "urn:uuid:6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"
    assert m.phones == ("+1-212-555-0188", "+1-212-555-0189 ext. 204")
    assert m.relations == ("spouse", "child")
    assert m.source_categories == ("Mediators", "Clients", "Book Club")
    assert m.get("bday") == "--07-04"
    assert people["Okonkwo & Hale"].get("kind") == "org"


def test_name_falls_back_to_n_org_email() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nN:Stone;Emma;Q.;Hon.;\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nORG:Acme Title Co;Escrow\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nEMAIL:Who@Unknown.example\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nNOTE:nothing to call it by\nEND:VCARD\n"
    )
    res = parse_vcards(text, "t")
    assert [c.name for c in res.contacts] == [
        "Hon. Emma Q. Stone",
        "Acme Title Co",
        "who@unknown.example",
    ]
    assert len(res.problems) == 1 and res.problems[0].place == "t:13"


# --------------------------------------------------------------------------- broken input


def test_broken_cards_are_skipped_with_one_problem_each() -> None:
    res = VcardFile("broken", DATA / "broken.vcf").read()
    assert [c.name for c in res.contacts] == ["Alice Good", "Bob Good", "Carol Good", "Dave Good"]
    places = [p.place for p in res.problems]
    f = str(DATA / "broken.vcf")
    assert places == [f"{f}:9", f"{f}:17", f"{f}:28", f"{f}:36"]
    assert "not a vCard property line" in res.problems[0].message
    assert "no END:VCARD" in res.problems[1].message
    assert "not UTF-8" in res.problems[2].message and "re-save" in res.problems[2].message
    assert all(p.source == "broken" for p in res.problems)


def test_latin1_30_file_reads_ascii_cards_and_reports_the_others(tmp_path: Path) -> None:
    f = tmp_path / "old.vcf"
    f.write_bytes(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:José Núñez\r\nEND:VCARD\r\n".encode("latin-1")
    )
    res = VcardFile("old", f).read()
    assert [c.name for c in res.contacts] == ["Ann Lee"]
    assert len(res.problems) == 1 and res.problems[0].place == f"{f}:7"


def test_cp1252_21_file_without_charset_is_read() -> None:
    data = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Dübel;Jörg\r\nFN:Jörg Dübel\r\nEND:VCARD\r\n"
    res = parse_vcards(data.encode("cp1252"), "o")
    assert [c.name for c in res.contacts] == ["Jörg Dübel"] and not res.problems


def test_utf16_export_with_bom() -> None:
    data = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Park\r\nEND:VCARD\r\n"
    res = parse_vcards(b"\xff\xfe" + data.encode("utf-16-le"), "u")
    assert [c.name for c in res.contacts] == ["Zoë Park"]


def test_stray_text_and_empty_input() -> None:
    assert parse_vcards(b"", "e").contacts == [] and parse_vcards(b"", "e").problems == []
    res = parse_vcards("junk\nmore junk\nBEGIN:VCARD\nFN:A B\nEND:VCARD\nEND:VCARD\n", "s")
    assert [c.name for c in res.contacts] == ["A B"]
    assert [p.place for p in res.problems] == ["s:1", "s:6"]
    res = parse_vcards("hello, this is not a vcard\n", "x")
    assert len(res.problems) == 1


def test_missing_paths_raise_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        VcardFile("x", tmp_path / "nope.vcf").read()
    with pytest.raises(SourceError, match="vdir"):
        VcardFile("x", tmp_path).read()
    with pytest.raises(SourceError, match="no such folder"):
        VcardDir("x", tmp_path / "nope").read()
    (tmp_path / "f.vcf").write_text("")
    with pytest.raises(SourceError, match='type = "vcard"'):
        VcardDir("x", tmp_path / "f.vcf").read()


def test_protocol() -> None:
    assert isinstance(VcardFile("x", DATA / "apple30.vcf"), AddressBook)
    assert isinstance(VcardDir("x", DATA / "vdir"), AddressBook)
    assert VcardFile("x", DATA / "apple30.vcf").can_write_tags


def test_vdir_reads_one_card_per_file() -> None:
    res = VcardDir("khard", DATA / "vdir").read()
    assert sorted(c.name for c in res.contacts) == ["Grace Liu", "Omar Haddad"]
    assert len(res.problems) == 1 and res.problems[0].place.endswith("broken.vcf:1")  # type: ignore[union-attr]
    assert all(c.sources == ("khard",) for c in res.contacts)


def test_ids_are_unique_and_stable() -> None:
    text = "BEGIN:VCARD\nFN:John Smith\nEND:VCARD\n" * 3
    ids = [c.id for c in parse_vcards(text, "a").contacts]
    assert len(set(ids)) == 3 and ids == [c.id for c in parse_vcards(text, "a").contacts]
    assert ids[0] == contact_id(None, (), "John Smith")
    assert [c.id for c in unique_ids(parse_vcards(text, "a").contacts)] == ids


# --------------------------------------------------------------------------- write-back


def _tags_by_name(book: VcardFile | VcardDir) -> dict[str, tuple[str, ...]]:
    out = {}
    for c in book.read().contacts:
        v = c.get("netweave_tags")
        out[c.name] = tuple(v.split(",")) if v else ()
    return out


def test_write_tags_round_trip_keeps_every_other_byte(tmp_path: Path) -> None:
    f = tmp_path / "apple.vcf"
    shutil.copy(DATA / "apple30.vcf", f)
    original = f.read_bytes()
    book = VcardFile("apple", f)
    ada = next(c for c in book.read().contacts if c.name == "Adaeze Okafor")
    assert book.write_tags({ada.id: ("mentors", "targets"), "c-unknown": ("clients",)}) == []
    after = f.read_bytes()
    old_lines, new_lines = original.split(b"\r\n"), after.split(b"\r\n")
    added = [ln for ln in new_lines if ln not in old_lines]
    assert added == [b"CATEGORIES:netweave: mentors,netweave: targets"]
    assert [ln for ln in new_lines if ln not in added] == old_lines  # all else, in order
    assert new_lines.index(added[0]) < new_lines.index(b"END:VCARD")
    tags = _tags_by_name(book)
    assert tags["Adaeze Okafor"] == ("mentors", "targets") and tags["Tom Reyes"] == ()
    again = next(c for c in book.read().contacts if c.name == "Adaeze Okafor")
    assert again.source_categories == ("Federal Bar Council",)  # our tags are not fed back
    assert again.id == ada.id
    # the same tags again: nothing written at all
    mtime = f.stat().st_mtime_ns
    assert book.write_tags({ada.id: ("targets", "mentors")}) == []
    assert f.stat().st_mtime_ns == mtime and f.read_bytes() == after
    # new tags replace ours in place; no tags restore the original file exactly
    assert book.write_tags({ada.id: ("clients",)}) == []
    assert _tags_by_name(book)["Adaeze Okafor"] == ("clients",)
    assert book.write_tags({ada.id: ()}) == []
    assert f.read_bytes() == original
    assert not [p for p in tmp_path.iterdir() if p.name != "apple.vcf"]  # no temp files left


def test_write_tags_keeps_windows_1252_bytes(tmp_path: Path) -> None:
    f = tmp_path / "outlook.vcf"
    shutil.copy(DATA / "outlook21.vcf", f)
    original = f.read_bytes()
    book = VcardFile("outlook", f)
    ids = {c.name: c.id for c in book.read().contacts}
    tags = {ids["Søren Østergaard"]: ("clients",), ids["Lefèvre François"]: ("colleagues",)}
    assert book.write_tags(tags) == []
    after = f.read_bytes()
    assert b"N:Fran\xe7ois;Lef\xe8vre\r\n" in after  # raw ANSI bytes untouched
    removed = [ln for ln in original.split(b"\r\n") if ln not in after.split(b"\r\n")]
    assert removed == []
    assert after.count(b"CATEGORIES:netweave: ") == 2 and b"CATEGORIES:Clients\r\n" in after
    assert _tags_by_name(book)["Søren Østergaard"] == ("clients",)
    assert by_name(f)["Søren Østergaard"].source_categories == ("Clients",)


def test_write_tags_read_only_file_is_a_problem(tmp_path: Path) -> None:
    f = tmp_path / "ro.vcf"
    shutil.copy(DATA / "google30.vcf", f)
    os.chmod(f, stat.S_IRUSR | stat.S_IRGRP)
    original = f.read_bytes()
    book = VcardFile("ro", f)
    cid = book.read().contacts[0].id
    problems = book.write_tags({cid: ("friends",)})
    assert len(problems) == 1 and "read-only" in problems[0].message
    assert problems[0].place == str(f) and f.read_bytes() == original


def test_atomic_write_refuses_a_file_changed_meanwhile(tmp_path: Path) -> None:
    f = tmp_path / "a.vcf"
    f.write_bytes(b"new content")
    with pytest.raises(ChangedMeanwhile):
        atomic_write(f, b"ours", expect=b"old content")
    assert f.read_bytes() == b"new content" and [p.name for p in tmp_path.iterdir()] == ["a.vcf"]


def test_vdir_write_tags_touches_only_changed_files(tmp_path: Path) -> None:
    d = tmp_path / "vdir"
    shutil.copytree(DATA / "vdir", d)
    before = {p.name: p.read_bytes() for p in d.iterdir()}
    book = VcardDir("khard", d)
    grace = next(c for c in book.read().contacts if c.name == "Grace Liu")
    assert book.write_tags({grace.id: ("clients",)}) == []
    after = {p.name: p.read_bytes() for p in d.iterdir()}
    changed = [n for n in before if before[n] != after[n]]
    assert changed == ["3f2b9c1e-0a7d-4e5f-9b8c-7d6e5f4a3b2c.vcf"]
    assert set(after) == set(before)
    new = after[changed[0]]
    assert new.replace(b"CATEGORIES:netweave: clients\r\n", b"") == before[changed[0]]
    assert _tags_by_name(book)["Grace Liu"] == ("clients",)


# --------------------------------------------------------------------------- set_categories

CARD = (
    "BEGIN:VCARD\nVERSION:3.0\nFN:Priya Raman\n"
    "CATEGORIES:myContacts,Friends,netweave: friends\nNOTE:keep\\, me\nEND:VCARD\n"
)


def test_set_categories_mixed_line_keeps_user_values() -> None:
    out = set_categories(CARD, ["clients", "targets"], PREFIX)
    assert out == CARD.replace("netweave: friends", "netweave: clients,netweave: targets")
    assert set_categories(out, ["targets", "clients"], PREFIX) == out
    assert set_categories(out, [], PREFIX) == CARD.replace(",netweave: friends", "")


def test_set_categories_several_lines_and_groups() -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:X Y\r\nitem1.CATEGORIES:netweave: a\r\n"
        "CATEGORIES:Work\r\nCATEGORIES:netweave: b,Golf\r\nEND:VCARD\r\n"
    )
    out = set_categories(card, ["c"], PREFIX)
    assert out == (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:X Y\r\nitem1.CATEGORIES:netweave: c\r\n"
        "CATEGORIES:Work\r\nCATEGORIES:Golf\r\nEND:VCARD\r\n"
    )


def test_set_categories_quoted_printable_21() -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ana\r\n"
        "CATEGORIES;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Cl=E9=\r\nnts,netweave: x\r\n"
        "END:VCARD\r\n"
    )
    out = set_categories(card, ["clients"], PREFIX)
    assert "Cl=E9nts,netweave: clients\r\n" in out.replace("=\r\n", "")  # soft line break
    assert all(len(ln) <= 76 for ln in out.split("\r\n"))
    c = parse_vcards(out, "q").contacts[0]
    assert c.source_categories == ("Clénts",)
    assert c.get("netweave_tags") == "clients"


def test_set_categories_folds_long_lines_at_75_octets() -> None:
    card = "BEGIN:VCARD\nVERSION:3.0\nFN:Ülrich\nEND:VCARD\n"
    cats = [f"kategorie-{i}-überlang" for i in range(12)]
    out = set_categories(card, cats, PREFIX)
    assert all(len(ln.encode()) <= 75 for ln in out.split("\n"))
    assert "\r" not in out
    c = parse_vcards(out, "f").contacts[0]
    assert c.get("netweave_tags") == ",".join(cats)


def test_set_categories_needs_a_prefix_and_a_card() -> None:
    with pytest.raises(ValueError):
        set_categories(CARD, ["x"], "  ")
    with pytest.raises(ValueError):
        set_categories("FN:x\n", ["x"], PREFIX)


_cat = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and not s.lower().startswith("netweave:"))


@settings(max_examples=80, deadline=None)
@given(
    user=st.lists(_cat, max_size=4, unique_by=str.casefold),
    ours=st.lists(_cat, max_size=5, unique=True),
    crlf=st.booleans(),
)
def test_set_categories_round_trip(user: list[str], ours: list[str], crlf: bool) -> None:
    eol = "\r\n" if crlf else "\n"
    esc = [u.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;") for u in user]
    lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:Test Person", "EMAIL:t@example.com"]
    if esc:
        lines.append("CATEGORIES:" + ",".join(esc))
    lines.append("END:VCARD")
    card = eol.join(lines) + eol
    out = set_categories(card, ours, PREFIX)
    c = parse_vcards(out, "h").contacts[0]
    assert c.source_categories == tuple(user)
    got = c.get("netweave_tags")
    assert (got.split(",") if got else []) == [o.strip() for o in ours] or "," in "".join(ours)
    assert set_categories(out, ours, PREFIX) == out
    assert set_categories(out, [], PREFIX) == card
    if crlf:
        assert out.count("\r\n") == out.count("\n")


_LINES = st.sampled_from(
    [
        "BEGIN:VCARD",
        "END:VCARD",
        "VERSION:2.1",
        "VERSION:4.0",
        "FN:Ann Lee",
        "N:Lee;Ann;;;",
        "EMAIL;PREF;INTERNET:Ann@Lee.example",
        "TEL;VALUE=uri:tel:+1-212-555-0100",
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:caf=C3=A9 =",
        "NOTE;ENCODING=QUOTED-PRINTABLE:=ZZ=",
        "N;CHARSET=nonsense:x",
        " folded continuation",
        "item1.X-ABLabel:_$!<Mother>!$_",
        "item1.X-ABRELATEDNAMES:Mary Lee",
        "KIND:group",
        "MEMBER:urn:uuid:1",
        "UID:1",
        'TEL;TYPE="a:b";X=1:123',
        "CATEGORIES:a\\,b,netweave: x",
        "PHOTO;ENCODING=BASE64:",
        "QUJD",
        "garbage",
        "",
    ]
)


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(st.one_of(_LINES, st.text(max_size=20)), max_size=30),
    raw=st.binary(max_size=40),
)
def test_parse_never_raises(lines: list[str], raw: bytes) -> None:
    text = "\r\n".join(lines)
    for data in (text, text.encode("utf-8", "surrogatepass") + raw):
        res = parse_vcards(data, "fuzz")
        assert len({c.id for c in res.contacts}) == len(res.contacts)
        for c in res.contacts:
            assert c.name
            if "END:VCARD" in text:
                set_categories(
                    "BEGIN:VCARD\r\n" + "\r\n".join(lines) + "\r\nEND:VCARD\r\n", ["x"], PREFIX
                )
