"""How the glute-to-lumbar result depends on the lean cost and the knee-tracking gain.

Writes results/assumed_constants/table.md and rows.json.
Usage: python experiments/assumed_constants.py
"""
from pathlib import Path

from sim.results import atomic_write_text, write_json
from sim.sensitivity_assumed import as_markdown, glute_to_lumbar

if __name__ == "__main__":
    rows = glute_to_lumbar()
    out = Path("results/assumed_constants")
    write_json(out / "rows.json", rows)
    text = ("# Weak (0.7) vs normal gluteus medius after 2 h at 3.2 m/s\n\n"
            "Educational model, not medical advice.\n\n" + as_markdown(rows))
    atomic_write_text(out / "table.md", text)
    print(text)
