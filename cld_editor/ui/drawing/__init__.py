"""Drawing, in one direction: Qt-free geometry -> the layout of a picture -> paint on a QPainter.

The canvas items, PNG/SVG/PDF exports and the clipboard image all draw through this package, so
what is on screen and what is exported cannot differ."""
