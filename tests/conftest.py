"""The fixtures every test folder shares, and the markers the folders give their tests.

tests/unit  the core (wizard/): no Textual, no terminal             marker `unit`
tests/tui   the screens in Textual's `App.run_test()` (Pilot, SVG)  marker `tui`
tests/pty   the real `wizard`, a built wheel, a subprocess or a pty marker `pty`

Helpers that are functions, not fixtures, are in tests/helpers.py (waits, the editor in
Pilot, the wizard in a pty) and tests/factories.py (drafts).
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from tests.helpers import ROOT, settle_until
from wizard.guide import Guide, load_guide

__all__ = ["settle_until"]  # also importable from here, as before tests/helpers.py

FOLDER_MARKERS = ("unit", "tui", "pty")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each test gets its folder's marker: `pytest -m unit` runs the core's tests alone."""
    tests = Path(__file__).resolve().parent
    for item in items:
        try:
            folder = Path(str(item.path)).resolve().relative_to(tests).parts[0]
        except ValueError:
            continue
        if folder in FOLDER_MARKERS:
            item.add_marker(getattr(pytest.mark, folder))


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


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way to reach the network fails the test, even if the caller swallowed the error:
    the attempts are listed, and the test fails at teardown if there was any."""
    calls: list[str] = []

    def refuse(name: str) -> Any:
        def refused(*args: object, **kwargs: object) -> None:
            calls.append(f"{name}{args!r}")
            raise AssertionError(f"network use attempted: {name}{args!r}")

        return refused

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield calls
    assert calls == [], calls


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """This project's wheel, built once a run: the xdist workers share one build (the first
    builds it under a file lock, the others find it)."""
    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent
    outdir = shared / "wheel"
    with FileLock(str(shared / "wheel.lock")):
        built = sorted(outdir.glob("guide_wizard-*.whl"))
        if not built:
            subprocess.run(
                [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", outdir],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            built = sorted(outdir.glob("guide_wizard-*.whl"))
    [path] = built
    return path
