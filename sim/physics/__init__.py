"""The physics of a running stride and of tiring muscles.

Gait demand (:mod:`.gait`), the muscle set (:mod:`.muscles`), fatigue-aware load sharing
(:mod:`.sharing`), compensations (:mod:`.compensation`), L5/S1 loads (:mod:`.spine`),
back-load indices (:mod:`.metrics`), pace plans (:mod:`.pace`), intensity domains
(:mod:`.reserve`), the fibre pools (:mod:`.fatigue`), and the parameter files every number
comes from (:mod:`.params`, :mod:`.energy`). The lowest layer: it imports only
:mod:`sim.jit` and :mod:`sim.errors` from outside itself.
"""
