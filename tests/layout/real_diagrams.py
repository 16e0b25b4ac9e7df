"""Real diagrams for the layout tests: the examples and archetypes in resources/examples, and the
files of other tools in ../shared/corpus (none when that folder is absent), read as an import
reads them, and stripped of their positions as an import without positions brings them."""

from __future__ import annotations

from pathlib import Path

from cld_editor.core.model import Diagram
from cld_editor.formats.native import load_diagram

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus"
EXAMPLES = sorted(p for p in (ROOT / "resources" / "examples").glob("*.json") if p.stem != "index")


def corpus_files() -> list[Path]:
    """The corpus's Vensim and XMILE models (empty when the corpus is absent)."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".mdl", ".xmile", ".stmx"))


def read_any(path: Path) -> Diagram:
    if path.suffix == ".json":
        return load_diagram(path)
    from cld_editor.formats.registry import read_diagram

    return read_diagram(path)[0]


def without_positions(diagram: Diagram) -> Diagram:
    """Every variable at the origin and every link straight."""
    return diagram.model_copy(
        update={
            "variables": [v.model_copy(update={"x": 0.0, "y": 0.0}) for v in diagram.variables],
            "links": [link.model_copy(update={"curvature": 0.0}) for link in diagram.links],
        }
    )
