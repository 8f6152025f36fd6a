"""The source line under each step: the article's section heading in the page's language, linked to the
section, never a raw anchor (unless a flow gives no heading)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from confirmations import Confirmations
from pytestqt.qtbot import QtBot

from wizard.core.library import load_library
from wizard.core.model import NodeRef
from wizard.store import paths
from wizard.store.settings import Settings
from wizard.ui import step_view
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow
from wizard.ui.step_view import RichLabel

ARTICLE = "https://learn.microsoft.com/troubleshoot/mem/intune/device-enrollment/troubleshoot-device-enrollment-in-intune"


def source_label(window: MainWindow) -> RichLabel:
    labels = window.step_view.content.findChildren(RichLabel)
    return next(label for label in labels if label.objectName() in ("source", "staleSource"))


def shown_link(label: RichLabel) -> tuple[str, str]:
    """(href, text) of the one link the label shows."""
    found = re.findall(r'<a href="([^"]+)">([^<]*)</a>', label.text())
    assert len(found) == 1, label.text()
    href, text = found[0]
    return html.unescape(href), html.unescape(text)


@pytest.mark.parametrize(
    ("lang", "prefix", "heading"),
    [
        ("sv", "Källa: ", "Kontrollera antalet enheter som har registrerats och som tillåts"),
        ("en", "Source: ", "Check the number of devices enrolled and allowed"),
    ],
)
def test_the_source_is_the_sections_heading_linked(
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    prefix: str,
    heading: str,
) -> None:
    window = make_window(lang)
    window.open_at(NodeRef("general", "device-cap-check"))
    label = source_label(window)
    href, text = shown_link(label)
    assert text == heading
    assert href == f"{ARTICLE}#check-number-of-devices-enrolled-and-allowed"
    assert label.accessibleName().startswith(prefix + heading + " · ")
    assert "check-number-of-devices" not in label.accessibleName()  # the anchor is not what one reads
    assert label.toolTip() == href
    opened: list[str] = []
    monkeypatch.setattr(step_view.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    label.linkActivated.emit(href)  # what the label does when its link is clicked
    assert opened == [href]


def test_the_heading_follows_a_live_language_switch(make_window: Callable[..., MainWindow]) -> None:
    window = make_window("sv")
    window.open_at(NodeRef("android", "samsung-solution-3"))
    assert shown_link(source_label(window))[1] == (
        'Enheter kan inte checka in med Intune-tjänsten och visas som "Ohälsosamma" i Intune-administrationskonsolen'
    )
    window.set_language("en")
    href, text = shown_link(source_label(window))
    assert (
        text
        == "Devices fail to check in with the Intune service and show as “Unhealthy” in the Intune admin console"
    )
    assert href.endswith(
        "#devices-fail-to-check-in-with-the-intune-service-and-display-as-unhealthy-in-the-intune-admin-console"
    )


def test_a_flow_without_headings_shows_the_anchor(tmp_path: Path, qtbot: QtBot) -> None:
    own = tmp_path / "flows"
    own.mkdir()
    (own / "bare.yaml").write_text(
        """\
id: bare
version: 1
title: {sv: "Utan rubriker", en: "Without headings"}
description: {sv: "Ett flöde", en: "A flow"}
platforms: [general]
entry: done
source: {url: "https://example.com/guide", section: first-part}
nodes:
  - id: done
    kind: end
    outcome: resolved
    title: {sv: "Klart", en: "Done"}
""",
        encoding="utf-8",
    )
    library = load_library([paths.builtin_flows_dir(), own])
    assert [p.message.split(":")[0] for p in library.problems] == ["section 'first-part' has no title"]
    languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
    languages.apply("en")
    window = MainWindow(library, Settings(language="en"), languages, paths.builtin_resources_dir())
    window.confirm = Confirmations()  # type: ignore[assignment]
    qtbot.addWidget(window)
    window.open_at(NodeRef("bare", "done"))
    assert shown_link(source_label(window)) == ("https://example.com/guide#first-part", "first-part")
