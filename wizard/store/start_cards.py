"""The start page's flow cards, kept beside the flow cache so the first window needs no flows loaded.

The first frame shows a card per flow: its title, one line on what it solves, its platform and where
it came from. Loading the cached flows (the model's classes and the library itself) takes a start a
good 20 ms; the cards, read from a small JSON file, take well under one. The flow cache writes
them with the library and this module reads them with the same care: they are used only while every
file the library was made from is as it was, else the window loads the flows before its first frame
as before. Cards are kept only for a library without problems whose flows are built in or the
agent's own (an organisation's pack is named by its pack file, which the flows' key does not
cover); in every other case the window starts the ordinary way.

Nothing here imports the flow model: that is the point of the module.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import __version__
from wizard.core.flow_files import flow_files_in, synonyms_files_in

if TYPE_CHECKING:
    from wizard.core.library import FlowLibrary
    from wizard.core.packs import Pack

CACHE_FORMAT = 1
CARDS_FORMAT = 1
# The modules whose code decides what loading gives: editing one (in a source checkout) is a change.
LOADING_CODE = ("model.py", "problems.py", "inline.py", "loader.py", "library.py", "synonyms.py")
_CORE = Path(__file__).resolve().parent.parent / "core"
MAX_CARDS_BYTES = 1024 * 1024  # a few dozen flows take a few KiB

Stamp = tuple[int, int, int] | str | None  # a file's (mtime_ns, size, inode), "folder" or None (absent)


def cards_file_for(cache_file: Path) -> Path:
    """Where the cards are kept: beside the flow cache they were written with."""
    return cache_file.with_name(cache_file.stem + "-cards.json")


def stamp(path: Path) -> Stamp:
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    if stat.S_ISDIR(found.st_mode):
        return "folder"
    return (found.st_mtime_ns, found.st_size, found.st_ino)


def listing(directory: Path) -> tuple[str, ...]:
    files = [*flow_files_in(directory), *synonyms_files_in(directory)]  # a new synonyms file counts too
    return tuple(path.name for path in files)


def library_key(directories: Sequence[Path]) -> tuple[object, ...]:
    """What a library depends on besides the consulted paths: versions, code and folder listings."""
    return (
        CACHE_FORMAT,
        __version__,
        sys.version_info[:2],
        tuple(stamp(_CORE / name) for name in LOADING_CODE),
        tuple((str(directory), listing(directory)) for directory in directories),
    )


@dataclass(frozen=True)
class Card:
    """One flow's card, its texts already plain, per language of the flows."""

    flow: str
    entry: str
    title: Mapping[str, str]
    description: Mapping[str, str]
    pack: str = ""  # where the flow came from: "" built in, "user" the agent's own, "organisation"
    pack_name: Mapping[str, str] = field(default_factory=dict)  # an organisation pack's name

    def text(self, texts: Mapping[str, str], lang: str) -> str:
        """`lang`'s text. A card holds every language the flows speak (the only ones the window
        offers), each already as the flow's own text falls back (`Text.get`)."""
        return texts.get(lang, "")


@dataclass(frozen=True)
class StartCards:
    """The cards by group, in the order the start page shows them: the start flow first ("start"),
    then one group per platform; and the languages the flows speak."""

    languages: tuple[str, ...]
    groups: tuple[tuple[str, tuple[Card, ...]], ...]

    @property
    def cards(self) -> list[Card]:
        return [card for _group, cards in self.groups for card in cards]


def cards_of(library: FlowLibrary, packs: Mapping[str, Pack]) -> StartCards:
    """The cards of a loaded library; `packs` says which pack each flow came from."""
    from wizard.core.inline import plain_text
    from wizard.core.model import PLATFORMS
    from wizard.core.packs import PackKind
    from wizard.core.walks import START_FLOW

    flowset = library.flowset
    languages = tuple(flowset.languages)

    def card(flow_id: str) -> Card:
        flow = flowset.flow(flow_id)
        pack = packs.get(flow_id)
        kind = "" if pack is None or pack.kind is PackKind.BUILTIN else pack.kind.value
        return Card(
            flow.id,
            flow.entry,
            {lang: plain_text(flow.title.get(lang)) for lang in languages},
            {lang: plain_text(flow.description.get(lang)) for lang in languages},
            kind,
            {lang: pack.name(lang) for lang in languages}
            if pack is not None and kind == "organisation"
            else {},
        )

    groups: list[tuple[str, tuple[Card, ...]]] = []
    if START_FLOW in flowset:
        groups.append(("start", (card(START_FLOW),)))
    for platform in PLATFORMS:
        members = [f.id for f in flowset if f.id != START_FLOW and f.platforms and f.platforms[0] == platform]
        if members:
            groups.append((platform, tuple(card(flow_id) for flow_id in members)))
    return StartCards(languages, tuple(groups))


def write_cards(
    cards_file: Path, key: tuple[object, ...], dependencies: Sequence[tuple[Path, Stamp]], cards: StartCards
) -> None:
    """Keep the cards with what they were made from; best effort, as the flow cache itself."""
    from wizard.core.files import write_atomically

    data = {
        "format": CARDS_FORMAT,
        "key": key,
        "dependencies": [[str(path), found] for path, found in dependencies],
        "languages": list(cards.languages),
        "groups": [
            [
                name,
                [
                    [c.flow, c.entry, dict(c.title), dict(c.description), c.pack, dict(c.pack_name)]
                    for c in group
                ],
            ]
            for name, group in cards.groups
        ],
    }
    with contextlib.suppress(OSError, ValueError):
        write_atomically(cards_file, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def forget_cards(cards_file: Path) -> None:
    with contextlib.suppress(OSError):
        cards_file.unlink(missing_ok=True)


def read_cards(cards_file: Path, directories: Sequence[Path]) -> StartCards | None:
    """The kept cards while everything they were made from is unchanged; None otherwise (no file,
    another version, a changed or new flow file, a damaged file)."""
    try:
        if cards_file.stat().st_size > MAX_CARDS_BYTES:
            return None
        data = json.loads(cards_file.read_bytes())
        if data.get("format") != CARDS_FORMAT or data.get("key") != _as_json(library_key(directories)):
            return None
        for path, found in data["dependencies"]:
            if _as_json(stamp(Path(path))) != found:
                return None
        return StartCards(
            tuple(str(lang) for lang in data["languages"]),
            tuple((str(name), tuple(_card(raw) for raw in group)) for name, group in data["groups"]),
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _card(raw: list[Any]) -> Card:
    flow, entry, title, description, pack, pack_name = raw
    if not all(isinstance(texts, dict) for texts in (title, description, pack_name)):
        raise TypeError("card texts")
    return Card(str(flow), str(entry), title, description, str(pack), pack_name)


def _as_json(value: object) -> object:
    """As the value reads back from JSON: tuples become lists."""
    if isinstance(value, tuple | list):
        return [_as_json(item) for item in value]
    return value


@dataclass(frozen=True)
class LibraryToCome:
    """A window's flows before they are loaded: the cards its first frame shows, and how to load
    the flows those cards were made from."""

    cards: StartCards
    load: Callable[[], FlowLibrary]
