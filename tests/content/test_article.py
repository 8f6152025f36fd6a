"""The built-in flows against the article they come from: every section, code, identifier and
screenshot reachable, in Swedish and English, and the article's own errors fixed, not copied."""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path

import pytest

from wizard.core.library import FlowLibrary, load_library
from wizard.core.model import FlowSet, NodeKind, NodeRef
from wizard.core.search import SearchIndex, normalize_code
from wizard.store.paths import builtin_flows_dir, builtin_resources_dir

ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_4ff103cd1ca8040d.txt"
START = NodeRef("start", "platform")

SECTIONS = [
    "troubleshoot-device-enrollment-in-microsoft-intune",
    "initial-troubleshooting-steps",
    "general-enrollment-issues",
    "device-cap-reached",
    "check-number-of-devices-enrolled-and-allowed",
    "company-portal-temporarily-unavailable",
    "mdm-authority-not-defined",
    "unable-to-create-policy-or-enroll-devices-if-the-company-name-contains-special-characters",
    "unable-to-sign-in-or-enroll-devices-when-you-have-multiple-verified-domains",
    "android-issues",
    "android-enrollment-errors",
    "devices-fail-to-check-in-with-the-intune-service-and-display-as-unhealthy-in-the-intune-admin-console",
    "profile-installation-failed",
    "android-certificate-issues",
    "ios-issues",
    "ios-enrollment-errors",
    "devices-are-inactive-or-the-admin-console-cant-communicate-with-them",
    "verify-ws-trust-13-is-enabled",
    "troubleshooting-steps-for-failed-profile-installation",
    "enrolled-ios-device-doesnt-appear-in-console-when-using-system-center-configuration-manager-with-intune",
    "users-ios-device-is-stuck-on-an-enrollment-screen-for-more-than-10-minutes",
    "determine-if-theres-something-wrong-with-the-vpp-token",
    "identify-which-devices-are-blocked-by-the-vpp-token",
    "remotely-wipe-the-blocked-devices",
    "tell-the-users-to-restart-the-enrollment-process",
    "macos-issues",
    "macos-enrollment-errors",
    "issues-when-using-system-center-configuration-manager-with-intune",
    "mobile-devices-disappear",
    "check-how-device-was-removed",
    "other-ios-enrollment-errors",
    "pc-issues",
    "the-machine-is-already-enrolled---error-hr-0x8007064c",
    "general-enrollment-error-codes",
    "next-steps",
]

CODES = [
    "0x80CF0437",
    "0x80240438",
    "0x80CF0438",
    "0x80CF402C",
    "0x80043001",
    "0x80CF3001",
    "0x80043004",
    "0x80CF3004",
    "0x80043002",
    "0x80CF3002",
    "0x80043003",
    "0x80CF3003",
    "0x80043005",
    "0x80CF3005",
    "0x80043006",
    "0x80CF3006",
    "0x80043007",
    "0x80CF3007",
    "0x8024D015",
    "0x00240005",
    "0x80070BC2",
    "0x80070BC9",
    "0x80CFD015",
    "0x80070032",
    "0x80043008",
    "0x80CF3008",
    "0x80043009",
    "0x80CF3009",
    "0x8004300B",
    "0x80CF300B",
    "0xAB2",
    "0x80cf0440",
    "0x8007064c",
]

IDENTIFIERS = [
    "NoEnrollmentPolicy",
    "DeviceCapReached",
    "APNSCertificateNotValid",
    "AccountNotOnboarded",
    "DeviceTypeNotSupported",
    "UserLicenseTypeInvalid",
    "MdmAuthorityNotDefined",
]

SCREENSHOTS = [
    "samsung-smart-manager-icon",
    "samsung-battery-tile",
    "samsung-app-power-saving-details",
    "samsung-company-portal-in-list",
    "samsung-turned-off",
    "samsung-verify-turned-off",
    "ios-cp-trying-to-sync",
    "ios-cp-sync-complete",
    "ios-cp-unable-to-sync",
    "ios-cp-company-access-setup",
    "configmgr-status-message-viewer",
]


@pytest.fixture(scope="module")
def library() -> FlowLibrary:
    return load_library([builtin_flows_dir()])


@pytest.fixture(scope="module")
def flowset(library: FlowLibrary) -> FlowSet:
    return library.flowset


@pytest.fixture(scope="module")
def index(flowset: FlowSet) -> SearchIndex:
    return SearchIndex(flowset)


