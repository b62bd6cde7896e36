"""The glute-to-lumbar result across the plausible range of the assumed constants."""
import numpy as np

from sim.sensitivity_assumed import as_markdown, glute_to_lumbar


def test_weak_glute_med_loads_the_back_for_every_assumed_value():
    rows = glute_to_lumbar(lean_costs=(10.0, 100.0, 1000.0), knee_gains=(0.0, 1.0), minutes=60)
    assert len(rows) == 5
    for r in rows:
        assert r["extra_lean_deg"] > 0 and r["extra_lumbar_force_N"] > 0, r
    by_cost = [r for r in rows if r["knee_tracking_gain"] == 0.3]
    lean = [r["lean_deg_normal"] for r in by_cost]
    extra = [r["extra_lumbar_force_N"] for r in by_cost]
    assert np.all(np.diff(lean) < 0) and np.all(np.diff(extra) < 0)  # dearer lean, less of it
    assert "| 100 | 0 |" in as_markdown(rows)
