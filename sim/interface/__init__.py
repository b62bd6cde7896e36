"""The command line and the files it writes.

:mod:`.cli` (``runfatigue``), :mod:`.io` (a run's results directory) and :mod:`.bench`
(``runfatigue bench``). Configuration (:mod:`sim.config`, :mod:`sim.schema`), result
files (:mod:`sim.results`) and the user-facing error type (:mod:`sim.errors`) sit at the
package's top level, since every layer reads them.
"""
