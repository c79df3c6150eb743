"""Key figures: the briefing's headline statistics, each with its source.

``model`` (the Qt model), ``widgets`` (how a figure is drawn, and the list), ``panel``,
``feature`` (attaches the panel to the window) and ``dock``. Kept empty so that importing the
dock before the first paint imports nothing else.
"""
