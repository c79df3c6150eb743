"""BriefReader: an offline reader for the WeProtect Global Alliance 2023 briefing."""

__version__ = "0.1.0"
