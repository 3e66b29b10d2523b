"""Debian's Chromium for the tests that look at pages: its path and the flags this closed network needs."""

from __future__ import annotations

import os
import shutil

import pytest

# Without the background-networking flags Chromium keeps trying hosts it cannot reach here.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    """Chromium's path; a skip with the reason where it is missing, a failure in CI, which installs it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("Chromium must be installed in CI (.ci/run installs Debian's chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return found
