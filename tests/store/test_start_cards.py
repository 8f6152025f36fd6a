"""The start page's cards kept beside the flow cache: a plain start draws its first frame from them.

They must show exactly what the loaded flows would, and never be used once anything the flows came
from changed: then the window loads the flows before its first frame, as without them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.core.library import load_library
from wizard.core.packs import flow_packs
from wizard.store import paths
from wizard.store.flow_cache import load_cached_library
from wizard.store.start_cards import StartCards, cards_file_for, cards_of, read_cards

DATA = Path(__file__).resolve().parents[1] / "data"


def cards_file() -> Path:
    return cards_file_for(paths.flow_cache_file())


def expected_cards(directories: list[Path]) -> StartCards:
    library = load_library(directories)
    return cards_of(library, flow_packs(library.origin, paths.builtin_flows_dir(), paths.user_flows_dir()))


def touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_the_built_in_flows_cards_are_kept_and_read_back_as_the_flows_show_them() -> None:
    directories = paths.flow_dirs()
    load_cached_library(directories)
    cards = read_cards(cards_file(), directories)
    assert cards is not None
    assert cards == expected_cards(directories)
    assert cards.groups[0][0] == "start" and [card.flow for card in cards.groups[0][1]] == ["start"]
    windows = next(card for card in cards.cards if card.flow == "windows")
    assert windows.text(windows.title, "sv") != windows.text(windows.title, "en")  # both languages kept
    assert {"sv", "en"} <= set(cards.languages)


def test_the_agents_own_flows_are_marked_on_their_cards() -> None:
    shutil.copytree(DATA / "pack" / "flows", paths.user_flows_dir())
    shutil.copytree(DATA / "pack" / "resources", paths.user_flows_dir().parent / "resources")
    directories = paths.flow_dirs()
    load_cached_library(directories)
    cards = read_cards(cards_file(), directories)
    assert cards is not None and cards == expected_cards(directories)
    demo = next(card for card in cards.cards if card.flow == "demo")
    assert demo.pack == "user"


def test_no_cards_for_an_organisation_pack(tmp_path: Path) -> None:
    """Named by its pack file, which the flows' key does not cover: such a start loads the flows."""
    shutil.copytree(DATA / "pack", tmp_path / "contoso")
    directories = [paths.builtin_flows_dir(), tmp_path / "contoso" / "flows"]
    load_cached_library(paths.flow_dirs())
    assert cards_file().is_file()
    load_cached_library(directories)
    assert read_cards(cards_file(), directories) is None
    assert not cards_file().exists()  # the built-in ones are gone too: one cache, one set of cards


def test_no_cards_for_flows_with_errors() -> None:
    own = paths.user_flows_dir()
    own.mkdir(parents=True)
    (own / "broken.yaml").write_text("id: broken\nnodes: [\n", encoding="utf-8")
    directories = paths.flow_dirs()
    library = load_cached_library(directories)
    assert library.errors
    assert read_cards(cards_file(), directories) is None


@pytest.mark.parametrize("change", ["edit a flow", "add a flow", "add a synonyms file"])
def test_cards_are_not_used_once_a_flow_file_changed(change: str) -> None:
    shutil.copytree(DATA / "pack" / "flows", paths.user_flows_dir())
    shutil.copytree(DATA / "pack" / "resources", paths.user_flows_dir().parent / "resources")
    directories = paths.flow_dirs()
    load_cached_library(directories)
    assert read_cards(cards_file(), directories) is not None
    own = paths.user_flows_dir()
    if change == "edit a flow":
        flow = next(own.glob("*.yaml"))
        flow.write_text(flow.read_text(encoding="utf-8").replace("Demo", "Edited demo", 1), encoding="utf-8")
        touch_later(flow)
    elif change == "add a flow":
        shutil.copy(next(own.glob("*.yaml")), own / "another.yaml")
    else:
        (own / "synonyms.en.yaml").write_text("language: en\nsynonyms:\n  - [a, b]\n", encoding="utf-8")
    assert read_cards(cards_file(), directories) is None
    load_cached_library(directories)  # the next load keeps cards for the flows as they are now
    again = read_cards(cards_file(), directories)
    if change == "add a flow":
        assert again is None  # two flows with one id: an error, so no cards
    else:
        assert again is not None and again == expected_cards(directories)


@pytest.mark.parametrize(
    "damage",
    [b"", b"{", b"[]", b'{"format": 1}', b"\xff\xfe", b"not json at all", b"null"],
)
def test_a_damaged_cards_file_is_not_used(damage: bytes) -> None:
    directories = paths.flow_dirs()
    load_cached_library(directories)
    cards_file().write_bytes(damage)
    assert read_cards(cards_file(), directories) is None


def test_cards_of_the_wrong_shape_are_not_used() -> None:
    directories = paths.flow_dirs()
    load_cached_library(directories)
    data = json.loads(cards_file().read_bytes())
    data["groups"][0][1][0][2] = "a title that should be a mapping"
    cards_file().write_text(json.dumps(data), encoding="utf-8")
    assert read_cards(cards_file(), directories) is None


def test_a_huge_cards_file_is_not_read() -> None:
    directories = paths.flow_dirs()
    load_cached_library(directories)
    with cards_file().open("ab") as file:
        file.write(b" " * (1024 * 1024 + 1))
    assert read_cards(cards_file(), directories) is None


def test_cards_of_another_version_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import wizard.store.start_cards as start_cards

    directories = paths.flow_dirs()
    load_cached_library(directories)
    monkeypatch.setattr(start_cards, "__version__", "99.0")
    assert read_cards(cards_file(), directories) is None


def test_reading_the_cards_imports_no_flow_model() -> None:
    load_cached_library(paths.flow_dirs())
    program = (
        "import sys\n"
        "from wizard.store import paths\n"
        "from wizard.store.start_cards import cards_file_for, read_cards\n"
        "cards = read_cards(cards_file_for(paths.flow_cache_file()), paths.flow_dirs())\n"
        "print(cards is not None, [m for m in ('wizard.core.model', 'wizard.core.library', 'pickle') if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "True []"
