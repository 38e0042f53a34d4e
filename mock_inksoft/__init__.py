"""A mock InkSoft: the store feed ShipStation reads (``/<publisher_id>/shipstation``), with
print-shop Faker data, InkSoft's quirks, faults on demand and a JSON control API under
``/__admin/``. ``create_app(config)`` builds the Flask app; ``mock_inksoft.server`` serves it
with waitress; ``mock-inksoft serve`` runs it from the command line.
"""

from mock_inksoft.app import create_app

__all__ = ["create_app"]
