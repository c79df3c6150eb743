"""File ▸ Print… and File ▸ Save Theme as PDF… for the open theme."""
