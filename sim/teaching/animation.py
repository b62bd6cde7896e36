"""An animation of one run: stick figure, capacity and back-load bars, run clock.

:func:`animate_run` draws a :class:`~sim.core.simulation.RunResult` frame by frame into a
GIF; :func:`status_text` is the one-line state of the run both the animation and the
demo window (:mod:`sim.teaching.demo`) show. The stick figure exaggerates the trunk lean
and the pelvic tilt (:data:`LEAN_EXAGGERATION`, :data:`TILT_EXAGGERATION`) so that a
few degrees can be seen.
"""
from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np

from ..figures.plots import DISCLAIMER, PALETTE
from ..results import atomic_write_bytes

__all__ = ["animate_run", "status_text", "GROUPS", "LEAN_EXAGGERATION", "TILT_EXAGGERATION"]

#: The stick figure draws the trunk lean this many times larger than simulated.
LEAN_EXAGGERATION = 4.0

#: The stick figure draws the extra anterior pelvic tilt this many times larger.
TILT_EXAGGERATION = 2.0

#: The muscle groups of the capacity panel and bars: group -> (label, colour).
GROUPS = {
    "hip_abductors": ("hip abductors (gluteus medius, minimus, TFL)", PALETTE["orange"]),
    "knee_extensors": ("quadriceps", PALETTE["sky"]),
    "lumbar_deep": ("deep lumbar muscles", PALETTE["blue"]),
    "lumbar_superficial": ("superficial lumbar muscles", PALETTE["vermillion"]),
}

_SHORT = {"hip_abductors": "hip abductors", "knee_extensors": "quadriceps",
          "lumbar_deep": "deep lumbar", "lumbar_superficial": "superficial lumbar"}

#: What the runner is doing in each pace-policy stage (:data:`sim.core.engine.STAGES`).
_STAGE_TEXT = ("running at the planned pace", "slowed to a moderate jog",
               "stopped to stretch", "jogging after stretching",
               "lying on the back, hugging the knees", "jogging after the rest")

def _mid_min(res):
    """Checkpoint mid-times [min] (loads describe the block; states are at its start)."""
    return (res.time_s + 0.5 * res.duration_s) / 60.0

def status_text(res) -> str:
    """One line on the back-load spike of a run, for people.

    Examples
    --------
    >>> import sim
    >>> res = sim.simulate(sim.load_config(None, {"run.duration_min": 10}))
    >>> status_text(res).startswith("No back-load spike")
    True
    """
    cfg = res.config
    if cfg.spike.index == "shear_bw":
        what = f"L5/S1 shear above {cfg.spike.shear_threshold_bw:g} BW"
    else:
        what = f"superficial lumbar load above {cfg.spike.superficial_threshold:g} of capacity"
    hold = f"{cfg.spike.hold_s / 60:g} min"
    onset = res.spike_onset_s
    if not np.isfinite(onset):
        head = f"No back-load spike: {what} never held for {hold}."
    elif onset < 1.0:
        head = f"Back load high from the start: {what} from the first minutes."
    else:
        head = f"Back-load spike at {onset / 60:.0f} min: {what} held for {hold} or more."
    s = res.summary()
    tail = f"  Peak shear {s['peak_shear_bw']:.2f} BW; {s['distance_km']:.1f} km."
    if s["infeasible_strides"] > 0:
        tail += (f"  The muscles could not hold this pace in {s['infeasible_strides']:.0f} "
                 "strides.")
    return head + tail

def _rot(x, y, deg, ox=0.0, oy=0.0):
    """Rotate points (x, y) by ``deg`` counter-clockwise about (ox, oy)."""
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    x, y = np.asarray(x, float) - ox, np.asarray(y, float) - oy
    return ox + c * x - s * y, oy + s * x + c * y

