"""`netweave init`: the interactive wizard (answers typed in) and the non-interactive flags."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sync import config as configmod
from sync.cli import cli, main
from sync.init import AnswerError, Answers, parse_source, parse_window, render, validate

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-21T10:00:00-05:00"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "out" / "networking").mkdir(parents=True)
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.setenv("NETWEAVE_STATE", str(tmp_path / "state.sqlite"))
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


ESSENTIALS = (
    "--goal", "Known as a trial lawyer",
    "--addressbook", "vcard:examples/contacts.vcf",
    "--calendar", "ics:examples/calendar.ics",
)  # fmt: skip


def run(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as e:
        return int(e.code or 0)
    return 0


def test_interactive_first_run_writes_a_config_that_plans(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = home / "nw" / "config.toml"
    answers = "\n".join(
        [
            "Mars/Olympus",  # not a zone: asked again
            "America/Chicago",
            "Dana Whitfield",
            "dana@baxterlowe.com, dana@gmail.com",
            "Equity partner at a small litigation firm",
            "Known as a trial lawyer",
            "3.5",
            "tue,thu 07:30-09:00 60",  # breakfast
            "mon-fri 15:00-17:00 45",  # coffee
            "sometimes",  # lunch: not understood, asked again
            "no",  # lunch
            "",  # evening: the default
            "vcard",
            "examples/contacts.vcf",
            "vdir",
            "examples/nextcloud",
            "",  # no more address books
            "ics",
            "examples/calendar.ics",
            "n",  # not written to
            "vdir",
            "out/networking",
            "y",  # netweave writes here
            "y",  # others can see it: confidential
            "",  # no more calendars
            "y",  # write it
            "y",  # create the missing folder nw/
        ]
    )
    result = CliRunner().invoke(cli, ["init", "--out", str(out)], input=answers + "\n")
    assert result.exit_code == 0, result.output
    assert f"The folder {out.parent} does not exist. Create it?" in result.output
    assert "not an IANA time zone" in result.output
    assert "expected days and hours" in result.output
    config = configmod.load(out)
    assert config.owner.timezone == "America/Chicago" and config.owner.name == "Dana Whitfield"
    assert config.owner.emails == ("dana@baxterlowe.com", "dana@gmail.com")
    assert [g.text for g in config.goals] == [
        "Equity partner at a small litigation firm",
        "Known as a trial lawyer",
    ]
    assert config.budget.hours_per_week == 3.5
    assert [(w.name, w.days, f"{w.start:%H:%M}", w.duration_minutes) for w in config.windows] == [
        ("breakfast", ("tue", "thu"), "07:30", 60),
        ("coffee", ("mon", "tue", "wed", "thu", "fri"), "15:00", 45),
        ("evening", ("tue", "wed", "thu"), "18:00", 90),
    ]
    assert [(a.type, a.path) for a in config.addressbooks] == [
        ("vcard", home / "examples" / "contacts.vcf"),
        ("vdir", home / "examples" / "nextcloud"),
    ]
    assert [(c.type, c.write, c.shared) for c in config.calendars] == [
        ("ics", False, False),
        ("vdir", True, True),
    ]
    assert out.stat().st_mode & 0o777 == 0o600
    # The written config works as is, from anywhere.
    capsys.readouterr()
    assert run("--config", str(out), "plan", "--json") == 0
    assert capsys.readouterr().out.lstrip().startswith("[")


def test_flags_only_with_yes(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = home / "flags.toml"
    code = run(
        "init", "--yes", "--out", str(out),
        "--timezone", "America/New_York",
        "--goal", "Equity partner at a small litigation firm",
        "--hours", "4",
        "--window", "lunch mon-fri 12:00-14:00 60",
        "--addressbook", "vcard:examples/contacts.vcf",
        "--addressbook", "csv:linkedin:examples/none.csv",
        "--calendar", "ics:examples/calendar.ics",
        "--calendar", "vdir:out/networking:write",
        "--calendar", "caldav:https://dav.example.com/cal/dana/:write:shared",
        "--dav-user", "dana", "--dav-password-env", "DAV_PASSWORD",
    )  # fmt: skip
    _out, err = capsys.readouterr()
    assert code == 0, err
    assert "wrote" in err and f"netweave --config {out} plan" in err
    assert "examples/none.csv does not exist yet" in err
    config = configmod.load(out)
    assert config.goals[0].id == "equity-partner-small-litigation"
    assert [w.name for w in config.windows] == ["lunch"]
    assert [(a.type, a.dialect) for a in config.addressbooks] == [
        ("vcard", None),
        ("csv", "linkedin"),
    ]
    assert [(c.type, c.write, c.shared, c.url) for c in config.calendars] == [
        ("ics", False, False, None),
        ("vdir", True, False, None),
        ("caldav", True, True, "https://dav.example.com/cal/dana/"),
    ]
    assert config.calendars[2].username == "dana"
    assert config.calendars[2].password.env == "DAV_PASSWORD"


def test_never_overwrites_without_force(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = home / "config.toml"
    out.write_text("# mine\n", encoding="utf-8")
    args = ["init", "--yes", "--out", str(out), "--timezone", "Europe/London", *ESSENTIALS]
    assert run(*args) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "# mine\n"
    assert run(*args, "--force") == 0
    assert configmod.load(out).owner.timezone == "Europe/London"


def test_bad_answers_are_refused_before_anything_is_written(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = home / "c.toml"
    assert run("init", "--yes", "--out", str(out), "--timezone", "Mars/Olympus") == 2
    assert "owner.timezone" in capsys.readouterr().err
    assert run("init", "--yes", "--out", str(out), "--window", "brunch sun 11:00-10:00") == 2
    assert "must be after the start" in capsys.readouterr().err
    assert run("init", "--yes", "--out", str(out), "--calendar", "exchange:x.ics") == 2
    assert "ics, vdir, google, caldav" in capsys.readouterr().err
    many = [a for g in ("one", "two", "three") for a in ("--goal", g)]
    assert run("init", "--yes", "--out", str(out), "--timezone", "UTC", *many) == 2
    assert "one or two" in capsys.readouterr().err
    assert not out.exists()


def test_declining_at_the_end_writes_nothing(home: Path) -> None:
    out = home / "c.toml"
    result = CliRunner().invoke(
        cli,
        ["init", "--out", str(out), "--timezone", "UTC", "--goal", "g", "--hours", "2",
         "--window", "coffee mon 15:00-16:00", "--addressbook", "google", "--calendar", "google"],
        input="\n\n\nn\n",
    )  # fmt: skip
    assert result.exit_code != 0
    assert "Write this to" in result.output and not out.exists()


def test_missing_config_says_how_to_create_one(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--config", str(home / "absent.toml"), "plan") == 2
    err = capsys.readouterr().err
    assert "no config file" in err and "netweave init" in err


def test_parsers() -> None:
    w = parse_window("breakfast", "Tue, Thu 7:30-9:00")
    assert w is not None and w.days == ("tue", "thu") and w.duration_minutes == 60
    assert parse_window("evening", "no") is None
    with pytest.raises(AnswerError):
        parse_window("coffee", "mon 15:00-15:30 45")
    with pytest.raises(AnswerError):
        parse_window("coffee", "someday 15:00-16:00")
    assert parse_source("google", "addressbook").type == "google"
    s = parse_source("caldav:https://h.example/dav/cal:write", "calendar")
    assert (s.url, s.write, s.shared) == ("https://h.example/dav/cal", True, False)
    with pytest.raises(AnswerError):
        parse_source("carddav:ftp://x", "addressbook")
    with pytest.raises(AnswerError):
        parse_source("vcard", "addressbook")
    text = render(Answers(timezone="UTC", goals=('Say "hi" \\ back',), name="Zoë"))
    config = validate(text, Path("/tmp/x.toml"))
    assert config.goals[0].text == 'Say "hi" \\ back' and config.owner.name == "Zoë"


# ------------------------------------------------------------------ what a person sees


def test_enter_to_everything_writes_nothing_and_says_what_is_missing(home: Path) -> None:
    out = home / "c.toml"
    result = CliRunner().invoke(cli, ["init", "--out", str(out)], input="\n" * 40)
    assert result.exit_code == 2, result.output
    assert "a goal" in result.output and "an address book" in result.output
    assert "a calendar" in result.output and "nothing written" in result.output
    assert not out.exists()


def test_yes_writes_the_same_default_windows_as_pressing_enter(home: Path) -> None:
    flags, asked = home / "flags.toml", home / "asked.toml"
    assert run("init", "--yes", "--out", str(flags), "--timezone", "UTC", *ESSENTIALS) == 0
    answers = "UTC\n\n\n4\n\n\n\n\ny\n"
    result = CliRunner().invoke(cli, ["init", "--out", str(asked), *ESSENTIALS], input=answers)
    assert result.exit_code == 0, result.output
    by_flags, by_enter = configmod.load(flags).windows, configmod.load(asked).windows
    assert [w.name for w in by_flags] == ["breakfast", "coffee", "lunch", "evening"]
    assert by_flags == by_enter
    assert "[[windows]]" in flags.read_text(encoding="utf-8")


def test_goal_ids_are_whole_words() -> None:
    goal = "Equity-partner track at a small-to-medium litigation firm in New York"
    text = render(Answers(timezone="UTC", goals=(goal, "To be known as a trial lawyer")))
    config = validate(text, Path("/tmp/x.toml"))
    words = set(goal.lower().replace("-", " ").split())
    for g in config.goals:
        assert len(g.id) <= 32
        assert all(part in words | {"known", "trial", "lawyer"} for part in g.id.split("-"))
    assert config.goals[0].id == "equity-partner-track-small"
    assert config.goals[1].id == "known-trial-lawyer"


def test_out_into_a_missing_folder_says_it_creates_it(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = home / "new" / "deeper" / "config.toml"
    assert run("init", "--yes", "--out", str(out), "--timezone", "UTC", *ESSENTIALS) == 0
    assert f"created folder {out.parent}" in capsys.readouterr().err
    refused = home / "other" / "config.toml"
    result = CliRunner().invoke(
        cli, ["init", "--out", str(refused), "--timezone", "UTC", "--hours", "4",
              "--window", "coffee mon 15:00-16:00", *ESSENTIALS],
        input="\n\n\ny\nn\n",
    )  # fmt: skip
    assert result.exit_code != 0 and "Create it?" in result.output
    assert not refused.parent.exists()


def test_caldav_asks_for_a_user_and_a_password_source(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = home / "c.toml"
    url = "caldav:https://dav.example.com/cal/dana/:write"
    args = ["init", "--yes", "--out", str(out), "--timezone", "UTC", *ESSENTIALS]
    assert run(*args, "--calendar", url) == 2
    err = capsys.readouterr().err
    assert "--dav-user" in err and "--dav-password-env" in err and not out.exists()
    result = CliRunner().invoke(
        cli,
        ["init", "--out", str(out), "--timezone", "UTC", "--hours", "4",
         "--window", "coffee mon 15:00-16:00", *ESSENTIALS, "--calendar", url],
        input="\n\n\ndana\npass show dav\ny\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "User name" in result.output and "password" in result.output
    cal = configmod.load(out).calendars[-1]
    assert (cal.username, cal.password.command) == ("dana", "pass show dav")


def test_hours_errors_are_plain_words(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = home / "c.toml"
    assert run("init", "--yes", "--out", str(out), "--hours", "abc", *ESSENTIALS) == 2
    err = capsys.readouterr().err
    assert "float range" not in err
    assert "'abc' is not a number of hours" in err and "between 0.5 and 80" in err
    assert run("init", "--yes", "--out", str(out), "--hours", "100", *ESSENTIALS) == 2
    assert "100 hours a week is out of range" in capsys.readouterr().err
