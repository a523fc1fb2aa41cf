"""geoparse-corpus on a real LocalCluster: the same mentions as geoparse, bad documents listed, GeoParquet out."""

import json
import shutil
import sys
import types
from pathlib import Path

import dask
import distributed  # noqa: F401  (its config defaults loaded before dask.config.set; leaving a set removes keys it added)
import geopandas as gpd
import pyarrow.parquet as pq
import pytest

from geodata.corpus import DocRef, batches, index_inputs, run_corpus, start_client
from geodata.geoparse import parse_to_records, read_text_input

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
KEYS = ["doc_id", "start", "end", "text", "sentence_start", "sentence_end", "place_id", "name", "kind", "country",
        "confidence", "lon", "lat"]


@pytest.fixture(scope="module")
def client():
    """Two worker processes, started once for the module (about 2 s).

    The worker processes come from a fork server, as in distributed's own test suite: one fresh
    interpreter imports distributed and its libraries once (numpy, pandas), and each worker is
    a fork of it, where ``geoparse-corpus`` spawns two interpreters that each import them (about
    0.9 s CPU saved). They are processes all the same: every task is pickled to another process,
    which imports the geoparser itself (``warm_up``).

    The fork server, like a spawned child, runs the parent's ``__main__``. After the dashboard's
    AppTest runs, ``sys.modules["__main__"]`` is the last Streamlit page (its script runner
    installs each page there), so the workers would run that page and exit with status 1. A
    plain ``__main__`` module while the cluster starts keeps the children clean.
    """
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
            c = start_client(2)
    finally:
        sys.modules["__main__"] = saved
    try:
        yield c
    finally:
        c.close()
        c.cluster.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The five seeds plus a binary, an empty and a cp1251 file."""
    d = tmp_path_factory.mktemp("docs")
    for p in SEEDS:
        shutil.copy(p, d / p.name)
    (d / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (d / "empty.txt").write_bytes(b"")
    (d / "cyrillic.txt").write_bytes("Протесты в Алматы и Жанаозене.".encode("cp1251"))
    (d / "notes.toml").write_text("ignored = true\n")  # neither .txt nor .jsonl: not a document
    return d


def expected(texts: dict[str, str]) -> list[dict]:
    """What ``geoparse`` gives for each document, as rows sorted by (document id, start)."""
    rows = []
    for doc_id in sorted(texts):
        for r in parse_to_records(texts[doc_id], sentences=False):
            rows.append({"doc_id": doc_id, "start": r["start"], "end": r["end"], "text": r["text"],
                         "sentence_start": r["sentence_start"], "sentence_end": r["sentence_end"],
                         "place_id": r["id"], "name": r["name"], "kind": r["kind"], "country": r["country"],
                         "confidence": r["confidence"], "lon": r["lon"], "lat": r["lat"]})
    return rows


def read_rows(out: Path) -> list[dict]:
    """The output read back the way the README says, as plain rows."""
    gdf = gpd.read_parquet(out / "mentions")
    assert gdf.crs.to_epsg() == 4326
    gdf["lon"], gdf["lat"] = gdf.geometry.x, gdf.geometry.y
    return gdf[KEYS].to_dict("records")


def test_folder_gives_the_mentions_of_geoparse_and_lists_bad_documents(client, folder, tmp_path):
    summary = run_corpus([str(folder)], str(tmp_path / "out"), client, batch_bytes=15_000)
    seeds = {p.stem: read_text_input(str(p)) for p in SEEDS}
    want = expected(seeds)
    assert read_rows(tmp_path / "out") == want
    assert (summary.documents, summary.mentions, summary.errors, summary.workers) == (5, len(want), 3, 2)
    assert summary.batches > 2  # several tasks, spread over both workers
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    reasons = {e["id"]: e["reason"] for e in errors}
    assert sorted(reasons) == ["binary", "cyrillic", "empty"]
    assert "binary" in reasons["binary"] and "empty" in reasons["empty"] and "cp1251" in reasons["cyrillic"]
    assert all(e["input"].endswith(f"{e['id']}.txt") for e in errors)
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["mentions"] == len(want)


def test_output_is_geoparquet(client, folder, tmp_path):
    run_corpus([str(folder)], str(tmp_path / "out"), client)
    parts = sorted((tmp_path / "out" / "mentions").glob("*.parquet"))
    assert parts
    for part in parts:
        geo = json.loads(pq.read_schema(part).metadata[b"geo"])
        assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
        col = geo["columns"]["geometry"]
        assert col["encoding"] == "WKB" and col["geometry_types"] == ["Point"]
        assert col["crs"]["id"] == {"authority": "EPSG", "code": 4326}
        minx, miny, maxx, maxy = col["bbox"]
        xy = gpd.read_parquet(part).geometry
        assert (minx, miny, maxx, maxy) == (xy.x.min(), xy.y.min(), xy.x.max(), xy.y.max())


def test_json_lines_input(client, tmp_path):
    texts = {f"doc-{i}": read_text_input(str(p)) for i, p in enumerate(SEEDS[:3])}
    lines = [json.dumps({"id": k, "text": v, "date": "2022-01-05", "title": f"Title {k}", "source": "test"})
             for k, v in texts.items()]
    lines += [
        "not json",
        json.dumps({"text": "Almaty."}),  # no id
        json.dumps({"id": "doc-0", "text": "Astana."}),  # duplicate id: the first one wins
        json.dumps({"id": "blank", "text": "   "}),
        json.dumps({"id": 7, "text": "Troops flew from Moscow to Almaty."}),  # an integer id is fine
    ]
    src = tmp_path / "docs.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run_corpus([str(src)], str(tmp_path / "out"), client)
    texts["7"] = "Troops flew from Moscow to Almaty."
    assert read_rows(tmp_path / "out") == expected(texts)
    gdf = gpd.read_parquet(tmp_path / "out" / "mentions")
    assert set(gdf.loc[gdf.doc_id == "doc-1", "title"]) == {"Title doc-1"} and set(gdf.date.dropna()) == {"2022-01-05"}
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert [e["id"] for e in errors] == ["blank", "doc-0", "docs.jsonl:4", "docs.jsonl:5"]
    assert "duplicate id" in errors[1]["reason"] and "line 1" in errors[1]["reason"]
    assert "is empty" in errors[0]["reason"] and "not a JSON object" in errors[2]["reason"]
    assert summary.documents == 4 and summary.errors == 4


def test_runs_are_deterministic(client, folder, tmp_path):
    a, b, c = (tmp_path / n for n in "abc")
    run_corpus([str(folder)], str(a), client, batch_bytes=10_000)
    run_corpus([str(folder)], str(b), client, batch_bytes=10_000)
    run_corpus([str(folder)], str(c), client, batch_bytes=10_000_000)  # other batches, same rows
    parts = sorted(p.name for p in (a / "mentions").iterdir())
    assert parts == sorted(p.name for p in (b / "mentions").iterdir())
    for name in parts:
        assert (a / "mentions" / name).read_bytes() == (b / "mentions" / name).read_bytes()
    assert (a / "errors.jsonl").read_bytes() == (b / "errors.jsonl").read_bytes() == (c / "errors.jsonl").read_bytes()
    assert read_rows(a) == read_rows(c)


def test_rerun_replaces_the_previous_output_and_refuses_foreign_folders(client, folder, tmp_path):
    out = tmp_path / "out"
    run_corpus([str(folder)], str(out), client, batch_bytes=5_000)
    run_corpus([str(folder)], str(out), client)
    assert len(list((out / "mentions").iterdir())) == 1
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_bytes(b"")
    from geodata.errors import InputError

    with pytest.raises(InputError, match="holds other files"):
        run_corpus([str(folder)], str(tmp_path / "mine"), client)


def test_batches_keep_id_order_and_a_few_mb_each():
    refs = [DocRef(f"d{i:02d}", "x", 0, 1000) for i in range(10)]
    got = batches(refs, 2500)
    assert [[r.id for r in b] for b in got] == [["d00", "d01"], ["d02", "d03"], ["d04", "d05"], ["d06", "d07"],
                                                  ["d08", "d09"]]
    assert [len(b) for b in batches([DocRef("big", "x", 0, 10**9)], 10)] == [1]


def test_index_sorts_by_id_and_reports_duplicates(tmp_path):
    (tmp_path / "b.txt").write_text("Almaty.")
    (tmp_path / "a.txt").write_text("Astana.")
    (tmp_path / "more.jsonl").write_text(json.dumps({"id": "a", "text": "Aktau."}) + "\n")
    refs, errors = index_inputs([str(tmp_path)])
    assert [(r.id, Path(r.input).name) for r in refs] == [("a", "a.txt"), ("b", "b.txt")]
    assert [e.id for e in errors] == ["a"] and "first seen in" in errors[0].reason


@pytest.mark.parametrize("args, expect", [
    (("no/such/folder", "--out", "{tmp}/o"), "no such file or folder"),
    (("{seeds}", "--out", "{tmp}/o", "--workers", "0"), "give at least 1"),
    (("{seeds}", "--out", "{tmp}/o", "--scheduler", "localhost:8786"), "tcp://HOST:PORT"),
    (("{seeds}", "--out", "{tmp}/file"), "is a file"),
    (("{seeds}", "--out", "{tmp}/o", "--batch-mb", "0"), "positive size"),
])
def test_bad_arguments_are_one_line(args, expect, tmp_path, cli):
    (tmp_path / "file").write_text("")
    r = cli("geoparse-corpus", *(a.format(tmp=tmp_path, seeds=ROOT / "seeds") for a in args))  # in-process: refused before any cluster starts
    assert r.code == 1 and r.stdout == ""
    assert expect in r.stderr and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_cli_prints_a_summary_and_leaves_a_cluster_it_joined_running(client, tmp_path, cli):
    """``geoparse-corpus --scheduler`` on the module's cluster, in this process (no interpreter and no
    cluster of its own to start: seconds saved; a real ``python -m geodata`` process is
    tests/test_entry_point.py's subject). The command closes its own client only."""
    (tmp_path / "docs").mkdir()
    shutil.copy(SEEDS[0], tmp_path / "docs")
    r = cli("geoparse-corpus", str(tmp_path / "docs"), "--out", str(tmp_path / "out"), "--scheduler", client.scheduler.address)
    assert r.code == 0, r.stderr[-2000:]
    summary = json.loads(r.stdout)
    assert summary["documents"] == 1 and summary["errors"] == 0 and summary["workers"] == 2
    assert {"mentions", "bytes", "seconds", "mb_per_s", "out"} <= set(summary)
    assert summary["mentions"] == len(expected({SEEDS[0].stem: read_text_input(str(SEEDS[0]))}))
    assert "Traceback" not in r.stderr
    assert client.submit(sum, [1, 2]).result() == 3  # the cluster it joined still works
