"""The teaching lessons: build_all writes six honest pages with their figures."""
import re

import pytest

from sim.lessons import LESSONS, build_all
from sim.plots import DISCLAIMER


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("lessons")
    return out, build_all(out)


def _page(out, name):
    return (out / name / "README.md").read_text()


def test_six_pages_and_figures(built):
    out, paths = built
    assert len(LESSONS) == 6
    for name in LESSONS:
        page = out / name / "README.md"
        assert page in paths
        figs = sorted((out / name).glob("*.png"))
        assert 1 <= len(figs) <= 3
        for fig in figs:
            assert fig in paths and fig.stat().st_size > 10_000
            assert f"]({fig.name})" in page.read_text()  # every figure is shown on its page
    index = (out / "README.md").read_text()
    assert all(f"({name}/README.md)" in index for name in LESSONS)
    assert DISCLAIMER in index


@pytest.mark.parametrize("name", list(LESSONS))
def test_page_is_honest(built, name):
    text = _page(built[0], name)
    assert DISCLAIMER in text
    assert "## What the model assumes" in text
    assert "## What the model leaves out, and its known limits" in text
    # numbers from the run, with units
    assert re.search(r"\d+\.\d+ (BW|body weights|N|deg|%)", text)
    assert re.search(r"\d+ min", text)
    assert "{" not in text and "}" not in text  # no unformatted placeholders
    assert "nan" not in text.lower().split()


def test_known_limits_quoted(built):
    out, _ = built
    for name in LESSONS:
        text = _page(out, name)
        assert ("The back load rises late, but only a little" in text
                or "Fast-twitch fibres at an even pace" in text), name
    assert "Fast-twitch fibres at an even pace" in _page(out, "what_helps")
    assert "calf flexibility" in _page(out, "everything_connected")


def test_fibre_type_honesty_box(built):
    text = _page(built[0], "fast_twitch_energy")
    assert "more superficial muscles" in text  # the article's claim
    for value in ("0.74", "0.63", "0.60", "0.57"):  # measured / used p_ST values
        assert value in text
    assert "The model uses the measured values" in text


def test_lean_cost_dependence_stated(built):
    text = _page(built[0], "glute_med_to_lumbar")
    assert "depends on an assumed constant, the lean cost" in text
    assert "model.lean_cost" in text
    assert re.search(r"ranges\s+from\s+\d+\.\d\s+N\s+to\s+\d+\.\d\s+N", text)


def test_only_and_bad_names(tmp_path):
    paths = build_all(tmp_path, only=["tight_hip_flexors"])
    assert {p.parent.name for p in paths} == {"tight_hip_flexors", tmp_path.name}
    assert not (tmp_path / "cascade").exists()
    assert "not built in this call" in (tmp_path / "README.md").read_text()
    with pytest.raises(ValueError, match="choose from: fast_twitch_energy, cascade"):
        build_all(tmp_path, only=["cascade", "nope"])


def test_glute_med_claim_weighed_against_evidence(built):
    text = _page(built[0], "glute_med_to_lumbar")
    assert "What the evidence says about the article's claim" in text
    for source in ("Bazett-Jones", "Pohl et al. 2015", "Trowell"):
        assert source in text
    # the long run of the demo's runner, with the sideways lean allowed and forbidden
    table = text.split("Over a long run")[1].split("###")[0]
    assert table.count("| allowed |") == 2 and table.count("| forbidden |") == 2


def test_tightness_lesson_shows_the_lean_over_the_run(built):
    text = _page(built[0], "tight_hip_flexors")
    rows = re.findall(r"^\| (\d+) \| (\d+\.\d\d) \| (\d\.\d{3}) -> (\d\.\d{3}) \|$", text, re.M)
    assert len(rows) == 6
    leans = [float(r[1]) for r in rows]
    assert all(x > 0 for x in leans)  # every runner leans forward as the legs tire
