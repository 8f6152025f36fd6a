"""The start page shows which pack a flow came from; built-in flows carry no label."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from wizard.core.library import load_library
from wizard.store import paths
from wizard.store.settings import Settings
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow


def test_cards_name_the_organisation_pack(qtbot: QtBot, tmp_path: Path, pack_dir: Path) -> None:
    contoso = tmp_path / "contoso"
    shutil.copytree(pack_dir.parent, contoso)
    (contoso / "pack.yaml").write_text("name: {sv: Contosos paket, en: Contoso pack}\n", encoding="utf-8")
    library = load_library([paths.builtin_flows_dir(), contoso / "flows"])
    languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
    languages.apply("en")
    window = MainWindow(library, Settings(language="en"), languages, paths.builtin_resources_dir())
    qtbot.addWidget(window)
    window.show()
    try:
        cards = {card.flow_id: card for card in window.start_page.cards}
        assert cards["demo"].pack_text
        assert cards["demo"].pack_text == "Pack: Contoso pack"
        assert "Contoso pack" in cards["demo"].accessibleDescription()
        assert cards["ios"].pack_text == ""  # built in

        languages.apply("sv")
        window.start_page.show_language("sv")
        assert cards["demo"].pack_text == "Paket: Contosos paket"
    finally:
        languages.apply("en")


def test_the_agents_own_flows_are_marked_as_such(qtbot: QtBot, pack_dir: Path) -> None:
    shutil.copytree(pack_dir, paths.user_flows_dir())
    shutil.copytree(pack_dir.parent / "resources", paths.user_flows_dir().parent / "resources")
    library = load_library(paths.flow_dirs())
    languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
    languages.apply("en")
    window = MainWindow(library, Settings(language="en"), languages, paths.builtin_resources_dir())
    qtbot.addWidget(window)
    window.show()
    cards = {card.flow_id: card for card in window.start_page.cards}
    assert cards["demo"].pack_text == "Your own flows"


def test_a_damaged_organisation_file_is_shown_not_fatal(qtbot: QtBot, pack_dir: Path) -> None:
    site = paths.site_settings_file()
    site.parent.mkdir(parents=True)
    site.write_text('{"flow_dirs": "not a list"}', encoding="utf-8")
    library = load_library(paths.flow_dirs())
    languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
    languages.apply("sv")
    try:
        window = MainWindow(library, Settings(language="sv"), languages, paths.builtin_resources_dir())
        qtbot.addWidget(window)
        window.show()
        assert window.notice.isVisible()
        assert f"Organisationens inställningsfil {site} är inte giltig" in window.notice.text()
    finally:
        languages.apply("en")


def test_a_broken_pack_file_is_shown_and_the_folder_names_the_pack(
    qtbot: QtBot, tmp_path: Path, pack_dir: Path
) -> None:
    contoso = tmp_path / "Contoso"
    shutil.copytree(pack_dir.parent, contoso)
    (contoso / "pack.yaml").write_text("name: [\n", encoding="utf-8")
    library = load_library([paths.builtin_flows_dir(), contoso / "flows"])
    languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
    languages.apply("en")
    window = MainWindow(library, Settings(language="en"), languages, paths.builtin_resources_dir())
    qtbot.addWidget(window)
    window.show()
    cards = {card.flow_id: card for card in window.start_page.cards}
    assert cards["demo"].pack_text == "Pack: Contoso"
    assert "pack.yaml" in window.notice.text() and "not valid YAML" in window.notice.text()
