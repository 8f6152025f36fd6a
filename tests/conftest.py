"""Shared test set-up: offscreen Qt, and every user location pointed at a temporary folder."""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from wizard.core.case import Case
from wizard.core.library import load_library
from wizard.core.model import FlowSet, NodeRef

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's settings, flows or cases."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WIZARD_HOME", str(home))
    monkeypatch.delenv("WIZARD_FLOWS_PATH", raising=False)
    monkeypatch.setenv("WIZARD_SITE_CONFIG", str(home / "site" / "settings.json"))  # not the machine's
    return home


@pytest.fixture
def pack_dir() -> Path:
    """A small, valid flow pack used by the core tests (flows/ and resources/ side by side)."""
    return DATA / "pack" / "flows"


class StepClock:
    """A clock that moves `step` seconds at every reading, from a fixed start: times in tests are exact."""

    def __init__(self, start: dt.datetime | None = None, step: float = 5) -> None:
        self.now = start or dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
        self.step = dt.timedelta(seconds=step)

    def __call__(self) -> dt.datetime:
        self.now += self.step
        return self.now


@pytest.fixture(scope="session")
def pack_flowset() -> FlowSet:
    library = load_library([DATA / "pack" / "flows"])
    assert library.problems == []
    return library.flowset


@pytest.fixture(scope="session")
def builtin_flowset() -> FlowSet:
    library = load_library([REPO / "flows"])
    assert library.errors == []
    return library.flowset


@pytest.fixture
def make_case() -> Callable[..., Case]:
    """make_case(flowset, "flow#node", seed=…) -> a new case on a StepClock, with a seeded id."""

    def make(flowset: FlowSet, start: str = "demo#platform", seed: int = 7, **fields: str) -> Case:
        flow, _, node = start.partition("#")
        return Case.new(flowset, NodeRef(flow, node), clock=StepClock(), rng=random.Random(seed), **fields)

    return make


@pytest.fixture
def fixed_case(pack_flowset: FlowSet, make_case: Callable[..., Case]) -> Case:
    """The case of the golden files: the demo flow, a tick, notes, an escalation, fixed clock and id."""
    case = make_case(pack_flowset, agent="Åsa Agent", ticket="INC0042")
    case.user.name = "Anna Svensson"
    case.user.upn = "anna.svensson@contoso.se"
    case.device.name = "ANNA-PHONE"
    case.device.platform = "Android"
    case.device.os_version = "14"
    case.device.serial = "R58M12AB"
    case.device.imei = "356938035643809"
    session = case.session
    session.choose(0)  # Android
    session.set_tick(0, True)
    session.set_note("Anna restarted Company Portal twice; serial R58M12AB checked in Intune.")
    session.choose(1)  # it did not help
    case.general_note = "Escalated after two restarts.\nAnna is available after 14:00 (café hours)."
    case.finish()
    return case


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files (tests/export/golden/) from the current output instead of comparing",
    )
