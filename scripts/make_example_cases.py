"""Write docs/examples/case-*.json: real cases, made by walking the built-in flows with the engine.

Run: python scripts/make_example_cases.py          (rewrites the files)
     python scripts/make_example_cases.py --check  (exit 1 when a file is missing or out of date)

Each walk is what an agent does in the window: answers, ticks, notes, and once a changed answer. A
fixed clock and a seeded id make the output the same on every run, so the files change only when the
walks or the flows do. tests/test_examples.py fails when they are out of date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Callable
from pathlib import Path

from wizard.core.case import Case
from wizard.core.engine import Session
from wizard.core.library import load_library
from wizard.core.model import FlowSet, NodeRef
from wizard.export.json_case import to_json_text
from wizard.store.paths import builtin_flows_dir

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "docs" / "examples"
START = NodeRef("start", "platform")


class WalkClock:
    """Agent time: each action some seconds after the last, the same on every run."""

    def __init__(self, start: dt.datetime, seed: int) -> None:
        self.now = start
        self.rng = random.Random(seed)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=self.rng.randint(4, 40))
        return self.now


def choose(session: Session, target: str) -> None:
    """Take the choice of the current node that leads to `target` ("node" or "flow#node")."""
    node = session.current_node
    here = session.current_ref.flow
    for index, raw in enumerate(node.targets()):
        if str(NodeRef.parse(raw, here)) == str(NodeRef.parse(target, here)):
            if node.choices:
                session.choose(index)
            else:
                session.advance()
            return
    raise SystemExit(f"{session.current_ref} has no way to {target}: the built-in flows changed")


def tick_all(session: Session, *numbers: int) -> None:
    for number in numbers or range(1, len(session.current_node.steps) + 1):
        session.set_tick(number - 1, True)


def new_case(flowset: FlowSet, start: dt.datetime, seed: int) -> Case:
    clock = WalkClock(start, seed)
    return Case.new(flowset, START, agent="Maria Ek", clock=clock, rng=random.Random(seed))


def android_samsung(flowset: FlowSet) -> Case:
    case = new_case(flowset, dt.datetime(2026, 11, 24, 8, 12, tzinfo=dt.UTC), 1)
    case.ticket = "INC0012345"
    case.user.name = "Jonas Berg"
    case.user.upn = "jonas.berg@contoso.se"
    case.device.name = "JONAS-S6"
    case.device.platform = "Android"
    case.device.os_version = "5.1.1 (Samsung Galaxy S6, SM-G920F)"
    case.device.imei = "356938035643809"
    s = case.session
    choose(s, "android#symptom")
    choose(s, "samsung-check-in")
    s.set_note("Intune admin center shows the device as Unhealthy, last check-in 9 days ago.")
    choose(s, "samsung-solution-1")
    s.set_note("Jonas opened Company Portal by hand; the device checked in within a minute.")
    choose(s, "samsung-solution-2")
    tick_all(s, 1)
    s.set_note("Settings > About device: no update offered, the phone stays on Android 5.1.1.")
    choose(s, "general#resolved")  # clicked too soon: no update was installed
    s.back()
    choose(s, "samsung-solution-3")  # the changed answer: the first visit to "resolved" is in the audit
    tick_all(s)
    s.set_note("Company Portal is now Turned off under App optimization; device checked in at 08:31.")
    choose(s, "general#resolved")
    case.general_note = (
        "Samsung Smart Manager kept deactivating Company Portal. Excluded it from app optimization; "
        "the device checks in again. Asked Jonas to call back if it shows Unhealthy again."
    )
    case.finish()
    return case


def ios_vpp_escalated(flowset: FlowSet) -> Case:
    case = new_case(flowset, dt.datetime(2026, 11, 25, 13, 47, tzinfo=dt.UTC), 2)
    case.ticket = "INC0012388"
    case.user.name = "Sara Nyström"
    case.user.upn = "sara.nystrom@contoso.se"
    case.device.name = "iPad-Lager-07"
    case.device.platform = "iPadOS"
    case.device.os_version = "18.1"
    case.device.serial = "DMPXK2QHJF8J"
    s = case.session
    choose(s, "ios#symptom")
    choose(s, "stuck-enrollment-screen")
    s.set_note("iPaden står på ”Väntar på slutlig konfiguration från Microsoft” sedan i morse.")
    choose(s, "vpp-token-check")
    tick_all(s)
    s.set_note(
        "Token ”Lager-VPP” visade ”Den här token har upphört att gälla”. Förnyad i Apple Business Manager 14:02."
    )
    choose(s, "vpp-identify-blocked")
    tick_all(s)
    s.set_note("Tre blockerade enheter: DMPXK2QHJF8J, DMPXK2QHJF9K, DMPXK2QHJG1M.")
    choose(s, "vpp-wipe-blocked")
    tick_all(s)
    choose(s, "vpp-restart-enrollment")
    s.set_note("Sara startade om registreringen 14:20; iPaden fastnade på samma skärm igen.")
    choose(s, "general#escalate")
    case.escalation_reason = (
        "VPP-token förnyad och blockerade enheter rensade, men iPaden fastnar igen på ”Väntar på slutlig "
        "konfiguration”. Misstänkt avbrott hos Apple; behöver kontrolleras av andra linjen."
    )
    case.general_note = "Användaren väntar på besked; lånat ut en reservenhet under tiden."
    case.finish()
    return case


def windows_already_enrolled(flowset: FlowSet) -> Case:
    case = new_case(flowset, dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC), 3)
    case.ticket = "INC0012401"
    case.user.name = "Ahmed Karimi"
    case.user.upn = "ahmed.karimi@contoso.se"
    case.device.name = "LT-0421"
    case.device.platform = "Windows"
    case.device.os_version = "Windows 11 Pro 24H2"
    case.device.serial = "PF3K9X2A"
    s = case.session
    choose(s, "windows#symptom")
    choose(s, "already-enrolled")
    s.set_note("Enrollment log: hr 0x8007064c. The laptop was re-imaged from a colleague's image last week.")
    choose(s, "already-enrolled-certificate")
    tick_all(s)
    s.set_note("Found and deleted the Sc_Online_Issuing certificate (expired 2025).")
    choose(s, "already-enrolled-registry")
    tick_all(s)
    choose(s, "already-enrolled-installer-key")
    tick_all(s)
    s.set_note("Installer key 6985F0077D3EEB44AB6849B5D7913E95 was there; deleted it.")
    choose(s, "general#resolved")
    case.general_note = "Enrollment succeeded after removing the old certificate and both registry keys."
    case.finish()
    return case


WALKS: dict[str, Callable[[FlowSet], Case]] = {
    "case-android-samsung-resolved.json": android_samsung,
    "case-ios-vpp-escalated.json": ios_vpp_escalated,
    "case-windows-0x8007064c.json": windows_already_enrolled,
}


def build(flowset: FlowSet) -> dict[str, str]:
    return {name: to_json_text(walk(flowset)) for name, walk in WALKS.items()}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="only check that the files are up to date")
    args = parser.parse_args()
    library = load_library([builtin_flows_dir()])
    if library.errors:
        print("the built-in flows have errors; run 'troubleshooting-wizard validate'", file=sys.stderr)
        return 1
    stale = []
    for name, text in build(library.flowset).items():
        path = EXAMPLES / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")
    if args.check and stale:
        print(f"out of date: {', '.join(stale)}; run python scripts/make_example_cases.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
