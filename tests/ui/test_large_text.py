"""Large text fits: every page type at font scale 1.0, 1.5 and 2.0, in Swedish and English, in the
window's default size, shows no horizontal scroll bar and no label cut off at its edge.

Set WIZARD_LARGE_TEXT_PICTURES to a folder to keep a picture of every page looked at.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from wizard.core.engine import FilledBy
from wizard.core.model import NodeRef
from wizard.ui.main_window import MainWindow
from wizard.ui.path_panel import EMPHASIS_ROLE

STEP = NodeRef("android", "samsung-solution-3")  # actions with screenshots, answers, a filled-in path


@pytest.fixture(autouse=True)
def restore_application_font() -> Iterator[None]:
    """A window applies its font scale to the whole application; the next test starts from the default."""
    font = QApplication.font()
    yield
    QApplication.setFont(font)


def cut_off(window: MainWindow) -> list[str]:
    """What does not fit: a visible horizontal scroll bar, or a one-line label narrower than its text."""
    problems = []
    for area in window.findChildren(QAbstractScrollArea):
        bar = area.horizontalScrollBar()
        if area.isVisibleTo(window) and bar.isVisibleTo(window) and bar.maximum() > 0:
            owner = area.parentWidget()
            while owner is not None and type(owner).__module__.startswith("PySide6"):
                owner = owner.parentWidget()
            problems.append(f"a horizontal scroll bar in {type(owner).__name__} ({bar.maximum()} px)")
    problems += cut_path_steps(window)
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or label.wordWrap() or not label.text():
            continue
        if label.sizeHint().width() > label.width() + 1:
            problems.append(
                f"label {label.text()!r} is {label.width()} px wide, needs {label.sizeHint().width()}"
            )
    return problems


def cut_path_steps(window: MainWindow) -> list[str]:
    """Steps of the path panel given less height than their text needs, even wrapped at any character
    (a lower bound: a real cut is always found, a fitting step never reported)."""
    view = window.path_panel.list
    if not view.isVisibleTo(window):
        return []
    problems = []
    for row in range(view.count()):
        item = view.item(row)
        rect = view.visualItemRect(item)
        font = QFont(view.font())
        font.setBold(item.data(EMPHASIS_ROLE) == "current")
        font.setItalic(item.data(EMPHASIS_ROLE) == "filled")
        flags = Qt.TextFlag.TextWrapAnywhere
        needed = (
            QFontMetrics(font).boundingRect(QRect(0, 0, rect.width(), 100_000), flags, item.text()).height()
        )
        if needed > rect.height():
            problems.append(f"path step {row + 1} is {rect.height()} px high, its text needs {needed}")
    return problems


def settle() -> None:
    """Let layouts and the deferred fitting of the case panel run (each is a posted event)."""
    for _ in range(3):
        QApplication.processEvents()


def look(window: MainWindow, name: str) -> list[str]:
    folder = os.environ.get("WIZARD_LARGE_TEXT_PICTURES")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(folder) / f"{name}.png"))
    return [f"{name}: {problem}" for problem in cut_off(window)]


def fill_case(window: MainWindow) -> None:
    panel = window.case_panel
    panel.ticket.insert("INC-20417")
    panel.user_name.insert("Åsa Lind")
    panel.user_upn.insert("asa.lind@contoso.se")
    panel.device_name.insert("SM-G930F")
    panel.platform.setCurrentText("Android")
    panel.os_version.insert("5.1.1")
    panel.serial.insert("R58M12ABCDE")


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_type_fits(
    make_window: Callable[..., MainWindow], qtbot: QtBot, lang: str, scale: float
) -> None:
    window = make_window(lang, font_scale=scale)
    assert (window.width(), window.height()) == (1180, 780)  # the default size
    tag = f"{lang}-{scale}"
    settle()
    problems = look(window, f"start-{tag}")

    window.open_at(STEP, filled_by=FilledBy.SEARCH)
    fill_case(window)
    assert window.session is not None
    window.session.set_tick(0, True)
    window.refresh_page()
    settle()
    assert window.case_panel.isVisible()
    problems += look(window, f"step-{tag}")

    window.choose(0)  # it helped: the end page with the summary
    settle()
    assert window.session.is_finished
    problems += look(window, f"end-{tag}")

    window.set_presentation(True)
    settle()
    problems += look(window, f"presentation-end-{tag}")
    window.jump_to(3)  # a step with answers, in presentation mode
    settle()
    problems += look(window, f"presentation-step-{tag}")
    window.set_presentation(False)

    case = window.cases.case
    assert case is not None
    window.start_replay(case, redact=True)
    window.replay.go(2)  # type: ignore[union-attr]
    window.refresh_page()
    settle()
    assert window.replay_bar.isVisible()
    problems += look(window, f"replay-{tag}")
    assert problems == []


def test_the_check_sees_a_horizontal_scroll_bar(make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    """The check above can fail: a case panel squeezed narrower than its fields is reported."""
    window = make_window("en")
    window.open_at(STEP, filled_by=FilledBy.SEARCH)
    inner = window.case_panel.scroll_area.widget()
    assert isinstance(inner, QWidget)
    inner.setMinimumWidth(2000)
    settle()
    assert any("horizontal scroll bar in CasePanel" in problem for problem in cut_off(window))


def test_the_check_sees_a_cut_label(make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    window = make_window("en")
    label = QLabel("a label far too long for the narrow width it is given here", window.start_page)
    label.setFixedWidth(40)
    label.show()
    settle()
    assert any("far too long" in problem for problem in cut_off(window))
