"""The built-in flows against the article they come from: every section, code, identifier and
screenshot reachable, in Swedish and English, and the article's own errors fixed, not copied."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

from wizard.core.library import FlowLibrary, load_library
from wizard.core.model import FlowSet, NodeKind, NodeRef, Text
from wizard.core.search import SearchIndex, normalize_code
from wizard.store.paths import builtin_flows_dir, builtin_resources_dir

ARTICLE_PATH = Path("shared") / "seeds" / "000_4ff103cd1ca8040d.txt"
# Beside the checkout, however deep the checkout sits.
ARTICLE = next(
    (
        folder / ARTICLE_PATH
        for folder in Path(__file__).resolve().parents
        if (folder / ARTICLE_PATH).is_file()
    ),
    Path(__file__).resolve().parents[3] / ARTICLE_PATH,
)
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


# -- the content audit ------------------------------------------------------------------------------


def texts_of(value: object) -> list[Text]:
    """Every text a person reads in a flow part (titles, bodies, hints, alt texts, section titles, …)."""
    if isinstance(value, Text):
        return [value]
    if is_dataclass(value) and not isinstance(value, type):
        return [text for item in fields(value) for text in texts_of(getattr(value, item.name))]
    if isinstance(value, (tuple, list)):
        return [text for item in value for text in texts_of(item)]
    if isinstance(value, Mapping):
        return [text for item in value.values() for text in texts_of(item)]
    return []


def every_text(flowset: FlowSet, lang: str) -> list[tuple[str, str]]:
    """(where, text) for every text of every flow in `lang`."""
    found = [(flow.id, text.get(lang)) for flow in flowset for text in texts_of(flow)]
    return [(where, text) for where, text in found if text]


def node_texts(flowset: FlowSet, ref: str, lang: str) -> str:
    flow, _, node = ref.partition("#")
    return "\n".join(text.get(lang) for text in texts_of(flowset.node(NodeRef(flow, node))))


def article_headings() -> dict[str, str]:
    if not ARTICLE.exists():
        pytest.skip("the source article is not beside this checkout")
    headings: dict[str, str] = {}
    for anchor, heading in re.findall(r'<a name="([^"]+)"></a>(.*)', ARTICLE.read_text(encoding="utf-8")):
        headings.setdefault(anchor, heading.strip())
    return headings


def test_every_section_has_one_title_in_both_languages(flowset: FlowSet) -> None:
    titles: dict[str, set[tuple[str, str]]] = {}
    for flow in flowset:
        assert flow.source is not None
        named = {flow.section_of(node) for node in flow.nodes.values()} | {flow.source.section}
        assert named - {None} <= set(flow.source.titles), flow.id
        for anchor, title in flow.source.titles.items():
            titles.setdefault(anchor, set()).add((title.get("sv"), title.get("en")))
    assert sorted(titles) == sorted(SECTIONS)
    # A section named by two flows (pc-issues, profile-installation-failed, …) has one title in both.
    assert {anchor: found for anchor, found in titles.items() if len(found) > 1} == {}
    assert all(sv and en for found in titles.values() for sv, en in found)


def test_swedish_section_titles_are_the_articles_headings(flowset: FlowSet) -> None:
    headings = article_headings()
    for flow in flowset:
        assert flow.source is not None
        for anchor, title in flow.source.titles.items():
            assert title.get("sv") == headings[anchor], (flow.id, anchor)


def test_the_sync_message_is_sync_successful(flowset: FlowSet) -> None:
    result = flowset.node(NodeRef("ios", "sync-result"))
    labels = {choice.target: choice.label.get("en") for choice in result.choices}
    assert labels["sync-complete"] == "Sync successful"
    success = flowset.node(NodeRef("ios", "sync-complete"))
    assert [message.get("en") for message in success.messages] == ["Sync successful"]
    assert [message.get("sv") for message in success.messages] == ["Synkronisering är klar"]
    assert success.body is not None and "**Sync successful**" in success.body.get("en")
    for lang, shown in (("en", "Sync successful"), ("sv", "Synkronisering är klar")):
        drawing = (builtin_resources_dir() / success.screenshots[0].image_for(lang)).read_text(
            encoding="utf-8"
        )
        assert f">{shown}</text>" in drawing
    for drawing in (builtin_resources_dir() / "screenshots").glob("*.svg"):
        assert "Sync complete" not in drawing.read_text(encoding="utf-8"), drawing.name
    assert not [where for where, text in every_text(flowset, "en") if "Sync complete" in text]


BRITISH = re.compile(
    r"\b\w*(?:recognis|organis|licence|enrol(?!l)|colour|behaviour|centre|favour|analys|customis|authoris"
    r"|prioritis|minimis|optimis|synchronis|catalogue|cancell)\w*",
    re.IGNORECASE,
)


def test_english_is_spelled_the_us_way(flowset: FlowSet) -> None:
    assert [
        (where, BRITISH.findall(text)) for where, text in every_text(flowset, "en") if BRITISH.search(text)
    ] == []


def test_one_vocabulary_problem_and_solution(flowset: FlowSet) -> None:
    english = [
        (where, text.replace("Package and Deployment Issues", ""))
        for where, text in every_text(flowset, "en")
    ]
    assert [
        (where, text) for where, text in english if re.search(r"\b(issues?|resolution)\b", text, re.I)
    ] == []
    assert [(where, text) for where, text in english if "Suggested fix" in text] == []
    bodies = "\n".join(text for _, text in english)
    assert bodies.count("**Problem:**") >= 20 and bodies.count("**Solution:**") >= 10
    assert bodies.count("**Suggested solution:**") == 16


@pytest.mark.parametrize(
    ("right", "wrong"),
    [
        ("Certificate Name Matches", "Certificate name matches"),
        ("CSS Gateway", "CSS gateway"),
        ("**User Affinity**", "**User affinity**"),
    ],
)
def test_ui_labels_keep_the_products_casing(flowset: FlowSet, right: str, wrong: str) -> None:
    english = "\n".join(text for _, text in every_text(flowset, "en"))
    assert right in english and wrong not in english
    if right != "**User Affinity**":  # the Swedish table names the setting in Swedish
        swedish = "\n".join(text for _, text in every_text(flowset, "sv"))
        assert right in swedish and wrong not in swedish


def test_samsung_calls_it_detail(flowset: FlowSet) -> None:
    step = flowset.node(NodeRef("android", "samsung-solution-3")).steps[2]
    assert "select **Detail**." in step.text.get("en") and "**Detaljer**" in step.text.get("sv")
    assert step.screenshot is not None
    drawing = (builtin_resources_dir() / step.screenshot.image_for("en")).read_text(encoding="utf-8")
    assert ">Detail</text>" in drawing and "Details" not in drawing


def test_active_directory_enables_the_ws_trust_endpoint(flowset: FlowSet) -> None:
    assert "Active Directory enables this endpoint by default." in node_texts(flowset, "ios#ws-trust", "en")
    assert "Active Directory aktiverar den här slutpunkten som standard." in node_texts(
        flowset, "ios#ws-trust", "sv"
    )
    assert "Federation Services) enables" not in node_texts(flowset, "ios#ws-trust", "en")


@pytest.mark.parametrize(
    "ref", ["android#licence-required", "ios#user-license-type-invalid", "general#licence"]
)
def test_the_licence_error_needs_both_conditions(flowset: FlowSet, ref: str) -> None:
    assert "if both of the following are true:" in node_texts(flowset, ref, "en")
    assert "om båda följande" in node_texts(flowset, ref, "sv")


def test_device_cap_check_keeps_its_company_portal_choice_with_a_reason(flowset: FlowSet) -> None:
    check = flowset.node(NodeRef("general", "device-cap-check"))
    assert "company-portal-unavailable" in check.targets()
    source = (builtin_flows_dir() / "general.yaml").read_text(encoding="utf-8")
    choice_at = source.index('label: {sv: "Användaren har inte nått enhetsgränsen"')
    comment = source[source.rindex("next: device-cap-raise", 0, choice_at) : choice_at]
    assert "# Not in the article, kept on purpose" in comment


def test_the_admin_center_link_says_where_it_comes_from(flowset: FlowSet) -> None:
    step = flowset.node(NodeRef("macos", "remove-stale-record")).steps[0]
    assert "(https://intune.microsoft.com)" in step.text.get("sv")
    assert step.hint is not None and "Azure-portalen" in step.hint.get("sv")
    assert "Azure portal" in step.hint.get("en")


def test_the_console_logs_say_what_to_look_for(flowset: FlowSet) -> None:
    node = flowset.node(NodeRef("ios", "device-missing-from-console"))
    assert all(step.hint is not None for step in node.steps)
    for lang, word in (("en", "article"), ("sv", "artikel")):
        assert word not in node_texts(flowset, "ios#device-missing-from-console", lang).casefold()


def test_the_resolved_page_fits_every_way_there(flowset: FlowSet) -> None:
    resolved = NodeRef("general", "resolved")
    leading = {
        f"{flow.id}#{node.id}"
        for flow in flowset
        for node in flow.nodes.values()
        if resolved in {NodeRef.parse(target, flow.id) for target in node.targets()}
    }
    # Not only enrollment fixes end here: check-in, ConfigMgr and company-name fixes do too.
    assert {"android#samsung-solution-3", "configmgr#check-how-device-was-removed"} <= leading
    assert "general#special-characters" in leading and "ios#sync-complete" in leading
    body = flowset.node(resolved).body
    assert body is not None
    assert "enroll" not in body.get("en").casefold() and "registrera" not in body.get("sv").casefold()


def test_swedish_wording(flowset: FlowSet) -> None:
    stuck = node_texts(flowset, "ios#stuck-enrollment-screen", "sv")
    assert "Guidad åtkomst" in stuck and "Interaktiv åtkomstapp" not in stuck
    macos = "\n".join(text for where, text in every_text(flowset, "sv") if where == "macos")
    assert "administrationscentret för Microsoft Intune" in macos
    assert "Microsoft Intune administrationscenter" not in macos
    result = node_texts(flowset, "android#certificate-check-result", "sv")
    assert "bockar" in result and "kryss" not in result
    # The agent is addressed as "du" everywhere, never "ni".
    assert [(where, text) for where, text in every_text(flowset, "sv") if re.search(r"\b[Nn]i\b", text)] == []


def test_messages_do_not_stand_between_a_body_and_the_steps_it_introduces(flowset: FlowSet) -> None:
    """A page shows body, messages, callouts, then steps: a body ending in a colon introduces the message."""
    for flow in flowset:
        for node in flow.nodes.values():
            if not (node.messages and node.steps and node.body):
                continue
            for lang, word in (("en", "message"), ("sv", "meddelande")):
                body = node.body.get(lang).rstrip()
                last_sentence = re.split(r"(?<=[.!?])\s+", body)[-1]
                assert not body.endswith(":") or word in last_sentence, (flow.id, node.id, lang)
    unable = flowset.node(NodeRef("ios", "unable-to-sync"))
    assert [message.get("en") for message in unable.messages] == ["Unable to sync"]
    assert "**Company Access Setup**" in unable.steps[1].text.get("en")
    assert "**Konfiguration av företagsåtkomst**" in unable.steps[1].text.get("sv")
