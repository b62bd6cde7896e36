"""Muscle set (sim.muscles, sim/data/muscles.toml): provenance, signs, capacities."""
import doctest
import inspect

import numpy as np
import pytest

import sim.muscles as mus
from sim import params
from sim.muscles import DOFS, FATIGUE_CLASSES, SIDE_LEFT, SIDE_RIGHT, muscle_set, sharing_columns

REF_MASS = 75.44
EXPECTED = (
    "gluteus_medius", "gluteus_minimus", "tensor_fasciae_latae", "gluteus_maximus",
    "hip_adductors", "hamstrings", "iliopsoas", "rectus_femoris", "vasti", "gastrocnemius",
    "soleus", "tibialis_anterior", "multifidus", "quadratus_lumborum", "erector_spinae_deep",
    "erector_spinae_superficial", "rectus_abdominis", "obliques",
)
TRUNK = EXPECTED[12:]


@pytest.fixture(scope="module")
def ms():
    return muscle_set(REF_MASS)


def arm(ms, muscle, dof):
    return ms.A[DOFS.index(dof), ms.index(muscle)]


# --------------------------------------------------------------------------------------
# file and provenance
# --------------------------------------------------------------------------------------
def test_names_and_order(ms):
    assert ms.names == EXPECTED
    assert ms.A.shape == (len(DOFS), len(EXPECTED))


def test_every_number_has_unit_and_source():
    raw = params.load_quantities("muscles")        # raises on any bare number
    units = {"F0": "N", "p_st": "1", "shear_per_N": "1", "compression_per_N": "1"}
    for name, mu in raw["muscle"].items():
        for key, unit in units.items():
            if key in mu:
                q = mu[key]
                assert params.is_quantity(q) and q["unit"] == unit, (name, key)
                assert len(q["source"].strip()) > 10, (name, key)
        for dof, q in mu["moment_arm"].items():
            assert dof in DOFS, (name, dof)
            assert params.is_quantity(q) and q["unit"] == "m" and q["source"].strip(), (name, dof)
    for section in ("scaling", "passive_hip_flexors"):
        for key, q in raw[section].items():
            if key != "note":
                assert params.is_quantity(q) and q["source"].strip(), (section, key)


def test_assumptions_are_labelled():
    """A value without a citation must say it is an assumption (spot checks)."""
    raw = params.load_quantities("muscles")["muscle"]
    assert raw["quadratus_lumborum"]["p_st"]["source"].startswith("assumption")
    assert raw["erector_spinae_deep"]["shear_per_N"]["source"].startswith("assumption")
    assert "Rajagopal" in raw["gluteus_medius"]["F0"]["source"]
    assert "Christophy" in raw["multifidus"]["F0"]["source"]


def test_fields(ms):
    assert set(ms.fatigue_class) <= set(FATIGUE_CLASSES)
    assert [FATIGUE_CLASSES[i] for i in ms.fatigue_class_index] == list(ms.fatigue_class)
    assert set(ms.depth) <= {"deep", "superficial"}
    assert np.all((ms.p_st > 0) & (ms.p_st < 1))
    assert np.all(ms.F0 > 0)
    assert [n for n, p in zip(ms.names, ms.paired) if p] == list(TRUNK)
    for name in EXPECTED[:12]:
        cls = ms.fatigue_class[ms.index(name)]
        assert cls in ("general", "knee", "ankle")
    for name in TRUNK:
        assert ms.fatigue_class[ms.index(name)] == "trunk"
    # groups map back to names
    assert sum(len(v) for v in ms.groups.values()) == len(EXPECTED)
    assert ms.groups["hip_abductors"] == ("gluteus_medius", "gluteus_minimus", "tensor_fasciae_latae")
    assert ms.groups["lumbar_superficial"] == ("erector_spinae_superficial",)


def test_arrays_are_read_only(ms):
    with pytest.raises(ValueError):
        ms.F0[0] = 1.0
    with pytest.raises(ValueError):
        ms.A[0, 0] = 1.0


def test_unknown_muscle_and_bad_mass():
    with pytest.raises(KeyError, match="unknown muscle"):
        muscle_set().index("biceps")
    for bad in (0.0, -70.0, float("nan")):
        with pytest.raises(ValueError, match="mass"):
            muscle_set(bad)


