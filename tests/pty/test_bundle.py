"""The wheel carries the guide data, and `make bundle` (scripts/bundle.py): an offline bundle
installs and runs with no index at all.

The install test builds our wheel, gathers the dependency wheels once into the pytest cache
(`pip download`, so the first run needs the package index; without network it is skipped),
bundles them with scripts/bundle.py, installs with the bundle's install.sh into a plain venv
with every pip setting of this machine removed, and runs the installed `wizard` from a folder
outside the source tree.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
NETWORK_TROUBLE = re.compile(
    r"NewConnectionError|Max retries exceeded|Temporary failure in name resolution|"
    r"Network is unreachable|Name or service not known|Connection refused|ConnectTimeout|"
    r"ProxyError|Could not fetch URL|timed out",
    re.IGNORECASE,
)


def load_bundle_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bundle_script", ROOT / "scripts" / "bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bundle_script"] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


bundle = load_bundle_module()


# --- the script's parts -------------------------------------------------------------------


def test_targets_become_pip_arguments() -> None:
    target = bundle.resolve_target("win-amd64", "3.12")
    assert target.pip_args() == [
        "--only-binary=:all:",
        "--platform",
        "win_amd64",
        "--implementation",
        "cp",
        "--python-version",
        "3.12",
    ]
    linux = bundle.resolve_target("manylinux-aarch64", "3.13").pip_args()
    assert "manylinux2014_aarch64" in linux and "3.13" in linux
    native = bundle.resolve_target(None, None)
    assert native.pip_args() == ["--only-binary=:all:"]
    assert native.python == f"{sys.version_info[0]}.{sys.version_info[1]}"


@pytest.mark.parametrize(("platform", "python"), [("solaris", None), (None, "3.10"), (None, "4")])
def test_bad_targets_are_refused(platform: str | None, python: str | None) -> None:
    with pytest.raises(bundle.BundleError):
        bundle.resolve_target(platform, python)


def test_only_a_bundle_or_an_empty_folder_is_replaced(tmp_path: Path) -> None:
    bundle.check_replaceable(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    bundle.check_replaceable(tmp_path / "empty")
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.docx").write_text("years of work")
    with pytest.raises(bundle.BundleError, match="not a bundle"):
        bundle.check_replaceable(home)
    (home / bundle.MARKER).write_text("{}")
    bundle.check_replaceable(home)
    assert bundle.main(["--dest", str(tmp_path / "home" / "thesis.docx")]) == 2


def test_templates_fill_in(tmp_path: Path) -> None:
    target = bundle.resolve_target("win-amd64", "3.12")
    bundle.write_templates(tmp_path, target, "9.9.9")
    names = {p.name for p in tmp_path.iterdir()}
    assert {"install.sh", "install.bat", "install.ps1", "INSTALL.txt"} <= names
    for path in tmp_path.iterdir():
        text = path.read_bytes().decode("utf-8-sig")
        assert "@" not in re.sub(r"@echo off|@\(|@pre|@\w+\.\w+", "", text), path.name
        assert "--no-index --find-links" in text, path.name
    install = (tmp_path / "INSTALL.txt").read_bytes()
    assert install.startswith(b"\xef\xbb\xbf") and b"\r\n" in install
    text = install.decode("utf-8-sig")
    assert "离线安装包" in text and "offline installation bundle" in text
    assert "win-amd64" in text and "Python 3.12" in text and "9.9.9" in text
    assert "(3, 12)" in (tmp_path / "install.sh").read_text()
    assert os.access(tmp_path / "install.sh", os.X_OK)
    assert b"\r\n" in (tmp_path / "install.bat").read_bytes()


# --- build, bundle, install, run ----------------------------------------------------------


def runtime_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["dependencies"])


def test_wheel_ships_the_guide_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "wizard/_data/directions.toml" in names
    assert "wizard/cli.py" in names and "screens/__init__.py" in names
    data = zipfile.ZipFile(wheel).read("wizard/_data/directions.toml")
    assert data == (ROOT / "data" / "directions.toml").read_bytes()


@pytest.fixture(scope="module")
def dependency_wheels(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Every runtime dependency as a wheel: from the cache when complete, else downloaded."""
    cache = request.config.cache
    folder = cache.mkdir("wheels") if cache is not None else tmp_path_factory.mktemp("wheels")
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--only-binary=:all:",
        "--dest",
        str(folder),
    ]
    requirements = runtime_requirements()
    offline = subprocess.run(
        [*command, "--no-index", "--find-links", str(folder), *requirements],
        capture_output=True,
        text=True,
        check=False,
    )
    if offline.returncode == 0:
        return folder
    online = subprocess.run([*command, *requirements], capture_output=True, text=True, check=False)
    if online.returncode != 0:
        if NETWORK_TROUBLE.search(online.stderr + online.stdout):
            pytest.skip(f"no network to download the dependency wheels: {online.stderr[-300:]}")
        pytest.fail(f"pip download failed:\n{online.stdout[-2000:]}\n{online.stderr[-2000:]}")
    return folder


def clean_pip_environment() -> dict[str, str]:
    """This environment without any pip setting: the bundle alone must be enough."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.mark.slow
def test_bundle_installs_offline_into_a_plain_venv(
    wheel: Path, dependency_wheels: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "bundle"
    built = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bundle.py"),
            "--dest",
            str(dest),
            "--wheel",
            str(wheel),
            "--no-index",
            "--find-links",
            str(dependency_wheels),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    manifest = json.loads((dest / bundle.MARKER).read_text())
    assert wheel.name in manifest["wheels"]
    assert any(name.startswith("pydantic_core-") for name in manifest["wheels"])
    sums = (dest / "SHA256SUMS.txt").read_text().splitlines()
    assert len(sums) == len([p for p in dest.iterdir() if p.name != "SHA256SUMS.txt"])

    venv = tmp_path / "venv"
    env = clean_pip_environment()
    env["PYTHON"] = sys.executable  # `-m venv` of a venv's python makes a plain venv of its base
    installed = subprocess.run(
        ["sh", str(dest / "install.sh"), str(venv)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text()

    work = tmp_path / "elsewhere"
    work.mkdir()
    wizard = str(venv / "bin" / "wizard")

    def run_wizard(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [wizard, *args], capture_output=True, text=True, env=env, cwd=work, check=False
        )

    directions = run_wizard("directions", "--lang", "en")
    assert directions.returncode == 0, directions.stderr
    assert "1.6" in directions.stdout and "directions" in directions.stdout
    example = str(ROOT / "docs" / "example-draft.toml")
    checked = run_wizard("check", example)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    exported = run_wizard("export", example, "-o", "summary.html")
    assert exported.returncode == 0, exported.stderr
    assert (work / "summary.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # The installed package reads the guide shipped inside it, not this checkout's data/.
    where = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import wizard.guide as g; print(g.default_guide_path())",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
        check=True,
    )
    assert "_data" in where.stdout and str(ROOT) not in where.stdout
