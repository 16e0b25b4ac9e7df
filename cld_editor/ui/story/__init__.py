"""Telling the story of a diagram: what-if pulses and badges, story slides, the exports of a
story (PDF, SVG, PNG, an HTML player), presentation mode and the What If mode."""
