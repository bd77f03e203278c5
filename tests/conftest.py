from __future__ import annotations

import pytest

from wizard.guide import Guide, load_guide


@pytest.fixture(scope="session")
def guide() -> Guide:
    return load_guide()
