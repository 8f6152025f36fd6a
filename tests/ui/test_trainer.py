"""Trainer and author tools in the window: presentation mode, replay of a saved case, live reload."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from wizard.core.library import load_library
from wizard.core.model import NodeRef
from wizard.store import paths
from wizard.store.cases import CaseStore
from wizard.store.settings import Settings
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow

PACK = Path(__file__).resolve().parents[1] / "data" / "pack"


class Yes:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, title: str, text: str) -> bool:
        self.asked.append(title)
        return True


@pytest.fixture
def authoring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An author's own pack, on WIZARD_FLOWS_PATH, with its own resources folder."""
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    monkeypatch.setenv("WIZARD_FLOWS_PATH", str(pack / "flows"))
    return pack / "flows"


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    store = CaseStore()
    library = load_library(paths.flow_dirs())
    languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
    languages.apply("en")
    window = MainWindow(
        library, Settings(language="en"), languages, paths.builtin_resources_dir(), store=store
    )
    window.confirm = Yes()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.flow_watcher.enabled = False
    store.close()


def test_presentation_mode(window: MainWindow, qtbot: QtBot) -> None:
    window.open_at(NodeRef("android", "samsung-solution-3"))
    normal_scale = window.settings.font_scale
    normal_width = window.step_view.thumbnails[0].max_width
    window.menus.presentation_action.trigger()
    assert window.presenting and window.isFullScreen()
    assert not window.case_panel.isVisible()
    assert window.step_view.title.objectName() == "stepTitlePresenting"
    assert window.step_view.thumbnails[0].max_width > normal_width  # big screenshots
    assert f"{window.base_point_size * window.settings.presentation_font_scale:.1f}pt" in window.styleSheet()
    window.menus.bigger_action.trigger()  # adjustable while presenting, without touching the agent's size
    assert window.settings.presentation_font_scale == pytest.approx(1.9)
    assert window.settings.font_scale == normal_scale
    # Demo walks are not saved as cases.
    window.open_at(NodeRef("start", "platform"), infer=False)
    assert window.cases.case is None
    window.choose(1)
    assert str(window.session.current_ref) == "android#symptom"  # type: ignore[union-attr]
    window._escape()  # Esc leaves presentation mode
    assert not window.presenting and not window.isFullScreen()
    assert window.case_panel.isVisible() and window.settings.font_scale == normal_scale


def test_presentation_can_save_demo_walks_when_asked(window: MainWindow) -> None:
    window.set_presentation(True)
    window.menus.save_demos_action.trigger()
    window.open_at(NodeRef("start", "platform"), infer=False)
    assert window.cases.case is not None
    window.set_presentation(False)


def test_replay_a_saved_case_with_redaction(window: MainWindow, qtbot: QtBot) -> None:
    window.open_at(NodeRef("start", "platform"), infer=False)
    window.case_panel.user_name.insert("Kim Berg")
    window.choose(1)
    window.case_panel.step_note.insertPlainText("Kim says the app closes")
    window.choose(0)
    window.cases.flush()
    case = window.cases.case
    assert case is not None
    window.close_case()
    saved = CaseStore().load_data(case.id)

    window.replay_case(case.id)
    assert window.replay is not None and window.replay_bar.isVisible()
    assert window.step_view.read_only and not window.case_panel.isVisible()
    assert "Step 1 of 3" in window.replay_bar.position.text()
    assert all(not box.isEnabled() for box in window.step_view.step_boxes)
    enabled = [b for b in window.step_view.choice_buttons if b.isEnabled()]
    assert len(enabled) == 1 and enabled[0].property("previous") is True  # the answer taken
    window.replay_bar.next_button.click()
    assert "Step 2 of 3" in window.replay_bar.position.text()
    assert "[redacted] says the app closes" in window.replay_bar.note.text()
    assert "Kim" not in window.replay_bar.heading.text()
    window.replay_bar.redact.setChecked(False)
    assert "Kim says the app closes" in window.replay_bar.note.text()
    window.choose(0)  # answering is not possible in a replay
    assert "Step 2 of 3" in window.replay_bar.position.text()
    window.replay_bar.exit_button.click()
    assert window.replay is None and not window.replay_bar.isVisible()
    assert CaseStore().load_data(case.id) == saved  # the replay changed nothing


def test_replay_an_exported_case_file(window: MainWindow, tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "case-ios-vpp-escalated.json"
    window.replay_path(example)
    assert window.replay is not None
    assert window.replay.count >= 3
    window.exit_replay()
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 1, "id": 3}', encoding="utf-8")
    window.replay_path(broken)
    assert window.replay is None and "cannot be replayed" in window.notice.text()


