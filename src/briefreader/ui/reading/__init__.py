"""Reading: one tab per theme, its table of contents, find in page, zoom."""
