"""What the HTTP handlers share: the state and the renderer of the current app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from mock_inksoft.models import InkSoftState
from mock_inksoft.render import Renderer

EXTENSION = "mock_inksoft"


@dataclass(frozen=True)
class Mock:
    state: InkSoftState
    renderer: Renderer
    admin_token: str | None


def current_mock() -> Mock:
    return current_app.extensions[EXTENSION]
