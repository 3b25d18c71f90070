"""The bytes of a vCard file: detecting its encoding and BOM (so that a rewrite gives back the
same bytes), reading it with errors a user can act on, and replacing it atomically when no one
changed it meanwhile."""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import tempfile
from pathlib import Path

from sync.sources.base import SourceError


def decode_file(data: bytes) -> tuple[str, str, bytes]:
    """Text of a file, the codec and BOM to write it back with. UTF-8 is decoded with
    surrogateescape so that bytes in other charsets survive a rewrite byte for byte."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "surrogateescape"), "utf-8", codecs.BOM_UTF8
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[2:].decode(codec, "replace"), codec, bom
    head = data[:4]
    if len(head) == 4 and head[1] == 0 and head[3] == 0 and head[0] and head[2]:
        return data.decode("utf-16-le", "replace"), "utf-16-le", b""
    if len(head) == 4 and head[0] == 0 and head[2] == 0 and head[1] and head[3]:
        return data.decode("utf-16-be", "replace"), "utf-16-be", b""
    return data.decode("utf-8", "surrogateescape"), "utf-8", b""


def encode_file(text: str, codec: str, bom: bytes) -> bytes:
    if codec == "utf-8":
        return bom + text.encode("utf-8", "surrogateescape")
    return bom + text.encode(codec)


def read_bytes(source: str, path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(
            source,
            f"{path}: no such {what}. Check the address book's path in the config "
            "(export your contacts as .vcf there).",
        ) from None
    except IsADirectoryError:
        raise SourceError(
            source, f'{path} is a folder: use type = "vdir" for a folder of .vcf files'
        ) from None
    except PermissionError:
        raise SourceError(source, f"{path}: permission denied; let this user read it") from None
    except OSError as e:
        raise SourceError(source, f"{path}: cannot read: {e.strerror}") from None


def read_only_reason(path: Path) -> str | None:
    """Why ``path`` must not be rewritten, or None. Mode bits count even for root."""
    try:
        st = path.stat()
    except OSError as e:
        return f"cannot stat: {e.strerror}"
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
        path, os.W_OK
    ):
        return "the file is read-only: tags not written (make it writable or set write_tags=false)"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "its folder is not writable: tags not written"
    return None


def atomic_write(path: Path, data: bytes, expect: bytes) -> None:
    """Replace ``path`` with ``data`` (temp file + fsync + os.replace), unless its content is no
    longer ``expect`` (someone edited it meanwhile). Raises OSError or ChangedMeanwhile."""
    target = path.resolve()
    st = target.stat()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if target.read_bytes() != expect:
            raise ChangedMeanwhile(str(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    try:
        dfd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


class ChangedMeanwhile(Exception):
    pass
