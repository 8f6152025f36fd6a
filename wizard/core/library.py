"""Loading a whole flow set from an ordered list of directories, and the checks that span files.

A later directory's flow replaces an earlier one with the same id (an organisation's own pack over the
built-in one). A flow with errors is left out, and so is every flow that depends on it, so the
engine never meets a reference it cannot follow; the problems say why.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wizard.core.inline import html_tags_in, links_in
from wizard.core.loader import LoadedFile, RefSite, load_flow_file, resource_root_for
from wizard.core.model import Flow, FlowSet, NodeKind, NodeRef
from wizard.core.problems import Problem, Severity

FLOW_SUFFIXES = (".yaml", ".yml")


@dataclass
class FlowLibrary:
    """The loaded flow set with everything found while loading it."""

    flowset: FlowSet
    problems: list[Problem] = field(default_factory=list)
    origin: dict[str, Path] = field(default_factory=dict)  # flow id -> directory it came from
    files: list[LoadedFile] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]


def flow_files_in(directory: Path) -> list[Path]:
    try:
        return sorted(path for path in directory.iterdir() if path.suffix in FLOW_SUFFIXES and path.is_file())
    except OSError:
        return []


def load_library(directories: Sequence[Path], extra_files: Sequence[Path] = ()) -> FlowLibrary:
    """Load every flow of `directories` in order, then `extra_files` over them, and validate the set.

    `extra_files` are checked in the context of the directories, so that a single file naming
    `general#escalate` can be validated on its own.
    """
    problems: list[Problem] = []
    chosen: dict[str, LoadedFile] = {}
    origin: dict[str, Path] = {}
    all_files: list[LoadedFile] = []

    def take(loaded: LoadedFile, directory: Path, seen_here: dict[str, LoadedFile]) -> None:
        all_files.append(loaded)
        flow_id = loaded.flow_id
        if flow_id is None:
            return
        if flow_id in seen_here:
            problems.append(
                Problem(
                    loaded.path,
                    1,
                    1,
                    f"flow id '{flow_id}' is already used by {seen_here[flow_id].path.name} in the same directory; give one of them another id",
                )
            )
            loaded.flow = None
            return
        seen_here[flow_id] = loaded
        chosen[flow_id] = loaded
        origin[flow_id] = directory

    for directory in directories:
        seen_here: dict[str, LoadedFile] = {}
        root = resource_root_for(directory)
        for path in flow_files_in(directory):
            take(_checked_file(path, root), directory, seen_here)
    extra_seen: dict[str, LoadedFile] = {}
    for path in extra_files:
        take(_checked_file(path, resource_root_for(path.parent)), path.parent, extra_seen)

    for loaded in all_files:
        problems.extend(loaded.problems)

    flows = {flow_id: loaded for flow_id, loaded in chosen.items() if loaded.flow is not None}
    failed = {flow_id for flow_id, loaded in chosen.items() if loaded.flow is None}
    # Files refused for their own errors still get their references checked, so an author sees all at once.
    for loaded in chosen.values():
        if loaded.flow is None and loaded.built is not None and loaded.flow_id is not None:
            with_itself = {**flows, loaded.flow_id: loaded}
            for site in loaded.refs:
                message = _reference_problem(site, with_itself, failed)
                if message:
                    problems.append(
                        Problem(site.location.path, site.location.line, site.location.column, message)
                    )
    problems.extend(_check_set(flows, failed))
    flowset = FlowSet({flow_id: loaded.flow for flow_id, loaded in flows.items() if loaded.flow is not None})
    problems.sort(key=lambda p: (str(p.path), p.line, p.column, p.message))
    return FlowLibrary(flowset, _unique(problems), {fid: origin[fid] for fid in flowset.flows}, all_files)


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _checked_file(path: Path, resource_root: Path) -> LoadedFile:
    """Load a file and run the checks that need only that file: languages, markup, screenshots."""
    loaded = load_flow_file(path, resource_root)
    flow = loaded.flow
    if flow is None:
        return loaded
    found: list[Problem] = []
    languages = flow.languages
    for located in loaded.texts:
        missing = languages - located.text.languages
        where = located.location
        if missing:
            found.append(
                Problem(
                    path,
                    where.line,
                    where.column,
                    f"text is missing the {', '.join(sorted(missing))} version; the flow's title has {', '.join(sorted(languages))}",
                )
            )
        for lang, value in located.text.by_lang.items():
            for url in links_in(value):
                if not url.startswith("https://"):
                    found.append(
                        Problem(
                            path,
                            where.line,
                            where.column,
                            f"link '{url}' in the {lang} text must be an https:// address",
                        )
                    )
            for tag in html_tags_in(value):
                found.append(
                    Problem(
                        path,
                        where.line,
                        where.column,
                        f"HTML tag {tag} in the {lang} text is shown as written; use **bold**, `code` or [links](https://…)",
                        Severity.WARNING,
                    )
                )
    root = resource_root.resolve()
    for image, where in loaded.images:
        for lang in sorted(languages):
            relative = image.replace("{lang}", lang)
            target = (resource_root / relative).resolve()
            if not target.is_relative_to(root):
                found.append(
                    Problem(
                        path,
                        where.line,
                        where.column,
                        f"screenshot '{relative}' points outside the pack's resources folder {resource_root}",
                    )
                )
            elif not target.is_file():
                found.append(
                    Problem(
                        path,
                        where.line,
                        where.column,
                        f"screenshot '{relative}' does not exist in {resource_root}",
                    )
                )
    loaded.problems.extend(found)
    if any(problem.is_error for problem in found):
        loaded.flow = None
    return loaded


def _check_set(files: dict[str, LoadedFile], failed: set[str]) -> list[Problem]:
    """References, reachability and ways out, over all flows together.

    Flows with errors are dropped from `files`, repeatedly, until every remaining reference resolves.
    """
    problems: list[Problem] = []
    while True:
        broken = _reference_problems(files, failed)
        for flow_id, found in broken.items():
            problems.extend(found)
            failed.add(flow_id)
            del files[flow_id]
        if broken:
            continue
        count = len(files)
        problems.extend(_graph_problems(files, failed))
        if len(files) == count:
            return problems


def _reference_problems(files: dict[str, LoadedFile], failed: set[str]) -> dict[str, list[Problem]]:
    broken: dict[str, list[Problem]] = {}
    for flow_id, loaded in files.items():
        for site in loaded.refs:
            message = _reference_problem(site, files, failed)
            if message:
                where = site.location
                broken.setdefault(flow_id, []).append(Problem(where.path, where.line, where.column, message))
    return broken


def _reference_problem(site: RefSite, files: dict[str, LoadedFile], failed: set[str]) -> str | None:
    ref = NodeRef.parse(site.target, site.flow)
    target_file = files.get(ref.flow)
    if target_file is None or target_file.built is None:
        if ref.flow in failed:
            return f"'{site.target}' leads into flow '{ref.flow}', which has errors and is not loaded; fix that flow first"
        known = ", ".join(sorted(files)) or "none"
        return f"'{site.target}' leads to flow '{ref.flow}', which does not exist (flows loaded: {known})"
    nodes = target_file.built.nodes
    if ref.node not in nodes:
        close = _close(ref.node, nodes)
        where = "this flow" if ref.flow == site.flow else f"flow '{ref.flow}'"
        return f"'{site.target}' leads to node '{ref.node}', which {where} does not have{close}"
    return None


def _close(word: str, options: Iterable[str]) -> str:
    import difflib

    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def _graph_problems(files: dict[str, LoadedFile], failed: set[str]) -> list[Problem]:
    """Nodes no walk can reach (warnings) and nodes from which no end can be reached (errors)."""
    flows: dict[str, Flow] = {fid: loaded.flow for fid, loaded in files.items() if loaded.flow is not None}
    edges: dict[NodeRef, list[NodeRef]] = {}
    reverse: dict[NodeRef, list[NodeRef]] = {}
    ends: list[NodeRef] = []
    for flow in flows.values():
        for node in flow.nodes.values():
            here = NodeRef(flow.id, node.id)
            targets = [NodeRef.parse(target, flow.id) for target in node.targets()]
            edges[here] = targets
            for target in targets:
                reverse.setdefault(target, []).append(here)
            if node.kind is NodeKind.END:
                ends.append(here)

    can_finish = _walk(ends, reverse)
    reachable = _walk([NodeRef(flow.id, flow.entry) for flow in flows.values()], edges)

    problems: list[Problem] = []
    stuck_flows: set[str] = set()
    for flow in flows.values():
        for node in flow.nodes.values():
            here = NodeRef(flow.id, node.id)
            where = node.location
            line, column = (where.line, where.column) if where else (0, 0)
            assert flow.path is not None
            if here not in can_finish:
                loop = _cycle_from(here, edges)
                path = " → ".join(str(ref) if ref.flow != flow.id else ref.node for ref in loop)
                problems.append(
                    Problem(
                        flow.path,
                        line,
                        column,
                        f"node '{node.id}' can never reach an end: every way on leads back into the cycle {path}; add a choice that leads out",
                    )
                )
                stuck_flows.add(flow.id)
            if here not in reachable:
                problems.append(
                    Problem(
                        flow.path,
                        line,
                        column,
                        f"node '{node.id}' cannot be reached from the flow's entry '{flow.entry}' or from another flow",
                        Severity.WARNING,
                    )
                )
    for flow_id in stuck_flows:  # flows leading into these are caught by the caller's next round
        failed.add(flow_id)
        del files[flow_id]
    return problems


def _walk(starts: Iterable[NodeRef], edges: dict[NodeRef, list[NodeRef]]) -> set[NodeRef]:
    seen = set(starts)
    queue = deque(seen)
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _cycle_from(start: NodeRef, edges: dict[NodeRef, list[NodeRef]]) -> list[NodeRef]:
    """A short loop reachable from `start`, for the message (every path from a stuck node loops)."""
    order: list[NodeRef] = []
    index: dict[NodeRef, int] = {}
    node = start
    while node not in index:
        index[node] = len(order)
        order.append(node)
        following = edges.get(node, [])
        if not following:
            return order
        node = following[0]
    return [*order[index[node] :], node]
