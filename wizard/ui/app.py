"""Starting the window: settings, flows, languages, an optional deep link, or a smoke test."""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import sys
import time
from typing import TYPE_CHECKING

from wizard import APP_ID
from wizard.store import paths
from wizard.store.settings import SettingsNotice, load_settings

if TYPE_CHECKING:
    from pathlib import Path

    from wizard.core.library import FlowLibrary
    from wizard.core.model import FlowSet, NodeRef
    from wizard.store.start_cards import LibraryToCome
    from wizard.ui.main_window import MainWindow
    from wizard.ui.single_instance import HandOver, OpenRequest, RequestProblem, SingleInstance

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
    # The plain Python the first window needs is imported before Qt: once PySide6 is loaded it
    # reads the source of every module imported after it (looking for its `__feature__` switches).
    import wizard.store.start_cards  # noqa: F401

    # isort: split
    from wizard.ui.single_instance import OpenRequest, Outcome, SingleInstance, server_name

    request = OpenRequest(args.flow or None, args.node or None, args.lang or None, bool(args.presentation))
    # A check must neither hand over to the agent's window nor keep a later start from becoming
    # one: it takes the same steps under a name of its own, and never listens.
    name = server_name(paths.data_dir())
    instance = SingleInstance(f"{name}-check-{os.getpid()}" if args.smoke_test else name)
    try:
        instance.claim()
        handed = instance.hand_over(request)
        if handed.outcome is not Outcome.NO_WINDOW:
            return _report_hand_over(handed)
        return _start_window(args, request, instance)
    finally:
        instance.close()


def _report_hand_over(handed: HandOver) -> int:
    """One line for a start that found a window already running."""
    from wizard.ui.single_instance import Outcome

    process = f" (process {handed.pid})" if handed.pid else ""
    if handed.outcome is Outcome.TAKEN:
        print(f"troubleshooting-wizard: handed over to the window already running{process}")
        return 0
    if handed.problem is not None and handed.problem.kind != "version":
        print(f"troubleshooting-wizard: {describe_problem(handed.problem)}", file=sys.stderr)
        return 2
    if handed.problem is not None:
        print(
            f"troubleshooting-wizard: a window of another version of the app is running{process}; "
            "close it and start again",
            file=sys.stderr,
        )
    else:
        print(
            "troubleshooting-wizard: a window of the app is already running but did not answer; "
            "close it or try again",
            file=sys.stderr,
        )
    return 1


def request_problem(
    request: OpenRequest, flowset: FlowSet | None, languages: list[str]
) -> RequestProblem | None:
    """What keeps a request (from this start's command line or a later one's) from being opened;
    `flowset` may be None for a request that names no flow."""
    from wizard.ui.single_instance import RequestProblem

    if request.lang and request.lang not in languages:
        return RequestProblem("language", (request.lang, *languages))
    if request.flow is None:
        return None
    from wizard.core.model import NodeRef

    assert flowset is not None, "a request for a flow is checked against the flows"
    if request.flow not in flowset:
        return RequestProblem("flow", (request.flow,))
    if not flowset.has_node(NodeRef(request.flow, request.node or flowset.flow(request.flow).entry)):
        return RequestProblem("node", (request.flow, request.node or ""))
    return None


def describe_problem(problem: RequestProblem) -> str:
    details = problem.details
    if problem.kind == "language" and details:
        offered = ", ".join(details[1:])
        return f"language '{details[0]}' is not available (flows carry: {offered})"
    if problem.kind == "flow" and details:
        return f"no flow '{details[0]}' (see 'troubleshooting-wizard flows')"
    if problem.kind == "node" and len(details) == 2:
        return f"flow '{details[0]}' has no node '{details[1]}'"
    return f"the running window refused the request ({problem.kind})"


def requested_node(request: OpenRequest, flowset: FlowSet) -> NodeRef | None:
    """The node a checked request opens: --node, else the entry of --flow; None without --flow."""
    from wizard.core.model import NodeRef

    if request.flow is None:
        return None
    return NodeRef(request.flow, request.node or flowset.flow(request.flow).entry)


