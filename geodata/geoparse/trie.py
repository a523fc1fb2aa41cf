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
    Built from the sorted keys with numpy, with no node objects (a trie of dicts for the index's
    million nodes would hold hundreds of MB while it is built). A node is a prefix, named by the
    first key that has it: key ``i`` has the nodes of its prefixes longer than the part it shares
    with key ``i - 1``. Sorted by (depth, key), the nodes come out breadth first with each
    parent's children contiguous and in code-point order, and a node's children are the next
    level's nodes from its own key on. (A level-by-level loop over the keys in Python gave the
    same array in four times the time: about 1 s of the index build.)
    """
    import numpy as np  # only a build needs it: a warm start of the geoparser does not load numpy

    keys = sorted(k for k in items if k)
    n = len(keys)
    lens = np.fromiter(map(len, keys), dtype=np.int64, count=n)
    values = np.fromiter((items[k] for k in keys), dtype=np.int64, count=n)
    chars = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)  # code points
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    shared = np.zeros(n, dtype=np.int64)  # how many leading characters key i shares with key i - 1
    pairs, depth = np.arange(1, n), 0
    while pairs.size:
        pairs = pairs[(lens[pairs - 1] > depth) & (lens[pairs] > depth)]
        pairs = pairs[chars[starts[pairs] + depth] == chars[starts[pairs - 1] + depth]]
        shared[pairs] += 1
        depth += 1
    news = lens - shared  # the nodes key i starts, at depths shared[i] + 1 .. lens[i]
    key = np.repeat(np.arange(n), news)
    depth_of = np.arange(key.size) - np.repeat(np.cumsum(news) - news, news) + shared[key] + 1
    order = np.argsort(depth_of, kind="stable")  # by depth, then by key: breadth first
    key = np.concatenate([[0], key[order]])  # the root first: depth 0
    depth_of = np.concatenate([[0], depth_of[order]])
    label = np.zeros(key.size, dtype=np.uint32)
    value = np.zeros(key.size, dtype=np.uint32)
    label[1:] = chars[starts[key[1:]] + depth_of[1:] - 1]
    value[1:] = np.where(lens[key[1:]] == depth_of[1:], values[key[1:]], 0)
    # a node's first child: the first node one level down whose key is at or after its own
    rank = depth_of * max(n, 1) + key  # sorted: the nodes' (depth, key) order as one number
    first = np.append(np.searchsorted(rank, rank + max(n, 1), side="left"), key.size)
    nodes = np.empty((key.size, 4), dtype=np.uint32)
    nodes[:, 0], nodes[:, 1], nodes[:, 2], nodes[:, 3] = first[:-1], first[1:], label, value
    out = array("I")
    out.frombytes(nodes.tobytes())
    return out


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
