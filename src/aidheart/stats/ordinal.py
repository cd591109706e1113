"""Ordinal endpoints (NYHA class): the baseline x visit shift table and the share improved by k classes.

Means, t tests and standardised differences treat the distance between classes
as known and equal; with four heavily tied classes the counts of who moved where,
and the proportion that improved, say what the data say.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.stats.ard import result_row, results_frame
from aidheart.stats.pairs import complete_pairs
from aidheart.stats.proportions import clopper_pearson


def _label(level) -> str:
    """A level as it appears in a term: numbers without a trailing ``.0``."""
    return f"{level:g}" if isinstance(level, (int, float, np.integer, np.floating)) else str(level)


def shift_table(baseline, visit, *, levels) -> pd.DataFrame:
    """Counts of subjects by baseline class x visit class, over the complete pairs.

    Parameters
    ----------
    baseline, visit : array_like
        Classes of the same subjects at baseline and at the visit (numbers, e.g. NYHA 1-4).
    levels : sequence of numbers
        Every class in display order; a value outside ``levels`` is an error.

    Returns
    -------
    pandas.DataFrame
        len(levels)² rows, ``method = "shift_table"``, ``term =
        "count[baseline=B,visit=V]"`` (baseline-major, in the order of ``levels``):
        ``estimate`` the count (0 included), ``n`` complete pairs.

    Raises
    ------
    ValueError
        A value is not one of ``levels`` (the message names it and its position).

    Notes
    -----
    As ``table(factor(baseline, levels), factor(visit, levels))`` in R. Missing data:
    pairs with a missing member are dropped; the counts sum to ``n``.
    """
    base, post = complete_pairs(baseline, visit)
    allowed = np.asarray(levels, dtype=float)
    for name, values in (("baseline", base), ("visit", post)):
        outside = ~np.isin(values, allowed)
        if outside.any():
            position = int(np.flatnonzero(outside)[0])
            raise ValueError(f"{name} value {values[position]:g} (complete pair {position + 1}) "
                             f"is not one of the levels {[_label(level) for level in levels]}")
    rows = []
    for b in levels:
        for v in levels:
            count = int(np.count_nonzero((base == b) & (post == v)))
            rows.append(result_row("shift_table", f"count[baseline={_label(b)},visit={_label(v)}]",
                                   n=base.size, estimate=count))
    return results_frame(rows)


def ordinal_improvement(baseline, visit, *, classes: int = 1, lower_is_better: bool = True) -> pd.DataFrame:
    """Proportion of subjects improved by at least ``classes`` classes, with a Clopper-Pearson CI.

    Parameters
    ----------
    baseline, visit : array_like
        Classes of the same subjects at baseline and at the visit.
    classes : int
        Improvement needed, in classes (1: any improvement).
    lower_is_better : bool
        True when a lower class is better (NYHA): improved means baseline - visit ≥ classes.

    Returns
    -------
    pandas.DataFrame
        One row, ``method = "ordinal_improvement"``, ``term = "improved_geK"`` (K =
        ``classes``): ``estimate`` x/n, ``ci_low``/``ci_high`` the exact 95 % CI, ``count``
        x, ``denominator`` and ``n`` the complete pairs; n = 0 gives NaN and a ``note``.

    Notes
    -----
    x = #{baseline_i - visit_i ≥ K} (visit - baseline when higher is better); CI as
    ``binom.test(x, n)$conf.int`` (:func:`aidheart.stats.proportions.clopper_pearson`).
    Missing data: complete pairs only; a subject who died or left is not counted as
    improved or not — the worst-rank composite addresses those.
    """
    base, post = complete_pairs(baseline, visit)
    gain = base - post if lower_is_better else post - base
    improved = int(np.count_nonzero(gain >= classes))
    return clopper_pearson(improved, base.size, method="ordinal_improvement", term=f"improved_ge{classes}").assign(
        count=improved, denominator=float(base.size))
