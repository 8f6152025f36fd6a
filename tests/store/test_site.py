"""An organisation's machine-wide settings: its flow folders are always read and win over the agent's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wizard.core.library import load_library
from wizard.store import paths
from wizard.store.settings import Settings, load_settings, save_settings
from wizard.store.site import load_site_settings


def write_site(flow_dirs: object) -> Path:
    site = paths.site_settings_file()
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_text(json.dumps({"flow_dirs": flow_dirs}), encoding="utf-8")
    return site


def test_no_site_file_adds_nothing() -> None:
    assert not paths.site_settings_file().exists()
    assert paths.flow_dirs() == [paths.builtin_flows_dir(), paths.user_flows_dir()]


def test_site_folders_come_after_the_agents_and_before_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_site(["/opt/contoso/flows", "relative-pack"])
    monkeypatch.setenv(paths.FLOWS_PATH_VARIABLE, str(tmp_path / "env"))
    dirs = paths.flow_dirs([str(tmp_path / "mine")])
    assert dirs == [
        paths.builtin_flows_dir(),
        paths.user_flows_dir(),
        tmp_path / "mine",
        Path("/opt/contoso/flows"),
        site.parent / "relative-pack",  # relative to the site file's folder
        tmp_path / "env",
    ]


def test_an_agent_cannot_remove_or_replace_the_organisations_pack(tmp_path: Path, pack_dir: Path) -> None:
    """Empty own settings keep the pack; the agent's copy of a pack flow loses to the pack's."""
    organisation = tmp_path / "contoso"
    shutil.copytree(pack_dir.parent, organisation)
    write_site([str(organisation / "flows")])
    own = tmp_path / "own"
    shutil.copytree(pack_dir.parent, own)
    text = (own / "flows" / "demo.yaml").read_text(encoding="utf-8")
    (own / "flows" / "demo.yaml").write_text(text.replace("Demo flow", "Agent's demo"), encoding="utf-8")

    save_settings(Settings(flow_dirs=[]))
    assert organisation / "flows" in paths.flow_dirs(load_settings().settings.flow_dirs)

    library = load_library(paths.flow_dirs([str(own / "flows")]))
    assert library.origin["demo"] == organisation / "flows"
    assert library.flowset.flow("demo").title.get("en") == "Demo flow"


def test_saving_the_agents_settings_never_copies_the_site_folders(tmp_path: Path) -> None:
    write_site([str(tmp_path / "pack")])
    loaded = load_settings().settings
    save_settings(loaded)
    assert json.loads(paths.settings_file().read_text(encoding="utf-8"))["flow_dirs"] == []
    assert paths.site_settings_file().read_text(encoding="utf-8") == json.dumps(
        {"flow_dirs": [str(tmp_path / "pack")]}
    )


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        ("{not json", "invalid"),
        ('{"flow_dirs": "/opt/pack"}', "invalid"),
        ('{"flow_dirs": [1, 2]}', "invalid"),
        ('{"flow_dirs": [""]}', "invalid"),
        ("[]", "invalid"),
        (b"\xff\xfe{}", "unreadable"),
    ],
)
def test_a_damaged_site_file_is_reported_and_left_alone(content: str | bytes, kind: str) -> None:
    site = paths.site_settings_file()
    site.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    site.write_bytes(data)
    loaded = load_site_settings()
    assert loaded.flow_dirs == [] and loaded.problem is not None
    assert loaded.problem.kind == kind and loaded.problem.path == site
    assert site.read_bytes() == data  # the organisation's file is never rewritten or moved
    assert paths.flow_dirs() == [paths.builtin_flows_dir(), paths.user_flows_dir()]