def test_the_lists_above_match_the_article() -> None:
    """Keeps the expectations honest where the article is at hand (it lives beside the repository)."""
    if not ARTICLE.exists():
        pytest.skip("the source article is not beside this checkout")
    text = ARTICLE.read_text(encoding="utf-8")
    assert sorted(set(re.findall(r'<a name="([^"]+)">', text))) == sorted(set(SECTIONS))
    assert {c.casefold() for c in re.findall(r"0x[0-9A-Fa-f]+", text)} == {c.casefold() for c in CODES}
    for identifier in IDENTIFIERS:
        assert f"|{identifier}|" in text
    assert len(re.findall(r"!\[", text)) == len(SCREENSHOTS)


def test_flows_are_clean(library: FlowLibrary) -> None:
    assert [str(p) for p in library.problems] == []
    assert set(library.flowset.flows) == {
        "start",
        "initial",
        "general",
        "windows",
        "error-codes",
        "android",
        "ios",
        "macos",
        "configmgr",
    }
    for flow in library.flowset:
        assert flow.languages == {"sv", "en"}
        assert flow.reviewed is not None
        assert flow.source is not None and flow.source.url.startswith("https://")


def test_every_section_is_covered(flowset: FlowSet) -> None:
    covered = {flow.section_of(node) for flow in flowset for node in flow.nodes.values()}
    assert sorted(set(SECTIONS) - covered) == []


def choice_distances(flowset: FlowSet, start: NodeRef) -> dict[NodeRef, int]:
    """Fewest choices taken to reach each node: a `next` costs nothing, a choice costs one."""
    distance = {start: 0}
    queue: deque[NodeRef] = deque([start])
    while queue:
        here = queue.popleft()
        node = flowset.node(here)
        cost = 0 if node.next is not None else 1
        for target in node.targets():
            there = NodeRef.parse(target, here.flow)
            if distance[here] + cost < distance.get(there, 1_000):
                distance[there] = distance[here] + cost
                (queue.appendleft if cost == 0 else queue.append)(there)
    return distance


def test_every_end_is_reachable_from_the_start(flowset: FlowSet) -> None:
    reachable = choice_distances(flowset, START)
    ends = [NodeRef(f.id, n.id) for f in flowset for n in f.nodes.values() if n.kind is NodeKind.END]
    assert len(ends) >= 3
    assert [str(end) for end in ends if end not in reachable] == []
    outcomes = {flowset.node(end).outcome for end in ends}
    assert {o.value for o in outcomes if o} == {"resolved", "escalate", "not_resolved"}


def test_every_problem_starts_within_three_choices(flowset: FlowSet) -> None:
    distance = choice_distances(flowset, START)
    nearest: dict[str, int] = {}
    for flow in flowset:
        for node in flow.nodes.values():
            ref = NodeRef(flow.id, node.id)
            section = flow.section_of(node)
            if ref in distance and section:
                nearest[section] = min(nearest.get(section, 99), distance[ref])
    too_far = {section: d for section, d in nearest.items() if d > 3}
    assert too_far == {}
    assert set(SECTIONS) <= set(nearest)


def test_next_steps_escalates(flowset: FlowSet) -> None:
    escalate = flowset.node(NodeRef("general", "escalate"))
    assert escalate.kind is NodeKind.END and escalate.outcome and escalate.outcome.value == "escalate"
    assert escalate.escalate_to is not None and escalate.reason is not None


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_code_is_found_first(index: SearchIndex, flowset: FlowSet, code: str, lang: str) -> None:
    for query in (code, code.lower(), code.upper().removeprefix("0X")):
        hits = index.search(query)
        assert hits, query
        top = flowset.node(hits[0].ref)
        assert normalize_code(code) in {normalize_code(c) for c in top.error_codes}, (query, hits[0])
        assert top.title.get(lang) and lang in top.title.by_lang


