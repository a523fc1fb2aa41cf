"""Reading input text: encodings named only when the bytes say so, limits that say how to raise them."""

from __future__ import annotations

import pytest

from geodata.errors import InputError
from geodata.geoparse.textinput import decode_text, looks_cp1251, read_text_input


@pytest.mark.parametrize(
    "text, encoding, cyrillic",
    [("Протесты в Алматы и Жанаозене", "cp1251", True),
     ("Протесты в Almaty и Zhanaozen", "cp1251", True),
     ("Café in Almaty", "latin-1", False),
     ("Ürümqi, Zürich and Kraków’s café", "cp1252", False),
     ("Straße nach Öskemen", "latin-1", False)],
)
def test_looks_cp1251(text, encoding, cyrillic):
    assert looks_cp1251(text.encode(encoding)) is cyrillic


def test_latin1_is_not_called_cyrillic(tmp_path):
    f = tmp_path / "latin1.txt"
    f.write_bytes("Café in Almaty".encode("latin-1"))
    with pytest.raises(InputError) as exc:
        read_text_input(str(f))
    msg = str(exc.value)
    assert "Cyrillic" not in msg and "cp1251" not in msg
    assert "not valid UTF-8 at byte 3" in msg and "iconv -f <its encoding> -t utf-8" in msg and str(f) in msg


def test_cp1251_hint_names_the_file(tmp_path):
    f = tmp_path / "cyr.txt"
    f.write_bytes("Протесты в Алматы".encode("cp1251"))
    with pytest.raises(InputError, match=r"Windows Cyrillic \(cp1251\): iconv -f cp1251 -t utf-8 .*cyr\.txt"):
        read_text_input(str(f))


def test_size_limit_says_how_to_raise_it(tmp_path):
    f = tmp_path / "big.txt"
    f.write_bytes(b"Almaty " * 20)
    with pytest.raises(InputError, match=r"larger than 100 bytes; .*--max-bytes N"):
        read_text_input(str(f), max_bytes=100)
    assert read_text_input(str(f), max_bytes=140).startswith("Almaty")


def test_utf32_is_refused_with_the_command(tmp_path):
    f = tmp_path / "u32.txt"
    f.write_bytes("Almaty".encode("utf-32"))
    with pytest.raises(InputError, match="iconv -f utf-32 -t utf-8"):
        read_text_input(str(f))


@pytest.mark.parametrize(
    "data, expected",
    [("Алматы and Almaty".encode("utf-8"), "Алматы and Almaty"),
     ("\ufeffAlmaty".encode("utf-8"), "Almaty"),
     ("Almaty, Алматы".encode("utf-16"), "Almaty, Алматы"),
     ("Almaty".encode("utf-16-be").join([b"\xfe\xff", b""]), "Almaty")],
)
def test_read_text_input_decodes(tmp_path, data, expected):
    f = tmp_path / "in.txt"
    f.write_bytes(data)
    assert read_text_input(str(f)) == expected


@pytest.mark.parametrize(
    "data, message",
    [(b"\x00\x01binary\x00", "NUL"),
     ("Протесты в Алматы и Жанаозене продолжаются".encode("cp1251"), "iconv -f cp1251 -t utf-8"),
     (b"   \n\t", "empty"),
     (b"", "empty"),
     (b"x" * 101, "larger than 100")],
)
def test_read_text_input_refuses(tmp_path, data, message):
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    with pytest.raises(InputError) as exc:
        read_text_input(str(f), max_bytes=100)
    msg = str(exc.value)
    assert message in msg and str(f) in msg and "\n" not in msg


def test_read_text_input_cp1251_is_named(tmp_path):
    f = tmp_path / "cyr.txt"
    f.write_bytes("Протесты в Алматы".encode("cp1251"))
    with pytest.raises(InputError, match="Windows Cyrillic"):
        read_text_input(str(f))


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_read_text_input_bad_paths(tmp_path, kind):
    path = tmp_path / "nope.txt" if kind == "missing" else tmp_path
    with pytest.raises(InputError, match=str(path)):
        read_text_input(str(path))


@pytest.mark.parametrize("data, message", [
    (b"\x00\x01binary", "looks binary"),
    ("Беспорядки в Алматы".encode("cp1251"), "cp1251"),
    (b"   \n", "is empty"),
    (b"a" * 2_000_001, "larger than 2,000,000 bytes"),
])
def test_bad_uploads_are_refused_in_one_line(data, message):
    with pytest.raises(InputError) as exc:
        decode_text(data, "up.txt", 2_000_000)
    assert message in str(exc.value) and "\n" not in str(exc.value) and str(exc.value).startswith("up.txt: ")
