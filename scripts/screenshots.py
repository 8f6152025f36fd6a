"""Render the README pictures: the start page, a search, a step page opened from a search hit, the
end page of a walk with its summary and the statistics window (over the example cases in
docs/examples), in Swedish and English.

Run: python scripts/screenshots.py [--out docs/images] [--scale 1.0] [--dark]
Offscreen, so it runs anywhere; the same window code the agent sees.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from wizard.core.engine import FilledBy
from wizard.core.library import FlowLibrary, load_library
from wizard.core.model import NodeRef
from wizard.store import paths
from wizard.store.settings import Settings
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow

STEP = NodeRef("android", "samsung-solution-3")
WALK = (
    "android#symptom",
    "samsung-check-in",
    "samsung-solution-1",
    "samsung-solution-2",
    "samsung-solution-3",
    "general#resolved",
)


def take(window: MainWindow, target: str) -> None:
    """Answer the page shown the way that leads to `target`, as an agent clicks it."""
    session = window.session
    assert session is not None
    here = session.current_ref.flow
    wanted = NodeRef.parse(target, here)
    node = session.current_node
    index = [NodeRef.parse(raw, here) for raw in node.targets()].index(wanted)
    window.choose(index) if node.choices else window.advance()


def fill_case(window: MainWindow, lang: str, *, note: bool = True) -> None:
    panel = window.case_panel
    panel.ticket.insert("INC-20417")
    panel.user_name.insert("Åsa Lind" if lang == "sv" else "Ann Lee")
    panel.user_upn.insert("asa.lind@contoso.se" if lang == "sv" else "ann.lee@contoso.com")
    panel.device_name.insert("SM-G930F")
    panel.platform.setCurrentText("Android")
    panel.os_version.insert("5.1.1")
    if note:
        panel.step_note.insertPlainText(
            "Smart Manager stängde av Företagsportalen."
            if lang == "sv"
            else "Smart Manager had turned Company Portal off."
        )


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#E8EAED",
        QPalette.ColorRole.Base: "#2A2B2E",
        QPalette.ColorRole.AlternateBase: "#333438",
        QPalette.ColorRole.PlaceholderText: "#9AA0A6",
        QPalette.ColorRole.ToolTipBase: "#303134",
        QPalette.ColorRole.ToolTipText: "#E8EAED",
        QPalette.ColorRole.Text: "#E8EAED",
        QPalette.ColorRole.Button: "#303134",
        QPalette.ColorRole.ButtonText: "#E8EAED",
        QPalette.ColorRole.Highlight: "#4FA3F7",
        QPalette.ColorRole.HighlightedText: "#000000",
        QPalette.ColorRole.Mid: "#5F6368",
        QPalette.ColorRole.Dark: "#9AA0A6",
        QPalette.ColorRole.Link: "#8AB4F8",
    }.items():
        palette.setColor(role, QColor(colour))
    return palette


def statistics_picture(library: FlowLibrary, lang: str, out: Path) -> None:
    """The statistics window over the three example cases (docs/examples), all of them counted."""
    from wizard.ui.stats_window import StatsWindow

    examples = Path(__file__).resolve().parents[1] / "docs" / "examples"
    window = StatsWindow(library.flowset, lang, None, [examples])
    window.resize(1180, 780)
    window.show()
    window.reader.wait()
    QApplication.processEvents()  # the facts arrive
    window.period_box.setCurrentIndex(window.period_box.findData(0))
    QApplication.processEvents()
    window.grab().save(str(out))
    window.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    parser.add_argument("--scale", type=float, default=1.0, help="font scale, e.g. 1.5 for large text")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--langs", default="sv,en")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if args.dark:
        app.setPalette(dark_palette())
    library = load_library([paths.builtin_flows_dir()])
    languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = ("-large" if args.scale > 1 else "") + ("-dark" if args.dark else "")
    default_font = app.font()
    for lang in args.langs.split(","):
        app.setFont(default_font)  # each window scales the application's font from its default
        languages.apply(lang)
        window = MainWindow(
            library, Settings(language=lang, font_scale=args.scale), languages, paths.builtin_resources_dir()
        )
        window.resize(1180, 780)
        window.show()
        app.processEvents()
        window.grab().save(str(args.out / f"start-{lang}{suffix}.png"))
        window.start_page.search.setText("0x80cf0437" if lang == "en" else "synkronisera")
        app.processEvents()
        window.grab().save(str(args.out / f"search-{lang}{suffix}.png"))
        # The step page as a search hit opens it: the steps before it are marked as filled in.
        window.open_at(STEP, filled_by=FilledBy.SEARCH)
        window.session.set_tick(0, True)  # type: ignore[union-attr]
        fill_case(window, lang)
        window.refresh_page()
        app.processEvents()
        window.grab().save(str(args.out / f"step-{lang}{suffix}.png"))
        # The end page of a walk answered step by step, so each section of the summary has something.
        window.open_at(NodeRef("start", "platform"), infer=False)
        for target in WALK:
            take(window, target)
            if window.session.current_ref == STEP:  # type: ignore[union-attr]
                for index in (0, 1, 2):
                    window.session.set_tick(index, True)  # type: ignore[union-attr]
                window.session.set_note(  # type: ignore[union-attr]
                    "Smart Manager stängde av Företagsportalen."
                    if lang == "sv"
                    else "Smart Manager had turned Company Portal off."
                )
        fill_case(window, lang, note=False)
        window.refresh_page()
        app.processEvents()
        window.grab().save(str(args.out / f"end-{lang}{suffix}.png"))
        window.close()
        statistics_picture(library, lang, args.out / f"stats-{lang}{suffix}.png")
    print(f"pictures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