def test_reload_keeps_the_place_and_shows_problems(authoring: Path, window: MainWindow, qtbot: QtBot) -> None:
    window.open_at(NodeRef("demo", "platform"), infer=False)
    window.choose(0)
    assert window.step_view.title.text() == "Restart Company Portal"
    flow_file = authoring / "demo.yaml"
    good = flow_file.read_text(encoding="utf-8")

    # A valid edit: the page shows it, the walk stays where it was.
    with qtbot.waitSignal(window.flow_watcher.changed, timeout=5000):
        flow_file.write_text(
            good.replace('en: "Restart Company Portal"', 'en: "Restart the Company Portal app"'),
            encoding="utf-8",
        )
    assert str(window.session.current_ref) == "demo#android-steps"  # type: ignore[union-attr]
    assert [str(v.ref) for v in window.session.path] == ["demo#platform", "demo#android-steps"]  # type: ignore[union-attr]
    assert window.step_view.title.text() == "Restart the Company Portal app"
    assert not window.problems_dock.isVisible()

    # A broken edit: the problems are listed, the last good version stays in use.
    with qtbot.waitSignal(window.flow_watcher.changed, timeout=5000):
        flow_file.write_text(good.replace("    choices:\n", "    choises:\n", 1), encoding="utf-8")
    QApplication.processEvents()
    assert window.problems_dock.isVisible()
    problems = [window.problems_list.item(i).text() for i in range(window.problems_list.count())]
    assert any("demo.yaml" in p and "unknown key 'choises'" in p for p in problems)
    assert "demo" in window.flowset and str(window.session.current_ref) == "demo#android-steps"  # type: ignore[union-attr]

    # Fixed again: the panel goes away.
    with qtbot.waitSignal(window.flow_watcher.changed, timeout=5000):
        flow_file.write_text(good, encoding="utf-8")
    assert not window.problems_dock.isVisible()
    assert window.step_view.title.text() == "Restart Company Portal"


def test_a_removed_step_sends_the_agent_home(authoring: Path, window: MainWindow) -> None:
    window.open_at(NodeRef("demo", "ios-info"))
    text = (authoring / "demo.yaml").read_text(encoding="utf-8")
    text = text.replace("        next: ios-info\n", "        next: done\n")
    start = text.index("  - id: ios-info")
    end = text.index("  - id: done")
    (authoring / "demo.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    window.reload_flows()
    assert not window.on_walk_page()
    assert "no longer in the flows" in window.notice.text()


def test_source_section_and_review_age(window: MainWindow) -> None:
    import datetime as dt

    window.open_at(NodeRef("general", "device-cap-check"))
    labels = window.step_view.content.findChildren(type(window.step_view.title))
    source = next(label for label in labels if label.objectName() in ("source", "staleSource"))
    assert "check-number-of-devices-enrolled-and-allowed" in source.text()
    assert "reviewed 2026-11-26" in source.text() and source.objectName() == "source"
    window.step_view.today = lambda: dt.date(2028, 1, 1)
    window.refresh_page()
    labels = window.step_view.content.findChildren(type(window.step_view.title))
    stale = next(label for label in labels if label.objectName() == "staleSource")
    assert "check it against the source" in stale.text()


def test_jump_from_the_map_and_peek_leaves_the_walk_alone(window: MainWindow, qtbot: QtBot) -> None:
    window.open_at(NodeRef("start", "platform"), infer=False)
    window.choose(1)  # Android
    window.menus.map_action.trigger()
    dialog = window.flow_map
    assert dialog is not None and dialog.isVisible()
    before = window.session.to_json()  # type: ignore[union-attr]
    dialog.set_peek(True)  # type: ignore[attr-defined]
    dialog.peek_at(NodeRef("android", "samsung-solution-3"))  # type: ignore[attr-defined]
    dialog.back_to_where_i_was()  # type: ignore[attr-defined]
    assert window.session.to_json() == before  # type: ignore[union-attr]
    dialog.set_peek(False)  # type: ignore[attr-defined]
    # Ahead of the current step: walked to by the shortest route, the case keeps it.
    dialog.jump_requested.emit(NodeRef("android", "samsung-solution-3"))
    assert str(window.session.current_ref) == "android#samsung-solution-3"  # type: ignore[union-attr]
    assert str(window.session.path[0].ref) == "start#platform"  # type: ignore[union-attr]
    assert window.cases.case is not None and window.cases.case.session is window.session
    # On the path: gone back to.
    dialog.jump_requested.emit(NodeRef("start", "platform"))
    assert window.session.position == 0 and window.session.ahead  # type: ignore[union-attr]
    dialog.close()
    assert window.flow_map is None or not window.flow_map.isVisible()
