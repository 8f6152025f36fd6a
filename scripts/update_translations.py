"""Regenerate the UI translations: pyside6-lupdate collects every tr() string from wizard/ui into
translations/wizard_<lang>.ts (keeping what is translated), pyside6-lrelease compiles the .qm files.

Run: python scripts/update_translations.py [--check]
With --check nothing is written: it exits 1 when a .ts lacks a string of the code or has an
unfinished entry, or when a committed .qm differs from what its .ts compiles to.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted((REPO / "wizard" / "ui").glob("*.py"))
LANGUAGES = ("sv",)


def tool(name: str) -> str:
    """The Qt tool that ships inside the PySide6 wheel (its pyside6-* wrapper may not be on PATH)."""
    found = shutil.which(f"pyside6-{name}")
    if found:
        return found
    import PySide6

    candidate = Path(PySide6.__file__).parent / name
    if candidate.exists():
        return str(candidate)
    raise SystemExit(f"cannot find pyside6-{name}; install PySide6-Essentials")


def lupdate(ts: Path) -> None:
    subprocess.run(
        [tool("lupdate"), "-no-obsolete", "-locations", "none", *map(str, SOURCES), "-ts", str(ts)],
        check=True,
        capture_output=True,
    )


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)


def unfinished(ts: Path) -> list[str]:
    """Source strings whose translation is missing, empty or marked unfinished."""
    problems = []
    for message in ET.parse(ts).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(source)
            continue
        forms = translation.findall("numerusform")
        texts = [form.text or "" for form in forms] if forms else [translation.text or ""]
        if not all(text.strip() for text in texts):
            problems.append(source)
    return problems


def check() -> int:
    failed = False
    with tempfile.TemporaryDirectory() as temporary:
        for lang in LANGUAGES:
            ts = REPO / "translations" / f"wizard_{lang}.ts"
            copy = Path(temporary) / ts.name
            shutil.copy(ts, copy)
            lupdate(copy)
            for source in unfinished(copy):
                print(f"{ts.relative_to(REPO)}: no finished translation for {source!r}")
                failed = True
            qm = Path(temporary) / f"wizard_{lang}.qm"
            lrelease(ts, qm)
            committed = ts.with_suffix(".qm")
            if not committed.exists() or not filecmp.cmp(qm, committed, shallow=False):
                print(
                    f"{committed.relative_to(REPO)} is not what {ts.name} compiles to: run scripts/update_translations.py"
                )
                failed = True
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        return check()
    for lang in LANGUAGES:
        ts = REPO / "translations" / f"wizard_{lang}.ts"
        lupdate(ts)
        lrelease(ts, ts.with_suffix(".qm"))
        missing = unfinished(ts)
        print(f"{ts.relative_to(REPO)}: {len(missing)} string(s) still to translate")
        for source in missing:
            print(f"  {source!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
