"""`troubleshooting-wizard flows [--json]`: the flows found, with their directories."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from wizard.cli.common import Exit, configured_library, default_lang, refuse_unknown_lang

if TYPE_CHECKING:
    from wizard.cli.common import Commands


def register(commands: Commands) -> None:
    parser = commands.add_parser("flows", help="list the flows found")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--lang", dest="flows_lang", default=None, help="language of the titles (sv, en)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    library = configured_library()
    lang = args.flows_lang or default_lang(library)
    if refuse_unknown_lang(lang, library, "flows"):
        return Exit.USAGE
    rows: list[dict[str, Any]] = [
        {
            "id": flow.id,
            "title": flow.title.get(lang),
            "platforms": list(flow.platforms),
            "nodes": len(flow.nodes),
            "languages": sorted(flow.languages),
            "version": flow.version,
            "reviewed": flow.reviewed.isoformat() if flow.reviewed else None,
            "directory": str(library.origin[flow.id]),
        }
        for flow in library.flowset
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(
                f"{row['id']:<16} {row['nodes']:>4} nodes  {','.join(row['platforms']):<20} {row['title']}  ({row['directory']})"
            )
    if library.errors:
        print(
            f"{len(library.errors)} problem(s) kept some flows out; run 'troubleshooting-wizard validate'",
            file=sys.stderr,
        )
    return Exit.OK
