"""The standalone build recipe and the Windows installer script, checked without building.

The build itself runs in CI (`python scripts/build_standalone.py --check` in .ci/run); here the
parts that differ on Windows are checked by faking the platform the script branches on.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from wizard import APP_ID, __version__

REPO = Path(__file__).resolve().parents[2]
ISS = REPO / "packaging" / "windows" / "troubleshooting-wizard.iss"


@pytest.fixture
def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_standalone", REPO / "scripts" / "build_standalone.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_reads_the_one_version_and_id(build_script: ModuleType) -> None:
    assert build_script.version() == __version__
    assert build_script.package_constant("APP_ID") == APP_ID


def test_windows_programs_and_environment(
    build_script: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(build_script, "WINDOWS", True)
    monkeypatch.setattr(build_script.os, "pathsep", ";")
    monkeypatch.setenv("SYSTEMROOT", r"C:\Windows")
    folder = tmp_path / "troubleshooting-wizard"
    assert build_script.program(folder).name == "troubleshooting-wizard-cli.exe"  # prints for checks
    assert build_script.program(folder, console=False).name == "troubleshooting-wizard.exe"
    env = build_script.bare_environment(tmp_path)
    assert env["PATH"] == r"C:\Windows\System32;C:\Windows"
    assert "python" not in env["PATH"].lower()
    assert {"SYSTEMROOT", "APPDATA", "LOCALAPPDATA", "USERPROFILE"} <= env.keys()


def test_linux_environment_has_no_python(
    build_script: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(build_script, "WINDOWS", False)
    env = build_script.bare_environment(tmp_path)
    assert env == {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    assert build_script.program(tmp_path).name == "troubleshooting-wizard"


def test_installer_script_is_per_machine_with_start_menu_and_silent_uninstall() -> None:
    text = ISS.read_text(encoding="utf-8")
    assert "UNTESTED" in text
    setup = dict(re.findall(r"^(\w+)=(.*)$", text, flags=re.MULTILINE))
    assert setup["PrivilegesRequired"] == "admin"  # per machine
    assert setup["DefaultDirName"] == r"{autopf}\{#AppName}"
    assert setup["UninstallDisplayIcon"] == r"{app}\{#AppExe}"  # the entry in Apps & features
    assert re.search(
        r'^Name: "\{autoprograms\}\\\{#AppName\}"; Filename: "\{app\}\\\{#AppExe\}"', text, re.MULTILINE
    )
    assert '#define AppExe "troubleshooting-wizard.exe"' in text
    spec = (REPO / "packaging" / "pyinstaller" / "troubleshooting-wizard.spec").read_text(encoding="utf-8")
    assert 'program("troubleshooting-wizard", console=not windows)' in spec  # the exe the entry starts
    assert (ISS.parent / setup["SetupIconFile"].replace("\\", "/")).resolve().is_file()


def test_our_pyside6_run_time_hook_is_the_one_used() -> None:
    """PyInstaller's own imports QtCore at every start; ours only sets Qt's folders (see hooks/rthooks)."""
    import ast

    hooks = REPO / "packaging" / "pyinstaller" / "hooks"
    table = ast.literal_eval((hooks / "rthooks.dat").read_text(encoding="utf-8"))
    assert list(table) == ["PySide6"]
    source = (hooks / "rthooks" / table["PySide6"][0]).read_text(encoding="utf-8")
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("#"))
    assert "QT_PLUGIN_PATH" in code and "PySide6." not in code and "import PySide6" not in code
    spec = (REPO / "packaging" / "pyinstaller" / "troubleshooting-wizard.spec").read_text(encoding="utf-8")
    assert 'hookspath=[str(repo / "packaging" / "pyinstaller" / "hooks")]' in spec
