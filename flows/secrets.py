"""Resolve a secret reference when it is used: "${ENV_VAR}" or "{{ prefect.blocks.secret.NAME }}"."""

from __future__ import annotations

import re

from flows.settings import ConfigError, expand_env

BLOCK_PATTERN = re.compile(r"^\{\{\s*prefect\.blocks\.secret\.([A-Za-z0-9_-]+)\s*\}\}$")


def resolve_secret(reference: str) -> str:
    """The secret's value; never log it. A literal value is returned as it is."""
    block = BLOCK_PATTERN.match(reference.strip())
    if block:
        from prefect.blocks.system import Secret

        try:
            value = Secret.load(block.group(1)).get()
        except ValueError as exc:
            raise ConfigError(f"Prefect Secret block {block.group(1)!r} cannot be loaded: {exc}") from None
        return str(value)
    return expand_env(reference)
