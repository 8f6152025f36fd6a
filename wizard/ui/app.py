"""Starting the window: settings, flows, languages, an optional deep link, or a smoke test."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time

from wizard import APP_ID
from wizard.core.model import NodeRef
from wizard.store import paths
from wizard.store.flow_cache import load_cached_library
from wizard.store.settings import load_settings

APP_NAME = "Troubleshooting Wizard"


def run_app(args: argparse.Namespace) -> int:
    # Start-up creates a few hundred thousand objects that live as long as the window (Qt's
    # wrappers and enums, the flows) and almost no garbage. The cycle collector would walk them
    # again and again while they are made, and once more at exit: it rests until the window is
    # built, and what exists then is frozen out of its walks for good.
    gc.disable()
    try:
        return _run_app(args)
    finally:
        gc.enable()


def _started() -> None:
    gc.freeze()
    gc.enable()


def _run_app(args: argparse.Namespace) -> int:
    if args.smoke_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from wizard.ui.i18n import LanguageManager
    from wizard.ui.main_window import MainWindow

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        # Fusion looks alike on every desktop. Named on Qt's command line, it is made in C++ without
        # a Python wrapper, whose first use would create QStyle's 500 enum members (5 ms).
        app = QApplication([*sys.argv[:1], "-style", "Fusion"])
    else:
        app.setStyle("Fusion")
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("troubleshooting-wizard")
    app.setOrganizationDomain("troubleshootingwizard.se")
    app.setDesktopFileName(APP_ID)  # Wayland's app id: the launcher groups the window with its entry
    resources = paths.builtin_resources_dir()
    app.setWindowIcon(QIcon(str(resources / "icons" / "app.svg")))

    loaded_settings = load_settings()
    settings = loaded_settings.settings
    library = load_cached_library(paths.flow_dirs(settings.flow_dirs))
    if not len(library.flowset):
        print(
            "troubleshooting-wizard: no flows could be loaded; run 'troubleshooting-wizard validate'",
            file=sys.stderr,
        )
        return 1
    languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
    if args.lang and args.lang not in languages.available():
        offered = ", ".join(languages.available())
        print(
            f"troubleshooting-wizard: language '{args.lang}' is not available (flows carry: {offered})",
            file=sys.stderr,
        )
        return 2
    lang = args.lang or languages.default_language(settings.language)
    languages.apply(lang)

    start: NodeRef | None = None
    if args.flow:
        if args.flow not in library.flowset:
            print(
                f"troubleshooting-wizard: no flow '{args.flow}' (see 'troubleshooting-wizard flows')",
                file=sys.stderr,
            )
            return 2
        flow = library.flowset.flow(args.flow)
        start = NodeRef(flow.id, args.node or flow.entry)
        if not library.flowset.has_node(start):
            print(f"troubleshooting-wizard: flow '{flow.id}' has no node '{args.node}'", file=sys.stderr)
            return 2

    notices = [loaded_settings.problem] if loaded_settings.problem else []
    if args.smoke_test:  # a check of the window, not a walk: nothing is saved
        window = MainWindow(library, settings, languages, resources, notices)
        if start is not None:
            window.open_at(start, infer=True)
        if args.presentation:
            window.set_presentation(True)
        _started()
        return smoke_test(window)

    from wizard.store.cases import CaseStore

    store = CaseStore()
    window = MainWindow(library, settings, languages, resources, notices, store=store)
    if start is not None:
        window.open_at(start, infer=True)
    window.show()
    if args.presentation:
        window.set_presentation(True)
    _started()
    try:
        return int(app.exec())
    finally:
        store.close()


def smoke_test(window: object) -> int:
    """Render the start page and a step page with a screenshot; exit 0 when both drew correctly."""

    from wizard.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.persist_settings = False
    started = time.perf_counter()
    window.show()
    problems: list[str] = []
    if not _painted(window):
        problems.append("the start page did not render")
    target = _node_with_screenshot(window)
    if target is None:
        problems.append("no flow node has a screenshot to render")
    else:
        window.open_at(target, infer=True)
        if not _painted(window):
            problems.append(f"the step page {target} did not render")
        thumbnails = window.step_view.thumbnails
        if not thumbnails or not all(thumb.is_valid() for thumb in thumbnails):
            problems.append(f"a screenshot of {target} could not be drawn")
    if window.languages.missing:  # a build or package that left out translations
        problems.append("translations not found: " + ", ".join(window.languages.missing))
    window.close()
    if problems:
        print("smoke test failed: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"smoke test passed in {(time.perf_counter() - started) * 1000:.0f} ms")
    return 0


def _painted(window: object) -> bool:
    """Let the window paint as it would on screen, then read back what it drew: more than one colour.

    The picture is taken from the screen (the offscreen platform and X keep what was painted), so
    each page is painted once, as the agent would see it. Where the screen cannot be read back (a
    Wayland desktop, a window not yet mapped), the window paints itself again into a picture.
    """
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(window, QWidget)
    QApplication.processEvents()
    if _varied(window.screen().grabWindow(window.winId()).toImage()):
        return True
    return _varied(window.grab().toImage())


def _varied(picture: object) -> bool:
    from PySide6.QtGui import QImage

    assert isinstance(picture, QImage)
    if picture.isNull():
        return False
    first = picture.pixel(0, 0)
    step = max(1, min(picture.width(), picture.height()) // 64)
    return any(
        picture.pixel(x, y) != first
        for y in range(0, picture.height(), step)
        for x in range(0, picture.width(), step)
    )


def _node_with_screenshot(window: object) -> NodeRef | None:
    """The node with the fewest screenshots (but at least one): enough to prove they draw."""
    from wizard.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    best: tuple[int, NodeRef] | None = None
    for flow in window.flowset:
        for node in flow.nodes.values():
            count = sum(1 for _ in node.all_screenshots())
            if count and (best is None or count < best[0]):
                best = (count, NodeRef(flow.id, node.id))
    return best[1] if best else None
