"""Hostile and careless command lines: strict options, all-or-nothing export, one line for every error."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geodata.catalogue import CATALOGUE_DIR, read_tables
from geodata.errors import DataError, InputError
from geodata.geoparse.textinput import decode_text
from geodata.writers import export
from tests.conftest import CliResult, run_cli

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_971d1b4a5d098b73.txt"
LAYERS = ["events", "troops", "figures", "places", "borders", "claims"]


def run(*args, stdout=subprocess.PIPE, timeout=120):
    """A real ``python -m geodata`` process: for what could hang or must write to a real file
    (a FIFO, a device, stdout on /dev/full); the rest runs in-process (``run_cli``)."""
    return subprocess.run([sys.executable, "-m", "geodata", *args], stdout=stdout, stderr=subprocess.PIPE,
                          cwd=ROOT, timeout=timeout)


def one_line(r, status, *needles):
    """``r`` (a process or a ``run_cli`` result) ended with ``status`` and one line on stderr holding every needle."""
    if isinstance(r, CliResult):
        err, code = r.stderr, r.code
    else:
        err, code = r.stderr.decode("utf-8"), r.returncode
    assert code == status, err
    lines = [line for line in err.splitlines() if not line.startswith("usage:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    for n in needles:
        assert n in err, err
    return err


# --- 4: options ------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["-5", "0", "-2", "99999999999999999999", "ten", "1e9"])
def test_max_bytes_out_of_range_is_a_usage_error(value):
    one_line(run_cli("geoparse", "--max-bytes", value, str(SEED)), 2, "--max-bytes")


def test_max_bytes_on_a_device_is_refused_not_read(tmp_path):
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    one_line(run("geoparse", str(link), timeout=30), 1, "device")
    one_line(run("geoparse", "--max-bytes", "-2", str(link), timeout=30), 2)


def test_fifo_without_a_writer_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    one_line(run("geoparse", str(fifo), timeout=30), 1, "FIFO", "geoparse - <")


@pytest.mark.parametrize("bad, needle", [("nosuchtype", "unknown event type"), ("protst", "did you mean protest")])
def test_unknown_event_type_is_refused_like_an_unknown_source(tmp_path, bad, needle):
    out = tmp_path / "out"
    one_line(run_cli("export", str(out), "--type", bad), 1, needle)
    assert not out.exists()


# --- 3: export, all or nothing ---------------------------------------------------------------

@pytest.mark.parametrize("options", [["--from", "2022-02-30"], ["--source", "nosuch"],
                                     ["--from", "2022-01-10", "--to", "2022-01-05"], ["--type", "nosuchtype"]])
def test_bad_export_options_create_nothing(tmp_path, options):
    out = tmp_path / "new" / "folder"
    one_line(run_cli("export", str(out), *options), 1)
    assert not (tmp_path / "new").exists()


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_failed_export_leaves_the_folder_byte_identical(tmp_path):
    export(tmp_path, date_from="2022-01-05", date_to="2022-01-05")
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "claims.geojson").unlink()
    (tmp_path / "claims.geojson").mkdir()  # the last target cannot be replaced
    before = _digests(tmp_path)
    with pytest.raises(InputError, match="claims.geojson"):
        export(tmp_path)  # another filter: every file would change
    assert _digests(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*before, "claims.geojson"])  # no temporaries left


def test_export_that_cannot_write_changes_nothing(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    export(tmp_path, date_from="2022-01-05", date_to="2022-01-05")
    before = _digests(tmp_path)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(InputError, match="nothing in"):
            export(tmp_path)
    finally:
        tmp_path.chmod(0o755)
    assert _digests(tmp_path) == before


def test_successful_export_replaces_every_file_and_keeps_others(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    paths = export(tmp_path, types=["protest"])
    assert {f"{n}.geojson" for n in LAYERS} <= {p.name for p in paths}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*(p.name for p in paths), "notes.txt"])


# --- 7: smaller ------------------------------------------------------------------------------

def test_full_disk_is_one_line_and_non_zero():
    with open("/dev/full", "wb") as full:
        r = run("claims", stdout=full)
    one_line(r, 1, "No space left on device")


def test_geocode_echoes_a_long_name_shortened():
    r = run_cli("geocode", "A" * 10_000)
    err = one_line(r, 1, "10,000 characters")
    assert len(err) < 400


def test_catalogue_with_invalid_utf8_is_one_line(tmp_path):
    for f in CATALOGUE_DIR.glob("*.toml"):
        shutil.copy(f, tmp_path / f.name)
    with (tmp_path / "events.toml").open("ab") as fh:
        fh.write(b"\n# \xff\xfe broken\n")
    with pytest.raises(DataError) as exc:
        read_tables(tmp_path)
    assert "events.toml" in str(exc.value) and "UTF-8" in str(exc.value) and "\n" not in str(exc.value)


@pytest.mark.parametrize("data, needle", [
    (b"Protests in Almaty and Taraz spread.\xff\xfe\x80\x81 more text here", "not valid UTF-8 at byte 36"),
    ("Protests in Almaty and Taraz".encode("utf-16-le"), "UTF-16LE without a byte-order mark"),
    ("Protests in Almaty and Taraz".encode("utf-16-be"), "UTF-16BE without a byte-order mark"),
    ("Протесты в Алматы и Таразе".encode("cp1251"), "cp1251"),
    (bytes(range(256)) * 4, "binary"),
])
def test_encodings_are_named_honestly(data, needle):
    with pytest.raises(InputError) as exc:
        decode_text(data, "a.txt")
    assert needle in str(exc.value) and "\n" not in str(exc.value)
