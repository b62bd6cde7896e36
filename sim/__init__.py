"""runfatigue: fibre-pool fatigue and the shift of running load onto the lower back.

An educational and exploratory model, not medical advice.
"""
__version__ = "0.1.0"
