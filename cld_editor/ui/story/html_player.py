"""The HTML story player: one self-contained file that plays a story in any browser, to mail or
put on an intranet.

Each step is a ``<section>`` holding the step's inline SVG picture and its caption as HTML
text; a small inline script shows one step at a time, with Prev / Next buttons and the keys a
presentation clicker sends (arrows, Space, Page Up / Down, Home, End), and keeps the step in
the address (``#3``). Nothing is loaded from anywhere: no external file, font or script, and a
Content-Security-Policy that forbids any request. Every text from the diagram (title,
captions) is HTML-escaped here; the SVG pictures come from Qt's SVG generator, which escapes
its text, and a test checks both. Qt-free on purpose: it only assembles strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

#: No network, no plugins, no frames: only the file's own inline style and script.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
)

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: #f3f4f6; color: #2b323b;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
body { display: flex; flex-direction: column; }
header { padding: 0.6rem 1.2rem; font-size: 1.05rem; font-weight: 600; color: #4b5563; }
main { flex: 1; display: flex; min-height: 0; padding: 0 1.2rem; }
section.step { flex: 1; display: flex; flex-direction: column; align-items: center; min-height: 0; }
section.step[hidden] { display: none; }
figure { flex: 1; margin: 0; width: 100%; min-height: 0; display: flex; justify-content: center; }
figure svg { width: 100%; height: 100%; max-height: 78vh; background: #fff;
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12); }
section.current figure svg { animation: appear 0.45s ease-out; }
@keyframes appear { from { opacity: 0.35; } to { opacity: 1; } }
p.caption { margin: 0.9rem 0 0.4rem; max-width: 60rem; text-align: center; font-size: 1.35rem;
  line-height: 1.4; white-space: pre-line; min-height: 1.9rem; }
nav { display: flex; gap: 1rem; align-items: center; justify-content: center; padding: 0.6rem; }
nav button { font: inherit; font-size: 1rem; padding: 0.4rem 1.1rem; border-radius: 6px;
  border: 1px solid #c5cad1; background: #fff; cursor: pointer; }
nav button:disabled { opacity: 0.4; cursor: default; }
#counter { min-width: 5rem; text-align: center; font-variant-numeric: tabular-nums; }
@media print { nav, header { display: none; } section.step[hidden] { display: flex; }
  section.step { break-after: page; } }
"""

SCRIPT = """
(function () {
  "use strict";
  var steps = Array.prototype.slice.call(document.querySelectorAll("section.step"));
  var counter = document.getElementById("counter");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var current = 0;
  function show(index) {
    current = Math.max(0, Math.min(steps.length - 1, index));
    steps.forEach(function (step, k) {
      step.hidden = k !== current;
      step.classList.toggle("current", k === current);
    });
    counter.textContent = (current + 1) + " / " + steps.length;
    prev.disabled = current === 0;
    next.disabled = current === steps.length - 1;
    try { history.replaceState(null, "", "#" + (current + 1)); } catch (e) { /* file: URLs */ }
  }
  var forward = ["ArrowRight", "ArrowDown", "PageDown", " ", "Spacebar", "Enter", "n"];
  var back = ["ArrowLeft", "ArrowUp", "PageUp", "Backspace", "p"];
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.target && event.target.tagName === "BUTTON" && event.key === "Enter") { return; }
    if (forward.indexOf(event.key) >= 0) { show(current + 1); }
    else if (back.indexOf(event.key) >= 0) { show(current - 1); }
    else if (event.key === "Home") { show(0); }
    else if (event.key === "End") { show(steps.length - 1); }
    else { return; }
    event.preventDefault();
  });
  // A clicked button gives the focus back, or Space would press it again after stepping.
  prev.addEventListener("click", function () { prev.blur(); show(current - 1); });
  next.addEventListener("click", function () { next.blur(); show(current + 1); });
  var wanted = parseInt((location.hash || "#1").slice(1), 10);
  show(isNaN(wanted) ? 0 : wanted - 1);
})();
"""


def player_html(title: str, pictures: Sequence[str], captions: Sequence[str]) -> str:
    """The player page. ``pictures`` are inline ``<svg>`` elements (trusted markup from the
    SVG generator); ``title`` and ``captions`` are plain text and escaped here."""
    if len(pictures) != len(captions):
        raise ValueError("one caption per picture")
    heading = escape(" ".join(title.split()) or "Story", quote=True)
    sections = []
    for number, (picture, caption) in enumerate(zip(pictures, captions, strict=True), start=1):
        label = escape(f"Step {number} of {len(pictures)}", quote=True)
        hidden = "" if number == 1 else " hidden"
        sections.append(
            f'<section class="step" id="step-{number}" aria-label="{label}"{hidden}>\n'
            f'<figure>{picture}</figure>\n<p class="caption">{escape(caption)}</p>\n</section>'
        )
    body = "\n".join(sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="cld-editor">\n'
        f"<title>{heading}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header>{heading}</header>\n<main>\n{body}\n</main>\n"
        '<nav aria-label="Steps"><button id="prev" type="button">\u25c0 Prev</button>'
        '<span id="counter" aria-live="polite"></span>'
        '<button id="next" type="button">Next \u25b6</button></nav>\n'
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
