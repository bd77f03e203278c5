"""Build an offline installation bundle: our wheel, every runtime dependency as a wheel for one
platform and Python version, install scripts and a bilingual INSTALL.txt.

    python scripts/bundle.py [--dest dist/bundle] [--platform NAME] [--python-version 3.12]

Carried to an air-gapped machine, the folder installs with
`pip install --no-index --find-links <bundle> guide-wizard` (install.sh / install.bat do it).
Plain Python on purpose: it runs before anything of ours is installed (`make bundle`).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "bundle_templates"
MARKER = "bundle.json"  # written into every bundle; only a folder holding it is ever replaced
PROJECT = "guide-wizard"
OLDEST_PYTHON = (3, 11)

# pip platform tags per target. manylinux2014 (glibc 2.17) still runs on the oldest
# institutional Linux machines; pip also accepts older manylinux wheels for it.
PLATFORMS: dict[str, tuple[str, ...]] = {
    "manylinux-x86_64": ("manylinux2014_x86_64", "manylinux_2_17_x86_64"),
    "manylinux-aarch64": ("manylinux2014_aarch64", "manylinux_2_17_aarch64"),
    "win-amd64": ("win_amd64",),
    "macos-x86_64": ("macosx_11_0_x86_64",),
    "macos-arm64": ("macosx_11_0_arm64",),
}


class BundleError(Exception):
    """A problem reported as one line; exit status 2."""


@dataclass(frozen=True)
class Target:
    """What the bundle is for. `platform` None = this machine (pip's own tags)."""

    platform: str | None
    python: str  # "3.12"

    @property
    def description(self) -> str:
        return self.platform or f"{sysconfig.get_platform()} ({platform.system()}, build machine)"

    def pip_args(self) -> list[str]:
        args = ["--only-binary=:all:"]
        if self.platform is not None:
            for tag in PLATFORMS[self.platform]:
                args += ["--platform", tag]
            args += ["--implementation", "cp"]
        if self.platform is not None or self.python != native_python():
            args += ["--python-version", self.python]
        return args


def native_python() -> str:
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def resolve_target(platform_name: str | None, python: str | None) -> Target:
    if platform_name in (None, "", "native"):
        chosen = None
    elif platform_name in PLATFORMS:
        chosen = platform_name
    else:
        names = ", ".join(["native", *PLATFORMS])
        raise BundleError(f"unknown platform {platform_name!r}; one of {names}")
    version = python or native_python()
    match = re.fullmatch(r"3\.(\d+)", version)
    if not match or (3, int(match.group(1))) < OLDEST_PYTHON:
        raise BundleError(f"unsupported Python version {version!r}; 3.11 or later, e.g. 3.12")
    return Target(chosen, version)


def run(command: list[str], what: str) -> None:
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise BundleError(f"{what} failed (exit {result.returncode}); see the output above")


def build_wheel(outdir: Path) -> Path:
    """Our wheel, built from this checkout (the guide data is force-included)."""
    if importlib.util.find_spec("build") and importlib.util.find_spec("hatchling"):
        command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir"]
    else:
        # pip builds in an isolated environment and fetches hatchling from the index.
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", str(ROOT), "--wheel-dir"]
    run([*command, str(outdir)], "building the wheel")
    wheels = sorted(outdir.glob("guide_wizard-*.whl"))
    if len(wheels) != 1:
        raise BundleError(f"expected one guide_wizard wheel in {outdir}, found {len(wheels)}")
    return wheels[0]


def download(
    wheel: Path, target: Target, dest: Path, find_links: list[Path], no_index: bool
) -> None:
    """Our wheel and its whole dependency tree as wheels for `target`, into `dest`."""
    command = [sys.executable, "-m", "pip", "download", "--dest", str(dest), *target.pip_args()]
    if no_index:
        command.append("--no-index")
    for folder in find_links:
        command += ["--find-links", str(folder)]
    run([*command, str(wheel)], "downloading the dependency wheels")


_PLATFORM_MARKER = re.compile(r"sys_platform|platform_system|os_name|platform_machine")


def platform_dependent_requirements(folder: Path) -> list[str]:
    """Requirements pip decided by *this* machine's platform markers, not the target's.

    pip download evaluates `sys_platform`-like markers against the machine it runs on, so a
    dependency only Windows needs would be missing from a Windows bundle built on Linux.
    """
    found: list[str] = []
    for wheel in sorted(folder.glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            names = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
            metadata = archive.read(names[0]).decode("utf-8", "replace") if names else ""
        for line in metadata.splitlines():
            if (
                line.startswith("Requires-Dist:")
                and _PLATFORM_MARKER.search(line)
                and "extra ==" not in line
            ):
                found.append(f"{wheel.name}: {line.removeprefix('Requires-Dist:').strip()}")
    return found


def version_of(wheel: Path) -> str:
    return wheel.name.split("-")[1]


def write_templates(dest: Path, target: Target, version: str) -> None:
    major, minor = target.python.split(".")
    values = {
        "@VERSION@": version,
        "@PLATFORM@": target.description,
        "@PY_VERSION@": target.python,
        "@PY_MAJOR@": major,
        "@PY_MINOR@": minor,
    }
    for template in sorted(TEMPLATES.iterdir()):
        text = template.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(key, value)
        leftover = re.findall(r"@[A-Z_]+@", text)
        if leftover:
            raise BundleError(f"{template}: unknown placeholder {leftover[0]}")
        path = dest / template.name
        # A BOM lets Windows Notepad of any age read the Chinese text as UTF-8.
        encoding = "utf-8-sig" if template.suffix == ".txt" else "utf-8"
        newline = "\r\n" if template.suffix in (".txt", ".bat", ".ps1") else "\n"
        with path.open("w", encoding=encoding, newline=newline) as handle:
            handle.write(text.replace("\r\n", "\n"))
        if template.suffix == ".sh":
            path.chmod(0o755)


def write_manifest(dest: Path, target: Target, version: str) -> None:
    wheels = sorted(p.name for p in dest.glob("*.whl"))
    manifest = {
        "project": PROJECT,
        "version": version,
        "platform": target.platform or "native",
        "platform_description": target.description,
        "python": target.python,
        "wheels": wheels,
    }
    (dest / MARKER).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    sums = []
    for path in sorted(dest.iterdir()):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            sums.append(f"{digest}  {path.name}\n")
    (dest / "SHA256SUMS.txt").write_text("".join(sums), encoding="utf-8")


def check_replaceable(dest: Path) -> None:
    """Only an earlier bundle or an empty folder may be replaced (BUNDLE=~ must not wipe home)."""
    if not (dest.exists() or dest.is_symlink()):
        return
    if dest.is_symlink() or not dest.is_dir():
        raise BundleError(f"{dest}: exists and is not a folder; not replaced")
    if any(dest.iterdir()) and not (dest / MARKER).is_file():
        raise BundleError(f"{dest}: not empty and not a bundle (no {MARKER}); not replaced")


def replace_folder(staging: Path, dest: Path) -> None:
    """Move the finished bundle into place."""
    check_replaceable(dest)
    if dest.exists():
        shutil.rmtree(dest)
    os.replace(staging, dest)


def make_bundle(
    dest: Path,
    target: Target,
    *,
    wheel: Path | None = None,
    find_links: list[Path] | None = None,
    no_index: bool = False,
) -> Path:
    dest = dest.resolve()
    check_replaceable(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Build next to the destination so the final move is one rename and a failed run leaves
    # the previous bundle untouched.
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a bundle is meant to be shared
    try:
        with tempfile.TemporaryDirectory() as scratch:
            built = wheel if wheel is not None else build_wheel(Path(scratch))
            download(built, target, staging, find_links or [], no_index)
        if target.platform is not None:
            for requirement in platform_dependent_requirements(staging):
                print(f"bundle: warning: check by hand for {target.platform}: {requirement}")
        version = version_of(built)
        write_templates(staging, target, version)
        write_manifest(staging, target, version)
        replace_folder(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return dest


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bundle.py", description="Build an offline installation bundle of guide-wizard."
    )
    parser.add_argument(
        "--dest", type=Path, default=ROOT / "dist" / "bundle", help="default dist/bundle"
    )
    parser.add_argument(
        "--platform",
        metavar="NAME",
        help=f"native (default: this machine) or one of {', '.join(PLATFORMS)}",
    )
    parser.add_argument(
        "--python-version", metavar="X.Y", help="target Python, e.g. 3.12 (default: this one)"
    )
    parser.add_argument(
        "--wheel", type=Path, help="use this guide-wizard wheel instead of building"
    )
    parser.add_argument(
        "--find-links",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also look for wheels here (repeatable)",
    )
    parser.add_argument(
        "--no-index", action="store_true", help="only --find-links folders, no package index"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        target = resolve_target(args.platform, args.python_version)
        if args.wheel is not None and not args.wheel.is_file():
            raise BundleError(f"{args.wheel}: no such wheel")
        dest = make_bundle(
            args.dest,
            target,
            wheel=args.wheel.resolve() if args.wheel else None,
            find_links=[p.resolve() for p in args.find_links],
            no_index=args.no_index,
        )
    except BundleError as exc:
        print(f"bundle: {exc}", file=sys.stderr)
        return 2
    wheels = sorted(dest.glob("*.whl"))
    size = folder_size(dest)
    print(f"bundle: {dest}")
    print(f"  {target.description}, Python {target.python}")
    print(f"  {len(wheels)} wheels, {size / 1024 / 1024:.1f} MiB")
    print(f"  install: pip install --no-index --find-links {dest} {PROJECT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
