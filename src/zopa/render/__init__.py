"""Front-end rendering of scenarios and results (rich tables, Markdown)."""
