"""Loading a whole flow set from an ordered list of directories, and the checks that span files.

A later directory's flow replaces an earlier one with the same id (an organisation's own pack over the
built-in one), with a warning naming both files; it is refused, and the earlier one kept, when it has
errors or lacks a node that other flows lead to. A flow with errors is left out, and so is every flow
that depends on it, so the engine never meets a reference it cannot follow; the problems say why.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.core.flow_files import flow_files_in
from wizard.core.inline import html_tags_in, links_in
from wizard.core.links import is_safe_link
from wizard.core.model import Flow, FlowSet, NodeKind, NodeRef
from wizard.core.problems import Problem, Severity

if TYPE_CHECKING:  # the loader (and YAML with it) is imported when a file is read, not before:
    # a library taken from wizard/store/flow_cache.py never needs it
    from wizard.core.loader import LoadedFile, RefSite


@dataclass
class FlowLibrary:
    """The loaded flow set with everything found while loading it."""

    flowset: FlowSet
    problems: list[Problem] = field(default_factory=list)
    origin: dict[str, Path] = field(default_factory=dict)  # flow id -> directory it came from
    files: list[LoadedFile] = field(default_factory=list)
    # Every other path the checks looked at (screenshots, resource folders): what a cached copy
    # of this library depends on besides the flow files themselves.
    consulted: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading allocates hundreds of thousands of short-lived YAML nodes and creates no cycles;
    pausing the cycle collector meanwhile saves about a third of the time on large sets."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_library(directories: Sequence[Path], extra_files: Sequence[Path] = ()) -> FlowLibrary:
    with _gc_paused():
        return _load_library(directories, extra_files)


def _load_library(directories: Sequence[Path], extra_files: Sequence[Path]) -> FlowLibrary:
    """Load every flow of `directories` in order, then `extra_files` over them, and validate the set.

    `extra_files` are checked in the context of the directories, so that a single file naming
    `general#escalate` can be validated on its own.
    """
    from wizard.core.flow_files import is_synonyms_file, synonyms_files_in
    from wizard.core.loader import resource_root_for
    from wizard.core.synonyms import load_synonyms_file, merge

    problems: list[Problem] = []
    consulted: list[Path] = []
    chosen: dict[str, LoadedFile] = {}
    origin: dict[str, Path] = {}
    all_files: list[LoadedFile] = []
    replaced: dict[str, list[tuple[LoadedFile, Path]]] = {}  # flow id -> the files it replaced, in order

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
        earlier = chosen.get(flow_id)
        if earlier is not None and earlier.path.resolve() != loaded.path.resolve():
            replaced.setdefault(flow_id, []).append((earlier, origin[flow_id]))
        chosen[flow_id] = loaded
        origin[flow_id] = directory

    tables = []
    synonyms_files = [path for directory in directories for path in synonyms_files_in(directory)]
    synonyms_files += [path for path in extra_files if is_synonyms_file(path)]
    extra_files = [path for path in extra_files if not is_synonyms_file(path)]
    for path in synonyms_files:
        consulted.append(path)
        table, found = load_synonyms_file(path)
        problems.extend(found)
        if table is not None:
            tables.append(table)
    for directory in directories:
        seen_here: dict[str, LoadedFile] = {}
        root = resource_root_for(directory)
        consulted.append(directory / "resources")  # whether it is a folder decides `root`
        for path in flow_files_in(directory):
            take(_checked_file(path, root, consulted), directory, seen_here)
    extra_seen: dict[str, LoadedFile] = {}
    for path in extra_files:
        consulted.append(path.parent / "resources")
        take(_checked_file(path, resource_root_for(path.parent), consulted), path.parent, extra_seen)

    for loaded in all_files:
        problems.extend(loaded.problems)
    problems.extend(_settle_replacements(chosen, origin, replaced))

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
    flowset = FlowSet(
        {flow_id: loaded.flow for flow_id, loaded in flows.items() if loaded.flow is not None}, merge(tables)
    )
    for loaded in all_files:  # what the checks needed is no longer needed; large sets feel it
        loaded.texts = []
        loaded.images = []
        loaded.refs = []
    problems.sort(key=lambda p: (str(p.path), p.line, p.column, p.message))
    return FlowLibrary(
        flowset,
        _unique(problems),
        {fid: origin[fid] for fid in flowset.flows},
        all_files,
        list(dict.fromkeys(consulted)),
    )


def _settle_replacements(
    chosen: dict[str, LoadedFile], origin: dict[str, Path], replaced: dict[str, list[tuple[LoadedFile, Path]]]
) -> list[Problem]:
    """Keep each flow that replaces an earlier one with the same id only when the flows leading into
    it still find their nodes; otherwise (or when it has errors) the earlier one stays, so that a
    user's own `android` never breaks the built-in flows linking to `android#symptom`."""
    problems: list[Problem] = []
    for flow_id, earlier in replaced.items():
        while earlier:
            loaded = chosen[flow_id]
            previous, previous_directory = earlier[-1]
            where = (_id_line(loaded.path), 1)
            if loaded.flow is None:
                reason, advice = "it has errors", "fix them, or give this flow another id"
            else:
                missing = _links_into(flow_id, previous, loaded, chosen)
                if not missing:
                    message = f"flow '{flow_id}' replaces the one in {previous.path}"
                    problems.append(_problem_at(loaded.path, where, message, Severity.WARNING))
                    break
                listed = ", ".join(f"'{node}' ({site})" for node, site in missing[:5])
                more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                reason = f"it lacks nodes other flows lead to: {listed}{more}"
                advice = "give this flow another id, or give it those nodes"
            problems.append(
                _problem_at(
                    loaded.path,
                    where,
                    f"flow '{flow_id}' would replace the one in {previous.path}, but {reason}; "
                    f"that one is kept: {advice}",
                )
            )
            chosen[flow_id] = previous
            origin[flow_id] = previous_directory
            earlier.pop()
    return problems


