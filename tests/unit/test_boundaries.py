"""The import contracts of pyproject.toml ([tool.importlinter], run by `make lint`) hold, and
they would catch the UI creeping into the core: lint-imports on a copy of the packages with
one deliberate import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_copy(tmp_path: Path, module: str = "", line: str = "") -> subprocess.CompletedProcess[str]:
    """lint-imports over a copy of wizard/ and screens/, with `line` added to `module`."""
    for package in ("wizard", "screens"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    if module:
        path = tmp_path / module
        path.write_text(path.read_text("utf-8") + line, "utf-8")
    # The copy comes first on sys.path (lint-imports adds its working folder).
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, capture_output=True, text=True
    )


pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="needs the test extra")


def test_the_contracts_hold(tmp_path: Path) -> None:
    result = lint_copy(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "edge"),
    [
        ("wizard/money.py", "\nimport textual\n", "wizard.money -> textual"),
        ("wizard/check.py", "\n\ndef ui():\n    import screens.app\n", "wizard.check -> screens"),
        ("wizard/rules/leader.py", "\nfrom wizard import store\n", "wizard.rules.leader -> "),
        ("wizard/names.py", "\nimport wizard.draft\n", "wizard.names -> wizard.draft"),
        ("screens/fields.py", "\nimport screens.editor\n", "screens.fields -> screens.editor"),
    ],
    ids=["core-textual", "core-screens", "rules-store", "leaf-model", "ui-layers"],
)
def test_a_forbidden_import_breaks_a_contract(
    tmp_path: Path, module: str, line: str, edge: str
) -> None:
    result = lint_copy(tmp_path, module, line)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and edge in result.stdout, result.stdout
