"""Passwords at rest: Fernet-encrypted, with the key in a 0600 file beside the database.

The key comes from ``INKSOFT_CONNECTOR_KEY`` when set (a Fernet key), else from
``<database>.key``, created on first use with mode 0600.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from connector.exceptions import ConnectorError, UsageError

KEY_ENV = "INKSOFT_CONNECTOR_KEY"


def key_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".key")


class SecretBox:
    """Encrypts and decrypts the secrets of one database; the key is read when first needed."""

    def __init__(self, db_path: Path, env: Mapping[str, str]) -> None:
        self.key_path = key_path_for(db_path)
        self.env_key = env.get(KEY_ENV)
        self._fernet: Fernet | None = None

    def encrypt(self, secret: str) -> str:
        return self.fernet.encrypt(secret.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self.fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise ConnectorError(
                f"A stored password cannot be decrypted: the key ({self.key_source}) is not the "
                "one it was saved with. Restore the key, or connect the store again."
            ) from None

    @property
    def key_source(self) -> str:
        return KEY_ENV if self.env_key else str(self.key_path)

    @property
    def fernet(self) -> Fernet:
        if self._fernet is None:
            self._fernet = self._load()
        return self._fernet

    def _load(self) -> Fernet:
        key = self.env_key.encode("ascii") if self.env_key else self._key_file()
        try:
            return Fernet(key)
        except ValueError:
            raise UsageError(
                f"The encryption key in {self.key_source} is not a valid Fernet key."
            ) from None

    def _key_file(self) -> bytes:
        try:
            descriptor = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return self.key_path.read_bytes().strip()
        key = Fernet.generate_key()
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
        return key
