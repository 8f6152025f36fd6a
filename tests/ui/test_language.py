"""Swedish and English: live switch without losing anything, and no English left on a Swedish screen."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from wizard.core.model import NodeRef
from wizard.store.paths import builtin_resources_dir, builtin_translations_dir
from wizard.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]


def english_only_sources() -> list[re.Pattern[str]]:
    """The UI strings whose Swedish differs from the English, as patterns (%1, %n match anything)."""
    patterns = []
    for message in ET.parse(builtin_translations_dir() / "wizard_sv.ts").getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        forms = [f.text or "" for f in translation.findall("numerusform")] if translation is not None else []
        swedish = forms or [translation.text or "" if translation is not None else ""]
        if source.replace("&", "") in [text.replace("&", "") for text in swedish] or len(source) < 3:
            continue  # the same words in both languages (UPN, IMEI), the accelerator aside
        text = source.replace("&", "")
        pattern = (
            re.escape(text).replace("%1", ".*").replace("%2", ".*").replace("%3", ".*").replace("%n", ".*")
        )
        patterns.append(re.compile(rf"(^|\W){pattern}($|\W)"))
    return patterns


def visible_texts(root: QWidget) -> list[str]:
    texts: list[str] = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel):
            texts.append(re.sub(r"<[^>]+>", "", widget.text()))
        elif isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts += [widget.placeholderText()]
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
        texts += [widget.toolTip(), widget.accessibleName()]
    if isinstance(root, MainWindow):
        for menu in root.menuBar().findChildren(QMenu):
            texts.append(menu.title().replace("&", ""))
            texts += [action.text().replace("&", "") for action in menu.actions()]
    return [text for text in texts if text]


def english_on(root: QWidget, patterns: list[re.Pattern[str]]) -> list[str]:
    found = []
    for text in visible_texts(root):
        for line in text.splitlines():
            if any(pattern.search(line.strip()) for pattern in patterns):
                found.append(line.strip())
    return found


def test_no_english_ui_string_on_any_swedish_page(
    make_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    patterns = english_only_sources()
    assert len(patterns) > 50
    window = make_window("sv")
    pages = {"start": lambda: None}
    pages["search"] = lambda: qtbot.keyClicks(window.start_page.search, "synkronisera")
    pages["no hits"] = lambda: (
        window.start_page.search.clear(),
        qtbot.keyClicks(window.start_page.search, "zzzz"),
    )
    pages["question"] = lambda: window.open_at(NodeRef("start", "platform"), infer=False)
    pages["steps with screenshots"] = lambda: (
        window.open_at(NodeRef("android", "samsung-solution-3")),
        window.step_view.step_boxes[0].click(),
    )
    pages["info with callout"] = lambda: window.open_at(NodeRef("general", "device-cap-remove"))
    pages["commands"] = lambda: window.open_at(NodeRef("general", "mdm-authority-cloud-id"))
    pages["resolved"] = lambda: window.open_at(NodeRef("general", "resolved"))
    pages["escalate"] = lambda: window.open_at(NodeRef("general", "escalate"))
    pages["not resolved"] = lambda: window.open_at(NodeRef("general", "not-resolved"))
    pages["presentation"] = lambda: (
        window.set_presentation(True),
        window.open_at(NodeRef("ios", "unable-to-sync")),
    )
    pages["replay"] = lambda: (
        window.set_presentation(False),
        window.replay_path(REPO / "docs" / "examples" / "case-ios-vpp-escalated.json"),
        window.forward(),
    )
    for name, show in pages.items():
        show()
        QApplication.processEvents()
        assert english_on(window, patterns) == [], name
    window.show_shortcuts()
    window.show_about()
    window.zoom(
        Path(window.step_view.resource_root) / "screenshots" / "samsung-battery-tile.sv.svg", "alt", ""
    )
    QApplication.processEvents()
    for dialog in QApplication.topLevelWidgets():
        if dialog is not window and dialog.isVisible():
            assert english_on(dialog, patterns) == [], dialog.windowTitle()
            dialog.close()


def test_live_switch_keeps_the_walk(make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    window = make_window("en")
    window.open_at(NodeRef("start", "platform"), infer=False)
    window.choose(1)
    window.choose(0)
    window.session.set_tick(0, True) if window.session.current_node.steps else None  # type: ignore[union-attr]
    window.session.set_note("typed before the switch")  # type: ignore[union-attr]
    before = window.session.to_json()  # type: ignore[union-attr]
    english_title = window.step_view.title.text()
    window.set_language("sv")
    qtbot.waitUntil(lambda: window.step_view.back_button.text() == "← Tillbaka")  # LanguageChange is posted
    assert window.session.to_json()["visits"] == before["visits"]  # type: ignore[union-attr]
    assert window.session.position == before["position"]  # type: ignore[union-attr]
    node = window.session.current_node  # type: ignore[union-attr]
    assert window.step_view.title.text() == node.title.get("sv") != english_title
    assert window.step_view.back_button.text() == "← Tillbaka"
    assert window.menuBar().actions()[0].text() == "&Arkiv"
    assert window.menus.language_actions["sv"].isChecked()
    window.set_language("en")
    assert window.step_view.title.text() == english_title
    qtbot.waitUntil(lambda: window.step_view.back_button.text() == "← Back")


def test_language_is_remembered(make_window: Callable[..., MainWindow]) -> None:
    from wizard.store.settings import load_settings

    window = make_window("en")
    window.set_language("sv")
    assert load_settings().settings.language == "sv"


def test_text_size_keys_and_memory(make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    from wizard.store.settings import load_settings

    window = make_window("en")
    window.menus.bigger_action.trigger()
    window.menus.bigger_action.trigger()
    assert window.settings.font_scale == 1.2
    assert f"font-size: {window.base_point_size * 1.2:.1f}pt" in window.styleSheet()
    window.menus.reset_font_action.trigger()
    assert window.settings.font_scale == 1.0
    for _ in range(40):
        window.menus.smaller_action.trigger()
    assert window.settings.font_scale == 0.8
    window.close()
    saved = load_settings().settings
    assert saved.font_scale == 0.8 and saved.window_geometry


def test_translations_are_complete_and_compiled() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "update_translations.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_flow_language_without_ui_translation_works(tmp_path: Path, qtbot: QtBot) -> None:
    """Norwegian content in the flows, no wizard_nb.qm: content in Norwegian, the UI in English."""
    from wizard.core.library import load_library
    from wizard.store.settings import Settings
    from wizard.ui.i18n import LanguageManager

    pack = REPO / "tests" / "data" / "pack" / "flows"
    flows = tmp_path / "flows"
    flows.mkdir()
    shutil.copytree(pack.parent / "resources", tmp_path / "resources")
    shots = tmp_path / "resources" / "screenshots"
    shutil.copy(shots / "phone.en.svg", shots / "phone.nb.svg")
    for path in pack.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r'en: "([^"]*)"', r'en: "\1", nb: "NB \1"', text)
        (flows / path.name).write_text(text, encoding="utf-8")
    library = load_library([flows])
    assert not library.errors, library.errors
    languages = LanguageManager(builtin_translations_dir(), library.flowset.languages)
    assert "nb" in languages.available() and "nb" not in languages.ui_languages()
    languages.apply("nb")
    window = MainWindow(library, Settings(language="nb"), languages, builtin_resources_dir())
    qtbot.addWidget(window)
    window.open_at(NodeRef("demo", "platform"), infer=False)
    assert window.step_view.title.text() == "NB Which platform?"
    assert window.step_view.back_button.text() == "← Back"
    languages.apply("en")
