"""Bookmarks on sections: Ctrl+D on the section being read, listed in the Bookmarks menu."""
