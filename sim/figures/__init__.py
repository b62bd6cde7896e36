"""Figures: of one run (:mod:`.plots`) and of a sweep (:mod:`.sweep_plots`).

Every function takes results and returns a matplotlib Figure; nothing here simulates.
"""
