"""Synonyms files: what users call things, per language, as content that authors extend.

`synonyms.sv.yaml` and `synonyms.en.yaml` sit beside the flow files. Each holds groups of words or
phrases that mean the same to an end user (`synka`, `synkronisera`), and the words that name a
platform (`iphone` -> ios), which the search uses to favour that platform's flows. The file is read
with the flow loader's composer, so every problem comes back as `file:line:column: message`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from wizard.core.flow_files import SYNONYMS_NAME
from wizard.core.model import PLATFORMS, SynonymTable
from wizard.core.problems import Problem, Severity

if TYPE_CHECKING:  # YAML and the loader are imported when a file is read: a cached start lists only
    import yaml

    from wizard.core.loader import _Builder

MAX_SYNONYMS_BYTES = 256 * 1024
MAX_GROUPS = 2000
MAX_TERMS = 30  # in one group
MAX_TERM_CHARS = 60
TOP_KEYS = ("language", "platforms", "synonyms")


def load_synonyms_file(path: Path) -> tuple[SynonymTable | None, list[Problem]]:
    """One synonyms file, or None and the reasons; never raises for a bad file."""
    import yaml

    from wizard.core.loader import _Abort, _Builder, _compose, read_flow_text

    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(path, 0, 0, f"cannot read the file: {exc.strerror or exc}")]
    if size > MAX_SYNONYMS_BYTES:
        return None, [
            Problem(
                path,
                0,
                0,
                f"file is {size // 1024} KiB; a synonyms file may be at most {MAX_SYNONYMS_BYTES // 1024} KiB",
            )
        ]
    text, problem = read_flow_text(path)
    if problem is not None:
        return None, [problem]
    assert text is not None
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        detail = " ".join(part for part in (exc.context, exc.problem) if part)
        return None, [Problem(path, line, column, f"YAML syntax error: {detail}")]
    except yaml.YAMLError as exc:
        return None, [Problem(path, 0, 0, f"YAML error: {exc}")]
    if root is None:
        return None, [Problem(path, 0, 0, "file holds no YAML document")]
    builder = _Builder(path, None)
    try:
        table = _table(builder, root, path)
    except _Abort:
        table = None
    if any(problem.is_error for problem in builder.problems):
        table = None
    return table, builder.problems


def _table(builder: _Builder, root: yaml.Node, path: Path) -> SynonymTable | None:
    from wizard.core.loader import LANG_PATTERN, _Abort, _AnyKey

    fields = builder.mapping(root, "the synonyms file", TOP_KEYS, ("language",))
    if fields is None:
        raise _Abort
    named = SYNONYMS_NAME.match(path.name)
    lang = (
        builder.pattern(fields["language"], "language", LANG_PATTERN, "a language code such as sv or en")
        if "language" in fields
        else None
    )
    if lang is not None and named is not None and named.group(1) != lang:
        builder.error(
            fields["language"],
            f"language '{lang}' does not match the file name; name the file synonyms.{lang}.yaml",
        )
        lang = None
    seen: dict[str, int] = {}  # folded term -> line of the group that has it

    def terms(node: yaml.Node, what: str) -> tuple[str, ...]:
        items = builder.sequence(node, what)
        if len(items) > MAX_TERMS:
            builder.error(node, f"{what} has {len(items)} terms; at most {MAX_TERMS}: split it into groups")
            return ()
        found: list[str] = []
        for item in items:
            term = builder.string(item, f"a term of {what}")
            if term is None:
                continue
            if len(term) > MAX_TERM_CHARS:
                builder.error(item, f"term '{term[:30]}…' is longer than {MAX_TERM_CHARS} characters")
                continue
            key = " ".join(term.casefold().split())
            if key in seen and seen[key] != node.start_mark.line + 1:
                builder.warn(
                    item, f"'{term}' is also in the group at line {seen[key]}; a term belongs in one group"
                )
            seen.setdefault(key, node.start_mark.line + 1)
            found.append(term)
        return tuple(found)

    platforms: dict[str, tuple[str, ...]] = {}
    if "platforms" in fields:
        mapping = builder.mapping(fields["platforms"], "platforms", allowed=_AnyKey())
        for platform, value in (mapping or {}).items():
            if platform not in PLATFORMS:
                builder.error(value, f"'{platform}' is not a platform; use one of {', '.join(PLATFORMS)}")
                continue
            platforms[platform] = terms(value, f"the words for {platform}")
    groups: list[tuple[str, ...]] = []
    if "synonyms" in fields:
        items = builder.sequence(fields["synonyms"], "synonyms")
        if len(items) > MAX_GROUPS:
            builder.error(fields["synonyms"], f"synonyms has {len(items)} groups; at most {MAX_GROUPS}")
            items = []
        for index, item in enumerate(items, 1):
            group = terms(item, f"synonym group {index}")
            if len(group) == 1:
                builder.report(
                    item, f"synonym group {index} has one term; a group needs two or more", Severity.WARNING
                )
            elif group:
                groups.append(group)
    if lang is None:
        return None
    return SynonymTable(lang, tuple(groups), platforms)


def merge(tables: list[SynonymTable]) -> dict[str, SynonymTable]:
    """Tables of several flow folders, by language: later folders add their groups and platform words."""
    merged: dict[str, SynonymTable] = {}
    for table in tables:
        before = merged.get(table.lang)
        if before is None:
            merged[table.lang] = table
            continue
        platforms = dict(before.platforms)
        for platform, words in table.platforms.items():
            platforms[platform] = tuple(dict.fromkeys((*platforms.get(platform, ()), *words)))
        merged[table.lang] = SynonymTable(table.lang, before.groups + table.groups, platforms)
    return merged
