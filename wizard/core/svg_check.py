"""What an SVG screenshot refers to outside itself: the one rule for the validator and every renderer.

A screenshot is drawn from what its file holds. Qt follows `<image href="/abs/private.png">`, `file:`
and remote URLs, `../` and CSS `url(...)`, so a flow pack could pull a private file of the agent's
machine into the window, a handout or a case PDF. Allowed are `#fragment` references inside the
document and `data:` URIs (an SVG inside one is checked in turn). A relative path is reported as
such: the validator accepts one that stays inside the pack's resources folder (with a warning), the
renderers draw only self-contained files and leave one with any other reference out.

The file is parsed with expat, without DTD processing: an entity declaration (the way to hide a
reference, or to make a billion laughs) is itself refused.
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from xml.parsers import expat

MAX_SVG_BYTES = 16 * 1024 * 1024
_MAX_NESTING = 3  # an SVG in a data: URI in an SVG in a data: URI...
_RASTER_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")


class RefKind(StrEnum):
    RELATIVE = "relative"  # a path; whether it stays inside the pack is the caller's question
    ABSOLUTE = "absolute"
    FILE_URL = "file_url"
    REMOTE = "remote"
    OTHER_URL = "other_url"
    CSS_IMPORT = "css_import"
    CSS_ESCAPE = "css_escape"
    XML_BASE = "xml_base"
    STYLESHEET = "stylesheet"
    ENTITY = "entity"
    NESTED = "nested"  # an SVG in a data: URI that refers outside itself, or cannot be read
    UNREADABLE = "unreadable"  # not well-formed XML, or too large


@dataclass(frozen=True)
class SvgReference:
    line: int
    column: int
    kind: RefKind
    target: str

    def message(self) -> str:
        """Why it is refused, in words for the author of the pack."""
        target = self.target
        return {
            RefKind.RELATIVE: f"refers to the file '{target}'",
            RefKind.ABSOLUTE: f"refers to '{target}', an absolute path",
            RefKind.FILE_URL: f"refers to '{target}', a file: URL",
            RefKind.REMOTE: f"refers to '{target}', a remote address",
            RefKind.OTHER_URL: f"refers to '{target}', a URL",
            RefKind.CSS_IMPORT: f"imports the style sheet '{target}'",
            RefKind.CSS_ESCAPE: "has a backslash escape in its CSS, which could hide a reference",
            RefKind.XML_BASE: f"sets xml:base '{target}', which moves where references point",
            RefKind.STYLESHEET: f"links the style sheet '{target}'",
            RefKind.ENTITY: f"declares the entity '{target}'",
            RefKind.NESTED: f"holds an SVG in a data: URI that {target}",
            RefKind.UNREADABLE: f"cannot be read as SVG: {target}",
        }[self.kind]


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_SPACE = re.compile(r"[\x00-\x20]+")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)""", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"""@import\s*(?:url\(\s*)?["']?([^"');\s]*)""", re.IGNORECASE)


