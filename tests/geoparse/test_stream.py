"""Streaming geoparse: the same bytes as the whole-file JSON Lines, in blocks, and the same input errors."""

import io
from pathlib import Path

import pytest

from geodata.errors import InputError
from geodata.geoparse import read_text_input, write_json_lines
from geodata.geoparse.stream import stream_json_lines

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def whole(path: Path, **kw) -> str:
    out = io.StringIO()
    write_json_lines(read_text_input(str(path)), out, **kw)
    return out.getvalue()


def streamed(path: Path, **kw) -> str:
    out = io.StringIO()
    n = stream_json_lines(path, out, **kw)
    assert n == out.getvalue().count("\n")
    return out.getvalue()


@pytest.fixture(scope="module")
def seeds_text(tmp_path_factory) -> Path:
    """All five seeds in one file: a document whose context comes from every part of it."""
    path = tmp_path_factory.mktemp("stream") / "seeds.txt"
    path.write_text("\n\n".join(read_text_input(str(p)) for p in SEEDS), encoding="utf-8")
    return path


@pytest.mark.parametrize("block_chars", [1_000, 5_000, 40_000, 10**7])
@pytest.mark.parametrize("sentences", [True, False])
def test_blocks_give_the_whole_file_bytes(seeds_text, block_chars, sentences):
    assert streamed(seeds_text, block_chars=block_chars, sentences=sentences) == whole(seeds_text, sentences=sentences)


def test_context_from_far_away_decides(tmp_path):
    # "Petropavlovsk" alone is Petropavlovsk-Kamchatsky's namesake question; the Kazakh places at the end
    # of the file, blocks away, make it Petropavl, as in the whole-file parse.
    path = tmp_path / "far.txt"
    filler = "\n\n".join("Nothing happened here today." for _ in range(200))
    path.write_text(f"Crowds gathered in Petropavlovsk.\n\n{filler}\n\nAlmaty, Aktobe, Kostanay and Shymkent "
                    "also saw protests in Kazakhstan.\n", encoding="utf-8")
    assert streamed(path, block_chars=300) == whole(path)
    assert '"id": "gn:1520172"' in streamed(path, block_chars=300)


def test_text_without_blank_lines_and_crlf(tmp_path, seeds_text):
    text = seeds_text.read_text(encoding="utf-8")
    one_block_per_line = tmp_path / "lines.txt"
    one_block_per_line.write_text(text.replace("\n\n", "\n"), encoding="utf-8")
    assert streamed(one_block_per_line, block_chars=2_000) == whole(one_block_per_line)
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert streamed(crlf, block_chars=2_000) == whole(crlf)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_marks(tmp_path, encoding):
    path = tmp_path / "bom.txt"
    path.write_bytes("Protests in Zhanaozen spread to Almaty.\n\nTroops came from Russia.\n".encode(encoding))
    assert streamed(path, block_chars=10) == whole(path)


@pytest.mark.parametrize("data, expect", [
    (b"", "is empty"),
    (b"  \n\n \n", "is empty"),
    (b"abc\x00def", "looks binary"),
    ("Протесты в Алматы продолжались.".encode("cp1251"), "cp1251"),
    (b"\xff\xfe\x00\x00a\x00\x00\x00", "UTF-32"),
])
def test_bad_input_is_one_line_and_nothing_is_written(tmp_path, data, expect):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    out = io.StringIO()
    with pytest.raises(InputError, match=expect) as info:
        stream_json_lines(path, out)
    assert out.getvalue() == "" and "\n" not in str(info.value)
    with pytest.raises(InputError, match=expect):  # the same reason as the whole-file reader
        read_text_input(str(path))


def test_invalid_utf8_deep_in_the_file_names_its_byte(tmp_path):
    path = tmp_path / "late.txt"
    data = b"Almaty.\n\n" * 200_000 + b"\xff"
    path.write_bytes(data)
    with pytest.raises(InputError, match=f"byte {len(data) - 1}"):
        stream_json_lines(path, io.StringIO())
    with pytest.raises(InputError, match=f"byte {len(data) - 1}"):
        read_text_input(str(path))