def _side_view(tilt_draw_deg):
    """Side view (runner faces right): pelvis, lumbar curve, trunk, rear thigh.

    Returns a dict of (x, y) arrays. The pelvis turns forward about the hip by the drawn
    extra anterior tilt; the lumbar spine extends by as much so the trunk stays upright
    (the model's compensation); the rear thigh keeps the extension the stride needs.
    """
    # the pelvis as the coaches' "bucket" (open at the top), relative to the hip joint
    # (0, 0); the spine leaves its back rim at L5/S1. Anterior tilt tips it forward.
    px = np.array([-0.2, -0.13, 0.12, 0.2])
    py = np.array([0.26, -0.1, -0.1, 0.26])
    px, py = _rot(px, py, -tilt_draw_deg)             # clockwise = anterior tilt
    sx, sy = (float(v) for v in _rot(-0.2, 0.26, -tilt_draw_deg))
    t12 = (-0.13, 0.66)
    # the lumbar curve bulges forward (lordosis) with the extra extension
    bulge = 0.05 + 0.004 * tilt_draw_deg
    cx, cy = 0.5 * (sx + t12[0]) + bulge, 0.5 * (sy + t12[1])
    u = np.linspace(0.0, 1.0, 24)
    lx = (1 - u) ** 2 * sx + 2 * (1 - u) * u * cx + u ** 2 * t12[0]
    ly = (1 - u) ** 2 * sy + 2 * (1 - u) * u * cy + u ** 2 * t12[1]
    trunk = (np.array([t12[0], t12[0]]), np.array([t12[1], 1.0]))
    thigh = _rot([0.0, 0.0], [0.0, -0.62], -20.0)      # rear leg, hip extended
    # the sacral plateau steepens with anterior tilt; shear pushes L5 forward-down along it
    return {"pelvis": (px, py), "l5s1": (sx, sy), "lumbar": (lx, ly), "trunk": trunk,
            "thigh": thigh, "head": (t12[0], 1.1), "disc_deg": -(35.0 + tilt_draw_deg)}

def _back_view(lean_draw_deg):
    """Back view: pelvis level, trunk leaning over the right (stance) hip."""
    pelvis = (np.array([-0.2, 0.2]), np.array([0.0, 0.0]))
    legs = ((np.array([-0.11, -0.15]), np.array([0.0, -0.62])),
            (np.array([0.11, 0.11]), np.array([0.0, -0.62])))
    # seen from behind, the runner's right is the viewer's right; lean toward it
    sx, sy = _rot([0.0, 0.0], [0.0, 1.0], -lean_draw_deg)
    shx, shy = _rot([-0.22, 0.22], [0.86, 0.86], -lean_draw_deg)
    hx, hy = _rot(0.0, 1.1, -lean_draw_deg)
    return {"pelvis": pelvis, "legs": legs, "spine": (sx, sy), "shoulders": (shx, shy),
            "head": (float(hx), float(hy))}

def _clock(seconds: float) -> str:
    m = int(round(seconds)) // 60
    return f"{m // 60}:{m % 60:02d}"

def _policy_text(cfg) -> str:
    iv = cfg.intervention
    parts = []
    if iv.stretch_before_deg > 0:
        parts.append(f"stretched {iv.stretch_before_deg:g}° before")
    parts += {"none": [], "slow_down": ["slows down when back load is high"],
              "in_run_sequence": ["in-run sequence (slow down, stretch, lie down)"]}[
        iv.pace_policy]
    if iv.rest_breaks:
        parts.append(f"{len(iv.rest_breaks)} rest break(s)")
    return ", ".join(parts) if parts else "none"

