"""CSV address books: LinkedIn, Google, Outlook, alumni directories, custom mappings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.config import AddressBookConfig
from sync.merge import merge_contacts
from sync.model import Contact
from sync.sources.base import AddressBook, SourceError
from sync.sources.csvbook import CsvAddressBook, parse_csv
from sync.sources.vcard import VcardFile

DATA = Path(__file__).parent / "data"
CSV = DATA / "csv"
ALUMNI_COLUMNS = {
    "name": "Alumnus/Alumna",
    "class_year": "Degree Year",
    "school": "=NYU School of Law",
    "email": "Preferred Email",
}


def book(
    file: str, dialect: str, columns: dict[str, str] | None = None, encoding: str = "utf-8-sig"
) -> CsvAddressBook:
    return CsvAddressBook(
        AddressBookConfig(
            type="csv",
            name=f"csv:{file}",
            key="addressbooks[3]",
            path=CSV / file,
            dialect=dialect,
            columns=tuple(sorted((columns or {}).items())),
            encoding=encoding,
        )
    )


def by_name(contacts: list[Contact]) -> dict[str, Contact]:
    return {c.name: c for c in contacts}


def test_linkedin_preamble_bom_crlf_quoted_commas_and_empty_emails() -> None:
    b = book("linkedin_connections.csv", "linkedin")
    assert isinstance(b, AddressBook) and not b.can_write_tags
    res = b.read()
    people = by_name(res.contacts)
    assert list(people) == [
        "Nora Quinlan",
        "Rachel Kim",
        "Zoë Adébayo-Smith",
        "José Núñez",
        "Steven Marsh",
        "Wei 李",
        "Grace Liu",
    ]
    nora = people["Nora Quinlan"]
    assert nora.emails == () and nora.organization == "Kim & Osei, LLP"
    assert nora.title == "Of Counsel" and nora.source_categories == ("LinkedIn",)
    assert nora.get("connected_on") == "2025-10-14"
    assert nora.uid == "https://www.linkedin.com/in/nora-quinlan-3a1b2c"
    assert people["Zoë Adébayo-Smith"].title == "Director, Legal Operations"
    assert people["Zoë Adébayo-Smith"].emails == ("zoe.as@gmail.example",)
    assert all(c.sources == ("csv:linkedin_connections.csv",) for c in res.contacts)
    # the deleted member's row (no name, no email) is reported with its line
    assert len(res.problems) == 1
    assert res.problems[0].place == f"{CSV / 'linkedin_connections.csv'}:12"


def test_google_csv_labels_multi_values_and_multiline_notes() -> None:
    res = book("google_contacts.csv", "google").read()
    assert not res.problems
    p, h = res.contacts
    assert p.name == "Priya Raman"
    assert p.emails == ("priya.raman@fintrust.example", "priya.raman@gmail.example")
    assert p.source_categories == ("Friends", "NYU Law")  # "* myContacts" dropped
    assert (
        p.note == "Law school classmate (NYU '08), moot court partner.\nAsk about the GC opening."
    )
    assert (p.organization, p.title) == ("FinTrust Capital", "Associate General Counsel")
    assert p.get("city") == "Hoboken" and p.get("bday") == "1984-05-17"
    assert h.name == "Helen Cho" and h.phones == ("+1 212-555-0190",)
    assert h.source_categories == ("Doctors",)


def test_outlook_csv_in_windows_1252() -> None:
    # with the default UTF-8 the accented row is reported (with a hint), the rest read
    res = book("outlook_contacts.csv", "outlook").read()
    assert [c.name for c in res.contacts] == ["Ann Lee"]
    assert len(res.problems) == 1
    assert res.problems[0].place == f"{CSV / 'outlook_contacts.csv'}:2"
    assert "cp1252" in res.problems[0].message
    res = book("outlook_contacts.csv", "outlook", encoding="cp1252").read()
    assert not res.problems
    j = by_name(res.contacts)["Jürgen Müller"]
    assert j.emails == ("jmueller@kesslerstrauss.example",)
    assert j.phones == ("(212) 555-0142", "+1 917 555 0199")
    assert j.source_categories == ("Clients", "Bar Association")
    assert j.note == "Met at the ABA – litigation section."
    assert by_name(res.contacts)["Ann Lee"].emails == (
        "ann@leeforensics.example",
        "ann.lee@gmail.example",
    )


def test_alumni_directory_with_mapping_constant_school_and_semicolons() -> None:
    res = book("alumni_directory.csv", "alumni", ALUMNI_COLUMNS).read()
    assert not res.problems
    people = by_name(res.contacts)
    assert list(people) == ["Marcus Bell", "Grace Liu", "Daniel Osei"]
    m = people["Marcus Bell"]
    assert m.get("school") == "NYU School of Law" and m.get("class_year") == "2008"
    assert m.organization == "Bell Mediation Group" and m.source_categories == ("Alumni",)
    assert people["Daniel Osei"].get("class_year") == "2008"
    assert people["Grace Liu"].get("class_year") == "2011"
    assert people["Daniel Osei"].get("city") == "Brooklyn"


def test_bad_rows_are_reported_with_line_numbers() -> None:
    res = book("bad_rows.csv", "linkedin").read()
    assert [c.name for c in res.contacts] == ["Good Row", "Also Good"]
    f = CSV / "bad_rows.csv"
    assert [p.place for p in res.problems] == [f"{f}:3", f"{f}:4", f"{f}:5"]
    assert "9 fields" in res.problems[0].message
    assert "0xE9" in res.problems[1].message
    assert by_name(res.contacts)["Also Good"].get("connected_on") == "2024-02-03"


def test_custom_mapping_and_errors(tmp_path: Path) -> None:
    data = (
        "Full Name\tMail\tFirm\tGroups\n"
        "Ada Obi\tADA@OBI.example; ada@home.example\tObi LLP\tRotary\n"
    )
    res = parse_csv(
        data,
        "custom",
        "custom",
        {"name": "Full Name", "email": "Mail", "company": "Firm", "categories": "Groups"},
    )
    (c,) = res.contacts
    assert c.emails == ("ada@obi.example", "ada@home.example")
    assert c.organization == "Obi LLP" and c.source_categories == ("Rotary",)
    with pytest.raises(SourceError, match=r"addressbooks\[3\].columns.nmae"):
        parse_csv(data, "x", "custom", {"nmae": "Full Name"}, key="addressbooks[3]")
    with pytest.raises(SourceError, match="map at least name"):
        parse_csv(data, "x", "custom", {}, key="addressbooks[3]")
    with pytest.raises(SourceError, match="no header row"):
        parse_csv("a,b\n1,2\n", "x", "linkedin")
    with pytest.raises(SourceError, match="no such file"):
        book("missing.csv", "linkedin").read()


def test_write_tags_is_a_problem_not_a_crash() -> None:
    b = book("linkedin_connections.csv", "linkedin")
    assert b.write_tags({}) == []
    assert len(b.write_tags({"c-1": ("clients",)})) == 1


def test_utf16_excel_export(tmp_path: Path) -> None:
    text = "Name\tEmail\tEmployer\nÅsa Berg\tasa@berg.example\tBerg AB\n"
    f = tmp_path / "alumni.txt"
    f.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    res = parse_csv(f.read_bytes(), "a", "alumni")
    assert [(c.name, c.organization) for c in res.contacts] == [("Åsa Berg", "Berg AB")]


# --------------------------------------------------------------------------- merging


def test_linkedin_merges_with_vcards_by_email_then_name_and_org() -> None:
    vcf = "".join(
        f"BEGIN:VCARD\nVERSION:3.0\nFN:{n}\nEMAIL:{e}\nORG:{o}\nEND:VCARD\n"
        for n, e, o in [
            ("Nora Quinlan", "nquinlan@kimosei.example", "Kim & Osei LLP"),
            ("Steven Marsh", "SMarsh@BaxterLowe.example", "Baxter & Lowe"),
            ("Jose Nunez", "jnunez@pierceadler.example", "Pierce Adler"),
            ("Josefina Nunez", "jo.nunez@pierceadler.example", "Pierce Adler"),
        ]
    )
    from sync.sources.vcard import parse_vcards

    cards = parse_vcards(vcf, "contacts").contacts
    linked = book("linkedin_connections.csv", "linkedin").read().contacts
    alumni = book("alumni_directory.csv", "alumni", ALUMNI_COLUMNS).read().contacts
    order = ["contacts", "csv:linkedin_connections.csv", "csv:alumni_directory.csv"]
    merged, problems = merge_contacts([*alumni, *linked, *cards], order)
    people = by_name(merged)
    # by name + organisation ("Kim & Osei, LLP" == "Kim & Osei LLP"), keeping the vCard's id
    nora = people["Nora Quinlan"]
    assert nora.sources == ("contacts", "csv:linkedin_connections.csv")
    assert nora.id == next(c.id for c in cards if c.name == "Nora Quinlan")
    assert nora.get("connected_on") == "2025-10-14"
    # by email
    assert people["Steven Marsh"].sources == ("contacts", "csv:linkedin_connections.csv")
    # email-less rows of one person in two CSVs are merged with each other
    grace = people["Grace Liu"]
    assert grace.sources == ("csv:linkedin_connections.csv", "csv:alumni_directory.csv")
    assert grace.get("class_year") == "2011" and grace.get("connected_on") == "2016-03-03"
    assert people["Daniel Osei"].sources == ("csv:alumni_directory.csv",)
    # "José Núñez" at Pierce Adler fits both Jose and Josefina Nunez there: reported, not merged
    assert "José Núñez" in people and people["José Núñez"].sources == (
        "csv:linkedin_connections.csv",
    )
    assert len(problems) == 1 and "José Núñez" in problems[0].message
    assert "jnunez@pierceadler.example" in problems[0].message


def test_name_and_org_rule_is_conservative() -> None:
    def c(name: str, org: str, src: str, email: str = "") -> Contact:
        from sync.model import contact_id

        emails = (email,) if email else ()
        return Contact(
            id=contact_id(None, emails, name),
            name=name,
            emails=emails,
            organization=org,
            sources=(src,),
        )

    cases = [
        (c("Bob Stone", "Acme Inc.", "li"), c("Robert Stone", "ACME", "vc", "rs@acme.example"), 1),
        (c("R. Stone", "Acme", "li"), c("Robert Stone", "Acme", "vc", "rs@acme.example"), 2),
        (c("Bob Stone", "Acme", "li"), c("Robert Stone", "Beta", "vc", "rs@beta.example"), 2),
        (c("Bob Stone", "", "li"), c("Robert Stone", "", "vc", "rs@acme.example"), 2),
        (c("Mary Stone", "Acme", "li"), c("Robert Stone", "Acme", "vc", "rs@acme.example"), 2),
        (c("Ann Lee", "Acme", "li"), c("Ann Lee", "Acme", "al"), 1),
    ]
    for a, b, n in cases:
        merged, _ = merge_contacts([a, b], ["vc", "li", "al"])
        assert len(merged) == n, (a.name, b.name)


def test_example_linkedin_export_merges_with_the_address_book() -> None:
    f = Path(__file__).resolve().parent.parent / "examples" / "linkedin.csv"
    res = parse_csv(f.read_bytes(), "linkedin", "linkedin")
    assert res.problems == []
    assert len(res.contacts) == 10
    vcards = VcardFile("contacts", f.parent / "contacts.vcf").read().contacts
    merged, problems = merge_contacts([*vcards, *res.contacts], ["contacts", "linkedin"])
    by_name: dict[str, list[Contact]] = {}
    for c in merged:
        by_name.setdefault(c.name, []).append(c)
    # by email (case-insensitive, non-ASCII name), and by name + organisation without email
    for name in ("Lauren Fitch", "Zoë Müller", "Catherine Burke", "José Álvarez"):
        assert len(by_name[name]) == 1, name
        assert set(by_name[name][0].sources) == {"contacts", "linkedin"}, name
    burke = by_name["Catherine Burke"][0]
    assert burke.get("connected_on") == "2023-03-14"
    assert len(merged) == len(vcards) + len(res.contacts) - 4
    assert by_name["Priyanka Das"][0].organization == "Hollis, Tate & Associates"


@settings(max_examples=100, deadline=None)
@given(body=st.text(max_size=300), raw=st.binary(max_size=30))
def test_parse_never_raises_after_a_header(body: str, raw: bytes) -> None:
    head = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    for data in (head + body, (head + body).encode("utf-8", "surrogatepass") + raw):
        res = parse_csv(data, "fuzz", "linkedin")
        assert len({c.id for c in res.contacts}) == len(res.contacts)
        assert all(c.name for c in res.contacts)
