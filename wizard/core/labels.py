"""Every text a document writes in its content language (Swedish or English, chosen apart from the
window's): the case export, the summary, the handout and the map. One catalogue, so a word such as
"Resolved" or "Question" is written once and an export, a handout and a map can never disagree.

The window's own words go through Qt Linguist instead (wizard/ui/names.py for outcomes and kinds).
"""

from __future__ import annotations

from collections.abc import Mapping

from wizard.core.model import Outcome

Catalogue = Mapping[str, Mapping[str, str]]

# How an end node's outcome is named on a handout, a map and in the summary.
OUTCOME_NAMES: Catalogue = {
    "en": {
        "resolved": "Resolved",
        "escalate": "Escalate",
        "not_resolved": "Not resolved",
    },
    "sv": {
        "resolved": "Löst",
        "escalate": "Eskalera",
        "not_resolved": "Inte löst",
    },
}
# How a node's kind is named on a handout and a map.
KIND_NAMES: Catalogue = {
    "en": {
        "question": "Question",
        "steps": "Actions",
        "info": "Information",
    },
    "sv": {
        "question": "Fråga",
        "steps": "Åtgärder",
        "info": "Information",
    },
}

_SUMMARY: Catalogue = {
    "en": {
        "checked": "Checked",
        "found": "Found",
        "done": "Done",
        "not_done": "Not done",
        "outcome": "Outcome",
        "escalate": "Escalated to {to}",
        "escalate_reason": "Escalated to {to}: {reason}",
        "in_progress": "In progress",
        "nothing": "nothing",
    },
    "sv": {
        "checked": "Kontrollerat",
        "found": "Hittat",
        "done": "Gjort",
        "not_done": "Inte gjort",
        "outcome": "Utfall",
        "escalate": "Eskalerat till {to}",
        "escalate_reason": "Eskalerat till {to}: {reason}",
        "in_progress": "Pågår",
        "nothing": "inget",
    },
}

_CASE: Catalogue = {
    "en": {
        "title": "Case {id}",
        "details": "Case details",
        "field": "Field",
        "value": "Value",
        "case_id": "Case id",
        "ticket": "Ticket",
        "agent": "Agent",
        "user": "End user",
        "upn": "UPN",
        "device": "Device",
        "platform": "Platform",
        "os_version": "OS version",
        "serial": "Serial number",
        "imei": "IMEI",
        "started": "Started",
        "ended": "Ended",
        "escalated_to": "Escalated to",
        "reason": "Reason",
        "flows": "Flows",
        "summary": "Summary",
        "path": "Path",
        "step": "Step",
        "answer": "Answer",
        "time": "Time",
        "continued": "(continued)",
        "filled_search": "(filled in by the search)",
        "filled_link": "(filled in by the link you opened)",
        "filled_map": "(filled in from the flow map)",
        "filled_flow_change": "(filled in again after the flows changed)",
        "filled_unknown": "(filled in, not answered)",
        "current": "(current step)",
        "actions": "Actions",
        "notes": "Notes",
        "general_note": "General note",
        "searches": "Searches",
        "search_hit": "“{query}” → {title}",
        "search_none": "“{query}” → nothing in the flows",
        "feedback": "Step feedback",
        "feedback_unclear": "{title}: unclear",
        "feedback_wrong": "{title}: wrong",
        "step_note": "Step {number}: {title}",
        "screenshots": "Screenshots",
        "page": "Page {page} of {pages}",
        "version": "version {version}",
    },
    "sv": {
        "title": "Ärende {id}",
        "details": "Ärendeuppgifter",
        "field": "Fält",
        "value": "Värde",
        "case_id": "Ärende-id",
        "ticket": "Ärendenummer",
        "agent": "Handläggare",
        "user": "Användare",
        "upn": "UPN",
        "device": "Enhet",
        "platform": "Plattform",
        "os_version": "OS-version",
        "serial": "Serienummer",
        "imei": "IMEI",
        "started": "Startat",
        "ended": "Avslutat",
        "escalated_to": "Eskalerat till",
        "reason": "Orsak",
        "flows": "Flöden",
        "summary": "Sammanfattning",
        "path": "Väg genom flödet",
        "step": "Steg",
        "answer": "Svar",
        "time": "Tid",
        "continued": "(fortsatte)",
        "filled_search": "(ifyllt av sökningen)",
        "filled_link": "(ifyllt av länken du öppnade)",
        "filled_map": "(ifyllt från flödeskartan)",
        "filled_flow_change": "(ifyllt igen när flödena ändrades)",
        "filled_unknown": "(ifyllt, inte besvarat)",
        "current": "(aktuellt steg)",
        "actions": "Åtgärder",
        "notes": "Anteckningar",
        "general_note": "Allmän anteckning",
        "searches": "Sökningar",
        "search_hit": "”{query}” → {title}",
        "search_none": "”{query}” → inget i flödena",
        "feedback": "Återkoppling på steg",
        "feedback_unclear": "{title}: otydligt",
        "feedback_wrong": "{title}: fel",
        "step_note": "Steg {number}: {title}",
        "screenshots": "Skärmbilder",
        "page": "Sida {page} av {pages}",
        "version": "version {version}",
    },
}

