"""The one style of every figure: palette, names, and the title/legend/footnote frame.

Every figure of the package (runs, sweeps, lessons, the validation report) uses these:

- :data:`PALETTE` -- the Okabe-Ito colour-blind-safe palette;
- :data:`DISCLAIMER` -- the footnote that this is an educational model, not medical advice;
- :data:`MUSCLE_LABELS` -- readable muscle names for legends and panel titles;
- :func:`finish_figure` -- a bold title, an optional subtitle, a figure legend below the
  panels, then notes and the disclaimer as a footnote, laid out so nothing overlaps.

Re-exported by :mod:`sim.figures.plots`, where they were defined before.
"""
from __future__ import annotations

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
DISCLAIMER = "Educational model, not medical advice."

#: Readable muscle names for legends and panel titles.
MUSCLE_LABELS = {
    "gluteus_medius": "gluteus medius", "gluteus_minimus": "gluteus minimus",
    "tensor_fasciae_latae": "tensor fasciae latae", "gluteus_maximus": "gluteus maximus",
    "hip_adductors": "hip adductors", "hamstrings": "hamstrings", "iliopsoas": "iliopsoas",
    "rectus_femoris": "rectus femoris", "vasti": "vasti (quadriceps)",
    "gastrocnemius": "gastrocnemius", "soleus": "soleus",
    "tibialis_anterior": "tibialis anterior", "multifidus": "multifidus",
    "quadratus_lumborum": "quadratus lumborum",
    "erector_spinae_deep": "erector spinae, deep\n(lumbar fascicles)",
    "erector_spinae_superficial": "erector spinae, superficial\n(thoracic fascicles)",
    "rectus_abdominis": "rectus abdominis", "obliques": "obliques",
}


def _label(name: str) -> str:
    return MUSCLE_LABELS.get(name, name.replace("_", " "))


def _figure(nrows, ncols, figsize, **kw):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained",
                             squeeze=False, **kw)
    return fig, axes


def finish_figure(fig, title, subtitle=None, notes=(), handles=None, ncol=3):
    """Bold title and a subtitle (the run), an optional figure legend below the panels,
    then notes and the disclaimer as a footnote.

    Legend and footnote are measured and the constrained layout keeps the strip they need
    free, so nothing overlaps at any figure size. Notes are wrapped, and the legend gets
    fewer columns, until they fit the width of the figure: text wider than the figure
    would widen the saved image (``bbox_inches="tight"``) and leave an empty strip beside
    the panels.
    """
    if subtitle is None:
        fig.suptitle(title, fontsize=13, fontweight="bold")
    else:
        # title in bold just above the figure, the run in normal weight below it; the
        # layout keeps a strip free for the subtitle (``top``)
        fig.suptitle(title, fontsize=13, fontweight="bold", y=1.0, va="bottom")
        fig.text(0.5, 1.0, subtitle, ha="center", va="top", fontsize=10, color="0.25",
                 gid="subtitle")
    h = fig.get_figheight()
    pad = 0.06  # [in]
    avail = (fig.get_figwidth() - 3 * pad) * fig.dpi  # [px] the width text may use
    lines = [n for n in notes if n] + [DISCLAIMER]
    foot = fig.text(0.01, pad / h, "\n".join(lines), ha="left", va="bottom", fontsize=8,
                    color="0.3", linespacing=1.4, gid="footnote")
    _wrap_to_width(foot, lines, avail)
    bottom = pad + foot.get_window_extent().height / fig.dpi + pad
    if handles:
        ncol = min(ncol, len(handles))
        while True:
            leg = fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, bottom / h),
                             ncol=ncol, fontsize=9, frameon=False)
            if ncol == 1 or leg.get_window_extent().width <= avail:
                break
            leg.remove()
            ncol -= 1
        bottom += leg.get_window_extent().height / fig.dpi
    top = (0.3 / h) if subtitle is not None else 0.0
    frac = min(bottom / h, 0.5)
    fig.get_layout_engine().set(rect=(0.0, frac, 1.0, 1.0 - frac - top))
    return fig


def _wrap_to_width(text, lines, width_px):
    """Wrap each of ``lines`` so that the text artist is at most ``width_px`` wide."""
    import textwrap

    chars = max(len(s) for s in lines)
    while text.get_window_extent().width > width_px and chars > 30:
        chars = int(chars * min(0.95, width_px / text.get_window_extent().width))
        text.set_text("\n".join(textwrap.fill(s, chars) for s in lines))
