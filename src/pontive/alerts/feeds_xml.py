"""Parse untrusted XML (incoming CAP, RSS and Atom) with defusedxml, within a size limit.

Feeds come from outside: no DTDs (so no entity expansion, "billion laughs", or external
entities) and nothing larger than a CAP message or a feed list can reasonably be.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

# defusedxml ships no type information; this module is its only user and types the result.
from defusedxml import ElementTree as SafeET  # type: ignore[import-untyped]
from defusedxml.common import DefusedXmlException  # type: ignore[import-untyped]

MAX_XML_BYTES = 2 * 1024 * 1024


class UnsafeXml(ValueError):
    """The bytes are not well-formed, too large, or use a forbidden XML feature."""


def parse_untrusted(xml: bytes, *, max_bytes: int = MAX_XML_BYTES) -> Element:
    """The root element of ``xml``; raises ``UnsafeXml`` instead of expanding anything."""
    if len(xml) > max_bytes:
        raise UnsafeXml(f"document of {len(xml)} bytes exceeds the limit of {max_bytes}")
    try:
        root: Element = SafeET.fromstring(xml, forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException) as error:
        raise UnsafeXml(f"not well-formed or unsafe XML: {error}") from error
    return root
