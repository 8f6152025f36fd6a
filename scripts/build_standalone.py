"""Build Troubleshooting Wizard as a standalone program that runs without Python (Linux and Windows).

Run: python -m pip install -e ".[build]" && python scripts/build_standalone.py [--check] [--archive]

The result is one folder, dist/troubleshooting-wizard/, made by PyInstaller from
packaging/pyinstaller/troubleshooting-wizard.spec: the program (`troubleshooting-wizard`, on Windows
`troubleshooting-wizard.exe` without a console and `troubleshooting-wizard-cli.exe` with one), Python,
Qt with its Swedish translations, the flows, drawings and UI translations. On Linux the folder also
holds `share/` (desktop entry, metainfo, icons) and `install-desktop.sh`, which adds it to the menu.

--check copies the folder to a fresh temporary folder and runs it there with a bare environment (no
Python on PATH, an empty home): `--version`, `validate --strict`, and `--smoke-test` in Swedish and
English. --installer (Windows, with Inno Setup 6; untested so far) makes
dist/troubleshooting-wizard-VERSION-setup.exe. --archive packs the folder as troubleshooting-wizard-VERSION-PLATFORM.tar.gz (.zip on Windows).
Build time and size are printed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO / "packaging" / "pyinstaller" / "troubleshooting-wizard.spec"
NAME = "troubleshooting-wizard"
WINDOWS = sys.platform == "win32"


def package_constant(name: str) -> str:
    """`__version__` or `APP_ID`, read from wizard/__init__.py (their one place) without importing the app."""
    namespace: dict[str, object] = {}
    exec((REPO / "wizard" / "__init__.py").read_text(encoding="utf-8"), namespace)
    return str(namespace[name])


def version() -> str:
    return package_constant("__version__")


def build(dist: Path, work: Path) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit('build_standalone: PyInstaller is missing; run: python -m pip install -e ".[build]"')
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN"]
    command += ["--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    subprocess.run(command, check=True, cwd=REPO)
    folder = dist / NAME
    if not WINDOWS:
        add_desktop_files(folder)
    return folder


def add_desktop_files(folder: Path) -> None:
    """The freedesktop files beside the program, laid out as under /usr/share, and their installer."""
    app_id = package_constant("APP_ID")
    share = folder / "share"
    linux = REPO / "packaging" / "linux"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    (share / "metainfo").mkdir(parents=True, exist_ok=True)
    shutil.copy2(linux / f"{app_id}.desktop", share / "applications")
    shutil.copy2(linux / f"{app_id}.metainfo.xml", share / "metainfo")
    shutil.copytree(REPO / "packaging" / "icons" / "hicolor", share / "icons" / "hicolor", dirs_exist_ok=True)
    shutil.copy2(linux / "install-desktop.sh", folder / "install-desktop.sh")


def program(folder: Path, console: bool = True) -> Path:
    if WINDOWS:
        return folder / (f"{NAME}-cli.exe" if console else f"{NAME}.exe")
    return folder / NAME


def bare_environment(home: Path) -> dict[str, str]:
    """What a managed desktop gives a program: system folders on PATH, no Python, a fresh home."""
    if WINDOWS:
        system_root = os.environ.get("SYSTEMROOT", r"C:\Windows")
        env = {"SYSTEMROOT": system_root, "PATH": os.pathsep.join([rf"{system_root}\System32", system_root])}
        env |= {"USERPROFILE": str(home), "APPDATA": str(home / "AppData" / "Roaming")}
        env["LOCALAPPDATA"] = str(home / "AppData" / "Local")
        env["TEMP"] = env["TMP"] = str(home)
    else:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(home)}
    return env | {"QT_QPA_PLATFORM": "offscreen"}


def check(folder: Path) -> list[str]:
    """Run the built program from a fresh copy with a bare environment; the list of what failed."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="standalone-check-") as temporary:
        copy = Path(temporary) / "app"
        shutil.copytree(folder, copy, symlinks=True)
        home = Path(temporary) / "home"
        home.mkdir()
        env = bare_environment(home)
        example = shutil.copy(REPO / "docs" / "examples" / "case-windows-0x8007064c.json", temporary)
        report = Path(temporary) / "stats.html"
        runs = [
            (["--version"], f"{NAME} {version()}"),
            (["validate", "--strict"], "0 error(s), 0 warning(s)"),
            (["--lang", "sv", "--smoke-test"], "smoke test passed"),
            (["--lang", "en", "--smoke-test"], "smoke test passed"),
            # The parts loaded only when used: stems and typo matching, case files, charts.
            (["search", "devicecapreched"], "ios#device-cap-reached"),
            (["import", str(example)], "TW-20261126-0930-M3Y"),
            (["stats", "--format", "html", "-o", str(report)], ""),
        ]
        for args, expected in runs:
            result = subprocess.run(
                [str(program(copy)), *args],
                cwd=temporary,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            output = result.stdout + result.stderr
            if result.returncode != 0 or expected not in output:
                problems.append(f"{' '.join(args)}: exit {result.returncode}: {output.strip()[-800:]}")
            else:
                print(f"  ok  {' '.join(args)}")
        if "<svg" not in (report.read_text(encoding="utf-8") if report.is_file() else ""):
            problems.append("stats --format html wrote no chart")
        carried = copy / "_internal" / "wizard" / "_data" / "translations" / "wizard_sv.qm"
        if not carried.is_file():
            problems.append(f"the Swedish UI translation is missing: {carried.relative_to(copy)}")
        entry = copy / "share" / "applications" / f"{package_constant('APP_ID')}.desktop"
        if not WINDOWS and not entry.is_file():
            problems.append(f"the desktop entry is missing: {entry.relative_to(copy)}")
    return problems


def archive(folder: Path) -> Path:
    platform = "windows" if WINDOWS else sys.platform
    base = folder.parent / f"{NAME}-{version()}-{platform}"
    made = shutil.make_archive(str(base), "zip" if WINDOWS else "gztar", folder.parent, folder.name)
    return Path(made)


def installer(folder: Path) -> Path:
    """The Windows installer, made by Inno Setup 6 from packaging/windows/troubleshooting-wizard.iss."""
    default = (
        Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "Inno Setup 6" / "ISCC.exe"
    )
    iscc = shutil.which("iscc") or (str(default) if default.is_file() else None)
    if not WINDOWS or iscc is None:
        sys.exit("build_standalone: --installer needs Windows and Inno Setup 6 (iscc)")
    script = REPO / "packaging" / "windows" / "troubleshooting-wizard.iss"
    build_dir = os.path.relpath(folder, script.parent)
    subprocess.run([iscc, f"/DAppVersion={version()}", f"/DBuildDir={build_dir}", str(script)], check=True)
    return REPO / "dist" / f"{NAME}-{version()}-setup.exe"


def size_on_disk(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="where the folder is made (dist/)")
    parser.add_argument(
        "--work", type=Path, default=REPO / "build" / "pyinstaller", help="PyInstaller's work folder"
    )
    parser.add_argument("--check", action="store_true", help="run the built program from a fresh folder")
    parser.add_argument("--archive", action="store_true", help="pack the folder for handing out")
    parser.add_argument(
        "--installer", action="store_true", help="Windows: make the Inno Setup installer (untested)"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    folder = build(args.dist.resolve(), args.work.resolve())
    seconds = time.perf_counter() - started
    print(f"built {folder} in {seconds:.0f} s, {size_on_disk(folder) / 2**20:.0f} MiB on disk")
    if args.check:
        problems = check(folder)
        if problems:
            print("standalone check failed:", *problems, sep="\n  ", file=sys.stderr)
            return 1
        print("standalone check passed")
    if args.archive:
        made = archive(folder)
        print(f"archive {made} ({made.stat().st_size / 2**20:.0f} MiB)")
    if args.installer:
        print(f"installer {installer(folder)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
