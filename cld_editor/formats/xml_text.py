"""Text that any XML (SVG, XHTML, draw.io) can hold, whatever a diagram's strings contain.

XML 1.0 allows tab, line feed and carriage return but no other C0 control character, no
surrogate and neither U+FFFE nor U+FFFF; one of them anywhere makes a whole SVG or HTML file
unreadable to a browser or an XML parser. Files refuse C0 and C1 control characters in labels
and notes (``core.model``), but U+FFFE, U+FFFF and unpaired surrogates can still reach a
string, so every writer of XML passes text through :func:`xml_safe` (C1 characters, allowed
but "discouraged" by XML and invisible anyway, go too). Qt-free.
"""

from __future__ import annotations

import re

#: What XML 1.0 cannot hold, plus the C1 controls.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NOT_XML_BYTES = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xef\xbf[\xbe\xbf]|\xed[\xa0-\xbf][\x80-\xbf]"
)


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold (see the module docstring)."""
    return _NOT_XML.sub("", text)


def xml_safe_utf8(data: bytes) -> bytes:
    """UTF-8 XML bytes without the characters XML cannot hold (as written by a library that
    copies text through unchecked, such as Qt's SVG generator)."""
    return _NOT_XML_BYTES.sub(b"", data)
