"""The name index's tries (geodata/geoparse/trie.py) and the compiled scan that walks them
(geodata/geoparse/_trie.pyx): the same keys as pyahocorasick's automaton, the same matches as
the pure-Python scan, and no read past a damaged table."""

from __future__ import annotations

import os
import random
from array import array

import pytest

from geodata.geoparse import compiled, recognition
from geodata.geoparse.evaluate import seed_documents, trap_documents
from geodata.geoparse.index import KLEN_BITS, default_index
from geodata.geoparse.trie import build_trie, trie_get

HOT = compiled.load_hot()
needs_hot = pytest.mark.skipif(HOT is None and os.environ.get("CI") != "true",
                               reason="the compiled hot path is not built (pip install -e .)")


def test_a_small_trie_holds_its_keys_and_nothing_else():
    items = {" alma ata ": 5, " alma ": 7, " almaty ": 9, " a b ": 3, " астана ": 11}
    nodes = build_trie(items)
    for key, value in items.items():
        assert trie_get(nodes, key) == value
    for other in (" alm ", " alma", " almaty  ", " астан ", "", " "):
        assert trie_get(nodes, other) == 0
    # breadth first, children in code-point order: the root's one child, then " a" and " а"
    assert [nodes[4 * n + 2] for n in range(4)] == [0, ord(" "), ord("a"), ord("а")]
    assert len(nodes) // 4 == 1 + len({k[:d] for k in items for d in range(1, len(k) + 1)})


def test_random_tries_hold_their_keys_breadth_first():
    rng = random.Random(7)  # a fixed seed: the same key sets every run
    for _ in range(200):
        items = {"".join(rng.choice(" abé𝐀") for _ in range(rng.randint(1, 7))): rng.randint(1, 2**32 - 1)
                 for _ in range(rng.randint(0, 40))}
        nodes = build_trie(items)
        prefixes = sorted({k[:d] for k in items for d in range(1, len(k) + 1)}, key=lambda p: (len(p), p))
        assert len(nodes) // 4 == 1 + len(prefixes)
        assert [nodes[4 * n + 2] for n in range(1, len(prefixes) + 1)] == [ord(p[-1]) for p in prefixes]
        for prefix in prefixes:
            assert trie_get(nodes, prefix) == items.get(prefix, 0), prefix


def test_the_index_trie_holds_every_automaton_key_with_its_value():
    index = default_index()
    keys = list(index.automaton.keys())
    for key in keys[::97] + [" almaty ", " kazakh ", " alma ata "]:
        assert trie_get(index.trie, key) == index.automaton.get(key), key
    assert index.automaton.get_stats()["nodes_count"] == len(index.trie) // 4


def test_the_lower_case_trie_holds_the_keys_that_may_count_without_a_capital():
    index = default_index()
    almaty = index.automaton.get(" almaty ")
    assert trie_get(index.trie_lower, " almaty ") == almaty
    assert recognition.lower_case_ok(index, almaty >> KLEN_BITS)
    assert trie_get(index.trie_lower, " eastern kazakhstan ") == index.automaton.get(" eastern kazakhstan ", 0)
    assert trie_get(index.trie_lower, " paris ") == 0 and index.automaton.get(" paris ", 0)


@needs_hot
def test_the_compiled_scan_finds_what_the_automaton_finds():
    index = default_index()
    texts = [*seed_documents().values(), *trap_documents()[0].values(),
             "PROTESTS IN ALMATY\nprotests in almaty, eastern Kazakhstan and Alma-Ata. Астана",
             # folded as it is read: the text's ends, quotes and dashes, letters with accents, other scripts,
             # a character outside the BMP that folds to an ASCII letter, digits around names
             "Almaty", "«Алматы»—Taraz’s Ålesund, Zürich;Shymkent", "𝐀lmaty and Almaty𝐀 Taraz", "2Almaty Aktau2 Aktau"]
    for text in texts:
        expected = [(start << 10) | (1023 + neg) for start, neg in recognition._matches(text, index)]
        assert HOT.matches(text, index, recognition) == expected


class _Damaged:
    """An index whose tries point past their ends."""

    def __init__(self, index):
        self.automaton = index.automaton
        bad = array("I", index.trie[:4 * 1000])  # the first thousand nodes: their children are beyond
        self.trie = self.trie_lower = bad


@needs_hot
def test_a_damaged_trie_ends_walks_instead_of_reading_past_it():
    index = _Damaged(default_index())
    text = "Protests in Almaty and Aktau. " * 50
    found = HOT.matches(text, index, recognition)
    assert isinstance(found, list)
    with pytest.raises(ValueError, match="not whole"):
        index.trie = index.trie_lower = array("I", [1, 1, 0])
        HOT.matches(text, index, recognition)
