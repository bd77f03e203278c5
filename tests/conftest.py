from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from wizard.guide import Guide, load_guide


@pytest.fixture(scope="session")
def guide() -> Guide:
    return load_guide()


@pytest.fixture(autouse=True)
def _recovery_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recovery copies (wizard/recovery.py) go to a folder of the test's own, never to the
    user's state folder, and a test's wizard finds none left by another test."""
    monkeypatch.setenv("WIZARD_RECOVERY_DIR", str(tmp_path_factory.mktemp("recovery")))


async def settle_until(pilot: Any, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (a wait on what the test looks for, not a
    fixed pause: under load a scroll or a thread's result can take several frames)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(0.02)
