"""Results writer: atomic writes and manifests."""
import json
import os

import numpy as np
import pytest

from sim import results


def test_atomic_write_replaces_whole_file(tmp_path):
    p = tmp_path / "sub" / "a.txt"
    results.atomic_write_text(p, "first")
    results.atomic_write_text(p, "second")
    assert p.read_text() == "second"
    assert [f.name for f in p.parent.iterdir()] == ["a.txt"]  # no temporaries left


def test_failed_write_keeps_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    p = tmp_path / "a.json"
    results.write_json(p, {"x": 1})

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        results.write_json(p, {"x": 2})
    assert json.loads(p.read_text()) == {"x": 1}
    assert sorted(f.name for f in tmp_path.iterdir()) == ["a.json"]


def test_json_nan_becomes_null(tmp_path):
    p = results.write_json(tmp_path / "s.json", {"onset": float("nan"), "arr": np.array([1.0, np.inf])})
    assert json.loads(p.read_text()) == {"onset": None, "arr": [1.0, None]}


def test_manifest_has_versions_and_timings(tmp_path):
    p = results.write_manifest(tmp_path, "runfatigue test", seed=3, timings={"run_s": 1.5})
    m = json.loads(p.read_text())
    assert m["seed"] == 3 and m["timings_s"]["run_s"] == 1.5
    for dep in ("numpy", "numba", "scipy", "matplotlib"):
        assert dep in m["dependencies"]
    assert "git_commit" in m and m["version"]


def test_npz_roundtrip(tmp_path):
    p = results.save_npz(tmp_path / "t.npz", a=np.arange(3.0))
    with np.load(p) as z:
        assert z["a"].tolist() == [0.0, 1.0, 2.0]


def test_written_files_get_ordinary_permissions(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    p = results.atomic_write_text(tmp_path / "a.txt", "x")
    assert (p.stat().st_mode & 0o777) == (0o666 & ~umask)
