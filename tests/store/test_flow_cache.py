"""The flow cache: used only while everything loading looked at is unchanged, never wrong, never in the way."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.core import library as core_library
from wizard.core.library import FlowLibrary, load_library
from wizard.store import paths
from wizard.store.flow_cache import load_cached_library

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A writable copy of the test pack: flows/ and resources/ side by side."""
    shutil.copytree(DATA / "pack", tmp_path / "pack")
    return tmp_path / "pack" / "flows"


def same(cached: FlowLibrary, fresh: FlowLibrary) -> None:
    assert cached.flowset.flows == fresh.flowset.flows
    assert cached.problems == fresh.problems
    assert cached.origin == fresh.origin


def touch_later(path: Path) -> None:
    """Give the file a newer modification time even on file systems with coarse clocks."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_the_second_load_comes_from_the_cache_and_equals_a_fresh_load(pack: Path) -> None:
    first = load_cached_library([pack])
    assert paths.flow_cache_file().is_file()
    second = load_cached_library([pack])
    assert second is not first
    assert second.files == []  # the cached copy: per-file load records are for `validate` only
    same(second, load_library([pack]))
    same(first, load_library([pack]))


def test_a_cached_start_does_not_import_yaml(pack: Path, tmp_path: Path) -> None:
    """The point of the cache: the window's start-up never pays for PyYAML."""
    load_cached_library([pack])
    program = (
        "import sys\n"
        "from pathlib import Path\n"
        "from wizard.store.flow_cache import load_cached_library\n"
        f"library = load_cached_library([Path({str(pack)!r})])\n"
        "print(len(library.flowset), 'yaml' in sys.modules, 'wizard.core.loader' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "WIZARD_HOME": os.environ["WIZARD_HOME"]},
    )
    assert result.stdout.split() == ["2", "False", "False"]


def test_an_edited_flow_is_loaded_again(pack: Path) -> None:
    load_cached_library([pack])
    demo = pack / "demo.yaml"
    demo.write_text(demo.read_text(encoding="utf-8").replace("Demo", "Edited demo", 1), encoding="utf-8")
    touch_later(demo)
    again = load_cached_library([pack])
    same(again, load_library([pack]))
    assert "Edited demo" in str(again.flowset.flow("demo").title.by_lang)


def test_an_added_or_edited_synonyms_file_is_read_again(pack: Path) -> None:
    assert load_cached_library([pack]).flowset.synonyms == {}
    synonyms = pack / "synonyms.sv.yaml"
    synonyms.write_text("language: sv\nsynonyms:\n  - [synka, synkronisera]\n", encoding="utf-8")
    added = load_cached_library([pack])
    assert added.flowset.synonyms["sv"].groups == (("synka", "synkronisera"),)
    synonyms.write_text("language: sv\nsynonyms:\n  - [cert, certifikat]\n", encoding="utf-8")
    touch_later(synonyms)
    assert load_cached_library([pack]).flowset.synonyms["sv"].groups == (("cert", "certifikat"),)


def test_refresh_reads_the_files_even_when_the_cache_looks_current(pack: Path) -> None:
    """An edit within one tick of a coarse clock keeps size and time; the watcher's reload still sees it."""
    load_cached_library([pack])
    demo = pack / "demo.yaml"
    stat = demo.stat()
    text = demo.read_text(encoding="utf-8")
    demo.write_text(text.replace("Demoflöde", "Demoflöda", 1), encoding="utf-8")  # same size
    os.utime(demo, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "Demoflöde" in str(load_cached_library([pack]).flowset.flow("demo").title.by_lang)
    refreshed = load_cached_library([pack], refresh=True)
    assert "Demoflöda" in str(refreshed.flowset.flow("demo").title.by_lang)
    same(refreshed, load_library([pack]))


def test_a_new_or_removed_flow_file_is_seen(pack: Path) -> None:
    before = load_cached_library([pack])
    extra = pack / "extra.yaml"
    extra.write_text("this: is not a flow\n", encoding="utf-8")
    with_extra = load_cached_library([pack])
    assert any(problem.path == extra for problem in with_extra.problems)
    extra.unlink()
    same(load_cached_library([pack]), before)


def test_a_removed_screenshot_is_reported_although_no_flow_file_changed(pack: Path) -> None:
    assert load_cached_library([pack]).errors == []
    (pack.parent / "resources" / "screenshots" / "phone.sv.svg").unlink()
    after = load_cached_library([pack])
    assert any("phone.sv.svg" in problem.message for problem in after.errors)
    same(after, load_library([pack]))


def test_other_folders_are_another_library(pack: Path, tmp_path: Path) -> None:
    load_cached_library([pack])
    empty = tmp_path / "empty"
    empty.mkdir()
    assert len(load_cached_library([empty]).flowset) == 0
    assert len(load_cached_library([pack]).flowset) == 2


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle", b"\x80\x05garbage", b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00K\x01."],
)
def test_a_damaged_cache_is_replaced_by_a_fresh_load(pack: Path, damage: bytes) -> None:
    load_cached_library([pack])
    paths.flow_cache_file().write_bytes(damage)
    same(load_cached_library([pack]), load_library([pack]))
    assert paths.flow_cache_file().read_bytes() != damage  # written again, correctly
    same(load_cached_library([pack]), load_library([pack]))


def test_an_unwritable_cache_folder_costs_nothing_but_speed(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("wizard.core.files.write_atomically", refuse)
    same(load_cached_library([pack]), load_library([pack]))
    assert not paths.flow_cache_file().exists()


def test_a_file_changing_while_it_is_loaded_is_not_cached(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_load = core_library.load_library

    def load_while_an_editor_saves(directories: list[Path]) -> FlowLibrary:
        loaded = real_load(directories)
        touch_later(pack / "demo.yaml")
        return loaded

    monkeypatch.setattr(core_library, "load_library", load_while_an_editor_saves)
    load_cached_library([pack])
    assert not paths.flow_cache_file().exists()


def test_the_library_records_the_screenshots_it_looked_for(pack: Path) -> None:
    consulted = load_library([pack]).consulted
    resources = (pack.parent / "resources").resolve()
    assert resources / "screenshots" / "phone.en.svg" in consulted
    assert resources / "screenshots" / "phone.sv.svg" in consulted


def test_a_nearly_full_disk_is_left_to_the_cases(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is written only while it leaves the reserve free; loading works the same either way."""
    from wizard.store import flow_cache

    free = {"bytes": 2 * 1024 * 1024}  # room for the cache, and then hardly any for the cases
    real_usage = shutil.disk_usage

    def usage(path: str | os.PathLike[str]) -> object:
        total, used, _free = real_usage(path)
        return type(real_usage(path))(total, used, free["bytes"])

    monkeypatch.setattr(flow_cache.shutil, "disk_usage", usage)
    library = load_cached_library([pack])
    assert not paths.flow_cache_file().exists()
    same(library, load_library([pack]))
    free["bytes"] = 10 * 1024**3
    load_cached_library([pack])
    assert paths.flow_cache_file().is_file()
