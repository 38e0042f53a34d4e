"""The dashboard's actions: plain form POSTs answered by a redirect (POST/redirect/GET); bad
input re-renders the overview with a 400 and a message naming the field."""

from __future__ import annotations

import math
from typing import Any

from flask import Response, flash, redirect, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from mock_inksoft.admin import GENERATE_FIELDS
from mock_inksoft.config import settings_changes
from mock_inksoft.context import current_mock
from mock_inksoft.control_json import FAULT_FIELDS, fault_from_json
from mock_inksoft.dashboard.pages import index_page
from mock_inksoft.dashboard.views import FIELD_LABELS, ORDER_STATUSES
from mock_inksoft.drafts import generate_orders, generation_room
from mock_inksoft.fields import ControlError, Reader

NUMERIC_FIELDS = frozenset({"count", "seed", "times", "page", "status", "retry_after", "seconds"})
FAULT_FORM = {name: name for name in FAULT_FIELDS if name != "status"} | {"http_status": "status"}


def _done(message: str) -> BaseResponse:
    flash(message)
    return redirect(url_for("dashboard.index_page"), 303)


def _refused(form_name: str, error: ControlError) -> Response:
    label = FIELD_LABELS.get(error.field, error.field)
    problem = str(error).removeprefix(error.field).strip()
    return index_page(400, (form_name, f"{label} {problem}."), request.form)


def _form_json(fields: dict[str, str]) -> dict[str, Any]:
    """The non-blank form fields, keyed by the JSON names ``fields`` maps them to, as the
    control API reads them: a numeric field's text as a number when it is one (else as text,
    which the reader then refuses with a message naming the field)."""
    data: dict[str, Any] = {}
    for name, key in fields.items():
        text = request.form.get(name, "").strip()
        if text:
            data[key] = _number(text) if key in NUMERIC_FIELDS else text
    return data


def _number(text: str) -> int | float | str:
    """``text`` as a whole or a finite number, else unchanged."""
    for kind in (int, float):
        try:
            value = kind(text)
        except ValueError:
            continue
        if math.isfinite(value):
            return value
    return text


def generate() -> BaseResponse:
    """``count`` Faker orders from ``seed``, all with ``status`` when one is chosen."""
    status = request.form.get("status", "")
    if status and status not in ORDER_STATUSES:
        message = f"Status must be one of {', '.join(ORDER_STATUSES)}, or left to Faker."
        return index_page(400, ("generate", message), request.form)
    try:
        options = Reader(_form_json({"count": "count", "seed": "seed"}), "", GENERATE_FIELDS)
        count = options.integer("count", required=True, minimum=1)
        seed = options.integer("seed", minimum=0) or 0
        state = current_mock().state
        generation_room(state, count)
    except ControlError as exc:
        return _refused("generate", exc)
    batch = generate_orders(state, count, seed, {"status": status} if status else {}, None)
    state.add_generated(batch)
    numbers = str(batch.ids[0]) + (f"–{batch.ids[-1]}" if count > 1 else "")
    return _done(f"Generated {count} order{'s' if count > 1 else ''} ({numbers}) with seed {seed}.")


def change_empty_export() -> BaseResponse:
    try:
        changes = settings_changes({"empty_export": request.form.get("empty_export")})
    except ControlError as exc:
        return _refused("settings", exc)
    settings = current_mock().state.update_settings(**changes)
    return _done(f"An empty export now answers the {settings.empty_export!r} way.")


def add_fault() -> BaseResponse:
    try:
        fault = fault_from_json(_form_json(FAULT_FORM))
    except ControlError as exc:
        return _refused("fault", exc)
    current_mock().state.queue_fault(fault)
    return _done(f"Queued a {fault.type!r} fault for action {fault.action!r} ({fault.times}×).")


def clear_faults() -> BaseResponse:
    current_mock().state.clear_faults()
    return _done("Cleared the queued faults.")


def reset() -> BaseResponse:
    current_mock().state.reset()
    return _done(
        "Reset: the default account and settings, the orders the mock started with; "
        "no shipments, journal or faults."
    )
