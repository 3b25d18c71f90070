"""The two local address-book adapters: a ``.vcf`` file holding many cards, and a vdir (a
folder with one card per file, as khard and vdirsyncer keep them). Each reads its cards and
writes netweave's tags back into them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Self

from sync.model import Problem
from sync.sources.base import ContactsResult, SourceError
from sync.sources.vcard.fields import ParsedCard
from sync.sources.vcard.files import (
    ChangedMeanwhile,
    atomic_write,
    decode_file,
    encode_file,
    read_bytes,
    read_only_reason,
)
from sync.sources.vcard.parse import (
    DEFAULT_PREFIX,
    assign_ids,
    parse_vcards,
    parsed_with_ids,
    problem_at,
)
from sync.sources.vcard.write import retag_text

if TYPE_CHECKING:
    from sync.config import AddressBookConfig


class _VcardBook:
    """What a vCard file and a vdir share: where they are and netweave's tag prefix."""

    def __init__(self, name: str, path: Path, tag_prefix: str = DEFAULT_PREFIX) -> None:
        self.name = name
        self.path = Path(path)
        self.tag_prefix = tag_prefix

    @classmethod
    def from_config(cls, ab: AddressBookConfig) -> Self:
        assert ab.path is not None
        return cls(ab.name, ab.path, ab.tag_prefix)

    @property
    def can_write_tags(self) -> bool:
        return True


class VcardFile(_VcardBook):
    """A ``.vcf`` file with any number of cards (an Outlook, Apple or Google export)."""

    def _load(self) -> tuple[bytes, str, str, bytes]:
        data = read_bytes(self.name, self.path, "file")
        text, codec, bom = decode_file(data)
        return data, text, codec, bom

    def read(self) -> ContactsResult:
        _data, text, _codec, _bom = self._load()
        return parse_vcards(text, self.name, str(self.path), self.tag_prefix)

    def write_tags(self, tags: Mapping[str, tuple[str, ...]]) -> list[Problem]:
        place = str(self.path)
        try:
            data, text, codec, bom = self._load()
        except SourceError as e:
            return [Problem(self.name, e.message, place)]
        parsed, _stray = parsed_with_ids(text, self.name, self.tag_prefix)
        assign_ids(parsed)
        new_text, changed = retag_text(text, parsed, tags, self.tag_prefix)
        if not changed:
            return []
        why = read_only_reason(self.path)
        if why:
            return [Problem(self.name, f"{why} ({changed} cards to retag)", place)]
        try:
            atomic_write(self.path, encode_file(new_text, codec, bom), data)
        except ChangedMeanwhile:
            return [Problem(self.name, "the file changed while tags were written; next run", place)]
        except (OSError, UnicodeEncodeError) as e:
            return [Problem(self.name, f"tags not written: {e}", place)]
        return []


class VcardDir(_VcardBook):
    """A vdir: a folder with one card per ``.vcf`` file (khard, vdirsyncer)."""

    SUFFIXES = (".vcf", ".vcard")

    def _files(self) -> list[Path]:
        if not self.path.exists():
            raise SourceError(
                self.name,
                f"{self.path}: no such folder. Check the address book's path in the config "
                "(the vdir that khard/vdirsyncer keep).",
            )
        if not self.path.is_dir():
            raise SourceError(
                self.name, f'{self.path} is a file, not a folder: use type = "vcard" for it'
            )
        try:
            entries = sorted(self.path.iterdir())
        except PermissionError:
            raise SourceError(self.name, f"{self.path}: permission denied") from None
        return [
            f
            for f in entries
            if f.suffix.lower() in self.SUFFIXES and not f.name.startswith(".") and f.is_file()
        ]

    def _parse_all(
        self,
    ) -> tuple[list[tuple[Path, bytes, str, str, bytes, list[ParsedCard]]], list[Problem]]:
        files = []
        problems: list[Problem] = []
        for f in self._files():
            try:
                data = f.read_bytes()
            except OSError as e:
                problems.append(Problem(self.name, f"cannot read: {e.strerror}", str(f)))
                continue
            text, codec, bom = decode_file(data)
            parsed, stray = parsed_with_ids(text, self.name, self.tag_prefix)
            problems.extend(problem_at(self.name, str(f), b) for b in stray)
            if not parsed and not stray and text.strip():
                problems.append(Problem(self.name, "no vCard (BEGIN:VCARD) found", f"{f}:1"))
            files.append((f, data, text, codec, bom, parsed))
        assign_ids([p for *_, parsed in files for p in parsed])
        return files, problems

    def read(self) -> ContactsResult:
        files, problems = self._parse_all()
        contacts = []
        for f, *_rest, parsed in files:
            for p in parsed:
                if p.problem is not None:
                    problems.append(problem_at(self.name, str(f), p.problem, p.card.line))
                elif p.contact is not None:
                    contacts.append(p.contact)
        return ContactsResult(contacts=contacts, problems=problems)

    def write_tags(self, tags: Mapping[str, tuple[str, ...]]) -> list[Problem]:
        try:
            files, _problems = self._parse_all()
        except SourceError as e:
            return [Problem(self.name, e.message, str(self.path))]
        problems = []
        for f, data, text, codec, bom, parsed in files:
            new_text, changed = retag_text(text, parsed, tags, self.tag_prefix)
            if not changed:
                continue
            why = read_only_reason(f)
            if why:
                problems.append(Problem(self.name, why, str(f)))
                continue
            try:
                atomic_write(f, encode_file(new_text, codec, bom), data)
            except ChangedMeanwhile:
                problems.append(Problem(self.name, "changed while tags were written", str(f)))
            except (OSError, UnicodeEncodeError) as e:
                problems.append(Problem(self.name, f"tags not written: {e}", str(f)))
        return problems