_HANDOUT: Catalogue = {
    "en": {
        "handout": "{title} (handout)",
        "contents": "Contents",
        "flow": "Flow",
        "version": "Version",
        "reviewed": "Reviewed",
        "source": "Source",
        "section": "section",
        "end": "Outcome",
        "start": "start here",
        "entered_from": "Entered from: {flows}",
        "unreachable": "Not reached from the start of this flow",
        "messages": "Error messages as the user sees them",
        "note": "Note:",
        "important": "Important:",
        "warning": "Warning:",
        "command": "Command",
        "screenshot": "Screenshot",
        "missing_image": "(picture missing)",
        "links": "More",
        "error_codes": "Error codes",
        "error_ids": "Error identifiers",
        "answer": "Answer",
        "leads_to": "Go to",
        "next": "Next",
        "outcome": "Outcome",
        "escalate_to": "Escalate to",
        "reason": "Why",
        "other_flow": "{node} (in the flow {flow})",
        "page_ref": "page {page}",
        "page": "Page {page} of {pages}",
    },
    "sv": {
        "handout": "{title} (utbildningsmaterial)",
        "contents": "Innehåll",
        "flow": "Flöde",
        "version": "Version",
        "reviewed": "Granskat",
        "source": "Källa",
        "section": "avsnitt",
        "end": "Resultat",
        "start": "börja här",
        "entered_from": "Nås från: {flows}",
        "unreachable": "Nås inte från början av det här flödet",
        "messages": "Felmeddelanden så som användaren ser dem",
        "note": "Obs!",
        "important": "Viktigt:",
        "warning": "Varning:",
        "command": "Kommando",
        "screenshot": "Skärmbild",
        "missing_image": "(bilden saknas)",
        "links": "Mer",
        "error_codes": "Felkoder",
        "error_ids": "Felidentifierare",
        "answer": "Svar",
        "leads_to": "Gå till",
        "next": "Nästa",
        "outcome": "Resultat",
        "escalate_to": "Eskalera till",
        "reason": "Varför",
        "other_flow": "{node} (i flödet {flow})",
        "page_ref": "sida {page}",
        "page": "Sida {page} av {pages}",
    },
}

_MAP: Catalogue = {
    "en": {
        "external": "In another flow",
        "back": "Goes back",
        "path": "Path taken",
        "current": "You are here",
        "map": "Flow map",
        "steps_count": "steps",
    },
    "sv": {
        "external": "I ett annat flöde",
        "back": "Går tillbaka",
        "path": "Vägen hittills",
        "current": "Du är här",
        "map": "Flödeskarta",
        "steps_count": "steg",
    },
}