def test_codes_in_two_rows_show_both(index: SearchIndex) -> None:
    for code in ("0x80240438", "0x80CF0438"):
        top_two = {str(hit.ref) for hit in index.search(code)[:2]}
        assert top_two == {"error-codes#cannot-connect", "error-codes#proxy-not-configured"}


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_every_identifier_is_found_first(index: SearchIndex, flowset: FlowSet, identifier: str) -> None:
    for query in (identifier, identifier.lower()):
        top = flowset.node(index.search(query)[0].ref)
        assert identifier in top.error_ids
        assert {"sv", "en"} <= top.title.languages


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Administratören behöver tilldela en licens för åtkomst", "licen"),
        ("IT-administratören måste ange MDM-utfärdare", "mdm"),
        ("Det verkar som att du använder en virtuell dator", "macos#"),
        ("saknar ett certifikat som krävs", "android#certificate"),
        ("Det går inte att synkronisera", "ios#unable-to-sync"),
        ("Unable to sync", "ios#unable-to-sync"),
        ("Datorn har redan registrerats", "windows#already-enrolled"),
        ("The machine is already enrolled", "windows#already-enrolled"),
        ("Väntar på slutlig konfiguration från Microsoft", "ios#stuck"),
        ("Det gick inte att installera profilen", "profile-installation-failed"),
    ],
)
def test_messages_as_read_off_the_screen(index: SearchIndex, query: str, expected: str) -> None:
    assert expected in str(index.search(query)[0].ref)


def all_texts(flowset: FlowSet, lang: str) -> str:
    parts: list[str] = []
    for flow in flowset:
        for node in flow.nodes.values():
            texts = [node.title, node.body, node.escalate_to, node.reason, *node.messages]
            texts += [c.text for c in node.callouts] + [c.label for c in node.choices]
            texts += [s.text for s in node.steps] + [s.hint for s in node.steps]
            parts += [t.get(lang) for t in texts if t is not None]
            parts += [s.command for s in node.steps if s.command]
            parts += [link.url for link in node.links]
    return "\n".join(parts)


@pytest.mark.parametrize(
    "wrong",
    [
        "Om det finns något ID är inte användaren licensierad",
        "\\KEY_CLASSES_ROOT",
        "`KEY_CLASSES_ROOT",
        "*KEY_CLASSES_ROOT",
        " KEY_CLASSES_ROOT",
        "contso.com",
        "(ttps://",
        "“/adfs",
        "villkorlig åtkomst för villkorlig åtkomst",
        "Visare de",
        "företagsportalenappen",
        "[CM_ DBName]",
        "OnlineManagement regkey",
        "http://",
        "Kontrollerar att du har konfigurerat",
    ],
)
def test_the_articles_errors_are_not_copied(flowset: FlowSet, wrong: str) -> None:
    for lang in ("sv", "en"):
        assert wrong not in all_texts(flowset, lang)


def test_the_licence_sentence_says_what_the_article_means(flowset: FlowSet) -> None:
    swedish = all_texts(flowset, "sv")
    assert "inte finns något molnanvändar-ID är användaren inte licensierad" in swedish
    assert "HKEY_CLASSES_ROOT\\Installer\\Products\\6985F0077D3EEB44AB6849B5D7913E95" in swedish
    assert 'Get-AdfsEndpoint -AddressPath "/adfs/services/trust/13/UsernameMixed"' in swedish


def test_every_screenshot_of_the_article_is_drawn_and_used(flowset: FlowSet) -> None:
    used = {s.image for f in flowset for n in f.nodes.values() for s in n.all_screenshots()}
    for name in SCREENSHOTS:
        assert f"screenshots/{name}.{{lang}}.svg" in used
        for lang in ("sv", "en"):
            assert (builtin_resources_dir() / "screenshots" / f"{name}.{lang}.svg").is_file()


def test_every_screenshot_renders_in_both_languages(flowset: FlowSet, qapp) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    images = {s.image for f in flowset for n in f.nodes.values() for s in n.all_screenshots()}
    assert len(images) >= 14
    for image in sorted(images):
        for lang in ("sv", "en"):
            path = builtin_resources_dir() / image.replace("{lang}", lang)
            renderer = QSvgRenderer(str(path))
            assert renderer.isValid(), path
            size = renderer.defaultSize()
            assert size.width() >= 300 and size.height() >= 300
            canvas = QImage(size, QImage.Format.Format_ARGB32)
            canvas.fill(0)
            painter = QPainter(canvas)
            renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
            painter.end()
            # Something was drawn: the picture is not one flat colour.
            assert (
                len(
                    {
                        canvas.pixel(x, y)
                        for x in range(0, size.width(), 37)
                        for y in range(0, size.height(), 41)
                    }
                )
                > 3
            )
            assert "<title>" in path.read_text(encoding="utf-8")
