"""Which links a flow text may carry: https addresses only, in one rule for every reader of a flow.

The loader refuses other links, the validator warns about them, and the window, the exports, the
handouts and the maps show a link only when this rule holds; anything else stays plain text. A link
with whitespace in it is refused: a browser would cut or re-encode it, so it is not what the author
wrote.
"""

from __future__ import annotations

from typing import TypeGuard

HTTPS = "https://"


def is_safe_link(url: str | None) -> TypeGuard[str]:
    """True for an https address with something after the scheme and no whitespace anywhere."""
    return (
        url is not None
        and url.startswith(HTTPS)
        and len(url) > len(HTTPS)
        and not any(ch.isspace() for ch in url)
    )
