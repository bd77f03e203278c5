"""The submission package (wizard.pack): what goes in, when packing refuses, and what
verifying finds — a changed attachment named, a crafted zip never written out."""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from tests.factories import clean_draft
from wizard.draft import Draft
from wizard.guide import Guide, load_guide
from wizard.pack import (
    MANIFEST,
    Package,
    PackError,
    build_package,
    unsafe_name,
    verify_package,
)
from wizard.store import load_draft, save_draft


@pytest.fixture(scope="module")
def guide() -> Guide:
    return load_guide(None)


def write_folder(tmp_path: Path, guide: Guide, code: str = "1.6") -> tuple[Path, Draft]:
    """A clean draft with its attachments on disk, recorded with their real hashes."""
    draft = clean_draft(guide, code)
    for i, item in enumerate(draft.attachments):
        data = f"%PDF-1.4 scan {i} of {item.key}\n".encode()
        target = tmp_path / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        item.sha256 = hashlib.sha256(data).hexdigest()
        item.size = len(data)
    path = tmp_path / "proj.toml"
    save_draft(draft, path)
    return path, draft


def html_stub(draft: Draft, guide: Guide, lang: str) -> str:
    """The HTML export's place in the package (the real one: test_real_html_export)."""
    return f"<!DOCTYPE html><title>{draft.project.title}</title>\n"


def pack(path: Path, guide: Guide, allow_errors: bool = False) -> Package:
    return build_package(path, guide, allow_errors=allow_errors, html=html_stub)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def test_package_holds_draft_attachments_exports_and_manifest(tmp_path: Path, guide: Guide) -> None:
    path, draft = write_folder(tmp_path, guide)
    package = pack(path, guide)
    files = members(package.data)
    assert draft.attachments
    expected = {"proj.toml", "proj.docx", "proj.html", MANIFEST} | {
        a.path for a in draft.attachments
    }
    assert set(files) == expected
    assert files["proj.toml"] == path.read_bytes()
    assert files["proj.docx"][:2] == b"PK"
    manifest = json.loads(files[MANIFEST])
    assert manifest["guide"]["id"] == guide.id and manifest["direction"] == "1.6"
    assert manifest["wizard"]
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == expected - {MANIFEST}
    for name, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(files[name]).hexdigest()
        assert entry["size"] == len(files[name])
    assert manifest["rules"]["counts"]["error"] == 0
    assert isinstance(manifest["rules"]["violations"], list)


