"""The name index's keys as a trie in three flat integer arrays, which the compiled scan walks in C.

pyahocorasick finds the keys in folded text too, but its iterator follows failure links back
towards the root at every character to look for a key that ends there; it was a quarter of a
50 MB geoparse. Every key here is ``" name "`` (a space either side), so a key can only start
at a space of the folded text: walking the trie from each space, as far as the text follows
it, meets exactly the keys the automaton reports, with no failure links at all
(:mod:`geodata.geoparse._trie`). The pure-Python geoparser keeps the automaton; both give the
same matches (tests/geoparse/test_trie.py).

Layout: one ``array("I")`` of four numbers a node, nodes numbered breadth first (the root is
node 0, a node's children contiguous and in code-point order), so that one step of a walk
reads the node's record and its children's, side by side, instead of four arrays far apart:

* ``first``, ``end``: the children of the node are nodes ``first`` .. ``end - 1``;
* ``label``: the character (code point) on the edge into the node;
* ``value``: the value of the key that ends at the node, or 0 (a value is
  ``name_id << KLEN_BITS | key length``, never 0: every key has two letters or more).

The array goes into the name-index cache as raw bytes (:mod:`geodata.geoparse.index`); the
compiled scan checks every node number it follows against the array's length, so even a damaged
table cannot make it read out of bounds.
"""

from __future__ import annotations

from array import array

__all__ = ["build_trie", "trie_get"]


def build_trie(items: dict[str, int]) -> array:
    """The trie of the keys and values of ``items`` (see the module docstring).

    Parameters
    ----------
    items : dict of str to int
        Key -> value; values must be positive and below 2**32.

    Returns
    -------
    array
        ``array("I")``, four numbers a node: first child, end of the children, label, value.

    Notes
    -----
    Built level by level from the sorted keys, with no node objects: the prefixes of length
    ``d`` of sorted keys come out sorted, and sorted prefixes are breadth-first order within a
    level (a parent's children follow its place among its own level's prefixes). A trie of
    dicts for the index's million nodes would hold hundreds of MB while it is built.
    """
    first, label, value = array("I", [1]), array("I", [0]), array("I", [0])
    prev: list[str] = [""]  # the previous level's prefixes, in node order
    alive = sorted(k for k in items if k)  # the keys at least as long as the level
    depth = 1
    while alive:
        level: list[str] = []
        for key in alive:
            prefix = key[:depth]
            if level and level[-1] == prefix:
                continue  # a shorter key sorts before the longer ones it begins, so its value is set
            level.append(prefix)
            label.append(ord(prefix[-1]))
            value.append(items[key] if len(key) == depth else 0)
        # first[] of the previous level: where each parent's run of children starts
        counts = [0] * len(prev)
        j = 0
        for prefix in level:
            parent = prefix[:-1]
            while prev[j] != parent:
                j += 1
            counts[j] += 1
        at = len(label) - len(level)  # the id of this level's first node
        if depth > 1:
            for n in counts:
                first.append(at)
                at += n
        alive = [k for k in alive if len(k) > depth]
        prev = level
        depth += 1
    while len(first) < len(label) + 1:  # the last level's nodes (leaves) and the end marker
        first.append(len(label))
    nodes = array("I", bytes(16 * len(label)))
    nodes[0::4], nodes[1::4], nodes[2::4], nodes[3::4] = first[:-1], first[1:], label, value
    return nodes


def trie_get(nodes: array, key: str) -> int:
    """The value of ``key`` in the trie, or 0 if it is not a key (a slow reference, for tests)."""
    node = 0
    for ch in key:
        code = ord(ch)
        for child in range(nodes[4 * node], nodes[4 * node + 1]):
            if nodes[4 * child + 2] == code:
                node = child
                break
        else:
            return 0
    return nodes[4 * node + 3]
