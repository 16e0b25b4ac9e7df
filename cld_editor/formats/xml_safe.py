"""Parsing XML from other tools safely: no entity expansion, no external entities, no DTDs.

Every XML reader of :mod:`cld_editor.formats` goes through :func:`parse_xml`, which uses
defusedxml and turns any failure into a one-line FormatError with the line of the problem.
Tags are compared by local name (``local``), so a file's default namespace (XMILE's, GraphML's)
does not matter.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_tree
from defusedxml import DefusedXmlException

from .conversion import FormatError


def parse_xml(data: bytes) -> Element:
    try:
        return safe_tree.fromstring(data, forbid_dtd=True)
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        message = str(exc).split(":")[0] or "not well-formed"
        raise FormatError(f"not valid XML: {message}", line) from None
    except DefusedXmlException as exc:
        kind = type(exc).__name__
        what = {
            "DTDForbidden": "a DTD (document type declaration)",
            "EntitiesForbidden": "entity declarations",
            "ExternalReferenceForbidden": "an external reference",
        }.get(kind, "unsafe XML")
        raise FormatError(f"refused: the file holds {what}, which is not allowed") from None
    except (ValueError, RecursionError) as exc:
        raise FormatError(
            f"not valid XML: {str(exc).splitlines()[0] if str(exc) else 'too deep'}"
        ) from None


def local(tag: object) -> str:
    """A tag or attribute name without its namespace."""
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local(child.tag) == name]


def child(element: Element, name: str) -> Element | None:
    return next((c for c in element if local(c.tag) == name), None)


def attribute(element: Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace."""
    if name in element.attrib:
        return element.attrib[name]
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return None
