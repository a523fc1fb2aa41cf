"""The compiled hot path (geodata/geoparse/_hotpath.pyx) against the pure-Python loops: the same bytes.

Both paths run in this process: ``compiled.hot`` is the compiled module or None, and the
geoparser looks it up on every call, so setting it to None runs the pure-Python reference.
Without a built extension the comparisons are skipped, except in CI (``CI=true``), where
``scripts/setup.sh`` must have built it.
"""

from __future__ import annotations

import io
import os
import random
import sys
from pathlib import Path

import pytest

from geodata.geoparse import compiled, read_text_input, write_json_lines
from geodata.geoparse.evaluate import seed_documents, trap_documents
from geodata.geoparse.stream import stream_json_lines

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from make_bench_corpus import build  # noqa: E402

HOT = compiled.load_hot()
needs_hot = pytest.mark.skipif(HOT is None and os.environ.get("CI") != "true",
                               reason="the compiled hot path is not built (pip install -e .)")

# What the per-hit loops decide on, each at least once: text ending on a name, possessives, "U.S.",
# regions, tails, an all-capitals line, lower-case wire copy, compass words, a sentence start, other scripts.
EDGES = [
    "Almaty",
    "Almaty’s airport closed. Almaty's roads too. Aktau airport, Taraz International Airport.",
    "The U.S. and the UK. U.S.\n\nUS troops.",
    "Aqmola and Qaraghandy regions; Zhambyl Oblast, Ivanovo Region; Almaty and the surrounding province.",
    "Kazakhstan TV reported. Oyan, Qazaqstan movement. Nur Otan party. Almaty City Hall.",
    "PROTESTS IN ALMATY AND ZHANAOZEN\nprotests in almaty and shymkent spread to eastern Kazakhstan",
    "RIOTS IN KAZAN AND LYON SPREAD TO SAMARA\nCalm in Kazan and Lyon. PROTESTS IN SEMEY, TARAZ AND TALDYKORGAN",
    "Reading is a town. Most of Almaty & Taraz. Emma Ashford said. (Almaty) “Taraz” [Aktobe]",
    "Протесты в Алматы. Алма-Ата. Almaty\u2028Taraz\tAktau\x01Atyrau",
    "x" * 50 + " Almaty " + "y" * 2000 + ". Petropavlovsk, Kazakhstan.",
]


def _both(fn):
    """``fn()`` with the compiled loops and with the pure-Python ones."""
    saved = compiled.hot
    try:
        compiled.hot = HOT
        fast = fn()
        compiled.hot = None
        pure = fn()
    finally:
        compiled.hot = saved
    return fast, pure


def _lines(text: str, **kw) -> str:
    out = io.StringIO()
    write_json_lines(text, out, **kw)
    return out.getvalue()


def test_the_environment_switches_the_compiled_path_off(monkeypatch):
    monkeypatch.setenv(compiled.PURE_PYTHON_ENV, "1")
    assert compiled.load_hot() is None
    monkeypatch.setenv(compiled.PURE_PYTHON_ENV, "0")
    assert compiled.load_hot() is HOT


def test_every_call_looks_the_compiled_module_up(monkeypatch):
    class Missing:  # a compiled module without its functions: each loop must ask it
        def __getattr__(self, name):
            raise RuntimeError(name)

    monkeypatch.setattr(compiled, "hot", Missing())
    with pytest.raises(RuntimeError, match="recognise"):
        _lines("Riots in Almaty.")


@needs_hot
def test_built_in_ci():
    assert HOT is not None, "the compiled hot path was not built: run pip install -e . (scripts/setup.sh)"


@needs_hot
@pytest.mark.parametrize("sentences", [True, False])
def test_seeds_traps_and_edges_give_the_same_bytes(sentences):
    docs, _ = trap_documents()
    docs.update(seed_documents())
    texts = list(docs.values()) + EDGES
    for text in texts:
        for context in (None, ["KZ"]):
            fast, pure = _both(lambda: _lines(text, context=context, sentences=sentences))
            assert fast == pure and pure


@needs_hot
def test_a_corpus_sample_gives_the_same_bytes():
    # 2 MB of the benchmark corpus, with its paragraphs re-joined at random: sentence starts,
    # line starts and tails meet the names in new ways.
    rng = random.Random(15)
    paras = build(2_000_000).split("\n\n")
    text = "".join(p + rng.choice(["\n\n", "\n", " ", ". ", ", and ", " regions\n"]) for p in paras)
    fast, pure = _both(lambda: _lines(text))
    assert fast == pure and fast.count("\n") > 15_000
    from geodata.geoparse.jsonlines import write_bytes
    from geodata.geoparse.parser import resolve_text

    def written(sentences: bool) -> bytes:
        out = io.BytesIO()
        write_bytes(out, text, mentions, sentences)
        return out.getvalue()

    mentions = resolve_text(text)
    for sentences in (True, False):
        fast_bytes, pure_bytes = _both(lambda: written(sentences))
        assert fast_bytes == pure_bytes == _lines(text, sentences=sentences).encode("utf-8")


