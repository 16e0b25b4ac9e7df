"""The canvas: DiagramScene mirrors a Document (one item per record), tools turn input into edits,
and the view zooms and pans. Nothing here edits the document except by pushing Ops."""
