"""The progress of a running sweep: one self-overwriting line on stderr.

:class:`_Progress` shows scenarios done out of the total, the percentage, the rate of
this run (scenarios computed now per second; reused chunks do not count) and the time
left; it draws only when the stream is a terminal, at most five times a second, and
ends with a one-line summary either way. :func:`_hms` formats a duration as
``h:mm:ss`` (also for the estimate printed before a large sweep).
"""
from __future__ import annotations

import math
import sys
import time


def _hms(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "?"
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class _Progress:
    """One self-overwriting line on stderr: done/total, percent, rate and time left."""

    def __init__(self, name: str, total: int, done: int, enabled: bool, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.name, self.total, self.done, self.new = name, total, done, 0
        self.t0 = time.perf_counter()
        self._last = 0.0
        self._width = 0
        self.draw(force=True)

    def update(self, n: int):
        self.done += n
        self.new += n
        self.draw()

    def rate(self) -> float:
        dt = time.perf_counter() - self.t0
        return self.new / dt if dt > 0 else 0.0

    def draw(self, force=False):
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and now - self._last < 0.2 and self.done < self.total:
            return
        self._last = now
        rate = self.rate()
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        line = (f"sweep {self.name}: {self.done}/{self.total} scenarios "
                f"({100.0 * self.done / self.total:.1f}%), {rate:.1f} scenarios/s, "
                f"{_hms(left)} left")
        pad = max(0, self._width - len(line))
        self._width = len(line)
        self.stream.write("\r" + line + " " * pad)
        self.stream.flush()

    def close(self, summary: str):
        if self.enabled:
            self.stream.write("\r" + " " * self._width + "\r")
        self.stream.write(summary + "\n")
        self.stream.flush()
