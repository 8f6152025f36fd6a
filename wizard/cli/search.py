"""`troubleshooting-wizard search QUERY [--lang sv|en] [--json]`: the nodes for an error code or words."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from wizard.cli.common import Exit, configured_library, default_lang, refuse_unknown_lang

if TYPE_CHECKING:
    from wizard.cli.common import Commands


def register(commands: Commands) -> None:
    parser = commands.add_parser("search", help="find nodes by error code, identifier, message or words")
    parser.add_argument("query", nargs="+", help="what to look for")
    parser.add_argument(
        "--lang", dest="search_lang", default=None, help="language of the titles shown (sv, en)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--limit", type=int, default=10, help="at most this many hits (default 10)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from wizard.core.search import SearchIndex

    library = configured_library()
    lang = args.search_lang or default_lang(library)
    if refuse_unknown_lang(lang, library, "search"):
        return Exit.USAGE
    index = SearchIndex(library.flowset)
    answer = index.answer(" ".join(args.query), limit=max(1, args.limit), lang=lang)
    flowset = library.flowset
    ways_on = [ref for ref in answer.ways_on if flowset.has_node(ref)]
    if args.json:
        entries: list[dict[str, object]] = [unknown.as_dict() for unknown in answer.unknown_codes]
        entries += [hit.as_dict(lang) for hit in answer.hits]
        entries += [{"kind": "did-you-mean", "query": suggestion} for suggestion in answer.suggestions]
        entries += [
            {"kind": "way-on", "flow": ref.flow, "node": ref.node, "title": flowset.node(ref).title.get(lang)}
            for ref in ways_on
        ]
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return Exit.OK if answer.confident else Exit.PROBLEMS
    for unknown in answer.unknown_codes:
        near = ", ".join(f"{known.code} ({known.ref})" for known in unknown.nearest)
        print(f"{unknown.code}: not in the flows; known codes of family {unknown.family}: {near or 'none'}")
    if not answer.hits:
        print("no hits", file=sys.stderr)
    for hit in answer.hits:
        node = flowset.node(hit.ref)
        print(f"{hit.score:6.1f}  {hit.ref}  {node.title.get(lang)}  [{', '.join(hit.why) or hit.reason}]")
    for suggestion in answer.suggestions:
        print(f"did you mean: {suggestion}")
    for ref in ways_on:
        print(f"way on: {ref}  {flowset.node(ref).title.get(lang)}")
    return Exit.OK if answer.hits and answer.confident else Exit.PROBLEMS