def _start_window(args: argparse.Namespace, request: OpenRequest, instance: SingleInstance) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from wizard.store.start_cards import LibraryToCome
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
    # A plain start draws its first frame from the start page's kept cards and loads the flows
    # right after it; a deep link, a check or cards that are not current load them first.
    directories = paths.flow_dirs(settings.flow_dirs)  # reads the machine's settings file: once
    library: FlowLibrary | LibraryToCome | None = None
    if request.flow is None and not args.smoke_test:
        library = _library_to_come(directories)
    if library is None:
        from wizard.store.flow_cache import load_cached_library

        library = load_cached_library(directories)
        if not len(library.flowset):
            print(
                "troubleshooting-wizard: no flows could be loaded; run 'troubleshooting-wizard validate'",
                file=sys.stderr,
            )
            return 1
    if isinstance(library, LibraryToCome):  # the flows come after the first frame; their languages now
        flowset, flow_languages = None, library.cards.languages
    else:
        flowset, flow_languages = library.flowset, library.flowset.languages
    languages = LanguageManager(paths.builtin_translations_dir(), flow_languages)
    problem = request_problem(request, flowset, languages.available())
    if problem is not None:
        print(f"troubleshooting-wizard: {describe_problem(problem)}", file=sys.stderr)
        return 2
    lang = args.lang or languages.default_language(settings.language)
    languages.apply(lang)
    start = requested_node(request, flowset) if flowset is not None else None

    notices: list[str | SettingsNotice] = list(loaded_settings.notices)
    if args.smoke_test:  # a check of the window, not a walk: nothing is saved
        window = MainWindow(library, settings, languages, resources, notices)
        if start is not None:
            window.open_at(start, infer=True)
        if args.presentation:
            window.set_presentation(True)
        _started()
        # The window listens for later starts once it is on screen, out of the agent's wait; the
        # check only makes sure a package did not leave out what it listens with.
        if importlib.util.find_spec("PySide6.QtNetwork") is None:
            print(
                "smoke test failed: PySide6.QtNetwork is missing: later starts could not hand over",
                file=sys.stderr,
            )
            window.persist_settings = False
            window.close()
            return 1
        return smoke_test(window)

    window = MainWindow(library, settings, languages, resources, notices)
    report_first_paint(window)

    def attach_store() -> None:
        from wizard.store.cases import CaseStore

        window.attach_store(CaseStore())

    if start is not None:  # a deep link opens its case at once: the store comes first
        attach_store()
        window.open_at(start, infer=True)
    else:  # the start page is drawn without it; the saved cases are read right after
        window.first_painted.connect(attach_store)
    # Later starts hand over from when the window is on screen (its first frame painted); until
    # then they wait for the claim.
    window.first_painted.connect(lambda: serve_window(instance, window))
    window.show()
    if args.presentation:
        window.set_presentation(True)
    _started()
    try:
        return int(app.exec())
    finally:
        if window.cases.store is not None:
            window.cases.store.close()


def _library_to_come(directories: list[Path]) -> LibraryToCome | None:
    """The kept cards and the way to the flows, while the cards are current; else None."""
    from wizard.store.start_cards import LibraryToCome, cards_file_for, read_cards

    cards = read_cards(cards_file_for(paths.flow_cache_file()), directories)
    if cards is None:
        return None

    def load() -> FlowLibrary:
        from wizard.store.flow_cache import load_cached_library

        return load_cached_library(directories)

    return LibraryToCome(cards, load)


def report_first_paint(window: object) -> None:
    """For the start-up benchmark: with WIZARD_REPORT_FIRST_PAINT=<fd>, write a line to that pipe
    once the window's first frame is painted (the benchmark's bare Qt program does the same)."""
    fd = os.environ.get("WIZARD_REPORT_FIRST_PAINT", "")
    if not fd.isdigit():
        return
    from wizard.ui.main_window import MainWindow

    def report() -> None:
        os.write(int(fd), b"painted\n")
        os.close(int(fd))

    assert isinstance(window, MainWindow)
    window.first_painted.connect(report)


def serve_window(instance: SingleInstance, window: MainWindow) -> None:
    """Let later starts hand their request to this window: checked as at start, then opened."""
    instance.check = lambda request: request_problem(request, window.flowset, window.languages.available())
    instance.request_received.connect(
        lambda request: window.open_request(
            requested_node(request, window.flowset), request.lang, request.presentation
        )
    )
    if not instance.listen():
        print(
            f"troubleshooting-wizard: later starts will open windows of their own: {instance.listen_error}",
            file=sys.stderr,
        )


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
    from wizard.core.model import NodeRef
    from wizard.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    best: tuple[int, NodeRef] | None = None
    for flow in window.flowset:
        for node in flow.nodes.values():
            count = sum(1 for _ in node.all_screenshots())
            if count and (best is None or count < best[0]):
                best = (count, NodeRef(flow.id, node.id))
    return best[1] if best else None
