"""Export fixtures: golden files and a case whose notes try everything a hostile paste can."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wizard.core.case import Case

GOLDEN = Path(__file__).resolve().parent / "golden"

HOSTILE_LINES = (
    "<script>alert('x')</script><img src=x onerror=alert(1)> <b>bold</b> &amp; &lt;entity&gt;\n"
    "**bold** _em_ ~~strike~~ `code` [click](javascript:alert(1)) ![img](javascript:alert(3)) "
    "<javascript:alert(2)> https://evil.com/phish www.evil.com mail@evil.com\n"
    "| a | b |\n|---|---|\n| c | d |\n"
    "# heading\n> quote\n- item\n+ item\n1. one\n2) two\n```\nfence\n```\n    indented code\n---\n===\n"
    "[ref]: https://evil.com\n[^1] footnote \\backslash\\ trailing\\\n"
    "\x1b[31mred\x1b[0m \x1b]8;;https://evil.com\x07osc-link\x1b]8;;\x07 \x07bell \x00nul \x08bs \x7fdel "
    "\x85nel \x9b31mcsi \r\ncrlf\n"
    "emoji 🙂👩‍💻 RLO \u202egnp.exe\u202c LRI \u2066x\u2069 RLM \u200f ALM \u061c\n"
)
FILLER = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "
HOSTILE_NOTE = (HOSTILE_LINES + "A" * 3000 + "\n" + FILLER * 2000)[:100_000]
HOSTILE_FIELD = "INC|1</td><script>x</script>\n| x | y |\n[l](javascript:alert(1)) \x1b[2J\u202e"
# What a reader must still see of the hostile text, as text (after control characters are removed).
VISIBLE = [
    "<script>alert('x')</script>",
    "[click](javascript:alert(1))",
    "| a | b |",
    "https://evil.com/phish",
    "emoji 🙂👩‍💻",
    "gnp.exe",
    "&amp; &lt;entity&gt;",
]
assert len(HOSTILE_NOTE) == 100_000


@pytest.fixture
def hostile_case(fixed_case: Case) -> Case:
    fixed_case.session.set_note(HOSTILE_NOTE, position=1)
    fixed_case.general_note = HOSTILE_NOTE
    fixed_case.ticket = HOSTILE_FIELD
    fixed_case.agent = HOSTILE_FIELD
    fixed_case.device.platform = HOSTILE_FIELD
    fixed_case.escalation_reason = HOSTILE_FIELD
    return fixed_case


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str | bytes], None]:
    """golden(name, output): compare with tests/export/golden/<name>, or write it with --update-golden."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, output: str | bytes) -> None:
        data = output.encode("utf-8") if isinstance(output, str) else output
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        assert path.exists(), (
            f"no golden file {path.name}; run: python -m pytest tests/export --update-golden"
        )
        expected = path.read_bytes()
        assert data == expected, (
            f"{name} differs from its golden file; if the change is meant, run "
            "python -m pytest tests/export --update-golden and review the diff"
        )

    return check


@pytest.fixture
def hostile_note() -> str:
    return HOSTILE_NOTE


@pytest.fixture
def hostile_visible() -> list[str]:
    """What a reader must still see of the hostile note, as text."""
    return list(VISIBLE)
