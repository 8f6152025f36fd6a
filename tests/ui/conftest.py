"""The real main window over the built-in flows, offscreen, one per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from confirmations import Confirmations
from pytestqt.qtbot import QtBot

from wizard.core.library import FlowLibrary, load_library
from wizard.store import paths
from wizard.store.settings import Settings
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow


@pytest.fixture(scope="session")
def library() -> FlowLibrary:
    library = load_library([paths.builtin_flows_dir()])
    assert not library.problems
    return library


@pytest.fixture
def make_window(qtbot: QtBot, library: FlowLibrary) -> Iterator[Callable[..., MainWindow]]:
    made: list[MainWindow] = []

    def make(lang: str = "en", **settings: object) -> MainWindow:
        languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
        languages.apply(lang)
        window = MainWindow(
            library, Settings(language=lang, **settings), languages, paths.builtin_resources_dir()
        )  # type: ignore[arg-type]
        window.confirm = Confirmations()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.languages.apply("en")  # leave no translator installed for the next test


@pytest.fixture
def window(make_window: Callable[..., MainWindow]) -> MainWindow:
    return make_window("en")
