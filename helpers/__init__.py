"""Reference implementations for *Sigmoid and Softmax, derived and built by hand*.

The math lives in one module per family, re-exported here::

    from helpers import sigmoid, softmax, softmax_jacobian

The toy data, the written-out training loops and the scores of lessons 04 to 06
are modules of their own (``helpers.datasets``, ``helpers.training``,
``helpers.metrics``), and so is calibration (``helpers.calibration``); the three
scores and the calibration functions of lesson 06's exercises are re-exported
here too. Every argument check lives in ``helpers._validate``.

Plots, interactive explorers and exercise checks live in their own modules
(``helpers.plots``, ``helpers.explorers``, ``helpers.checks``) and are not
imported by the math.

Bad input gets a ``TypeError`` or ``ValueError`` naming the argument. Two
choices differ from NumPy on purpose, for teaching: NaN input raises instead of
propagating (the cell where a NaN is born is the cell that reports it), and a
masked array is refused instead of having its mask silently dropped.
"""

from .calibration import (
    brier_decomposition,
    brier_score,
    classwise_ece,
    expected_calibration_error,
    label_smoothing_grad,
    max_calibration_error,
    reliability_bins,
)
from .gradcheck import (
    GradientCheck,
    central_difference,
    gradient_check,
    numerical_gradient,
    relative_error,
)
from .loss_surface import (
    descent_path,
    fit_logistic,
    logistic_newton_step,
    softmax_regression_grad,
    softmax_regression_hessian,
    softmax_regression_nll,
    with_bias,
)
from .losses import (
    bce_with_logits,
    bce_with_logits_grad,
    binary_cross_entropy,
    cross_entropy_with_logits,
    softmax_cross_entropy_grad,
    weighted_bce_with_logits,
    weighted_bce_with_logits_grad,
)
from .metrics import f1_score, precision, recall
from .models import two_class_to_sigmoid
from .scaling import standardize_sigmoid
from .sigmoid import log_sigmoid, logit, sigmoid, sigmoid_backward, sigmoid_grad, softplus
from .softmax import (
    log_softmax,
    logsumexp,
    softmax,
    softmax_jacobian,
    softmax_jvp,
    softmax_vjp,
)

__all__ = [
    "sigmoid",
    "sigmoid_grad",
    "sigmoid_backward",
    "logit",
    "softplus",
    "log_sigmoid",
    "softmax",
    "log_softmax",
    "logsumexp",
    "softmax_jacobian",
    "softmax_vjp",
    "softmax_jvp",
    "binary_cross_entropy",
    "bce_with_logits",
    "cross_entropy_with_logits",
    "bce_with_logits_grad",
    "softmax_cross_entropy_grad",
    "two_class_to_sigmoid",
    "standardize_sigmoid",
    "central_difference",
    "numerical_gradient",
    "relative_error",
    "gradient_check",
    "GradientCheck",
    "reliability_bins",
    "expected_calibration_error",
    "fit_temperature",
    "label_smoothing_grad",
    "weighted_bce_with_logits",
    "weighted_bce_with_logits_grad",
    "precision",
    "recall",
    "f1_score",
    "with_bias",
    "softmax_regression_nll",
    "softmax_regression_grad",
    "softmax_regression_hessian",
    "logistic_newton_step",
    "fit_logistic",
    "descent_path",
]

__version__ = "0.1.0"

from .recalibration import (  # noqa: E402  (lesson 06: temperature scaling, histogram binning)
    fit_temperature,
    histogram_binning_apply,
    histogram_binning_fit,
)

__all__ += [
    "brier_score",
    "brier_decomposition",
    "max_calibration_error",
    "classwise_ece",
    "histogram_binning_fit",
    "histogram_binning_apply",
]
