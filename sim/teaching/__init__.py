"""Teaching and checking: the demo, the six lessons and the validation report.

:mod:`.demo` (sliders and an animation), :mod:`.lessons`, :mod:`.validate` and
:mod:`.validation_back_load` (the validation report), :mod:`.sensitivity_assumed` (how
results move with assumed constants).
"""