def _links_into(
    flow_id: str, previous: LoadedFile, replacement: LoadedFile, chosen: dict[str, LoadedFile]
) -> list[tuple[str, str]]:
    """The nodes of `previous` that other chosen flows lead to and `replacement` does not have, each
    with the first place (file:line) leading to it."""
    had = previous.built.nodes if previous.built is not None else {}
    has = replacement.built.nodes if replacement.built is not None else {}
    missing: dict[str, str] = {}
    for other_id, other in chosen.items():
        if other_id == flow_id:
            continue
        for site in other.refs:
            ref = NodeRef.parse(site.target, site.flow)
            if ref.flow == flow_id and ref.node in had and ref.node not in has and ref.node not in missing:
                missing[ref.node] = f"{site.location.path.name}:{site.location.line}"
    return list(missing.items())


def _id_line(path: Path) -> int:
    """The line of a flow file's top-level `id:` (1 when it cannot be read)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, 1):
                if line.startswith("id:") or line.startswith("id :"):
                    return number
    except OSError:
        pass
    return 1


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _problem_at(
    path: Path, where: tuple[int, int], message: str, severity: Severity = Severity.ERROR
) -> Problem:
    return Problem(path, where[0], where[1], message, severity)


def _checked_file(path: Path, resource_root: Path, consulted: list[Path]) -> LoadedFile:
    """Load a file and run the checks that need only that file: languages, markup, screenshots.

    Every screenshot path looked for is added to `consulted`.
    """
    from wizard.core.loader import load_flow_file

    loaded = load_flow_file(path, resource_root)
    flow = loaded.flow
    if flow is None:
        return loaded
    found: list[Problem] = []
    languages = flow.languages
    for text, line, column in loaded.texts:
        by_lang = text.by_lang
        if len(by_lang) != len(languages) or not by_lang.keys() >= languages:
            missing = languages - by_lang.keys()
            if missing:
                found.append(
                    _problem_at(
                        path,
                        (line, column),
                        f"text is missing the {', '.join(sorted(missing))} version; the flow's title has {', '.join(sorted(languages))}",
                    )
                )
        for lang, value in by_lang.items():
            if "](" not in value and "<" not in value:
                continue  # no link and no tag: nothing more to check
            for url in links_in(value):
                if not is_safe_link(url):
                    found.append(
                        _problem_at(
                            path,
                            (line, column),
                            f"link '{url}' in the {lang} text must be an https:// address",
                        )
                    )
            for tag in html_tags_in(value):
                found.append(
                    _problem_at(
                        path,
                        (line, column),
                        f"HTML tag {tag} in the {lang} text is shown as written; use **bold**, `code` or [links](https://…)",
                        Severity.WARNING,
                    )
                )
    root = resource_root.resolve()
    for image, where in loaded.images:
        for lang in sorted(languages):
            relative = image.replace("{lang}", lang)
            target = (resource_root / relative).resolve()
            consulted.append(target)
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
            elif target.suffix.lower() == ".svg":
                found.extend(_svg_problems(path, (where.line, where.column), relative, target, root))
    if loaded.images and not root.is_relative_to(resource_root.parent.resolve()):
        where = loaded.images[0][1]
        found.append(
            Problem(
                path,
                where.line,
                where.column,
                f"the resources folder {resource_root} leads to {root}, outside the pack; keep the screenshots inside it",
            )
        )
    loaded.problems.extend(found)
    if any(problem.is_error for problem in found):
        loaded.flow = None
    return loaded


def _svg_problems(path: Path, where: tuple[int, int], relative: str, svg: Path, root: Path) -> list[Problem]:
    """An SVG screenshot that refers outside itself: errors, except a relative path that stays in
    the pack (a warning: screenshots are drawn only from what the file holds)."""
    from wizard.core.svg_check import RefKind, file_references

    try:
        references = file_references(svg)
    except OSError as exc:
        return [_problem_at(path, where, f"screenshot '{relative}' cannot be read: {exc.strerror or exc}")]
    problems = []
    for reference in references:
        lead = f"screenshot '{relative}' line {reference.line}"
        if reference.kind is RefKind.RELATIVE:
            inside = (svg.parent / reference.target.split("#")[0]).resolve().is_relative_to(root)
            if inside:
                problems.append(
                    _problem_at(
                        path,
                        where,
                        f"{lead} {reference.message()}, which is not drawn: embed pictures in the SVG as data: URIs",
                        Severity.WARNING,
                    )
                )
                continue
            message = f"{lead} {reference.message()}, outside the pack's resources folder {root}"
        else:
            message = (
                f"{lead} {reference.message()}; a screenshot may refer only to itself (#id) or to data: URIs"
            )
        problems.append(_problem_at(path, where, message))
    return problems


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
    if target_file is not None and target_file.built is not None and ref.node in target_file.built.nodes:
        return None
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


def _key(target: str, flow_id: str) -> str:
    """A node's address as one string, "flow#node": cheaper to hash than a NodeRef on large sets."""
    return target if "#" in target else f"{flow_id}#{target}"


