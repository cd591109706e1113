"""CTCAE v5 grade of the absolute neutrophil count ("Neutrophil count decreased")."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Lower bound (10^9/L) of each grade's band, from grade 1 down: a value below
#: the band above and at or above this bound has this grade (grade 4: below 0.5).
ANC_GRADE_FLOORS = ((1, 1.5), (2, 1.0), (3, 0.5), (4, -np.inf))


def compute_ctcae_anc_grade(anc: pd.Series, lln: float) -> pd.Series:
    """CTCAE grade of each neutrophil count.

    Parameters
    ----------
    anc : Series
        Absolute neutrophil count, 10^9/L (= 10^3/uL).
    lln : float
        Lower limit of normal (config ``safety.anc_lln``).

    Returns
    -------
    Series
        Grade 0 (at or above LLN), 1 (< LLN to 1.5), 2 (< 1.5 to 1.0),
        3 (< 1.0 to 0.5) or 4 (< 0.5), as nullable integers; missing where ``anc``
        is missing.

    Notes
    -----
    CTCAE bands are "< LLN - 1.5", "< 1.5 - 1.0", "< 1.0 - 0.5", "< 0.5": each
    band includes its lower bound, so exactly 1.5 is grade 1, exactly 1.0 grade 2
    and exactly 0.5 grade 3.
    """
    values = pd.to_numeric(anc).astype(float)
    grade = pd.Series(pd.NA, index=anc.index, dtype="Int64")
    grade[values >= lln] = 0
    upper = lln
    for level, floor in ANC_GRADE_FLOORS:
        grade[(values < upper) & (values >= floor)] = level
        upper = floor
    return grade
