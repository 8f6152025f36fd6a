"""The case as JSON (format 1, described by docs/case.schema.json): the hand-off and archive format.

Exported JSON is the case exactly, so another machine can import it and go on where the walk stopped.
With redaction the personal fields and every occurrence of their values in notes are replaced; the
result is still a valid case. Control and bidi characters in notes are written as \\u escapes, so the
file reads safely in any viewer and still round-trips to the same text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from wizard.core.case import Case
from wizard.core.limits import MAX_CASE_FILE_BYTES, MAX_DEPTH, case_data_problems
from wizard.core.redact import redact_case_data, redactor_for
from wizard.core.resources import case_schema_file
from wizard.export.sanitize import escape_json_unsafe

if TYPE_CHECKING:
    import jsonschema

    from wizard.core.model import FlowSet


def case_data(case: Case, *, redact: bool = False, lang: str = "en") -> dict[str, Any]:
    data = case.to_json()
    return redact_case_data(data, redactor_for(case, lang)) if redact else data


def dumps(data: dict[str, Any]) -> str:
    return escape_json_unsafe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def to_json_text(case: Case, *, redact: bool = False, lang: str = "en") -> str:
    return dumps(case_data(case, redact=redact, lang=lang))


@cache
def case_schema(path: Path | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((path or case_schema_file()).read_text(encoding="utf-8"))
    return schema


def schema_problems(data: Any, schema: dict[str, Any] | None = None) -> list[str]:
    """Every way `data` breaks docs/case.schema.json, one 'field path: why' line each, in file order.

    The schema compiled by fastjsonschema says whether the data is valid, fast even for a case at the
    limits; only data that is not is walked again by jsonschema, which finds every problem.
    """
    import jsonschema  # imported when a file is checked, not when the app starts

    if _fast_validator(schema)(data):
        return []
    validator = jsonschema.Draft202012Validator(schema or case_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        problems.append(f"{field_path(error.absolute_path) or '(the whole file)'}: {_why(error)}")
    return problems


def _fast_validator(schema: dict[str, Any] | None) -> Callable[[Any], bool]:
    """Whether data is valid against the schema, by fastjsonschema; the case schema compiled once."""
    import fastjsonschema

    if schema is not None:
        check = fastjsonschema.compile(schema, use_formats=False)
    else:
        check = _compiled_case_schema()

    def valid(data: Any) -> bool:
        try:
            check(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return valid


@cache
def _compiled_case_schema() -> Callable[[Any], Any]:
    import fastjsonschema

    return cast(Callable[[Any], Any], fastjsonschema.compile(case_schema(), use_formats=False))


def field_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _why(error: jsonschema.ValidationError) -> str:
    """jsonschema's message, shortened where it would quote a whole object back."""
    if error.validator == "additionalProperties":
        return str(error.message).replace(
            "Additional properties are not allowed", "unknown field(s) not allowed"
        )
    if error.validator == "required":
        return str(error.message).replace("is a required property", "is missing")
    if error.validator == "pattern":
        description = error.schema.get("description") if isinstance(error.schema, dict) else None
        return f"{error.instance!r} is not valid" + (f": {description}" if description else "")
    message = str(error.message)
    return message if len(message) <= 200 else message[:197] + "…"


class CaseFileError(Exception):
    """A case file that cannot be used; each line of `problems` says which field and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_case_file(path: Path, flowset: FlowSet) -> tuple[Case, list[str]]:
    """A case file checked against the limits (wizard/core/limits.py), docs/case.schema.json and the
    loaded flows, in that order: the cheap checks first, so a huge or hostile file is refused at once.

    Returns the case and warnings (flows that changed version); raises CaseFileError.
    """
    from wizard.core.case import CaseError, walk_problems

    try:
        with path.open("rb") as file:
            raw = file.read(MAX_CASE_FILE_BYTES + 1)
    except OSError as exc:
        raise CaseFileError([f"cannot read the file: {exc.strerror or exc}"]) from exc
    if len(raw) > MAX_CASE_FILE_BYTES:
        raise CaseFileError(
            [f"(the whole file): larger than {MAX_CASE_FILE_BYTES // 2**20} MiB, the most a case file may be"]
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CaseFileError(["not a text file in UTF-8"]) from None
    except json.JSONDecodeError as exc:
        raise CaseFileError([f"line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})"]) from None
    except RecursionError:
        raise CaseFileError(
            [f"(the whole file): nested more than {MAX_DEPTH} levels deep (a case has six)"]
        ) from None
    problems = case_data_problems(data) or schema_problems(data)
    if problems:
        raise CaseFileError(problems)
    try:
        case = Case.from_json(flowset, data)
    except CaseError as exc:
        raise CaseFileError([str(exc)]) from None
    problems = walk_problems(case.session)
    if problems:
        raise CaseFileError(problems)
    return case, case.flow_changes(data.get("flows", {}))
