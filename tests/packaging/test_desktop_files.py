"""The freedesktop files, icons, version and changelog: one id, one version, valid files."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from wizard import APP_ID, __version__

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
ICONS = REPO / "packaging" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.RawConfigParser(delimiters=("=",), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def changelog_releases() -> list[tuple[str, str]]:
    """(version, date) of every release heading in CHANGELOG.md, newest first."""
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", text, flags=re.MULTILINE)


def test_one_id_names_the_entry_the_metainfo_and_the_icon() -> None:
    entry = desktop_entry()
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "troubleshooting-wizard"
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("provides/binary") == entry["Exec"].split()[0]


def test_both_languages_are_described() -> None:
    entry = desktop_entry()
    for key in ("Name", "GenericName", "Comment", "Keywords"):
        assert entry[key] and entry[f"{key}[sv]"] and entry[key] != entry[f"{key}[sv]"]
    component = ET.parse(METAINFO).getroot()
    for tag in ("name", "summary", "description/p"):
        languages = {element.get(XML_LANG) for element in component.findall(tag)}
        assert languages == {None, "sv"}, tag
    assert (
        component.findtext("project_license")
        == tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]
    )
    assert component.find("content_rating") is not None


def test_screenshots_are_the_readme_pictures() -> None:
    component = ET.parse(METAINFO).getroot()
    images = [element.text or "" for element in component.iter("image")]
    assert images
    for url in images:
        assert url.startswith("https://")
        assert (REPO / "docs" / "images" / url.rsplit("/", 1)[1]).is_file(), url


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_entry_is_valid() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_is_valid() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_icons_come_in_every_size_from_the_window_icon() -> None:
    for size in SIZES:
        assert png_size(ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)
    scalable = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (REPO / "resources" / "icons" / "app.svg").read_bytes()
    ico = (ICONS / "troubleshooting-wizard.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 5


def test_the_version_has_one_home() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "wizard/__init__.py"


def test_changelog_newest_release_is_the_version() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    releases = changelog_releases()
    assert releases and releases[0][0] == __version__


def test_metainfo_releases_match_the_changelog() -> None:
    component = ET.parse(METAINFO).getroot()
    listed = [(release.get("version"), release.get("date")) for release in component.iter("release")]
    assert listed == changelog_releases()


def test_install_desktop_puts_every_file_in_place(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    script = LINUX / "install-desktop.sh"
    subprocess.run(
        ["sh", str(script), "--prefix", str(tmp_path / "usr")], check=True, env=env, capture_output=True
    )
    share = tmp_path / "usr" / "share"
    assert (share / "applications" / DESKTOP.name).read_bytes() == DESKTOP.read_bytes()
    assert (share / "metainfo" / METAINFO.name).is_file()
    for size in SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    subprocess.run(
        ["sh", str(script), "--prefix", str(tmp_path / "usr"), "--uninstall"],
        check=True,
        env=env,
        capture_output=True,
    )
    assert not [path for path in share.rglob(f"{APP_ID}*") if path.is_file()]


def test_install_desktop_from_a_build_starts_the_program_beside_it(tmp_path: Path) -> None:
    """In a standalone folder (with spaces in its path) the entry's Exec names that folder's program."""
    build = tmp_path / "Troubleshooting Wizard"
    shutil.copytree(ICONS / "hicolor", build / "share" / "icons" / "hicolor")
    (build / "share" / "applications").mkdir(parents=True)
    (build / "share" / "metainfo").mkdir()
    shutil.copy2(DESKTOP, build / "share" / "applications")
    shutil.copy2(METAINFO, build / "share" / "metainfo")
    shutil.copy2(LINUX / "install-desktop.sh", build)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path / "home")}
    subprocess.run(["sh", str(build / "install-desktop.sh")], check=True, env=env, capture_output=True)
    installed = tmp_path / "home" / ".local" / "share" / "applications" / DESKTOP.name
    exec_line = next(
        line for line in installed.read_text(encoding="utf-8").splitlines() if line.startswith("Exec=")
    )
    assert exec_line == f'Exec="{build / "troubleshooting-wizard"}"'
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout
