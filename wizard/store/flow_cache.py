"""A cache of the loaded flows, so that the window opens without reading YAML again.

Importing PyYAML, parsing and checking the built-in flows takes longer than building the window;
yet flows change only when an author edits them. As with Python's own byte code, a cached library is
used while everything loading looked at is as it was: the list of flow files in each folder, and the
size, modification time and inode of each flow file, screenshot and resource folder it consulted.
Anything else (no cache, a stale, corrupt or foreign one, an unwritable folder) means loading from
the files as before: the cache can save time, never change what is loaded. The cache never takes the
last free space of a disk: the agent's cases need it first, so with less than FREE_SPACE_RESERVE left
after writing it, the cache is not written.

The cache is a pickle in the user's own cache folder, the same trust as the settings beside it.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from wizard.core import library as core_library  # no YAML: the loader is imported on a miss
from wizard.core.library import FlowLibrary
from wizard.store import paths
from wizard.store.start_cards import (
    Stamp,
    cards_file_for,
    cards_of,
    forget_cards,
    library_key,
    listing,
    read_cards,
    write_cards,
)
from wizard.store.start_cards import stamp as _stamp

FREE_SPACE_RESERVE = 64 * 1024 * 1024  # left free for the case database, whatever the cache would save


def load_cached_library(
    directories: Sequence[Path], cache_file: Path | None = None, *, refresh: bool = False
) -> FlowLibrary:
    """The library of `directories`: from the cache while it is current, otherwise loaded and cached.

    `refresh` loads from the files whatever the cache says (a watcher saw a change: on a file system
    with coarse modification times, an edit within the same tick would otherwise go unseen).
    """
    cache_file = cache_file or paths.flow_cache_file()
    key = library_key(directories)
    cached = None if refresh else _read(cache_file, key)
    if cached is not None:
        if read_cards(cards_file_for(cache_file), directories) is None:  # e.g. kept by an older version
            _keep_cards(cache_file, key, cached, _flow_file_stamps(directories) + _consulted(cached))
        return cached

    before = _flow_file_stamps(directories)
    library = core_library.load_library(directories)
    after = _flow_file_stamps(directories)
    if after == before:  # not saved while an editor was writing
        _write(cache_file, key, library, after)
    return library


def _flow_file_stamps(directories: Sequence[Path]) -> list[tuple[Path, Stamp]]:
    return [
        (directory / name, _stamp(directory / name))
        for directory in directories
        for name in listing(directory)
    ]


def _consulted(library: FlowLibrary) -> list[tuple[Path, Stamp]]:
    return [(path, _stamp(path)) for path in library.consulted]


def _read(cache_file: Path, key: tuple[object, ...]) -> FlowLibrary | None:
    try:
        data = cache_file.read_bytes()
    except OSError:
        return None
    try:
        stored_key, dependencies, library = pickle.loads(data)
    except Exception:  # corrupt, truncated, or written by code that no longer exists: load afresh
        return None
    if stored_key != key or not isinstance(library, FlowLibrary):
        return None
    if any(_stamp(path) != stamp for path, stamp in dependencies):
        return None
    return library


def _write(
    cache_file: Path,
    key: tuple[object, ...],
    library: FlowLibrary,
    flow_files: list[tuple[Path, Stamp]],
) -> None:
    from wizard.core.files import write_atomically

    dependencies = flow_files + _consulted(library)
    # The per-file load records serve `validate`, which always reads the files; the window needs
    # only the flows and their problems.
    slim = replace(library, files=[])
    try:
        data = pickle.dumps((key, dependencies, slim), protocol=pickle.HIGHEST_PROTOCOL)
        if _free_space(cache_file) - len(data) < FREE_SPACE_RESERVE:
            return  # a nearly full disk: the next start reads the files, the cases keep the space
        write_atomically(cache_file, data)
    except (OSError, pickle.PicklingError):
        return  # a read-only or full disk costs the next start its speed, nothing else
    _keep_cards(cache_file, key, library, dependencies)


def _keep_cards(
    cache_file: Path, key: tuple[object, ...], library: FlowLibrary, dependencies: list[tuple[Path, Stamp]]
) -> None:
    """The start page's cards, for a library the first frame can show from them alone: no problems
    to list, and every flow built in or the agent's own."""
    cards_file = cards_file_for(cache_file)
    builtin, own = paths.builtin_flows_dir(), paths.user_flows_dir()
    if library.problems and any(problem.is_error for problem in library.problems):
        forget_cards(cards_file)
        return
    if any(directory not in (builtin, own) for directory in library.origin.values()):
        forget_cards(cards_file)
        return
    from wizard.core.packs import flow_packs  # built-in and own packs: no file is read

    write_cards(cards_file, key, dependencies, cards_of(library, flow_packs(library.origin, builtin, own)))


def _free_space(cache_file: Path) -> int:
    """Bytes free on the disk that holds (or would hold) the cache; 0 when that cannot be told."""
    folder = cache_file.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0
