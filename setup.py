"""Builds the geoparser's compiled hot path (geodata/geoparse/_hotpath.pyx, _trie.pyx, _lines.pyx) at install.

``pip install -e .`` (scripts/setup.sh) runs this with Cython and setuptools fetched into pip's
build environment (pyproject.toml ``[build-system]``) and compiles the module with the machine's
C compiler. The package itself stays importable from the checkout without it: the geoparser
then runs its pure-Python loops (geodata/geoparse/compiled.py).
"""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(ext_modules=cythonize([Extension("geodata.geoparse._hotpath", ["geodata/geoparse/_hotpath.pyx"]),
                             Extension("geodata.geoparse._trie", ["geodata/geoparse/_trie.pyx"]),
                             Extension("geodata.geoparse._lines", ["geodata/geoparse/_lines.pyx"])],
                            compiler_directives={"language_level": "3"}))