# The statistics report (`stats`): counts for the flows' authors and team leads.
_STATS: Catalogue = {
    "en": {
        "title": "Troubleshooting statistics",
        "cases": "Cases",
        "period": "Period",
        "all_time": "all cases",
        "sources": "Read from {sources}: {cases} cases, {duplicates} counted once as duplicates, {skipped} skipped.",
        "store": "the saved cases",
        "outcomes": "Outcomes",
        "escalated": "Escalated",
        "abandoned": "Not finished",
        "rate": "Share",
        "per_flow": "Cases per flow",
        "per_week": "Cases per week",
        "per_day": "Cases per day",
        "per_language": "Cases per language",
        "per_agent": "Cases per agent",
        "agent": "Agent",
        "flow": "Flow",
        "node": "Step",
        "language": "Language",
        "count": "Count",
        "not_resolved_share": OUTCOME_NAMES["en"]["not_resolved"],
        "end_nodes": "End nodes reached most often",
        "outcome": "Outcome",
        "drop_offs": "Where unfinished walks stop",
        "answer_changes": "Where agents change an answer",
        "durations": "Time",
        "case_time": "A case from the first step to the end: median {median}, 90th percentile {p90} ({cases} cases).",
        "slowest_steps": "The slowest steps",
        "median": "Median",
        "p90": "90th percentile",
        "searches": "Searches",
        "top_queries": "Most frequent searches",
        "no_hit": "Searches with no hit (content gaps)",
        "not_opened": "Searches whose hit was not opened",
        "unknown_codes": "Unknown error codes",
        "query": "Search",
        "code": "Code",
        "feedback": "Step feedback",
        "version": "Version",
        "unclear": "Unclear",
        "wrong": "Wrong",
        "comments": "Comments",
        "skipped": "Not counted",
        "unknown_node": "unknown node",
        "none": "None.",
        "unknown": "unknown",
        "flow_map": "Flow map with counts",
        "flow_map_note": "Each step shaded by how many walks passed it; the more often a way was taken, the wider it is.",
    },
    "sv": {
        "title": "Felsökningsstatistik",
        "cases": "Ärenden",
        "period": "Period",
        "all_time": "alla ärenden",
        "sources": "Läst från {sources}: {cases} ärenden, {duplicates} dubbletter räknade en gång, {skipped} hoppades över.",
        "store": "de sparade ärendena",
        "outcomes": "Utfall",
        "escalated": "Eskalerat",
        "abandoned": "Inte stängt",
        "rate": "Andel",
        "per_flow": "Ärenden per flöde",
        "per_week": "Ärenden per vecka",
        "per_day": "Ärenden per dag",
        "per_language": "Ärenden per språk",
        "per_agent": "Ärenden per handläggare",
        "agent": "Handläggare",
        "flow": "Flöde",
        "node": "Steg",
        "language": "Språk",
        "count": "Antal",
        "not_resolved_share": OUTCOME_NAMES["sv"]["not_resolved"],
        "end_nodes": "Vanligaste slutnoderna",
        "outcome": "Utfall",
        "drop_offs": "Där öppna ärenden stannar",
        "answer_changes": "Där handläggare ändrar ett svar",
        "durations": "Tid",
        "case_time": "Ett ärende från första steget till slutet: median {median}, 90:e percentilen {p90} ({cases} ärenden).",
        "slowest_steps": "De långsammaste stegen",
        "median": "Median",
        "p90": "90:e percentilen",
        "searches": "Sökningar",
        "top_queries": "Vanligaste sökningarna",
        "no_hit": "Sökningar utan träff (luckor i innehållet)",
        "not_opened": "Sökningar där träffen inte öppnades",
        "unknown_codes": "Okända felkoder",
        "query": "Sökning",
        "code": "Kod",
        "feedback": "Återkoppling på steg",
        "version": "Version",
        "unclear": "Otydligt",
        "wrong": "Fel",
        "comments": "Kommentarer",
        "skipped": "Inte räknat",
        "unknown_node": "okänd nod",
        "none": "Inga.",
        "unknown": "okänt",
        "flow_map": "Flödeskarta med antal",
        "flow_map_note": "Varje steg är skuggat efter hur många genomgångar som passerade det; ju oftare en väg togs, desto bredare är den.",
    },
}


def _with_names(texts: Catalogue, *names: Catalogue) -> dict[str, dict[str, str]]:
    return {
        lang: {key: text for table in (*names, texts) for key, text in table[lang].items()} for lang in texts
    }


# The summary ("checked → found → done"; resolved and not resolved as the outcome names them).
SUMMARY_LABELS = _with_names(
    _SUMMARY,
    {
        lang: {
            "resolved": OUTCOME_NAMES[lang]["resolved"],
            "not_resolved": OUTCOME_NAMES[lang]["not_resolved"],
        }
        for lang in OUTCOME_NAMES
    },
)
CASE_LABELS = _with_names(_CASE)
HANDOUT_LABELS = _with_names(_HANDOUT, KIND_NAMES, OUTCOME_NAMES)
MAP_LABELS = _with_names(_MAP, KIND_NAMES, OUTCOME_NAMES)
STATS_LABELS = _with_names(_STATS, OUTCOME_NAMES)
CONTENT_LANGUAGES = tuple(CASE_LABELS)


def labels_for(catalogue: Mapping[str, Mapping[str, str]], lang: str) -> Mapping[str, str]:
    """The texts of `lang`, English for a language the catalogue does not have."""
    return catalogue.get(lang, catalogue["en"])


def outcome_name(lang: str, outcome: Outcome) -> str:
    return labels_for(OUTCOME_NAMES, lang)[outcome.value]
