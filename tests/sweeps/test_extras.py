"""The optional extras install and import (under CI=true a missing extra fails, not skips)."""


def test_dask_distributed_extra(require_extra):
    distributed = require_extra("distributed")
    assert hasattr(distributed, "Client") and hasattr(distributed, "LocalCluster")


def test_sensitivity_extra(require_extra):
    require_extra("SALib")
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0.0, 1.0], [0.0, 1.0]]}
    x = sobol_sample.sample(problem, 8, calc_second_order=False)
    assert x.shape == (8 * (2 + 2), 2)
