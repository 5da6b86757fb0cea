"""Memory layout does not change a result: Fortran order, transposes and strided views.

An implementation that writes through ``out=`` buffers or reshaped views (as the
cache-blocked versions of these functions once did) can return garbage for a layout
that no value test on C-ordered input would catch; these tests pin every layout.
"""

from __future__ import annotations

import numpy as np
import pytest

import helpers

ELEMENTWISE = {
    "sigmoid": (helpers.sigmoid, lambda x: x),
    "sigmoid_grad": (helpers.sigmoid_grad, lambda x: x),
    "log_sigmoid": (helpers.log_sigmoid, lambda x: x),
    "softplus": (helpers.softplus, lambda x: x),
    "logit": (helpers.logit, helpers.sigmoid),
}
ALONG_AXIS = {
    "softmax": helpers.softmax,
    "log_softmax": helpers.log_softmax,
    "logsumexp": helpers.logsumexp,
}


def layouts(dtype):
    """The same values, C-contiguous, in four other layouts."""
    rng = np.random.default_rng(7)
    base = (20 * rng.standard_normal((37, 23))).astype(dtype)
    big = np.zeros((74, 69), dtype=dtype)
    big[::2, ::3] = base
    return base, {
        "fortran": np.asfortranarray(base),
        "transposed twice": base.T.copy().T,
        "strided view": big[::2, ::3],
        "reversed": base[::-1, ::-1][::-1, ::-1],
    }


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_results_do_not_depend_on_layout(name, dtype):
    fn, to_domain = ELEMENTWISE[name]
    base, others = layouts(dtype)
    base = to_domain(base)
    want = fn(np.ascontiguousarray(base))
    for label, x in others.items():
        x = to_domain(x)
        got = fn(x)
        assert got.dtype == want.dtype, label
        np.testing.assert_array_equal(got, want, err_msg=f"{name} on a {label} array")


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("name", ALONG_AXIS)
def test_reductions_do_not_depend_on_layout(name, axis):
    fn = ALONG_AXIS[name]
    base, others = layouts(np.float64)
    want = fn(base, axis=axis)
    for label, x in others.items():  # summation order may differ: a few ULP
        np.testing.assert_allclose(
            fn(x, axis=axis), want, rtol=2e-15, atol=0, err_msg=f"{name} on a {label} array"
        )
