"""geodata/files.py: derived files written whole, and built folders published whole."""

from __future__ import annotations

import pytest

from geodata.files import atomic_copy, atomic_write_bytes, publish_dir

MARK = "COMPLETE"


def _build(path, text: str, complete: bool = True):
    path.mkdir()
    (path / "data.txt").write_text(text, encoding="utf-8")
    if complete:
        (path / MARK).write_text("", encoding="utf-8")
    return path


def test_a_finished_build_is_published(tmp_path):
    work, final = _build(tmp_path / ".work", "new"), tmp_path / "final"
    publish_dir(work, final, MARK)
    assert (final / "data.txt").read_text(encoding="utf-8") == "new" and not work.exists()


def test_a_half_built_folder_is_replaced(tmp_path):
    final = _build(tmp_path / "final", "interrupted", complete=False)
    publish_dir(_build(tmp_path / ".work", "new"), final, MARK)
    assert (final / "data.txt").read_text(encoding="utf-8") == "new" and (final / MARK).is_file()


def test_a_concurrent_builds_finished_folder_is_kept(tmp_path):
    final = _build(tmp_path / "final", "first")
    work = _build(tmp_path / ".work", "second")
    publish_dir(work, final, MARK)  # the rename fails (final is a full folder): no error
    assert (final / "data.txt").read_text(encoding="utf-8") == "first"
    assert work.is_dir()  # left for the caller to remove


def test_any_other_failure_is_raised(tmp_path):
    work = _build(tmp_path / ".work", "new")
    with pytest.raises(FileNotFoundError):
        publish_dir(work, tmp_path / "no-such-folder" / "final", MARK)


def test_atomic_writes_leave_no_temporary(tmp_path):
    target = tmp_path / "out.bin"
    atomic_write_bytes(target, b"abc")
    atomic_copy(target, tmp_path / "copy.bin")
    assert (tmp_path / "copy.bin").read_bytes() == b"abc"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.bin", "out.bin"]
