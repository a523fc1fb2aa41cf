"""Many documents at once, on Dask, into GeoParquet: ``python -m geodata geoparse-corpus``.

* :mod:`geodata.corpus.inputs`: text files, JSON Lines and folders -> documents sorted by id,
  in batches of a few MB; reading and decoding one document by the project's rules;
* :mod:`geodata.corpus.geoparquet`: place mentions as GeoParquet 1.1 (WKB points, EPSG:4326);
* :mod:`geodata.corpus.run`: the task each worker runs, the cluster, the run and its summary;
* :mod:`geodata.corpus.cli`: the ``geoparse-corpus`` subcommand.

Importing this package does not import Dask; :func:`run_corpus` and :func:`start_client` do.
"""

from geodata.corpus.inputs import DocError, DocRef, batches, index_inputs, load_text
from geodata.corpus.run import CorpusSummary, parse_batch, run_corpus, start_client

__all__ = ["CorpusSummary", "DocError", "DocRef", "batches", "index_inputs", "load_text", "parse_batch",
           "run_corpus", "start_client"]
