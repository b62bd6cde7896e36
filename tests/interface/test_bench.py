"""The benchmark runs end to end on a tiny sweep and reports consistent figures."""
import json
import subprocess
import sys

from sim.bench import format_report, run_bench, standard_configs


def test_standard_configs_are_deterministic_and_in_range():
    a = standard_configs(20, 30.0)
    b = standard_configs(20, 30.0)
    assert [c.to_dict() for c in a] == [c.to_dict() for c in b]
    speeds = [c.run.speed_mps for c in a]
    assert 2.5 <= min(speeds) and max(speeds) <= 4.0 and len(set(speeds)) == 20


def test_tiny_bench_reports_every_figure():
    r = run_bench(n=6, minutes=10.0, n_reference=1, n_resolved=1, repeats=2, n_long=2)
    assert r["scenarios_per_s"] > 0 and r["muscle_steps_per_s"] > r["scenarios_per_s"]
    ref = r["reference"][0]                         # figures only: no timing is asserted
    assert ref["speedup"] == ref["reference_s"] / ref["engine_s"]
    assert len(r["run_s_all"]) == 2 and r["run_s_spread"] == [min(r["run_s_all"]),
                                                             max(r["run_s_all"])]
    assert r["run_s"] == sorted(r["run_s_all"])[0] + (sorted(r["run_s_all"])[1]
                                                      - sorted(r["run_s_all"])[0]) / 2
    assert r["cost_double_length"] == r["long_run_s"] / r["short_run_s"]
    assert 0.0 <= r["exhausted_fraction"] <= 1.0
    assert 0 < r["solved_phase_samples_per_run"] <= r["phase_samples_per_run"]
    first = r["default_vs_resolved"][0]
    assert first["scenario"] == "bench_0" and first["max_capacity_difference"] < 0.01
    worst = r["default_vs_resolved_worst"]
    assert worst["max_capacity_difference"]["value"] == first["max_capacity_difference"]
    assert r["default_vs_resolved_over"] == []          # bench_0 is within the tolerance
    win = r["default_vs_resolved_windows"]["superficial_load"]
    assert win["over"] == 0 and win["compared"] == first["windows_superficial_load"] > 0
    text = format_report(r)
    assert "reference path" in text and "default vs resolved" in text
    assert f"windows over the tolerance: shear_bw 0 of {first['windows_shear_bw']}" in text
    r["default_vs_resolved_over"] = [{"scenario": "x", "worst": 0.05, "exhausted": True,
                                      "curve": "max_superficial_load_difference"}]
    assert "over the tolerance: 1 of 1 scenarios, 1 of them ending in exhaustion: x 0.050" \
        in format_report(r)


def test_cli_bench_json(tmp_path):
    p = subprocess.run([sys.executable, "-m", "sim", "bench", "--json", "--scenarios", "4",
                        "--minutes", "5", "--reference", "0", "--resolved", "0",
                        "--results", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    def strict(token):                  # strict JSON readers reject NaN and Infinity
        raise ValueError(f"non-standard JSON constant {token}")

    r = json.loads(p.stdout, parse_constant=strict)
    assert r["scenarios"] == 4 and (tmp_path / "bench" / "bench.json").is_file()
    json.loads((tmp_path / "bench" / "bench.json").read_text(), parse_constant=strict)