# --------------------------------------------------------------------------------------
# signs (DOF convention) and lines of action
# --------------------------------------------------------------------------------------
def test_moment_arm_signs(ms):
    assert arm(ms, "hamstrings", "hip_flexion") < 0 and arm(ms, "hamstrings", "knee_extension") < 0
    assert arm(ms, "gastrocnemius", "ankle_plantarflexion") > 0
    assert arm(ms, "gastrocnemius", "knee_extension") < 0
    assert arm(ms, "tensor_fasciae_latae", "hip_abduction") > 0
    assert arm(ms, "tensor_fasciae_latae", "hip_flexion") > 0
    assert arm(ms, "hip_adductors", "hip_abduction") < 0
    assert arm(ms, "tibialis_anterior", "ankle_plantarflexion") < 0
    assert arm(ms, "gluteus_maximus", "hip_flexion") < 0
    assert arm(ms, "rectus_femoris", "hip_flexion") > 0 and arm(ms, "rectus_femoris", "knee_extension") > 0
    for name in ("multifidus", "quadratus_lumborum", "erector_spinae_deep", "erector_spinae_superficial"):
        assert arm(ms, name, "lumbar_extension") > 0 and arm(ms, name, "lumbar_bending") > 0, name
    for name in ("rectus_abdominis", "obliques"):
        assert arm(ms, name, "lumbar_extension") < 0 and arm(ms, name, "lumbar_bending") > 0, name
    # leg muscles do not act on the lumbar DOFs, trunk muscles not on the leg DOFs
    lumbar = [DOFS.index("lumbar_extension"), DOFS.index("lumbar_bending")]
    legs = [i for i in range(len(DOFS)) if i not in lumbar]
    for j, name in enumerate(ms.names):
        if ms.paired[j]:
            assert np.all(ms.A[legs, j] == 0), name
        else:
            assert np.all(ms.A[lumbar, j] == 0), name


def test_lines_of_action(ms):
    sh = dict(zip(ms.names, ms.shear_per_N))
    assert sh["erector_spinae_deep"] < -0.3                   # oblique pars lumborum: protective
    assert abs(sh["multifidus"]) < 0.15 and abs(sh["erector_spinae_superficial"]) < 0.15
    assert sh["erector_spinae_deep"] < min(sh["multifidus"], sh["erector_spinae_superficial"])
    assert sh["iliopsoas"] > 0                                # psoas pulls L5 forward
    comp = dict(zip(ms.names, ms.compression_per_N))
    for name in TRUNK + ("iliopsoas",):
        assert 0 < comp[name] <= 1.0, name
        assert sh[name] ** 2 + comp[name] ** 2 <= 1.0 + 1e-9, name   # a unit direction at most
    for name in EXPECTED[:12]:
        if name != "iliopsoas":
            assert sh[name] == 0 and comp[name] == 0, name


def test_fibre_types_follow_the_evidence(ms):
    p = dict(zip(ms.names, ms.p_st))
    # superficial (thoracic) lumbar fascicles are NOT the fast-twitch-rich ones
    assert p["erector_spinae_superficial"] > p["erector_spinae_deep"]
    assert p["soleus"] > p["gastrocnemius"] > p["rectus_femoris"]


# --------------------------------------------------------------------------------------
# capacities
# --------------------------------------------------------------------------------------
def test_every_dof_drivable_both_ways(ms):
    pos, neg = ms.moment_capacity()
    assert np.all(pos > 0) and np.all(neg < 0)


def test_capacity_against_running_peaks(ms):
    """Fresh capacity per DOF exceeds published running peaks in each loaded direction.

    Peaks [N m/kg]: hip abduction 1.8 and knee extension 2.5 (Heiderscheit et al. 2011,
    Table 3); the others are rounded maxima of the reference running curves at 2-5 m/s
    (Hamner & Delp 2013 data, shared/reference/gait), swing-phase artefacts excluded.
    """
    pos, neg = ms.moment_capacity()
    per_kg_pos, per_kg_neg = pos / REF_MASS, -neg / REF_MASS
    peaks_pos = {"hip_flexion": 1.9, "hip_abduction": 1.8, "knee_extension": 3.1,
                 "ankle_plantarflexion": 3.7, "lumbar_extension": 1.2, "lumbar_bending": 0.65}
    peaks_neg = {"hip_flexion": 2.1, "hip_abduction": 0.3, "knee_extension": 1.25,
                 "ankle_plantarflexion": 0.22, "lumbar_extension": 0.62, "lumbar_bending": 0.65}
    for dof, peak in peaks_pos.items():
        assert per_kg_pos[DOFS.index(dof)] > peak, dof
    for dof, peak in peaks_neg.items():
        assert per_kg_neg[DOFS.index(dof)] > peak, dof


def test_group_capacities_match_reference(ms):
    """Sum of F0 * r of the groups against the values derived from the source models."""
    pos, _ = ms.moment_capacity()
    # hip abductors 193 N m = 2.6 N m/kg, knee extensors 510 N m (Rajagopal model [D])
    assert pos[DOFS.index("hip_abduction")] / REF_MASS == pytest.approx(2.6, rel=0.05)
    assert pos[DOFS.index("knee_extension")] == pytest.approx(510.0, rel=0.05)
    # bilateral lumbar extensors (erector spinae + multifidus) ~190 N m in Christophy/MyoSuite
    # [D], times the trunk-strength factor 288/202 (muscles.toml [trunk_strength])
    j = [ms.index(n) for n in ("multifidus", "erector_spinae_deep", "erector_spinae_superficial")]
    bilateral = 2.0 * float(np.sum(ms.F0[j] * ms.A[DOFS.index("lumbar_extension"), j]))
    assert bilateral == pytest.approx(190.0 * 288.0 / 201.6, rel=0.05)


