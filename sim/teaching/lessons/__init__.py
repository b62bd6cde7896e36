"""Teaching lessons: one per point of the story (DESIGN §1), each a figure set and a page.

Each lesson module has ``build(out_dir) -> list[Path]``: it runs the model (short
block-mode runs), draws 1-3 figures and writes ``<out_dir>/<lesson>/README.md`` with
the numbers of that run, what the model assumes, what it leaves out, and the reminder
that this is an educational model, not medical advice. :func:`build_all` builds them in
order and writes an index page ``<out_dir>/README.md``.

=========================  ====================================================
lesson                     article point
=========================  ====================================================
``fast_twitch_energy``     1. fast-twitch fibres hold energy and lose it
``cascade``                2. knee tracking and pelvic stability
``glute_med_to_lumbar``    3. a tired gluteus medius overworks the lumbar muscles
``tight_hip_flexors``      4. tight hip flexors → pelvic tilt and lumbar shear
``everything_connected``   5. everything is connected (sensitivity view)
``what_helps``             6. slowing down, stretching, resting
=========================  ====================================================

Examples
--------
>>> list(LESSONS)[:2]
['fast_twitch_energy', 'cascade']
>>> build_all("/tmp/never", only=["no_such_lesson"])
Traceback (most recent call last):
...
ValueError: unknown lesson(s) 'no_such_lesson'; choose from: fast_twitch_energy, cascade, glute_med_to_lumbar, tight_hip_flexors, everything_connected, what_helps
>>> import tempfile
>>> paths = build_all(tempfile.mkdtemp(), only=["tight_hip_flexors"])  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

from . import (cascade, everything_connected, fast_twitch_energy, glute_med_to_lumbar,
               tight_hip_flexors, what_helps)
from ._common import DISCLAIMER_LINE, write_page

__all__ = ["LESSONS", "TITLES", "build_all"]

_MODULES = (fast_twitch_energy, cascade, glute_med_to_lumbar, tight_hip_flexors,
            everything_connected, what_helps)
#: Lesson name -> build function, in teaching order.
LESSONS = {m.NAME: m.build for m in _MODULES}
#: Lesson name -> title.
TITLES = {m.NAME: m.TITLE for m in _MODULES}


def _index(out_dir: Path, built, written) -> Path:
    lines = [f"# runfatigue lessons\n\n{DISCLAIMER_LINE}\n",
             "Six short lessons, one per point of the story *why a runner's lower back starts "
             "to hurt late in a run*. Each page shows figures from runs of the model, the "
             "numbers of those runs, what the model assumes and what it leaves out. Where the "
             "article and the evidence disagree, the pages show both and say which the model "
             "uses.\n"]
    for i, name in enumerate(LESSONS, 1):
        note = "" if name in built else " (not built in this call)"
        lines.append(f"{i}. [{TITLES[name]}]({name}/README.md){note}")
    lines.append("\nRebuild them all with `runfatigue lessons`, or one at a time with "
                 "`python experiments/lesson_<name>.py`.")
    return write_page(out_dir / "README.md", "\n".join(lines), written)


def build_all(out_dir="results/lessons", only=None, progress=None) -> list[Path]:
    """Build the lessons (all, or those named in ``only``) and the index page.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Directory of the lessons; each lesson writes into ``out_dir/<name>/``.
    only : iterable of str, optional
        Lesson names to build (default: all, in :data:`LESSONS` order).
    progress : callable, optional
        Called with a short message before each lesson is built.

    Returns
    -------
    list of pathlib.Path
        Every file written (figures, pages, the index ``out_dir/README.md``).

    Raises
    ------
    ValueError
        If ``only`` names an unknown lesson (the message lists the lesson names).
    """
    if isinstance(only, str):
        only = [only]
    names = list(LESSONS) if only is None else list(only)
    bad = [n for n in names if n not in LESSONS]
    if bad:
        raise ValueError(f"unknown lesson(s) {', '.join(repr(b) for b in bad)}; choose from: "
                         + ", ".join(LESSONS))
    names = [n for n in LESSONS if n in names]
    out = Path(out_dir)
    written: list[Path] = []
    for k, n in enumerate(names, 1):
        if progress:
            progress(f"building {n} ({k}/{len(names)}) ...")
        written += LESSONS[n](out)
    _index(out, names, written)
    return written
