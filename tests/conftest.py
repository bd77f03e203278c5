from __future__ import annotations

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