def test_same_input_same_bytes(tmp_path: Path, guide: Guide) -> None:
    path, _ = write_folder(tmp_path, guide)
    assert pack(path, guide).data == pack(path, guide).data
    with zipfile.ZipFile(io.BytesIO(pack(path, guide).data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_refuses_while_errors_remain_unless_allowed(tmp_path: Path, guide: Guide) -> None:
    path, draft = write_folder(tmp_path, guide)
    draft.project.title = ""
    save_draft(draft, path)
    with pytest.raises(PackError) as caught:
        pack(path, guide)
    message = str(caught.value)
    assert "error" in message and "--allow-errors" in message
    assert "project.title" in message
    package = pack(path, guide, allow_errors=True)
    assert package.manifest["rules"]["counts"]["error"] >= 1
    assert any(v["path"] == "project.title" for v in package.manifest["rules"]["violations"])


def test_refuses_a_missing_or_changed_attachment_and_names_it(tmp_path: Path, guide: Guide) -> None:
    path, draft = write_folder(tmp_path, guide)
    first, second = draft.attachments[0].path, draft.attachments[1].path
    (tmp_path / first).write_bytes(b"another scan")
    (tmp_path / second).unlink()
    with pytest.raises(PackError) as caught:
        pack(path, guide, allow_errors=True)
    details = caught.value.details
    assert any(d.startswith(first) and "changed" in d for d in details)
    assert any(d.startswith(second) and "missing" in d for d in details)


def test_verify_round_trip_names_the_changed_attachment(tmp_path: Path, guide: Guide) -> None:
    path, draft = write_folder(tmp_path, guide)
    data = pack(path, guide).data
    found = verify_package(data, guide)
    assert found.ok, found
    assert found.counts_now == found.counts_then
    # One attachment swapped inside the package after packing.
    changed = draft.attachments[0].path
    files = members(data)
    files[changed] = b"%PDF-1.4 a different scan\n"
    files["extra.txt"] = b"not listed"
    del files["proj.html"]
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    found = verify_package(rebuilt.getvalue(), guide)
    assert not found.ok
    assert found.changed == [changed]
    assert found.missing == ["proj.html"]
    assert found.extra == ["extra.txt"]


def test_verify_reruns_the_rules_on_the_packed_draft(tmp_path: Path, guide: Guide) -> None:
    path, _ = write_folder(tmp_path, guide)
    data = pack(path, guide).data
    files = members(data)
    text = files["proj.toml"].decode()
    assert 'title = "测试项目 1.6"' in text
    files["proj.toml"] = text.replace('title = "测试项目 1.6"', 'title = ""', 1).encode()
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    found = verify_package(rebuilt.getvalue(), guide)
    assert found.changed == ["proj.toml"]
    assert found.counts_then["error"] == 0
    assert found.counts_now["error"] >= 1
    assert any(v.path == "project.title" for v in found.violations)


def test_zip_slip_members_refused_and_nothing_written(tmp_path: Path, guide: Guide) -> None:
    path, _ = write_folder(tmp_path / "src", guide)
    files = members(pack(path, guide).data)
    crafted = io.BytesIO()
    with zipfile.ZipFile(crafted, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body)
        archive.writestr("../evil.txt", b"escaped")
        archive.writestr("/abs/evil.txt", b"escaped")
        archive.writestr("a/../../evil2.txt", b"escaped")
        archive.writestr("C:/evil.txt", b"escaped")
    work = tmp_path / "work"
    work.mkdir()
    before = sorted(p for p in tmp_path.rglob("*"))
    cwd = os.getcwd()
    os.chdir(work)
    try:
        found = verify_package(crafted.getvalue(), guide)
    finally:
        os.chdir(cwd)
    assert not found.ok
    named = " ".join(found.unsafe)
    for bad in ("../evil.txt", "/abs/evil.txt", "a/../../evil2.txt", "C:/evil.txt"):
        assert repr(bad) in named
    assert sorted(p for p in tmp_path.rglob("*")) == before
    assert not Path("/abs/evil.txt").exists()


@pytest.mark.parametrize(
    ("name", "why"),
    [("../x", "parent"), ("/x", "absolute"), ("a\\b", "backslash"), ("C:x", "drive"),
     ("", "empty"), ("ok/name.pdf", None)],
)  # fmt: skip
def test_unsafe_names(name: str, why: str | None) -> None:
    assert unsafe_name(name) == why


def test_not_a_zip(guide: Guide) -> None:
    found = verify_package(b"not a zip", guide)
    assert not found.ok and found.problems


def test_cli_pack_and_verify(
    tmp_path: Path,
    guide: Guide,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wizard import pack as packing
    from wizard.cli import main

    # The HTML member is wizard.export's (test_real_html_export); here the command's logic.
    monkeypatch.setattr(packing, "_default_html", html_stub)

    path, draft = write_folder(tmp_path, guide)
    assert main(["pack", str(path)]) == 0
    package = tmp_path / "proj.package.zip"
    assert str(package) in capsys.readouterr().out
    assert main(["pack", str(path)]) == 2  # not replaced without --force
    assert "already exists" in capsys.readouterr().err
    assert main(["pack", "--verify", str(package)]) == 0
    assert "完整" in capsys.readouterr().out
    # The attachment changed on disk: packing again refuses and names it.
    (tmp_path / draft.attachments[0].path).write_bytes(b"changed")
    assert main(["pack", str(path), "--force"]) == 2
    err = capsys.readouterr().err
    assert draft.attachments[0].path in err and "changed" in err
    # A package tampered with: verify names the member.
    files = members(package.read_bytes())
    files[draft.attachments[1].path] = b"tampered"
    with zipfile.ZipFile(package, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    assert main(["--lang", "en", "pack", "--verify", str(package)]) == 1
    out = capsys.readouterr().out
    assert f"changed since packing: {draft.attachments[1].path}" in out and "NOT intact" in out


def test_cli_export_docx(tmp_path: Path, guide: Guide, capsys: pytest.CaptureFixture[str]) -> None:
    from wizard.cli import main

    path, _ = write_folder(tmp_path, guide)
    assert main(["export", str(path), "--to", "docx"]) == 0
    written = tmp_path / "proj.docx"
    assert written.read_bytes()[:2] == b"PK"
    assert main(["export", str(path), "-o", str(tmp_path / "other.docx")]) == 0
    assert (tmp_path / "other.docx").read_bytes() == written.read_bytes()
    assert main(["export", str(path), "--to", "docx"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_real_html_export(tmp_path: Path, guide: Guide) -> None:
    """The package's HTML is wizard.export's, as `wizard export --to html` writes it."""
    from wizard.export import render_export

    path, _ = write_folder(tmp_path, guide)
    files = members(build_package(path, guide).data)
    packed = load_draft(path, guide)
    assert files["proj.html"] == render_export(packed, guide, "html", "zh").encode()
