"""Brings the mock InkSoft and the connector together: live servers, an admin client, the
pytest plugin (registered through the ``pytest11`` entry point) and the demo.

This is the only package that imports both ``mock_inksoft`` and ``connector``.
"""