def _graph_problems(files: dict[str, LoadedFile], failed: set[str]) -> list[Problem]:
    """Nodes no walk can reach (warnings) and nodes from which no end can be reached (errors)."""
    flows: dict[str, Flow] = {fid: loaded.flow for fid, loaded in files.items() if loaded.flow is not None}
    edges: dict[str, list[str]] = {}
    reverse: dict[str, list[str]] = {}
    ends: list[str] = []
    for flow in flows.values():
        prefix = f"{flow.id}#"
        for node_id, node in flow.nodes.items():
            here = prefix + node_id
            targets = [target if "#" in target else prefix + target for target in node.targets()]
            edges[here] = targets
            for target in targets:
                reverse.setdefault(target, []).append(here)
            if node.kind is NodeKind.END:
                ends.append(here)

    can_finish = _walk(ends, reverse)
    reachable = _walk([f"{flow.id}#{flow.entry}" for flow in flows.values()], edges)
    if len(can_finish) >= len(edges) and len(reachable) >= len(edges):
        return []  # the usual case: every node reachable, every node with a way out

    problems: list[Problem] = []
    stuck_flows: set[str] = set()
    for flow in flows.values():
        for node in flow.nodes.values():
            here = f"{flow.id}#{node.id}"
            where = node.location
            line, column = (where.line, where.column) if where else (0, 0)
            assert flow.path is not None
            if here not in can_finish:
                loop = _cycle_from(here, edges)
                path = " → ".join(key.removeprefix(f"{flow.id}#") for key in loop)
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


def _walk(starts: Iterable[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(starts)
    queue = deque(seen)
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _cycle_from(start: str, edges: dict[str, list[str]]) -> list[str]:
    """A short loop reachable from `start`, for the message (every path from a stuck node loops)."""
    order: list[str] = []
    index: dict[str, int] = {}
    node = start
    while node not in index:
        index[node] = len(order)
        order.append(node)
        following = edges.get(node, [])
        if not following:
            return order
        node = following[0]
    return [*order[index[node] :], node]
