"""What differs on Windows, checked on any machine by faking the platform where the code branches.

The folders come from platformdirs' Windows rules (fed the folders Windows would report), the flow
path list is split by `;`, files are written without `os.fchmod` (absent on Windows before Python
3.13) and a target held open by another program cannot be replaced (Windows refuses the rename).
"""

from __future__ import annotations

import os
from pathlib import Path, PureWindowsPath

import platformdirs
import platformdirs.windows
import pytest

from wizard.core.case import Case
from wizard.export import write_export
from wizard.store import paths
from wizard.store.settings import write_atomically

WINDOWS_FOLDERS = {
    "CSIDL_APPDATA": r"C:\Users\agent\AppData\Roaming",
    "CSIDL_LOCAL_APPDATA": r"C:\Users\agent\AppData\Local",
    "CSIDL_COMMON_APPDATA": r"C:\ProgramData",
}


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """platformdirs as it behaves on Windows; nothing of ours moved by WIZARD_HOME or the tests."""
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", WINDOWS_FOLDERS.__getitem__)
    monkeypatch.delenv(paths.HOME_VARIABLE)
    monkeypatch.delenv(paths.SITE_CONFIG_VARIABLE)


def windows_path(path: Path) -> PureWindowsPath:
    return PureWindowsPath(str(path))


def test_windows_folders(on_windows: None) -> None:
    """Where IT finds an agent's settings, cases and cache, and where it puts machine-wide settings."""
    local = PureWindowsPath(r"C:\Users\agent\AppData\Local\troubleshooting-wizard")
    assert windows_path(paths.settings_file()) == local / "settings.json"
    assert windows_path(paths.cases_database()) == local / "cases.sqlite3"
    assert windows_path(paths.user_flows_dir()) == local / "flows"
    assert windows_path(paths.flow_cache_file()) == local / "Cache" / "flows.pickle"
    assert windows_path(paths.site_settings_file()) == PureWindowsPath(
        r"C:\ProgramData\troubleshooting-wizard\settings.json"
    )


def test_wizard_home_wins_on_windows_too(
    on_windows: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A portable install (WIZARD_HOME on a USB stick) keeps everything in its folder."""
    monkeypatch.setenv(paths.HOME_VARIABLE, str(tmp_path))
    assert paths.settings_file() == tmp_path / "config" / "settings.json"
    assert paths.cases_database() == tmp_path / "data" / "cases.sqlite3"


def test_flows_path_splits_on_semicolons_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drive letters hold a colon: on Windows the list separator is `;`, as in PATH."""
    monkeypatch.setattr(os, "pathsep", ";")
    monkeypatch.setenv(paths.FLOWS_PATH_VARIABLE, r"C:\Packs\Contoso;;\\fileserver\packs\fabrikam; ")
    assert [str(path) for path in paths.env_flow_dirs()] == [
        r"C:\Packs\Contoso",
        r"\\fileserver\packs\fabrikam",
    ]


def test_flows_path_splits_on_colons_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "pathsep", ":")
    monkeypatch.setenv(paths.FLOWS_PATH_VARIABLE, "/opt/contoso/flows::/srv/packs")
    assert paths.env_flow_dirs() == [Path("/opt/contoso/flows"), Path("/srv/packs")]


def test_files_are_written_without_fchmod(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delattr(os, "fchmod")
    target = tmp_path / "export.md"
    write_atomically(target, "line one\nline two\n", mode=0o644)
    assert target.read_bytes() == b"line one\nline two\n"


def test_a_target_held_open_elsewhere_keeps_its_old_content(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Windows refuses to replace a file another program holds open (an export open in an editor)."""
    target = tmp_path / "case.md"
    target.write_bytes(b"old\n")

    def refuse(source: object, destination: object) -> None:
        raise PermissionError(
            13, "The process cannot access the file because it is being used by another process"
        )

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_atomically(target, "new\n")
    assert target.read_bytes() == b"old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["case.md"]  # no temporary file left behind


@pytest.mark.parametrize("fmt", ["md", "txt", "html", "json"])
def test_exports_have_the_same_line_endings_whatever_the_notes_held(
    fixed_case: Case, fmt: str, tmp_path: Path
) -> None:
    """Notes typed or pasted on Windows carry CRLF; the file on disk has LF only, whatever the platform."""
    fixed_case.session.set_note("Checked the portal.\r\nRestarted the device.\rDone.", position=1)
    target = tmp_path / f"case.{fmt}"
    write_export(target, fixed_case, fmt, "en")
    data = target.read_bytes()
    assert b"\r" not in data and b"Restarted the device." in data