def external_references(data: bytes, *, depth: int = 0) -> list[SvgReference]:
    """Every reference of the SVG `data` that is not a #fragment or a (clean) data: URI, in order."""
    if len(data) > MAX_SVG_BYTES:
        return [SvgReference(1, 1, RefKind.UNREADABLE, f"larger than {MAX_SVG_BYTES // (1024 * 1024)} MiB")]
    found: list[SvgReference] = []
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.ordered_attributes = True
    style_text: list[str] = []
    in_style: list[tuple[int, int]] = []  # where each open <style> began

    def where() -> tuple[int, int]:
        return parser.CurrentLineNumber, parser.CurrentColumnNumber + 1

    def url(value: str, line: int, column: int) -> None:
        for kind, target in _url_kinds(value, depth):
            found.append(SvgReference(line, column, kind, target))

    def css(text: str, line: int, column: int) -> None:
        text = _CSS_COMMENT.sub("", text)
        if "\\" in text:
            found.append(SvgReference(line, column, RefKind.CSS_ESCAPE, ""))
        for match in _CSS_IMPORT.finditer(text):
            found.append(SvgReference(line, column, RefKind.CSS_IMPORT, match.group(1)))
        for match in _CSS_URL.finditer(text):
            url(match.group(2), line, column)

    def start(name: str, flat: list[str]) -> None:
        # Called for every element: one scan of all its names and values first (values arrive with
        # &#…; already decoded); most elements have nothing that could refer anywhere.
        if flat and _suspect("\x00".join(flat).lower()):
            for attribute, value in zip(flat[::2], flat[1::2], strict=True):
                local = attribute[attribute.rfind(":") + 1 :].lower()
                if local in ("href", "src"):
                    url(value, *where())
                elif attribute == "xml:base":
                    found.append(SvgReference(*where(), RefKind.XML_BASE, value))
                elif "(" in value or "@" in value or "\\" in value:  # url(…), @import, CSS escapes
                    css(value, *where())
        if name == "style" or name.endswith(":style"):
            in_style.append(where())
            style_text.clear()

    def end(name: str) -> None:
        if in_style and (name == "style" or name.endswith(":style")):
            css("".join(style_text), *in_style.pop())

    def text(data: str) -> None:
        if in_style:
            style_text.append(data)

    def instruction(target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            found.append(SvgReference(*where(), RefKind.STYLESHEET, data.strip()))

    def entity(name: str, *_rest: object) -> None:
        found.append(SvgReference(*where(), RefKind.ENTITY, name))
        raise _Stop  # nothing declared is ever expanded

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.ProcessingInstructionHandler = instruction
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except _Stop:
        pass
    except expat.ExpatError as exc:
        found.append(
            SvgReference(exc.lineno, exc.offset + 1, RefKind.UNREADABLE, expat.ErrorString(exc.code))
        )
    return found


_BY_FILE: dict[tuple[str, int, int, int], list[SvgReference]] = {}


def file_references(path: Path) -> list[SvgReference]:
    """external_references of the file at `path`, remembered while the file is unchanged (a reload
    of the flows after an edit checks only the drawings that changed). OSError when unreadable."""
    before = path.stat()
    key = (str(path), before.st_mtime_ns, before.st_size, before.st_ino)
    found = _BY_FILE.get(key)
    if found is None:
        found = external_references(path.read_bytes())
        if len(_BY_FILE) >= 4096:
            _BY_FILE.clear()
        _BY_FILE[key] = found
    return list(found)


def is_self_contained(data: bytes) -> bool:
    """True when drawing the SVG `data` reads nothing but `data`: what every renderer asks first."""
    return not external_references(data)


def _suspect(text: str) -> bool:
    """Whether lower-cased attribute names and values hold what a reference needs; plain `in` tests,
    as this runs for every element."""
    return "(" in text or "@" in text or "\\" in text or "href" in text or "src" in text or "xml:base" in text


class _Stop(Exception):
    pass


def _url_kinds(value: str, depth: int) -> list[tuple[RefKind, str]]:
    """Why the reference `value` is not inside the document: nothing, or one kind (several for a
    nested SVG)."""
    compact = _SPACE.sub("", value)  # as a URL parser reads it: "fi le:" is "file:"
    if not compact or compact.startswith("#"):
        return []
    scheme = _SCHEME.match(compact)
    if scheme is None:
        if compact.startswith(("/", "\\")):
            return [(RefKind.ABSOLUTE, value)]
        return [(RefKind.RELATIVE, value)]
    name = scheme.group(1).lower()
    if len(name) == 1:  # C:\... or C:/...
        return [(RefKind.ABSOLUTE, value)]
    if name == "data":
        return _nested(compact, depth)
    if name == "file":
        return [(RefKind.FILE_URL, value)]
    if name in ("http", "https", "ftp", "ftps"):
        return [(RefKind.REMOTE, value)]
    return [(RefKind.OTHER_URL, value)]


def _nested(uri: str, depth: int) -> list[tuple[RefKind, str]]:
    """A data: URI passes when it holds a raster picture, or an SVG that passes in turn.

    Qt recognises a picture by its bytes, not by the type the URI names, so the bytes decide: a
    PNG, JPEG, GIF, BMP or WebP carries no references; anything else is checked as SVG (a compressed
    one, like everything expat cannot read, is refused).
    """
    header, comma, payload = uri[len("data:") :].partition(",")
    if not comma:
        return [(RefKind.NESTED, "cannot be read")]
    try:
        if header.lower().endswith(";base64"):
            inner = base64.b64decode(payload, validate=False)
        else:
            inner = urllib.parse.unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return [(RefKind.NESTED, "cannot be read")]
    if inner.startswith(_RASTER_MAGIC) or (inner[:4] == b"RIFF" and inner[8:12] == b"WEBP"):
        return []
    if depth >= _MAX_NESTING:
        return [(RefKind.NESTED, "is nested too deeply")]
    problems = external_references(inner, depth=depth + 1)
    if not problems:
        return []
    return [(RefKind.NESTED, problems[0].message())]
