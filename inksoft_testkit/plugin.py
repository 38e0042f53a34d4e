"""pytest plugin: live mock InkSoft fixtures (being written)."""
