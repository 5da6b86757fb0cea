"""Exercise checks: ``check_<name>(learner_fn)`` for every exercise in the course.

Each check runs the learner's function on ordinary, edge and adversarial
inputs, compares with the reference implementation in :mod:`helpers`, prints
one clear line (and on failure the input, what came back, what was expected and
a hint), and returns True or False. The checks of lesson NN are in
``helpers/checks/lessonNN.py``; the engine is the package :mod:`helpers.checks._core`:

- ``_core/outcome.py``: ``Case``, ``Mistake``, ``Outcome`` and its ``Kind``;
- ``_core/format.py``: safe text for reports, the headline writer and its reader
  ``parse_headline`` (``tools/progress.py`` reads check output with it);
- ``_core/compare.py``: ``compare_arrays`` (a list of rules) and the ``comparer`` factory;
- ``_core/integrity.py``: graded mode (``graded_check``, ``seal``, ``CheckFailed``);
- ``_core/learner.py``: calling the learner's code (``call_learner``, ``NotDone``);
- ``_core/run.py``: ``run_check`` (with ``on_raise``), ``run_judge``, ``verdict``, and
  ``spec_of(check, ...)``, the cases a check would run, without running the learner's code.

Graded test cells (made by ``tools/nbgrader_course.py``) call
``helpers.checks.graded_check("check_sigmoid", sigmoid)``: the genuine check captured
when this package was first imported, whatever a notebook name holds by then.

``set_language("zh")`` (or ``"ru"``; ``COURSE_LANG=zh`` in the environment does the same)
prints every check's lines in that language (:mod:`helpers.checks._i18n`).
"""

from . import _core, lesson00, lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07
from ._core import Case, Mistake, graded_check, run_check
from ._i18n import current_language, set_language
from .lesson00 import *  # noqa: F403
from .lesson01 import *  # noqa: F403
from .lesson02 import *  # noqa: F403
from .lesson03 import *  # noqa: F403
from .lesson04 import *  # noqa: F403
from .lesson05 import *  # noqa: F403
from .lesson06 import *  # noqa: F403
from .lesson07 import *  # noqa: F403

__all__ = [
    "Case",
    "Mistake",
    "run_check",
    "graded_check",
    "set_language",
    "current_language",
] + [
    name
    for module in (lesson00, lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07)
    for name in module.__all__
]

from . import lesson06_more  # noqa: E402  (lesson 06, "Calibration beyond ECE")
from .lesson06_more import *  # noqa: E402, F403

__all__ += lesson06_more.__all__

# Last: capture NumPy, the checks and their references as they are now (the setup cell),
# for the graded-mode integrity check.
_core.seal()
