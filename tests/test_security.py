"""Security: private files and folders; no secret in logs, exports or error messages at any
verbosity; the shared (confidential) export carries none of the sensitive words."""

from __future__ import annotations

import json
import socket
import stat
import textwrap
from datetime import datetime
from pathlib import Path

import pytest
from example_home import make_home
from google.oauth2.credentials import Credentials

from sync.cli import main
from sync.config import load
from sync.sources.google.credentials import SCOPE_CALENDAR_EVENTS, save_token

DAV_PASSWORD = "dav-Pa55word-do-not-leak-7f3a"
ACCESS_TOKEN = "ya29.access-token-do-not-leak-91b2"
REFRESH_TOKEN = "1//refresh-token-do-not-leak-c4d8"
CLIENT_SECRET = "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f6"
SECRETS = (DAV_PASSWORD, ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example config, plus a CalDAV calendar and Google contacts whose servers are down
    (every request fails: error paths print what they print), with real-looking secrets."""
    port = closed_port()
    token = tmp_path / "google" / "token.json"
    token.parent.mkdir()
    save_token(
        token,
        Credentials(
            token=ACCESS_TOKEN,
            refresh_token=REFRESH_TOKEN,
            token_uri=f"http://127.0.0.1:{port}/token",
            client_id="cid.apps.googleusercontent.com",
            client_secret=CLIENT_SECRET,
            scopes=[SCOPE_CALENDAR_EVENTS],
            expiry=datetime(2020, 1, 1),
        ),
    )
    secrets_file = tmp_path / "client_secret.json"
    secrets_file.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": "cid",
                    "client_secret": CLIENT_SECRET,
                    "token_uri": f"http://127.0.0.1:{port}/token",
                }
            }
        )  # fmt: skip
    )

    def with_servers_down(text: str) -> str:
        text = text.replace("private = true ", "private = false")  # the neutral (shared) export
        text += textwrap.dedent(
            f"""
            [[calendars]]
            type = "caldav"
            name = "fastmail"
            url = "http://127.0.0.1:{port}/dav/"
            username = "dana"
            password_env = "NW_TEST_DAV_PASSWORD"
            write = false
            timeout = 2

            [google]
            client_secrets = "{secrets_file}"
            token_file = "{token}"
            api_endpoint = "http://127.0.0.1:{port}/calendar/v3/"
            max_retries = 0
            """
        )
        return text.replace(
            '[[addressbooks]]\ntype = "vdir"',
            '[[addressbooks]]\ntype = "google"\nname = "gmail"\n\n[[addressbooks]]\ntype = "vdir"',
            1,
        )

    monkeypatch.setenv("NW_TEST_DAV_PASSWORD", DAV_PASSWORD)
    return make_home(tmp_path, monkeypatch, config=with_servers_down)


def run(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = 0
    try:
        main(["--config", str(home / "config.toml"), *args])
    except SystemExit as e:
        code = int(e.code or 0)
    except Exception as e:  # noqa: BLE001 - a crash's text must not leak either
        code = 99
        print(repr(e))
    out, err = capsys.readouterr()
    return code, out + err


def assert_no_secret(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret[:12]}... appears in {where}"


@pytest.mark.parametrize("verbosity", [[], ["-v", "-v"]])
def test_no_secret_in_output_logs_or_exports_at_any_verbosity(
    home: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    verbosity: list[str],
) -> None:
    caplog.set_level(1)
    for command in (["sync", "--json"], ["status"], ["export"]):
        code, text = run(home, capsys, *verbosity, *command)
        assert code in (0, 1, 2), (command, text[-2000:])
        assert_no_secret(text, " ".join(command))
    assert_no_secret(caplog.text, "the log records")
    for f in home.rglob("*"):
        if f.is_file() and f.suffix in (".ics", ".sqlite", ".json", ".txt", ".log", ".lock"):
            if f.name in ("token.json", "client_secret.json"):
                continue
            data = f.read_bytes().decode("utf-8", "replace")
            assert_no_secret(data, str(f))


def test_errors_name_the_source_but_not_the_secret(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run(home, capsys, "-v", "-v", "sync", "--json")
    assert code == 1
    assert "fastmail" in text and "gmail" in text
    assert_no_secret(text, "sync -v -v")


def test_state_cache_lock_and_token_files_are_private(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cfg = home / "config.toml"
    state_dir = tmp_path / "deep" / "state"
    cfg.write_text(
        cfg.read_text().replace('path = "out/state.sqlite"', f'path = "{state_dir}/state.sqlite"')
    )
    run(home, capsys, "sync")
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700
    for f in state_dir.rglob("*"):
        mode = stat.S_IMODE(f.stat().st_mode)
        if f.is_dir():
            assert mode == 0o700, f
        else:
            assert mode & 0o077 == 0, (f, oct(mode))
    token = home / "google" / "token.json"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    new_token = tmp_path / "fresh" / "t.json"
    fresh = Credentials(
        token="x", refresh_token="y", client_id="c", client_secret="s", token_uri="http://l/t"
    )
    save_token(new_token, fresh)
    assert stat.S_IMODE(new_token.stat().st_mode) == 0o600
    assert stat.S_IMODE(new_token.parent.stat().st_mode) & 0o077 == 0


def test_shared_export_has_none_of_the_sensitive_words(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = load(home / "config.toml")
    assert config.confidential.sensitive_words and not config.export.private
    out = home / "shared-agenda.ics"
    code, text = run(home, capsys, "export", "--out", str(out), "--weeks", "8")
    assert out.exists(), text[-1000:]
    data = out.read_text(encoding="utf-8").casefold()
    assert "begin:vevent" in data
    for word in config.confidential.sensitive_words:
        assert word.casefold() not in data, word
