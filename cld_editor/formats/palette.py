"""The editor's colours, in one place and Qt-free: what a CX, an EX and an untagged variable
look like (fill, border, badge), the link signs, the loop types and the ink. The canvas and every
picture (:mod:`cld_editor.ui.drawing.render`) draw with these, and the formats that carry
colours (DOT, draw.io, GraphML, Mermaid, LOOPY's nearest hue, the HTML report) write them, so a
diagram looks the same wherever it goes: CX blue, EX orange. Colours are ``#rrggbb`` strings.
"""

from __future__ import annotations

from typing import NamedTuple


class DomainColours(NamedTuple):
    """A domain's box fill, border and badge (the badge is its strongest colour: text in it)."""

    fill: str
    border: str
    badge: str


DOMAIN_COLOURS: dict[str | None, DomainColours] = {
    "CX": DomainColours("#e7f0fc", "#3f7fd6", "#2f6cc4"),
    "EX": DomainColours("#fdf0e3", "#d9822b", "#c56f17"),
    None: DomainColours("#f3f4f6", "#9aa3ad", "#7d8793"),
}
#: Link signs: contrast of at least 4.5:1 on white and on the waterline's band.
SIGN_COLOURS = {"+": "#1d7335", "-": "#b3261e", "?": "#8a6100"}
LOOP_COLOURS = {"reinforcing": "#c0392b", "balancing": "#1f6fe0", "undetermined": "#a0700a"}
INK = "#2b323b"
LINK_COLOUR = "#56606c"
