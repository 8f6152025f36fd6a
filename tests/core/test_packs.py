"""Which pack a flow came from: pack.yaml names, folder names, hostile pack files."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from wizard.core.library import load_library
from wizard.core.packs import MAX_NAME_CHARS, MAX_PACK_FILE_BYTES, PackKind, flow_packs, read_pack


def make_pack(root: Path, pack_dir: Path, pack_yaml: str | bytes | None) -> Path:
    """A copy of the test pack (flows/ and resources/) at `root`, with the given pack.yaml."""
    shutil.copytree(pack_dir.parent, root)
    if pack_yaml is not None:
        data = pack_yaml.encode("utf-8") if isinstance(pack_yaml, str) else pack_yaml
        (root / "pack.yaml").write_bytes(data)
    return root / "flows"


def test_pack_yaml_names_the_pack_per_language(tmp_path: Path, pack_dir: Path) -> None:
    flows = make_pack(
        tmp_path / "contoso", pack_dir, "name: {sv: Contosos IT-stöd, en: Contoso IT support}\n"
    )
    pack = read_pack(flows)
    assert pack.kind is PackKind.ORGANISATION and pack.problem is None
    assert pack.name("sv") == "Contosos IT-stöd"
    assert pack.name("en") == "Contoso IT support"
    assert pack.name("nb") == "Contoso IT support"  # English when the pack lacks the language


def test_one_name_for_every_language(tmp_path: Path, pack_dir: Path) -> None:
    flows = make_pack(tmp_path / "contoso", pack_dir, "name: Contoso\n")
    assert read_pack(flows).name("sv") == read_pack(flows).name("en") == "Contoso"


def test_without_pack_yaml_the_folder_names_the_pack(tmp_path: Path, pack_dir: Path) -> None:
    flows = make_pack(tmp_path / "Contoso pack", pack_dir, None)
    assert read_pack(flows).name("sv") == "Contoso pack"  # the folder above flows/
    plain = tmp_path / "fabrikam-flows"
    plain.mkdir()
    assert read_pack(plain).name("en") == "fabrikam-flows"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("name: [unclosed\n", "not valid YAML"),
        ("- just a list\n", "needs 'name"),
        ("name: 42\n", "needs 'name"),
        ("name: {sv: '', en: '   '}\n", "empty"),
        (b"name: \xff\xfe\n", "cannot be read"),
        ("name: x\n" + "#" * MAX_PACK_FILE_BYTES, "larger than"),
        ("a: &a [*a, *a]\nname: x\n", ""),  # an alias is fine for the safe loader; the name is used
    ],
)
def test_a_bad_pack_file_falls_back_to_the_folder_name(
    tmp_path: Path, pack_dir: Path, content: str | bytes, why: str
) -> None:
    flows = make_pack(tmp_path / "Contoso", pack_dir, content)
    pack = read_pack(flows)
    if why:
        assert pack.name("en") == "Contoso"
        assert pack.problem is not None and why in pack.problem and "pack.yaml" in pack.problem
    else:
        assert pack.name("en") == "x" and pack.problem is None


def test_a_hostile_name_becomes_one_short_visible_line(tmp_path: Path, pack_dir: Path) -> None:
    hostile = "Con\\u202etoso\\n\\x1b[31mIT\\u0000" + "x" * 500
    flows = make_pack(tmp_path / "p", pack_dir, f'name: "{hostile}"\n')
    name = read_pack(flows).name("en")
    assert name.startswith("Contoso ") and len(name) == MAX_NAME_CHARS  # the newline became a space
    assert all(ch.isprintable() for ch in name) and "\u202e" not in name and "\x1b" not in name


def test_every_flow_knows_its_pack(tmp_path: Path, pack_dir: Path) -> None:
    builtin = Path(__file__).resolve().parents[2] / "flows"
    flows = make_pack(tmp_path / "contoso", pack_dir, "name: Contoso\n")
    library = load_library([builtin, flows])
    packs = flow_packs(library.origin, builtin, tmp_path / "user-flows")
    assert packs["demo"].kind is PackKind.ORGANISATION and packs["demo"].name("en") == "Contoso"
    assert packs["demo"] is packs["shared"]  # one pack read once for its folder
    assert packs["ios"].kind is PackKind.BUILTIN
    assert flow_packs(library.origin, builtin, flows)["demo"].kind is PackKind.USER


def test_reading_packs_needs_no_qt() -> None:
    import subprocess

    code = "import sys, wizard.core.packs; assert not [m for m in sys.modules if m.startswith('PySide6')]"
    subprocess.run([sys.executable, "-c", code], check=True)