@needs_hot
def test_streamed_blocks_give_the_same_bytes(tmp_path):
    path = tmp_path / "seeds.txt"
    path.write_text("\n\n".join(read_text_input(str(p)) for p in sorted((ROOT / "seeds").glob("*.txt"))),
                    encoding="utf-8")

    def streamed() -> str:
        out = io.StringIO()
        stream_json_lines(path, out, block_chars=5_000)
        return out.getvalue()

    def streamed_bytes() -> bytes:  # a binary stream gets the lines put together as bytes
        out = io.BytesIO()
        stream_json_lines(path, out, block_chars=5_000)
        return out.getvalue()

    fast, pure = _both(streamed)
    assert fast == pure == _lines(path.read_text(encoding="utf-8"))
    fast_bytes, pure_bytes = _both(streamed_bytes)
    assert fast_bytes == pure_bytes == fast.encode("utf-8")


@needs_hot
def test_sentence_cuts_on_random_punctuation():
    # The compiled cuts re-implement the sentence-end regexes (abbreviations, initials, closers,
    # a match's next search starting at its end): random strings of their ingredients, compared.
    from geodata.geoparse import sentences

    rng = random.Random(2022)
    pieces = [*"ab .!?…\n\t \"”’)]_1", "Dr", "U.S.", "Gen.", "xNo.", "é", "\u2028", "\u00a0", "St.", "!!", "?\n", ". "]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(5_000)]
    fast, pure = _both(lambda: [sentences._cuts(t) for t in texts])
    assert fast == pure


@needs_hot
def test_fold_on_random_letters():
    # The compiled fold patches non-ASCII letters and digits into the ASCII fold (accents off, case
    # folded, dashes and quotes as spaces): random strings of such characters, compared.
    from geodata.geoparse.recognition import fold

    rng = random.Random(7)
    chars = list("aZ?é É’ßİıſ\u212a1_-ёЖ\u0301x\u00a0“")
    texts = ["".join(rng.choice(chars) for _ in range(rng.randint(0, 60))) for _ in range(5_000)]
    fast, pure = _both(lambda: [fold(t) for t in texts])
    assert fast == pure and all(len(f) == len(t) for f, t in zip(fast, texts))


@needs_hot
def test_random_texts_of_names_tails_and_punctuation():
    # Names, the words that change them, capitals, case and punctuation thrown together at random:
    # every branch of the per-hit loops meets neighbours the seeds never give it.
    rng = random.Random(1522)
    pieces = ["Almaty", "ALMATY", "almaty", "Alma-Ata", "Taraz", "US", "U.S.", "UK", "Ufa", "Kazan", "LYON",
              "Petropavlovsk", "Zhambyl", "Aqmola", "Kazakh", "Russian", "Kazakhstan", "Nur Otan", "Emma Ashford",
              "eastern", "Central Asia", "Caspian Sea", "’s airport", "'s roads", " Region", " oblast", " regions",
              " International Airport", " TV", " Hall", " movement", " party", " and the surrounding province",
              " and", ", ", " & ", ". ", "! ", "? ", "…", "\n", "\n\n", "  ", " ", "“", "”", "(", ")", "-", "/",
              "the", "in", "The", "In", "Dr.", "Jan.", "é", "Алматы", "\u00a0", "\t", "x" * 30]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(3_000)]
    fast, pure = _both(lambda: [_lines(t) for t in texts])
    assert fast == pure and sum(map(len, pure)) > 0


def test_the_checks_before_the_tail_regexes_never_hide_a_match():
    # recognise() runs _TAIL and _REGION_AFTER only when the next letters could start a match: a word
    # added to either regex without its letters in those checks would be silently skipped. Every
    # word of both patterns, after a name, in several cases and with the endings the patterns allow.
    import re

    from geodata.geoparse import recognition as R

    words = set(re.findall(r"[A-Za-z]+", R._TAIL.pattern + R._REGION_AFTER.pattern))
    variants = {v for w in words for v in (w, w.lower(), w.upper(), w.capitalize())}
    texts = [f"Almaty {w}{end}" for w in sorted(variants)
             for end in ("", "-2", " 2", " No. 1", " plant", " station", " Tower", " regions", " surrounding region")]
    texts += [f"Almaty {a} {b} {c}" for a in ("and", "&", ",") for b in ("Taraz", "the") for c in ("regions", "oblast")]
    tails = regions = 0
    for text in texts:
        after, pair = text[7:8], text[7:9]
        if R._TAIL.match(text, 6):
            tails += 1
            assert after in R._TAIL_CAPITALS or pair in R._TAIL_PAIRS, text
        if R._REGION_AFTER.match(text, 6):
            regions += 1
            assert after in ",&" or after.isspace() or pair.lower() in R._REGION_FIRST, text
    assert tails > 50 and regions > 5
    if HOT is not None:
        fast, pure = _both(lambda: [_lines(t) for t in texts])
        assert fast == pure


@needs_hot
def test_capitalised_phrases_before_names_on_random_text():
    # The compiled twin of resolution._PREV_CAP (a capital, word characters, spaces or one "&",
    # then the name) reads the text backwards instead of searching it: random runs of its ingredients.
    rng = random.Random(7)
    parts = ["Almaty", "Taraz", " ", "  ", "&", " & ", "&&", "A", "b", "Emma", "in", "The", "’", "'", ".", "-", "_",
             "\n", "Ä", "x1", "US", "Kazakhstan", ", ", "É"]
    texts = ["".join(rng.choice(parts) for _ in range(rng.randint(1, 30))) for _ in range(400)]
    fast, pure = _both(lambda: [_lines(t) for t in texts])
    assert fast == pure and sum(map(len, fast)) > 10_000
