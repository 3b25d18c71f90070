"""What a person sees from the CLI is true and clear: the sync's change lines and summary, dry
runs, -q, colour, narrow terminals, status times, --from mistakes, serve's URL, schedule output,
doctor, and the README's usage block against --help."""

from __future__ import annotations

import io
import json
import re
import socket
from pathlib import Path

import click
import pytest
from example_home import ROOT, cli, make_home

from sync.cli import cli as netweave
from sync.cli.common import want_color

NOW = "2026-12-04T10:00:00-05:00"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_home(tmp_path, monkeypatch, NOW, plain_terminal=True)


LINE = re.compile(r"^  (inserted|updated|deleted|would \w+)\s+(\w{3} \d\d \w{3}) (\d\d:\d\d)-")


def change_lines(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if LINE.match(ln)]


# ------------------------------------------------------------------ sync output


def test_sync_lines_are_in_date_order_under_week_headings_with_who(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(home, capsys, "sync", "--weeks", "4")
    assert code == 0
    lines = change_lines(out)
    assert len(lines) > 5
    from datetime import datetime

    starts = []
    for ln in lines:
        m = LINE.match(ln)
        assert m is not None
        starts.append(datetime.strptime(f"2026 {m.group(2)} {m.group(3)}", "%Y %a %d %b %H:%M"))
    assert starts == sorted(starts)
    assert "Week of Mon 30 Nov 2026" in out.split(lines[0])[0]
    assert any("Elena Vasquez: Coffee" in ln for ln in lines)
    assert "wrote:" not in out
    assert re.search(r"^inserted \d+, updated 0, deleted 0 in networking; 0 unchanged$", out, re.M)


def test_deletions_name_what_was_deleted_and_nothing_written_says_so(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(home, capsys, "sync", "--weeks", "4")[0] == 0
    # fewer one-on-ones a week: a meeting is no longer planned (a shorter --weeks deletes
    # nothing: events beyond its horizon are outside the plan, not out of it)
    cfg = home / "config.toml"
    text = cfg.read_text()
    cfg.write_text(text.replace("max_one_on_ones_per_week = 3", "max_one_on_ones_per_week = 1"))
    code, out, _ = cli(home, capsys, "sync", "--weeks", "4", "--dry-run")
    assert code == 0
    deletions = [ln for ln in change_lines(out) if "would delete" in ln]
    assert deletions and not any("@netweave.invalid" in ln for ln in deletions)
    assert any("Coffee" in ln and "(no longer planned)" in ln for ln in deletions)
    n = len(deletions)
    assert f"would insert 0, update 0, delete {n}" in out
    assert "wrote" not in out
    cfg.write_text(text)
    code, out, _ = cli(home, capsys, "sync", "--weeks", "4")
    assert "nothing changed in networking" in out and "wrote" not in out
    assert not change_lines(out)


def test_dry_run_counts_what_would_change_in_text_and_json(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(home, capsys, "sync", "--dry-run", "--weeks", "2")
    lines = change_lines(out)
    assert code == 0 and lines and all(ln.startswith("  would insert") for ln in lines)
    assert f"dry run, nothing written: would insert {len(lines)}, update 0, delete 0" in out
    code, out, _ = cli(home, capsys, "sync", "--dry-run", "--json", "--weeks", "2")
    data = json.loads(out)
    assert data["dry_run"] is True and data["inserted"] == len(lines)
    assert not (home / "out" / "networking").exists() or not any(
        (home / "out" / "networking").iterdir()
    )


def test_quiet_sync_prints_no_progress_or_summary_but_errors(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(home, capsys, "-q", "sync", "--weeks", "2")
    assert code == 0 and out == "" and err == ""
    cfg = home / "config.toml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("examples/calendar.ics", "examples/gone.ics"),
        encoding="utf-8",
    )
    code, out, err = cli(home, capsys, "-q", "sync", "--weeks", "2")
    assert code == 1 and out == ""
    assert "error:" in err and "gone.ics" in err


# ------------------------------------------------------------------ colour and width


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_auto_honours_no_color_and_the_flag_wins() -> None:
    assert want_color("auto", Tty(), {}) is True
    assert want_color("auto", Tty(), {"NO_COLOR": "1"}) is False
    assert want_color("auto", Tty(), {"NO_COLOR": ""}) is True
    assert want_color("auto", io.StringIO(), {}) is False
    assert want_color("always", io.StringIO(), {"NO_COLOR": "1"}) is True
    assert want_color("never", Tty(), {}) is False


def test_color_flag_on_the_plan(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(home, capsys, "--color", "always", "plan", "--weeks", "2")
    assert code == 0 and "\x1b[" in out
    code, out, _ = cli(home, capsys, "--color", "never", "plan", "--weeks", "2")
    assert code == 0 and "\x1b[" not in out
    code, _out, err = cli(home, capsys, "--color", "sometimes", "plan")
    assert code == 2 and "--color" in err


def test_week_table_at_60_columns_keeps_words_whole(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = cli(home, capsys, "plan", "--weeks", "2")
    assert code == 0
    lines = out.splitlines()
    assert all(len(ln) <= 60 for ln in lines), max(lines, key=len)
    for whole in ("Elena Vasquez", "Midtown Manhattan, near the office", "small-firm-partner"):
        assert any(whole in ln for ln in lines), whole
    assert "3h50 of 4h" in out  # the week of 7 Dec: two coffees with their travel


# ------------------------------------------------------------------ status, --from, serve


def test_status_times_are_in_the_owners_zone_to_the_minute(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(home, capsys, "sync", "--weeks", "2")[0] == 0
    code, out, _ = cli(home, capsys, "status")
    assert code == 0
    first = out.splitlines()[0]
    assert re.fullmatch(
        r"last sync: \w{3} \d\d \w{3} \d{4} \d\d:\d\d \(America/New_York\) \(exit 0\)", first
    ), first
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", out)


@pytest.mark.parametrize("day", ["9999-12-25", "1900-01-01"])
def test_from_far_from_today_is_one_clear_usage_error(
    home: Path, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    code, out, err = cli(home, capsys, "plan", "--from", day)
    assert code == 2 and out == ""
    assert err.count("Error") == 1 and "--from" in err and "within 5 years" in err
    assert "internal error" not in err


def test_serve_on_every_address_prints_the_host_name_and_warns(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sync.serve import FeedServer

    def stop(self: FeedServer, poll_interval: float = 0.5) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(FeedServer, "serve_forever", stop)
    code, out, err = cli(home, capsys, "serve", "--host", "0.0.0.0", "--port", "0")
    assert code == 0
    url = out.strip()
    assert url.startswith(f"webcal://{socket.gethostname()}:") and "0.0.0.0" not in url
    assert "warning: listening on every network" in err


# ------------------------------------------------------------------ schedule


def test_schedule_shows_failures_and_says_where_units_go(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(home, capsys, "schedule", "--format", "systemd")
    assert code == 0 and "SuccessExitStatus" not in out
    assert ".config/systemd/user" in err and "--install" in err
    code, out, _ = cli(home, capsys, "schedule", "--cron", "--every", "2h")
    line = out.strip().splitlines()[-1]
    assert line.startswith("7 */2 * * * ") and "|| true" not in line and "/dev/null" not in line
    assert line.endswith(f">>{home / 'out' / 'sync.log'} 2>&1")


def test_cron_refuses_a_span_it_cannot_keep(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for every in ("7h", "45m", "90m", "2d"):
        code, out, err = cli(home, capsys, "schedule", "--cron", "--every", every)
        assert code == 2 and out == "", every
        assert "cron cannot run that span exactly" in err and "systemd" in err
    for every, spec in (("15m", "*/15 * * * *"), ("8h", "7 */8 * * *"), ("1d", "7 6 * * *")):
        code, out, _ = cli(home, capsys, "schedule", "--cron", "--every", every)
        assert code == 0 and out.strip().splitlines()[-1].startswith(spec + " ")


def test_schedule_for_macos_and_windows(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import plistlib

    code, out, err = cli(home, capsys, "schedule", "--format", "launchd", "--every", "7h")
    assert code == 0 and "Library/LaunchAgents" in err
    plist = plistlib.loads(out.split("\n", 1)[1].encode())
    assert plist["StartInterval"] == 7 * 3600 and plist["ProgramArguments"][-3:] == [
        "-q",
        "sync",
        "--scheduled",
    ]
    assert plist["StandardErrorPath"].endswith("sync.log")
    code, out, _ = cli(home, capsys, "schedule", "--format", "schtasks", "--every", "30m")
    assert code == 0
    assert "schtasks /Create /F /TN" in out and "/SC MINUTE /MO 30 /TR" in out


# ------------------------------------------------------------------ doctor


def test_doctor_says_what_to_fix(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(home))
    cfg = home / "config.toml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("examples/calendar.ics", "examples/gone.ics"),
        encoding="utf-8",
    )
    code, out, _ = cli(home, capsys, "doctor")
    assert code == 1
    assert re.search(r"^ok   config: .*config.toml loads$", out, re.M)
    assert re.search(r"^FIX  calendars\[0\] .*gone.ics", out, re.M)
    assert "-> check the path in the config" in out
    assert "FIX  no sync has run yet" in out and "-> run `netweave sync`" in out
    assert "FIX  schedule: not scheduled" in out
    assert re.search(r"^ok   addressbooks\[0\]", out, re.M)
    (home / "nope.toml").write_text("[owner]\ntimezone = 'Mars/Olympus'\n", encoding="utf-8")
    code, out, _ = cli(home, capsys, "--config", str(home / "nope.toml"), "doctor")
    assert code == 2 and "FIX  config:" in out and "owner.timezone" in out


# ------------------------------------------------------------------ README


def _readme_usage() -> dict[str, set[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Use", 1)[1].split("```", 2)[1]
    commands: dict[str, set[str]] = {}
    current = ""
    for ln in block.splitlines()[1:]:
        m = re.match(r"^  (\w+(?: [a-z]\w*)?)(?=\s|$)", ln)  # "auth google", not "done NAME"
        if m and not ln.startswith("   "):
            head = m.group(1)
            current = head if head.split()[0] != "auth" else head
            commands.setdefault(current, set())
        elif ln.startswith("netweave"):
            current = ""
            commands.setdefault(current, set())
        commands.setdefault(current, set()).update(re.findall(r"(?<![\w-])(--?[\w-]+)", ln))
    return commands


def _help_options(command: click.Command) -> set[str]:
    out: set[str] = set()
    for p in command.params:
        if isinstance(p, click.Option):
            out.update(o for o in p.opts if o not in ("-h", "--help"))
    return out


def test_readme_usage_matches_help() -> None:
    readme = _readme_usage()
    expected: dict[str, set[str]] = {"": _help_options(netweave) | {"--version", "-h", "--help"}}
    for name, command in netweave.commands.items():
        if isinstance(command, click.Group):
            for sub, subcommand in command.commands.items():
                expected[f"{name} {sub}"] = _help_options(subcommand)
        else:
            expected[name] = _help_options(command)
    assert readme.keys() == expected.keys()
    for name, options in expected.items():
        assert readme[name] == options, name


def test_no_writable_calendar_is_said_plainly(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = home / "config.toml"
    text = cfg.read_text(encoding="utf-8")
    assert "write = true" in text
    cfg.write_text(text.replace("write = true", "write = false"), encoding="utf-8")
    (home / "out" / "networking").mkdir(parents=True)
    code, out, _ = cli(home, capsys, "sync", "--weeks", "2")
    assert code == 0 and "no calendar has write = true" in out
    assert "nothing changed" not in out


def test_plan_json_keeps_the_explanation(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(home, capsys, "plan", "--json", "--explain", "--weeks", "2")
    data = json.loads(out)
    assert code == 0 and data["events"] and data["explanation"]
    code, out, _ = cli(home, capsys, "plan", "--json", "--weeks", "2")
    assert isinstance(json.loads(out), list)
