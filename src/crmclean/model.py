"""The Fellegi–Sunter model's building blocks, kept importable under their first name.

Everything here lives in :mod:`crmclean.score`, the score stage.

Example:
    >>> from crmclean.model import match_probability
    >>> import numpy as np
    >>> match_probability(np.array([0.0])).tolist()
    [0.5]
"""

from __future__ import annotations

from crmclean.score import (
    EMResult,
    estimate_u,
    fit_em,
    level_patterns,
    m_from_labels,
    match_probability,
    match_weights,
    starting_m,
    tf_adjustments,
)

__all__ = [
    "EMResult",
    "estimate_u",
    "fit_em",
    "level_patterns",
    "m_from_labels",
    "match_probability",
    "match_weights",
    "starting_m",
    "tf_adjustments",
]
