"""The wheel carries the guide data, and the installed package finds it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_the_guide_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "wizard/_data/directions.toml" in names
    assert "wizard/cli.py" in names and "screens/__init__.py" in names
    data = zipfile.ZipFile(wheel).read("wizard/_data/directions.toml")
    assert data == (ROOT / "data" / "directions.toml").read_bytes()
