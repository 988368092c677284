"""Autocorrelation-aware initialization (MATH.md §4–§5, after "Autocorrelation Matters", Liu & Li,
ICLR 2025): estimators of an input's autocorrelation, the theory of a diagonal SSM's output power
and conditioning as functions, and a timescale recommender.
"""

from ._autocorr_estimators import *  # noqa: F401,F403
from ._autocorr_theory import *  # noqa: F401,F403