def animate_run(res, path, frames: int = 60, fps: int = 10, dpi: int = 80, progress=None):
    """Write a GIF of one run: stick figure, capacity and back-load bars, run clock.

    Left, a stick figure of pelvis and trunk seen from behind (trunk lateral lean over the
    stance hip, drawn :data:`LEAN_EXAGGERATION` times larger) and from the side (extra
    anterior pelvic tilt with the lumbar spine bending back, drawn
    :data:`TILT_EXAGGERATION` times larger; the L5/S1 anterior shear as an arrow), over
    a grey upright reference. Right, bars of muscle-group capacity [% of fresh] and of
    the back load (peak L5/S1 anterior shear [BW] and superficial lumbar load [force /
    fresh capacity], each against its threshold), and the shear over the whole run with
    a moving marker. Frames are evenly spaced in run time. The GIF is rendered into a
    temporary file and then written to ``path`` atomically.

    Parameters
    ----------
    res : RunResult
        From :func:`sim.simulate`.
    path : str or pathlib.Path
        The GIF to write (parent directories are created).
    frames : int
        Number of frames (at least 2).
    fps : int
        Frames per second.
    dpi : int
        Resolution; the frame is 10 × 6 inches (800 × 480 pixels at 80 dpi).
    progress : callable, optional
        Called with a short message after every tenth frame.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import sim, tempfile, pathlib
    >>> res = sim.simulate(sim.load_config(None, {"run.duration_min": 10}))
    >>> out = animate_run(res, pathlib.Path(tempfile.mkdtemp()) / "run.gif", frames=3)
    >>> out.stat().st_size > 0
    True
    """
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter

    frames = int(frames)
    if frames < 2:
        raise ValueError(f"frames = {frames}: an animation needs at least 2 frames")
    if not fps > 0:
        raise ValueError(f"fps = {fps}: must be positive")
    cfg = res.config
    t_end = float(res.time_s[-1] + res.duration_s[-1])
    times = np.linspace(0.0, t_end, frames)
    ck = np.clip(np.searchsorted(res.time_s, times, side="right") - 1, 0, res.time_s.size - 1)
    caps = {g: 100.0 * np.interp(times, res.time_s, res.group_capacity(g)) for g in GROUPS}
    thr_s = cfg.spike.shear_threshold_bw
    thr_u = cfg.spike.superficial_threshold
    shear_max = max(1.4, float(np.nanmax(np.r_[res.shear_bw, thr_s])) * 1.1)
    sup_max = max(1.2, float(np.nanmax(np.r_[res.superficial_load_index, thr_u])) * 1.1)
    onset = res.spike_onset_s
    grey = "0.82"

    fig = plt.figure(figsize=(10.0, 6.0), dpi=dpi)
    fig.text(0.02, 0.95, "A run, minute by minute", fontsize=13, weight="bold")
    sc = cfg.scenario
    speeds = res.speed_mps[res.speed_mps > 0]
    pace = (f"{cfg.run.speed_mps:g} m/s" if cfg.run.speed_mps is not None
            else f"{speeds.min():g}–{speeds.max():g} m/s" if speeds.size else "")
    fig.text(0.02, 0.885, f"{cfg.run.duration_min:g} min at {pace}; hip-flexor tightness "
             f"{sc.hip_flexor_tightness_deg:g}°, gluteus medius ×{sc.glute_med_strength:g}, "
             f"deep core ×{sc.core_strength:g}\ninterventions: {_policy_text(cfg)}",
             fontsize=8.5, color="0.3")
    clock = fig.text(0.98, 0.94, "", fontsize=17, ha="right", family="monospace",
                     weight="bold")
    doing = fig.text(0.98, 0.905, "", fontsize=9, ha="right", color="0.25")

    # ---- stick figures
    ax_b = fig.add_axes([0.0, 0.235, 0.22, 0.59])
    ax_f = fig.add_axes([0.21, 0.235, 0.25, 0.59])
    for ax in (ax_b, ax_f):
        ax.set_ylim(-0.72, 1.25)
        ax.set_aspect("equal", adjustable="box")
        ax.axis("off")
    ax_b.set_xlim(-0.55, 0.55)
    ax_f.set_xlim(-0.6, 0.65)
    ax_b.set_title("from behind", fontsize=9)
    ax_f.set_title("from the side (facing right)", fontsize=9)
    lw = 3.0
    # grey upright reference (no lean, no extra tilt)
    ref_b, ref_f = _back_view(0.0), _side_view(0.0)
    ax_b.plot(*ref_b["spine"], color=grey, lw=lw, zorder=0)
    ax_b.plot(*ref_b["shoulders"], color=grey, lw=lw, zorder=0)
    ax_f.plot(*ref_f["pelvis"], color=grey, lw=2, zorder=0)
    ax_f.plot(*ref_f["lumbar"], color=grey, lw=lw, zorder=0)
    for leg in ref_b["legs"]:
        ax_b.plot(*leg, color="0.35", lw=lw)
    b_pelvis, = ax_b.plot(*ref_b["pelvis"], color=PALETTE["purple"], lw=lw + 2,
                          solid_capstyle="round")
    b_spine, = ax_b.plot([], [], color=PALETTE["green"], lw=lw)
    b_sh, = ax_b.plot([], [], color=PALETTE["green"], lw=lw, solid_capstyle="round")
    b_head = plt.Circle((0, 1.1), 0.08, fc="white", ec="0.2", lw=2)
    ax_b.add_patch(b_head)
    ax_b.text(0.13, -0.66, "stance leg", fontsize=7, ha="left", va="center", color="0.4")
    b_text = ax_b.text(0.0, -0.74, "", fontsize=8.5, ha="center", va="top")
    f_thigh, = ax_f.plot(*ref_f["thigh"], color="0.35", lw=lw)
    f_pelvis, = ax_f.plot([], [], color=PALETTE["purple"], lw=2.5)
    f_lumbar, = ax_f.plot([], [], color=PALETTE["vermillion"], lw=lw)
    f_trunk, = ax_f.plot([], [], color=PALETTE["green"], lw=lw)
    f_head = plt.Circle(ref_f["head"], 0.08, fc="white", ec="0.2", lw=2)
    ax_f.add_patch(f_head)
    ax_f.plot([0.0], [0.0], "o", color="0.35", ms=4)
    f_joint, = ax_f.plot([], [], "o", color="black", ms=5, zorder=5)
    f_jlabel = ax_f.text(0.0, 0.0, "L5/S1", fontsize=7, ha="right", va="top")
    f_arrow = ax_f.annotate("", xy=(0, 0), xytext=(0, 0), zorder=6,
                            arrowprops=dict(arrowstyle="-|>", lw=2.5, color="black",
                                            mutation_scale=14))
    f_text = ax_f.text(0.0, -0.74, "", fontsize=8.5, ha="center", va="top")
    pause = fig.text(0.23, 0.52, "", fontsize=11, ha="center", va="center", weight="bold",
                     color="0.2", bbox=dict(fc="white", ec="0.6", boxstyle="round"))
    figure_artists = [b_spine, b_sh, b_head, b_pelvis, f_pelvis, f_lumbar, f_trunk, f_head,
                      f_joint, f_thigh] + [ln for ln in ax_b.lines if ln.get_color() == "0.35"]
    fig.text(0.23, 0.075, f"Angles drawn exaggerated (lean ×{LEAN_EXAGGERATION:g}, "
             f"tilt ×{TILT_EXAGGERATION:g}); grey: upright reference.\nArrow: L5/S1 "
             "anterior shear (red above the spike threshold).", fontsize=8, ha="center",
             color="0.3")

    # ---- capacity bars
    ax_c = fig.add_axes([0.63, 0.625, 0.33, 0.22])
    names = list(GROUPS)
    ypos = np.arange(len(names))[::-1]
    ax_c.barh(ypos, [100] * len(names), color="none", edgecolor="0.75", height=0.6)
    cap_bars = ax_c.barh(ypos, [100] * len(names), color=[GROUPS[g][1] for g in names],
                         height=0.6)
    cap_txt = [ax_c.text(2, y, "", va="center", fontsize=8, color="white", weight="bold")
               for y in ypos]
    ax_c.set_yticks(ypos, [_SHORT[g] for g in names], fontsize=9)
    ax_c.set_xlim(0, 100)
    ax_c.set_xlabel("capacity [% of fresh]", fontsize=8)
    ax_c.set_title("Muscle capacity left", fontsize=10, loc="left")
    ax_c.tick_params(labelsize=8)

    # ---- back-load bars, each on its own scale with its threshold
    ax_l = fig.add_axes([0.63, 0.45, 0.33, 0.055])
    ax_u = fig.add_axes([0.63, 0.3, 0.33, 0.055])
    load_bars, load_txt = [], []
    for ax, top, thr, label, unit in (
            (ax_l, shear_max, thr_s, "L5/S1 shear", "peak anterior shear [body weights]"),
            (ax_u, sup_max, thr_u, "superficial\nlumbar load",
             "superficial lumbar muscles: peak force / fresh capacity")):
        ax.barh([0], [top], color="none", edgecolor="0.75", height=0.8)
        load_bars.append(ax.barh([0], [0.0], color="0.3", height=0.8)[0])
        ax.axvline(thr, color="black", ls="--", lw=1.5, zorder=4)
        ax.text(thr, 1.02, f"threshold {thr:g}", color="black", fontsize=7,
                va="bottom", ha="center", transform=ax.get_xaxis_transform())
        ax.set_xlim(0, top)
        ax.set_ylim(-0.5, 0.5)
        ax.set_yticks([0], [label], fontsize=9)
        ax.set_xlabel(unit, fontsize=8, labelpad=1)
        ax.tick_params(labelsize=8)
        load_txt.append(ax.text(0.01, 0.5, "", fontsize=8, va="center", weight="bold",
                                transform=ax.transAxes))
    ax_l.set_title("Back load (per stride)", fontsize=10, loc="left", pad=12)

    # ---- whole-run strip of shear with a moving marker
    ax_t = fig.add_axes([0.63, 0.125, 0.33, 0.06])
    ax_t.plot(_mid_min(res), res.shear_bw, color="0.25", lw=1.2)
    ax_t.axhline(thr_s, color=PALETTE["vermillion"], ls=":", lw=1)
    if np.isfinite(onset):
        ax_t.axvline(onset / 60.0, color=PALETTE["vermillion"], ls="--", lw=1)
    lo = float(np.nanmin(np.r_[res.shear_bw, thr_s]))
    hi = float(np.nanmax(np.r_[res.shear_bw, thr_s]))
    pad = max(0.05, 0.15 * (hi - lo))
    ax_t.set_ylim(lo - pad, hi + pad)
    cursor = ax_t.axvline(0.0, color=PALETTE["blue"], lw=2)
    ax_t.set_xlim(0, t_end / 60.0)
    ax_t.set_title("shear [BW] over the whole run", fontsize=8, loc="left", pad=2)
    ax_t.set_xlabel("run time [min]", fontsize=8, labelpad=1)
    ax_t.tick_params(labelsize=7)

    fig.text(0.02, 0.035, status_text(res), fontsize=8.5,
             color=PALETTE["vermillion"] if np.isfinite(onset) else "black")
    fig.text(0.02, 0.008, DISCLAIMER, fontsize=7.5, color="0.4")

    def draw(i):
        k = ck[i]
        resting = not res.speed_mps[k] > 0
        lean = 0.0 if resting else float(np.nan_to_num(res.trunk_lean_deg[k]))
        tilt = 0.0 if resting else float(np.nan_to_num(res.pelvic_tilt_deg[k]))
        shear = float("nan") if resting else float(res.shear_bw[k])
        sup = float("nan") if resting else float(res.superficial_load_index[k])

        clock.set_text(f"run time {_clock(times[i])} h:min")
        stage = int(res.stage[k])
        what = _STAGE_TEXT[stage] if 0 <= stage < len(_STAGE_TEXT) else ""
        if resting and stage == 0:
            what = "rest break"
        doing.set_text(what if resting else f"{what}, {res.speed_mps[k]:.1f} m/s")
        pause.set_text(f"not running:\n{what}" if resting else "")
        pause.set_visible(resting)
        for artist in figure_artists:
            artist.set_alpha(0.25 if resting else 1.0)

        bv = _back_view(LEAN_EXAGGERATION * lean)
        b_spine.set_data(*bv["spine"])
        b_sh.set_data(*bv["shoulders"])
        b_head.center = bv["head"]
        b_text.set_text(f"trunk lean {lean:.1f}°\n(drawn ×{LEAN_EXAGGERATION:g})")

        sv = _side_view(TILT_EXAGGERATION * tilt)
        f_pelvis.set_data(*sv["pelvis"])
        f_lumbar.set_data(*sv["lumbar"])
        f_trunk.set_data(*sv["trunk"])
        jx, jy = sv["l5s1"]
        f_joint.set_data([jx], [jy])
        f_jlabel.set_position((jx - 0.03, jy - 0.02))
        if np.isfinite(shear):
            d = math.radians(sv["disc_deg"])
            length = 0.45 * shear
            f_arrow.xy = (jx + length * math.cos(d), jy + length * math.sin(d))
            f_arrow.set_position((jx, jy))
            f_arrow.arrow_patch.set_color(PALETTE["vermillion"] if shear > thr_s else "black")
            f_arrow.set_visible(True)
        else:
            f_arrow.set_visible(False)
        f_text.set_text(f"extra anterior pelvic tilt {tilt:.1f}°\n"
                        f"(drawn ×{TILT_EXAGGERATION:g})")

        for bar, txt, g in zip(cap_bars, cap_txt, names):
            bar.set_width(caps[g][i])
            txt.set_text(f"{caps[g][i]:.0f} %")
        for bar, txt, v, thr in zip(load_bars, load_txt, (shear, sup), (thr_s, thr_u)):
            ok = np.isfinite(v)
            bar.set_width(v if ok else 0.0)
            bar.set_color(PALETTE["vermillion"] if ok and v > thr else "0.3")
            txt.set_text("not running" if not ok else f"{v:.3f}" if round(v, 2) == thr
                         else f"{v:.2f}")
            txt.set_color("white" if ok else "0.3")
        cursor.set_xdata([times[i] / 60.0, times[i] / 60.0])
        return []

    anim = FuncAnimation(fig, draw, frames=frames, interval=1000.0 / fps, blit=False,
                         repeat=False)
    path = Path(path)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp_gif = Path(tmp) / "animation.gif"
            def tick(i, n):
                if progress and (i + 1) % 10 == 0 and i + 1 < n:
                    progress(f"frame {i + 1}/{n}")

            anim.save(tmp_gif, writer=PillowWriter(fps=fps), dpi=dpi, progress_callback=tick)
            data = tmp_gif.read_bytes()
    finally:
        plt.close(fig)
    return atomic_write_bytes(path, data)
