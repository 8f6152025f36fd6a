"""Making typed text safe to show: no terminal escapes, no control characters, no bidi overrides.

Notes are typed or pasted by people and may hold anything: an ANSI colour sequence copied from a
terminal, a NUL, a right-to-left override that makes "exe.txt" read as "txt.exe". Every exporter shows
text only after `clean_text`; the JSON exporter keeps the data as it is but writes those characters as
\\u escapes.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other two-character escapes.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, terminated or not
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # two-character escapes (and a lone ESC before one)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# C0 controls but tab and newline, DEL, C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional formatting characters: embeddings, overrides, isolates and the marks.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# Characters the JSON exporter writes as \u escapes although JSON would allow them raw.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{BIDI_CONTROLS}\u2028\u2029]")


def clean_text(text: str) -> str:
    """The text without terminal escapes, control characters (tab and newline stay) or bidi controls.

    Carriage returns become newlines, so "a\\r\\nb" and "a\\rb" keep their line break.
    """
    if text.isascii() and text.isprintable():
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text)
    return _BIDI.sub("", text)


def escape_json_unsafe(json_text: str) -> str:
    """Write DEL, C1 controls, bidi controls and line/paragraph separators as \\u escapes.

    Applied to the output of json.dumps(ensure_ascii=False): these characters only occur inside
    strings there, where the escape means the same character, so the data round-trips unchanged.
    """
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)