def test_lumbar_extension_capacity_is_measured_trunk_strength():
    """Fresh reference runner (75.44 kg): 220-320 N m, measured trunk extension strength."""
    pos, _ = mus.muscle_set(75.44).moment_capacity()
    assert 220.0 <= pos[DOFS.index("lumbar_extension")] <= 320.0
    assert pos[DOFS.index("lumbar_extension")] == pytest.approx(288.0, rel=1e-9)


def test_mass_scaling():
    ref = muscle_set(REF_MASS)
    assert ref.force_scale == pytest.approx(1.0) and ref.moment_arm_scale == pytest.approx(1.0)
    big = muscle_set(2.0 * REF_MASS)
    np.testing.assert_allclose(big.F0, ref.F0 * 2.0 ** (2.0 / 3.0))
    np.testing.assert_allclose(big.A, ref.A * 2.0 ** (1.0 / 3.0))
    # joint-moment capacity scales with mass, like the per-kg running moments
    np.testing.assert_allclose(big.moment_capacity()[0], 2.0 * ref.moment_capacity()[0])


# --------------------------------------------------------------------------------------
# left/right columns
# --------------------------------------------------------------------------------------
def test_sharing_columns(ms):
    cols = sharing_columns(ms)
    n_pair = int(ms.paired.sum())
    assert cols.n_columns == ms.n_muscles + n_pair
    bend = DOFS.index("lumbar_bending")
    for c, name in enumerate(cols.names):
        j = cols.column_muscle[c]
        assert name.startswith(ms.names[j])
        expected = ms.A[:, j].copy()
        if cols.column_side[c] == SIDE_LEFT:
            assert name.endswith("_l") and cols.names[c - 1] == ms.names[j] + "_r"
            expected[bend] = -expected[bend]
        else:
            assert cols.column_side[c] == SIDE_RIGHT
        np.testing.assert_array_equal(cols.A[:, c], expected)
        assert cols.F0[c] == ms.F0[j] and cols.shear_per_N[c] == ms.shear_per_N[j]
    # left and right bending arms cancel: a symmetric pair cannot bend the trunk
    assert cols.A[bend].sum() == pytest.approx(2 * sum(
        ms.A[bend, j] for j in range(ms.n_muscles) if not ms.paired[j]))


@pytest.mark.parametrize("n_phase", [8, 9])
def test_column_capacities_half_cycle(ms, n_phase):
    cols = sharing_columns(ms)
    phase = np.arange(n_phase) / n_phase
    # a smooth periodic capacity profile per muscle, different per muscle
    cap = ms.F0[None, :] * (0.7 + 0.2 * np.cos(2 * np.pi * (phase[:, None] + np.arange(ms.n_muscles) / 7)))
    out = mus.column_capacities(cap, cols)
    for c in range(cols.n_columns):
        j = cols.column_muscle[c]
        if cols.column_side[c] == SIDE_RIGHT:
            np.testing.assert_array_equal(out[:, c], cap[:, j])
        elif n_phase % 2 == 0:
            np.testing.assert_array_equal(out[:, c], np.roll(cap[:, j], -n_phase // 2))
        else:   # linear interpolation half a sample off the grid
            half = 0.5 * (np.roll(cap[:, j], -(n_phase // 2)) + np.roll(cap[:, j], -(n_phase // 2) - 1))
            np.testing.assert_allclose(out[:, c], half, rtol=1e-12)


def test_column_forces_to_muscles_round_trip(ms):
    """Symmetric column forces fold back onto the right muscle's force."""
    cols = sharing_columns(ms)
    n_phase = 10
    rng = np.random.default_rng(3)
    right = rng.uniform(0, 500, (n_phase, ms.n_muscles))
    F = mus.column_capacities(right, cols)          # left column = right muscle half a cycle later
    np.testing.assert_allclose(mus.column_forces_to_muscles(F, cols), right, rtol=1e-12)


def test_shape_errors(ms):
    cols = sharing_columns(ms)
    with pytest.raises(ValueError):
        mus.column_capacities(np.ones((4, 3)), cols)
    with pytest.raises(ValueError):
        mus.column_forces_to_muscles(np.ones((4, 3)), cols)


# --------------------------------------------------------------------------------------
# examples
# --------------------------------------------------------------------------------------
def test_examples_run():
    res = doctest.testmod(mus, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0 and res.attempted > 10


def test_every_public_function_has_an_example():
    for name in mus.__all__:
        obj = getattr(mus, name)
        if inspect.isfunction(obj):
            assert "Examples" in (obj.__doc__ or ""), name


def test_effort_scale_of_lumped_muscles():
    ms = muscle_set()
    rho = dict(zip(ms.names, ms.effort_scale))
    assert rho["gluteus_medius"] == 1.0 and rho["multifidus"] == 1.0
    assert rho["erector_spinae_superficial"] == pytest.approx(np.hypot(543.0, 395.3) / 938.3)
    assert rho["hamstrings"] == pytest.approx(
        np.sqrt(1313.0 ** 2 + 557.0 ** 2 + 2201.0 ** 2 + 591.0 ** 2) / 4662.0)
    assert np.all((ms.effort_scale > 0) & (ms.effort_scale <= 1))
