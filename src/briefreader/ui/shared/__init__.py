"""Widgets and helpers shared by the features."""
