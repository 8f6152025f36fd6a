"""A save the window cannot make into what the agent chose says why in the window's language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from wizard.ui.main_window import MainWindow


def test_saving_the_map_into_a_folder_says_why_in_swedish(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    window = make_window("sv")
    window.show_flow_map()
    dialog = window.flow_map
    assert dialog is not None
    (tmp_path / "karta.svg").mkdir()
    dialog.ask_save_path = lambda fmt: tmp_path / f"karta.{fmt}"  # type: ignore[attr-defined]
    assert dialog.save("svg") is None  # type: ignore[attr-defined]
    text = dialog.status.text()  # type: ignore[attr-defined]
    assert text == f"Kunde inte spara {tmp_path / 'karta.svg'}: det är en mapp"
    dialog.ask_save_path = lambda fmt: tmp_path / "saknas" / f"karta.{fmt}"  # type: ignore[attr-defined]
    assert dialog.save("svg") is None  # type: ignore[attr-defined]
    assert dialog.status.text().endswith(": mappen finns inte")  # type: ignore[attr-defined]
    assert not (tmp_path / "saknas").exists()
    dialog.close()
