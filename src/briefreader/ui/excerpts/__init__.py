"""Copy with citation and the excerpt tray.

``actions`` (the copy and add actions and the citation style), ``feature`` (attaches them to
the window), ``tray_model`` and ``undo`` (the tray's Qt model and its undo commands),
``tray_panel`` and ``tray_widgets`` (the panel), ``export`` (the briefing note to a file) and
``dock``. Kept empty so that importing the dock before the first paint imports nothing else.
"""
