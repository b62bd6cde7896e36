"""Figure layout, measured on the drawn figure in display coordinates.

For every kind of figure the package draws (sweep figures, run figures, lesson figures):

- no legend box contains data points (the vertices of the plotted lines, densified along
  lines drawn in data coordinates, and the markers; of the same axes for an axes legend,
  of every axes for a figure legend);
- every legend entry corresponds to a drawn artist: the same label, visible, with data
  inside its axes (not only on a spine) and the look of the entry (line style, marker,
  colour);
- every series in the data appears: e.g. one visible marker per scenario in the onset
  plot, where markers at the same display position count once.

The figures are built from small sweeps and short runs (module-scoped fixtures).
"""
import contextlib
import itertools
import json
import math
import os
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.collections import Collection, PathCollection, QuadMesh  # noqa: E402
from matplotlib.colors import to_rgb, to_rgba  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

import sim  # noqa: E402
from sim import plots  # noqa: E402
from sim import sweep_plots as sp  # noqa: E402

TIGHT, SPEED, CORE = "scenario.hip_flexor_tightness_deg", "run.speed_mps", "scenario.core_strength"


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- measuring

def draw(fig):
    """Draw ``fig`` (layout included) on an Agg canvas; return the renderer."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def _none(style) -> bool:
    return style is None or (isinstance(style, str) and style.lower() in ("none", "", " "))


def shows_line(a) -> bool:
    return isinstance(a, Line2D) and not _none(a.get_linestyle()) and a.get_linewidth() > 0


def shows_marker(a) -> bool:
    if isinstance(a, PathCollection):
        return len(a.get_offsets()) > 0
    return isinstance(a, Line2D) and not _none(a.get_marker()) and a.get_markersize() > 0


def _is_colorbar(ax) -> bool:
    return ax.get_label() == "<colorbar>"


def plot_axes(fig):
    """The visible axes that hold plotted data (no colour bars)."""
    return [ax for ax in fig.axes if ax.get_visible() and not _is_colorbar(ax)]


def _densify(xy, step):
    """Points every ``step`` px along a polyline (NaN vertices break it)."""
    out = [xy[np.all(np.isfinite(xy), axis=1)]]
    for a, b in zip(xy[:-1], xy[1:]):
        if np.all(np.isfinite(a)) and np.all(np.isfinite(b)):
            n = int(np.hypot(*(b - a)) // step)
            if n > 1:
                t = np.linspace(0.0, 1.0, n + 1)[1:-1, None]
                out.append(a + t * (b - a))
    return np.concatenate(out) if out else np.zeros((0, 2))


def in_data_coords(a, ax) -> bool:
    """True if the artist is placed in data coordinates (not an axhline/axvline/span)."""
    tr = a.get_offset_transform() if isinstance(a, Collection) else a.get_transform()
    return tr.contains_branch(ax.transData)


def points(a, ax, step=2.0, densify=None):
    """Display coordinates [px] of what ``a`` draws, and the marker radius [px].

    Lines: the vertices of the drawn path (steps included), densified every ``step`` px
    when the line is drawn in data coordinates (``densify``: force it on or off);
    scatter collections: the offsets. NaN vertices are dropped.
    """
    dpi = a.figure.dpi
    if isinstance(a, Line2D):
        tpath = a._get_transformed_path().get_fully_transformed_path()
        xy = np.asarray(tpath.vertices, dtype=float)
        if xy.size == 0:
            xy = np.zeros((0, 2))
        if shows_line(a) and (densify if densify is not None else in_data_coords(a, ax)):
            xy = _densify(xy, step)
        else:
            xy = xy[np.all(np.isfinite(xy), axis=1)]
        size = a.get_markersize() if shows_marker(a) else a.get_linewidth()
        r = 0.5 * size * dpi / 72.0
        return xy, r
    if isinstance(a, PathCollection):
        off = np.asarray(a.get_offsets(), dtype=float)
        if off.size == 0:
            return np.zeros((0, 2)), 0.0
        xy = a.get_offset_transform().transform(off)
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        sizes = a.get_sizes()
        r = 0.5 * math.sqrt(float(np.max(sizes))) * dpi / 72.0 if len(sizes) else 0.0
        return xy, r
    return np.zeros((0, 2)), 0.0


def data_artists(ax):
    """Visible lines and scatter collections of an axes (its data)."""
    return [a for a in list(ax.lines) + list(ax.collections)
            if a.get_visible() and isinstance(a, (Line2D, PathCollection))]


def _clip(xy, a, ax, pad=1.0):
    """Drop points the axes clips away (artists with clip_on=False keep all)."""
    if not a.get_clip_on():
        return xy
    bb = ax.get_window_extent()
    keep = ((xy[:, 0] >= bb.x0 - pad) & (xy[:, 0] <= bb.x1 + pad)
            & (xy[:, 1] >= bb.y0 - pad) & (xy[:, 1] <= bb.y1 + pad))
    return xy[keep]


def _legends(fig):
    """(legend, axes whose data it must not cover) for axes and figure legends."""
    out = [(ax.get_legend(), [ax]) for ax in plot_axes(fig) if ax.get_legend()]
    out += [(leg, plot_axes(fig)) for leg in fig.legends]
    return out


def legend_overlaps(fig):
    """Data points inside a legend box: list of 'legend: artist (n points)' strings."""
    draw(fig)
    bad = []
    for leg, axes in _legends(fig):
        if not leg.get_visible():
            continue
        bb = leg.get_window_extent()
        for ax in axes:
            for a in data_artists(ax):
                xy, r = points(a, ax)
                xy = _clip(xy, a, ax)
                inside = ((xy[:, 0] > bb.x0 - r) & (xy[:, 0] < bb.x1 + r)
                          & (xy[:, 1] > bb.y0 - r) & (xy[:, 1] < bb.y1 + r))
                if inside.any():
                    bad.append(f"legend {[t.get_text() for t in leg.get_texts()][:2]}... covers "
                               f"{a.get_label() or a.get_gid()!r} of axes "
                               f"{ax.get_title() or ax.get_ylabel()!r} ({int(inside.sum())} points)")
    return bad


def _shown_inside(a, ax, pad=1.0) -> bool:
    """True if the artist draws something strictly inside the axes (not only on a spine)."""
    bb = ax.get_window_extent()
    if isinstance(a, Patch):
        ext = a.get_window_extent()
        w = min(ext.x1, bb.x1 - pad) - max(ext.x0, bb.x0 + pad)
        h = min(ext.y1, bb.y1 - pad) - max(ext.y0, bb.y0 + pad)
        return w > 0 and h > 0
    if isinstance(a, QuadMesh):
        return np.ma.count(a.get_array()) > 0
    xy, _ = points(a, ax, densify=True)
    inside = ((xy[:, 0] > bb.x0 + pad) & (xy[:, 0] < bb.x1 - pad)
              & (xy[:, 1] > bb.y0 + pad) & (xy[:, 1] < bb.y1 - pad))
    return bool(inside.any())


def _rgb_close(c1, c2, tol=0.03) -> bool:
    return np.allclose(to_rgb(c1), to_rgb(c2), atol=tol)


def _colours(a, which):
    """RGBA colours of an artist: 'edge' or 'face' (markers of lines, collections, patches)."""
    if isinstance(a, Line2D):
        return [to_rgba(a.get_markeredgecolor() if which == "edge" else a.get_markerfacecolor())]
    if isinstance(a, Collection):
        c = a.get_edgecolor() if which == "edge" else a.get_facecolor()
        return [tuple(x) for x in np.atleast_2d(c)]
    if isinstance(a, Patch):
        return [a.get_edgecolor() if which == "edge" else a.get_facecolor()]
    return []


def _open(rgba) -> bool:
    return len(rgba) == 4 and rgba[3] == 0


def draws_segment(a) -> bool:
    """True if a line artist draws at least one segment (two neighbouring finite points)."""
    if not shows_line(a):
        return False
    xy = np.column_stack([np.asarray(a.get_xdata(), float), np.asarray(a.get_ydata(), float)])
    ok = np.all(np.isfinite(xy), axis=1)
    return bool(np.any(ok[1:] & ok[:-1]))


def _marker_like(handle, a) -> str:
    """'' if artist ``a`` draws markers like those of the legend handle, else why not."""
    if not shows_marker(a):
        return "no marker drawn"
    if isinstance(a, Line2D) and handle.get_marker() != a.get_marker():
        return f"marker {handle.get_marker()} vs {a.get_marker()}"
    for which in ("edge", "face"):
        want = _colours(handle, which)[0]
        got = [g for g in _colours(a, which)]
        if _open(want) != all(_open(g) for g in got):
            return f"marker {which}: {'open' if _open(want) else 'filled'} in the legend only"
        if not _open(want) and not any(_rgb_close(want, g, 0.06) for g in got):
            return f"marker {which} colour {want} not among the drawn ones"
    return ""


def _looks_like(handle, drawn) -> str:
    """'' if the drawn artists (same label) together look like the legend handle: its line
    drawn by one of them, its marker by one of them; else why not."""
    if isinstance(handle, Line2D):
        if shows_line(handle):
            lines = [a for a in drawn if isinstance(a, Line2D) and draws_segment(a)]
            if not lines:
                return "the entry shows a line, no line is drawn"
            if not any(a.get_linestyle() == handle.get_linestyle()
                       and _rgb_close(handle.get_color(), a.get_color()) for a in lines):
                return (f"line {handle.get_linestyle()} {handle.get_color()} vs "
                        f"{[(a.get_linestyle(), a.get_color()) for a in lines]}")
        if shows_marker(handle):
            why = [_marker_like(handle, a) for a in drawn]
            if all(why):
                return why[0]
        elif not shows_line(handle):
            return ""
        elif all(shows_marker(a) and not draws_segment(a) for a in drawn):
            return "the entry shows only a line, only markers are drawn"
        return ""
    if isinstance(handle, (Patch, Collection)):
        face = _colours(handle, "face")[0]
        which = "edge" if _open(face) else "face"
        want = _colours(handle, which)[0]
        for a in drawn:
            got = _colours(a, which)
            if isinstance(a, QuadMesh) and which == "face":
                rgba = a.cmap(a.norm(np.ma.compressed(a.get_array())))
                got = [tuple(c) for c in np.atleast_2d(rgba)]
            if any(_rgb_close(want, g, 0.06) for g in got if not _open(g)):
                return ""
        return f"{which} colour {want} not among the drawn ones"
    return ""


def legend_mismatches(fig):
    """Legend entries without a drawn artist like them: list of 'label: why' strings."""
    draw(fig)
    bad = []
    for leg, axes in _legends(fig):
        handles = leg.legend_handles
        for handle, text in zip(handles, leg.get_texts()):
            label = text.get_text()
            cands = [(a, ax) for ax in axes
                     for a in list(ax.lines) + list(ax.collections) + list(ax.patches)
                     if a.get_label() == label and a.get_visible()]
            # bars: the label is on the container, the drawn artists are its patches
            cands += [(a, ax) for ax in axes for c in ax.containers if c.get_label() == label
                      for a in c.patches if a.get_visible()]
            if not cands:
                bad.append(f"{label!r}: no drawn artist has this label")
                continue
            shown = [(a, ax) for a, ax in cands if _shown_inside(a, ax)]
            if not shown:
                bad.append(f"{label!r}: drawn nowhere inside its axes")
                continue
            why = _looks_like(handle, [a for a, _ in shown])
            if why:
                bad.append(f"{label!r}: the entry does not look like what is drawn ({why})")
    return bad


def _keys(legends):
    """(linestyle, marker, colour) of the Line2D entries of some legends."""
    keys = []
    for leg in legends:
        for h in leg.legend_handles:
            if isinstance(h, Line2D):
                keys.append((h.get_linestyle() if shows_line(h) else "None",
                             h.get_marker() if shows_marker(h) else "None", to_rgb(h.get_color())))
    return keys


def unkeyed_series(fig, min_styles=2):
    """Data lines that no legend of their axes, nor a figure legend, keys (in axes that
    hold lines of several styles or colours, which need a key)."""
    draw(fig)
    shared = _keys(fig.legends)
    bad = []
    for ax in plot_axes(fig):
        keys = shared + (_keys([ax.get_legend()]) if ax.get_legend() else [])
        lines = [a for a in ax.lines if a.get_visible() and shows_line(a) and in_data_coords(a, ax)
                 and len(points(a, ax)[0]) > 1]
        styles = {(a.get_linestyle(), to_rgb(a.get_color())) for a in lines}
        if len(styles) < min_styles:
            continue
        for a in lines:
            ok = any(ls == a.get_linestyle() and np.allclose(c, to_rgb(a.get_color()), atol=0.03)
                     for ls, _, c in keys)
            if not ok:
                bad.append(f"axes {ax.get_title()!r}: line {a.get_label()!r} has no legend entry")
    return bad


def _lab(c):
    rgb = np.array(to_rgb(c))
    rgb = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ rgb / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def similar_entries(fig, min_delta_e=35.0):
    """Pairs of legend entries with the same line style and marker whose colours are
    hard to tell apart (CIE76 colour difference below ``min_delta_e``)."""
    draw(fig)
    bad = []
    for leg, _ in _legends(fig):
        entries = [(t.get_text(), h) for h, t in zip(leg.legend_handles, leg.get_texts())
                   if isinstance(h, Line2D)]
        for (la, a), (lb, b) in itertools.combinations(entries, 2):
            same_style = ((a.get_linestyle() if shows_line(a) else None)
                          == (b.get_linestyle() if shows_line(b) else None)
                          and (a.get_marker() if shows_marker(a) else None)
                          == (b.get_marker() if shows_marker(b) else None))
            de = float(np.linalg.norm(_lab(a.get_color()) - _lab(b.get_color())))
            if same_style and de < min_delta_e:
                bad.append(f"{la!r} and {lb!r}: same style, colour difference {de:.0f}")
    return bad


def distinct_positions(xy, radius):
    """Number of visually distinct marker positions: centres closer than ``radius`` [px]
    (more than half overlapping) count once."""
    left = [tuple(p) for p in xy]
    n = 0
    while left:
        p = np.array(left.pop())
        left = [q for q in left if np.hypot(*(np.array(q) - p)) >= radius]
        n += 1
    return n


def covered_fraction(a, ax, above):
    """Fraction of the drawn points of line ``a`` that lines drawn above it cover (solid
    lines at least as wide; a dashed line leaves gaps that show the line below)."""
    xy, _ = points(a, ax, step=1.0, densify=True)
    if len(xy) == 0:
        return 1.0
    covered = np.zeros(len(xy), bool)
    for b in above:
        if not shows_line(b) or b.get_linestyle() != "-" or b.get_linewidth() < a.get_linewidth():
            continue
        bxy, _ = points(b, ax, step=1.0, densify=True)
        if len(bxy) == 0:
            continue
        half = 0.5 * b.get_linewidth() * a.figure.dpi / 72.0
        for i in range(0, len(xy), 2000):
            d = np.hypot(xy[i:i + 2000, None, 0] - bxy[None, :, 0],
                         xy[i:i + 2000, None, 1] - bxy[None, :, 1])
            covered[i:i + 2000] |= (d <= max(half, 1.0)).any(axis=1)
    return float(covered.mean())


def hidden_series(ax, artists):
    """Labels of lines among ``artists`` that lines drawn after them cover completely."""
    draw(ax.figure)
    order = sorted(ax.lines, key=lambda a: a.get_zorder())  # stable: drawing order
    bad = []
    for a in artists:
        above = [b for b in order[order.index(a) + 1:] if b.get_visible()]
        if covered_fraction(a, ax, above) > 0.98:
            bad.append(a.get_label())
    return bad


def check_layout(fig, keyed=True):
    """The three general checks; returns the list of problems (empty: fine)."""
    problems = legend_overlaps(fig) + legend_mismatches(fig)
    if keyed:
        problems += unkeyed_series(fig)
    return problems


# --------------------------------------------------------------------------- the checks can fail

def test_checks_catch_a_legend_over_data_and_a_legend_entry_drawn_nowhere():
    fig, ax = plt.subplots()
    x = np.linspace(0, 10, 50)
    ax.plot(x, np.full_like(x, 1.0), label="flat")
    ax.axvline(0.0, ls="--", label="at the start")  # on the spine: drawn nowhere
    ax.set_xlim(0, 10)
    ax.legend(loc="center")
    problems = check_layout(fig)
    assert any("covers 'flat'" in p for p in problems)
    assert any("'at the start': drawn nowhere" in p for p in problems)


def test_checks_catch_a_legend_entry_that_looks_different_and_overlapping_markers():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 1], ls="none", marker="o", color="C1", label="points")
    ax.legend(handles=[Line2D([], [], ls="none", marker="o", markerfacecolor="none",
                              markeredgecolor="0.4", label="points")], loc="upper left")
    assert any("does not look like" in p for p in legend_mismatches(fig))
    assert distinct_positions(np.array([[10.0, 10.0], [10.0, 10.0], [30.0, 10.0]]), 5.0) == 2


def test_checks_catch_hidden_lines_and_colours_hard_to_tell_apart():
    fig, ax = plt.subplots()
    x = np.linspace(0, 10, 20)
    under = ax.plot(x, np.ones_like(x), color="#0072B2", label="under")[0]
    ax.plot(x, np.ones_like(x), color="#56B4E9", label="on top")  # same data, drawn later
    ax.legend(loc="lower left")
    assert hidden_series(ax, [under]) == ["under"]
    assert similar_entries(fig) != []  # two blues with the same line style


# --------------------------------------------------------------------------- sweeps

def _sweep(root, name, table):
    """Run a small sweep (30-60 min runs) and return its results directory."""
    from sim.sweep import run_sweep

    cfg = root / f"{name}.toml"
    cfg.write_text(textwrap.dedent(table))
    return run_sweep(cfg, results_root=root / "results", progress=False)


@contextlib.contextmanager
def _captured_figures(module):
    """Collect the figures ``module`` saves (by file name) instead of writing them."""
    got = {}

    def keep(fig, path, dpi=120):
        got[path.name] = fig
        return path

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(module, "save_figure", keep)
        yield got


def _figures_of(directory):
    """The figures :func:`sim.figures.sweep_plots.write_figures` draws, by file name."""
    with _captured_figures(sp) as got:
        sp.write_figures(directory)
    return got


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    """3 x 4 x 3 one-hour runs: spikes from the start, mid-run spikes and 'never'."""
    d = _sweep(tmp_path_factory.mktemp("grid"), "grid", """
        [run]
        duration_min = 60.0
        [sweep.grid]
        "scenario.hip_flexor_tightness_deg" = [0, 10, 20]
        "run.speed_mps" = [2.6, 2.8, 3.0, 3.2]
        "scenario.core_strength" = [0.6, 0.8, 1.0]
        """)
    return d, sp.read_summary(d), _figures_of(d)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """64 one-hour runs of a Latin hypercube over tightness and speed."""
    d = _sweep(tmp_path_factory.mktemp("lhs"), "lhs", """
        [run]
        duration_min = 60.0
        [sweep.sample]
        method = "lhs"
        n = 64
        seed = 1
        [sweep.sample.bounds]
        "scenario.hip_flexor_tightness_deg" = [0, 20]
        "run.speed_mps" = [2.5, 4.0]
        """)
    return d, sp.read_summary(d), _figures_of(d)


@pytest.fixture(scope="module")
def ties(tmp_path_factory):
    """A written grid summary with equal onsets of several speeds at one tightness."""
    d = tmp_path_factory.mktemp("ties")
    onset_min = {  # (tightness, speed, core) -> onset [min]; None: never
        0.6: {2.6: [0, 0, 0], 3.0: [0, 0, 0], 3.4: [0, 0, 0]},
        0.8: {2.6: [None, None, 40], 3.0: [50, 40, 40], 3.4: [0, 40, 0]},
        1.0: {2.6: [None, None, None], 3.0: [None, None, 50], 3.4: [None, 50, 50]},
    }
    lines = [f"scenario,{TIGHT},{SPEED},{CORE},spike_onset_s,peak_shear_bw,infeasible_strides"]
    i = 0
    for c, by_speed in onset_min.items():
        for v, row in by_speed.items():
            for t, m in zip((0.0, 10.0, 20.0), row):
                lines.append(f"{i},{t},{v},{c},{'nan' if m is None else m * 60.0},0.8,0")
                i += 1
    (d / "summary.csv").write_text("\n".join(lines) + "\n")
    (d / "sweep.json").write_text(json.dumps({"kind": "grid", "keys": [TIGHT, SPEED, CORE]}))
    (d / "config.toml").write_text("[run]\nduration_min = 60.0\n")
    return d, sp.read_summary(d), _figures_of(d)


def _onset_figure(figs):
    (name,) = [n for n in figs if n.startswith("onset_vs_")]
    return figs[name]


def _scenario_markers(fig):
    """Per panel: display positions and radius of the markers of single scenarios."""
    draw(fig)
    out = []
    for ax in plot_axes(fig):
        pts, radius = [], []
        for a in data_artists(ax):
            if a.get_gid() in ("onset", "start", "never") and shows_marker(a):
                xy, r = points(a, ax, densify=False)
                pts.append(xy)
                radius.append(r)
        if pts:
            out.append((ax, np.concatenate(pts), max(radius)))
    return out


@pytest.mark.parametrize("case", ["grid", "ties"])
def test_onset_curves_grid_show_one_marker_per_scenario(case, request):
    d, data, figs = request.getfixturevalue(case)
    fig = _onset_figure(figs)
    panels = _scenario_markers(fig)
    n = sum(distinct_positions(xy, r) for _, xy, r in panels)
    assert n == len(data["scenario"]), "overlapping or missing markers"
    # every level of the third key has its panel (or its markers)
    cores = sp._levels(data[CORE])
    titles = " ".join(ax.get_title() for ax, _, _ in panels)
    assert all(f"core strength = {c:.1f}" in titles for c in cores), titles


@pytest.mark.parametrize("case", ["grid", "ties", "sample"])
def test_onset_curves_connect_only_onsets_within_the_run(case, request):
    d, data, figs = request.getfixturevalue(case)
    fig = _onset_figure(figs)
    draw(fig)
    top = data["duration_min"]
    for ax in plot_axes(fig):
        for a in ax.lines:
            if a.get_visible() and shows_line(a) and in_data_coords(a, ax):
                y = np.asarray(a.get_ydata(), dtype=float)
                y = y[np.isfinite(y)]
                if len(y) < 2:
                    continue
                assert np.all((y >= 0.5) & (y <= top)), (
                    f"a line ({a.get_gid()}) joins 'never' or 'from the start' to onsets: {y}")


@pytest.mark.parametrize("case", ["grid", "ties", "sample"])
def test_sweep_figures_legends_and_layout(case, request):
    d, data, figs = request.getfixturevalue(case)
    assert set(figs) == {"onset_heatmap.png", "peak_shear_heatmap.png",
                         f"onset_vs_{TIGHT.rpartition('.')[2]}.png"}
    for name, fig in figs.items():
        assert check_layout(fig, keyed=False) == [], name


def test_sample_onset_trend_is_drawn_above_the_points(sample):
    d, data, figs = sample
    fig = _onset_figure(figs)
    draw(fig)
    ax = plot_axes(fig)[0]
    trend = [a for a in ax.lines if (a.get_gid() or "").startswith("trend")]
    scatter = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert trend and scatter
    assert min(a.get_zorder() for a in trend) > max(c.get_zorder() for c in scatter)
    # the trend's own markers do not sit among the points of single scenarios
    for a in trend:
        if not shows_marker(a):
            continue
        xy, r = points(a, ax, densify=False)
        for c in scatter:
            cxy, cr = points(c, ax)
            if len(xy) and len(cxy):
                d = np.hypot(xy[:, None, 0] - cxy[None, :, 0], xy[:, None, 1] - cxy[None, :, 1])
                assert d.min() > r + cr, f"trend marker ({a.get_gid()}) on a point ({c.get_gid()})"


def _tight_area(fig):
    """Horizontal extent [px] of the saved (tight) figure and of its axes with labels."""
    renderer = draw(fig)
    saved = fig.get_tightbbox(renderer)  # inches
    saved_px = (saved.x0 * fig.dpi, saved.x1 * fig.dpi)
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_visible()]
    return saved_px, (min(b.x0 for b in boxes), max(b.x1 for b in boxes))


@pytest.mark.parametrize("case", ["grid", "sample"])
@pytest.mark.parametrize("name", ["peak_shear_heatmap.png", "onset_heatmap.png"])
def test_heatmaps_have_no_empty_margin_and_a_close_colour_bar_label(case, name, request):
    d, data, figs = request.getfixturevalue(case)
    fig = figs[name]
    (saved0, saved1), (used0, used1) = _tight_area(fig)
    width = saved1 - saved0
    assert (saved1 - used1) / width < 0.05 and (used0 - saved0) / width < 0.05, \
        "an empty strip beside the panels (text wider than the figure?)"
    cbar = [ax for ax in fig.axes if _is_colorbar(ax)][0]
    text, bar = cbar.yaxis.label.get_window_extent(), cbar.get_window_extent()
    gap = max(text.x0 - bar.x1, bar.x0 - text.x1)  # on whichever side the label is
    assert gap < 0.6 * fig.dpi, f"colour-bar label {gap / fig.dpi:.2f} in from its bar"


@pytest.fixture(scope="module")
def sensitivity(tmp_path_factory):
    """The Sobol' figure of a small sensitivity sweep (needs SALib), and the sweep's name."""
    if os.environ.get("CI", "").lower() == "true":
        import SALib  # noqa: F401  (under CI a missing extra fails, see conftest.py)
    else:
        pytest.importorskip("SALib")
    from sim import sweep

    with _captured_figures(sweep) as got:
        _sweep(tmp_path_factory.mktemp("sobol"), "sobol_check", """
            [run]
            duration_min = 30.0
            [sweep.sensitivity]
            method = "sobol"
            n = 8
            seed = 1
            outputs = ["spike_onset_s", "peak_shear_bw"]
            [sweep.sensitivity.bounds]
            "scenario.hip_flexor_tightness_deg" = [0, 20]
            "run.speed_mps" = [2.5, 4.0]
            "scenario.core_strength" = [0.6, 1.2]
            """)
    return got["sensitivity.png"], "sobol_check"


def test_sensitivity_figure_layout(sensitivity):
    fig, _ = sensitivity
    assert check_layout(fig, keyed=False) == []


def test_sensitivity_title_says_what_it_shows(sensitivity):
    fig, name = sensitivity
    titles = [t.get_text() for t in fig.texts] + [fig._suptitle.get_text() if fig._suptitle else ""]
    title = next(t for t in titles if "Sobol" in t)
    assert name not in title, title
    assert title.startswith("What moves ") and "swept parameters" in title, title


# --------------------------------------------------------------------------- run figures

@pytest.fixture(scope="module")
def run_start():
    """A tight, weak-core runner whose back load is above its threshold from the start."""
    return sim.simulate(sim.load_config(None, {
        "run.duration_min": 30.0, "run.speed_mps": 3.2,
        "scenario.hip_flexor_tightness_deg": 15.0, "scenario.core_strength": 0.6}))


@pytest.fixture(scope="module")
def run_late():
    """The demo runner: the back load tips over late in the run (about 97 min)."""
    return sim.simulate(sim.load_config(None, {
        "run.duration_min": 120.0, "run.speed_mps": 3.0,
        "scenario.hip_flexor_tightness_deg": 8.0, "scenario.core_strength": 0.8}))


def _markers_outside_axes(fig):
    """Markers drawn (unclipped) beyond their axes, e.g. over a panel title."""
    draw(fig)
    bad = []
    for ax in plot_axes(fig):
        bb = ax.get_window_extent()
        for a in data_artists(ax):
            if not shows_marker(a) or a.get_clip_on():
                continue
            xy, r = points(a, ax, densify=False)
            out = ((xy[:, 0] - r < bb.x0 - 1) | (xy[:, 0] + r > bb.x1 + 1)
                   | (xy[:, 1] - r < bb.y0 - 1) | (xy[:, 1] + r > bb.y1 + 1))
            if out.any():
                bad.append(f"axes {ax.get_title()!r}: marker {a.get_label() or a.get_gid()!r}")
    return bad


@pytest.mark.parametrize("which", ["run_start", "run_late"])
def test_load_curves_layout(which, request):
    res = request.getfixturevalue(which)
    fig = plots.load_curves(res)
    assert check_layout(fig) == []
    assert _markers_outside_axes(fig) == []
    labels = [t.get_text() for ax in fig.axes if ax.get_legend()
              for t in ax.get_legend().get_texts()]
    assert any("spike" in s and "onset" in s for s in labels)  # the onset is keyed


@pytest.mark.parametrize("figure", ["pool_depletion", "stride_forces", "compensation_angles"])
def test_run_figures_layout(figure, run_start, run_late):
    for res in (run_start, run_late):
        fig = getattr(plots, figure)(res)
        assert check_layout(fig) == [], figure


def test_compare_runs_layout(run_start, run_late):
    fig = plots.compare_runs([run_start, run_late], ["tight, weak core", "demo runner"])
    assert check_layout(fig) == []
    assert _markers_outside_axes(fig) == []


# --------------------------------------------------------------------------- lessons

@pytest.fixture(scope="module")
def what_helps():
    from sim.lessons import what_helps

    return what_helps, what_helps.compute(minutes=90.0)


def test_what_helps_interventions(what_helps):
    mod, d = what_helps
    fig = mod._fig(d)
    assert check_layout(fig) == []
    assert similar_entries(fig) == []  # no two blues, no two oranges
    # every intervention's shear and pace can be seen: its line (its colour, its data) is
    # drawn, and not wholly under lines drawn after it
    draw(fig)
    for name, r in d["results"].items():
        colour = mod.CASES[name][1]
        for what, y in (("shear", r.shear_bw), ("pace", r.speed_mps)):
            found = [(ax, a) for ax in plot_axes(fig) for a in ax.lines
                     if _rgb_close(a.get_color(), colour) and len(a.get_ydata()) >= len(y)
                     and np.allclose(np.asarray(a.get_ydata(), float)[:len(y)], y, equal_nan=True)]
            assert found, f"{name}: its {what} is not drawn"
            assert any(not hidden_series(ax, [a]) for ax, a in found), \
                f"{name}: its {what} is hidden under other lines"


def test_tight_hip_flexors_stride_figure():
    from sim.lessons import tight_hip_flexors as mod

    d = mod.compute(minutes=30.0, tightness=mod.STRIDE_CASES)
    fig = mod._fig_stride(d)
    assert check_layout(fig) == []
    ax = plot_axes(fig)[0]
    labels = [t.get_text() for leg, _ in _legends(fig) for t in leg.get_texts()]
    assert "right-foot stance" in labels  # shaded like the other within-stride plots
    stance = [p for p in ax.patches if p.get_label() == "right-foot stance"]
    assert stance and _shown_inside(stance[0], ax)
    # early and late mean the same time for every runner
    whens = {s.split(", ", 1)[1] for s in labels if "deg tight, " in s}
    assert len(whens) == 2, whens
    fig = mod._fig_sweep(d)
    assert check_layout(fig) == []


def test_cascade_figures_key_every_panel():
    from sim.lessons import cascade as mod

    fig = mod._fig_time(mod.compute(minutes=30.0))
    assert check_layout(fig) == []
    fig = mod._fig_lean(mod.compute_lean(minutes=30.0))
    assert check_layout(fig) == []


def test_other_lesson_figures_layout():
    from sim.lessons import everything_connected, fast_twitch_energy, glute_med_to_lumbar

    d = fast_twitch_energy.compute(minutes=30.0)
    for fig in (fast_twitch_energy._fig_stores(d), fast_twitch_energy._fig_fibres(d)):
        assert check_layout(fig) == []
    d = glute_med_to_lumbar.compute(minutes=30.0)
    for fig in (glute_med_to_lumbar._fig_time(d), glute_med_to_lumbar._fig_sens(d)):
        assert check_layout(fig) == []
    fig = everything_connected._fig(everything_connected.compute(minutes=30.0))
    assert check_layout(fig) == []
