"""Long table -> subjects grouped by missingness pattern, as sufficient statistics.

The REML likelihood of a model with ``V_i = Sigma[S_i, S_i]`` (``S_i`` the visits
subject ``i`` was seen at) depends on the data only through, per pattern ``S``
(``m = |S|`` visits, ``q`` coefficients)::

    syy[s, t]       = sum_i y_i[s] y_i[t]                 (m x m)
    sxy[s, t, a]    = sum_i X_i[s, a] y_i[t]              (m x m x q)
    sxx[s, t, a, b] = sum_i X_i[s, a] X_i[t, b]           (m x m x q x q)

so one pass over the data builds them and every likelihood evaluation afterwards
costs ``O(patterns x m^4 q^2)``, independent of the number of subjects.

Before the sums are formed ``y`` is replaced by ``y - X b0`` with ``b0`` the OLS
fit. The REML criterion depends on ``y`` only through ``y`` minus its projection on
the columns of ``X``, so it is unchanged; the GLS estimate becomes ``b0 + beta``.
This keeps the sums of squares free of cancellation when values are large.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Pattern:
    """Subjects sharing one set of observed visits, reduced to sums (see module notes)."""

    visits: np.ndarray
    n: int
    syy: np.ndarray
    sxy: np.ndarray
    sxx: np.ndarray


@dataclass(frozen=True)
class PatternData:
    """All patterns of one model, with the OLS offset subtracted from ``y``."""

    patterns: tuple[Pattern, ...]
    offset: np.ndarray
    n_obs: int
    n_subjects: int
    n_visits: int
    n_coef: int


def wide_table(
    data: pd.DataFrame, *, subject: str, visit: str, columns: list[str], levels: list
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Subjects x visits arrays of ``columns`` (``NaN`` where a visit is absent).

    Rows whose visit is not in ``levels`` are ignored. A subject with two rows at one
    visit raises ``ValueError`` naming the first such key.
    """
    rows = data.loc[data[visit].isin(levels), [subject, visit, *columns]]
    duplicated = rows.duplicated([subject, visit])
    if duplicated.any():
        key = rows.loc[duplicated, [subject, visit]].iloc[0].tolist()
        raise ValueError(f"more than one row for subject {key[0]!r} at visit {key[1]!r}")
    subjects, subject_index = np.unique(rows[subject].to_numpy(), return_inverse=True)
    position = {level: k for k, level in enumerate(levels)}
    visit_index = rows[visit].map(position).to_numpy(dtype=int)
    arrays = {}
    for column in columns:
        wide = np.full((len(subjects), len(levels)), np.nan)
        wide[subject_index, visit_index] = rows[column].to_numpy(dtype=float)
        arrays[column] = wide
    return subjects, arrays


def group_by_pattern(y: np.ndarray, x: np.ndarray) -> PatternData:
    """Sufficient statistics per missingness pattern.

    Parameters
    ----------
    y : (n, K) responses, ``NaN`` where not observed; subjects with no observation are dropped
    x : (n, K, q) design rows of every subject at every visit (rows at unobserved visits unused)
    """
    observed = ~np.isnan(y)
    keep = observed.any(axis=1)
    y, x, observed = y[keep], x[keep], observed[keep]
    n_visits, n_coef = x.shape[1], x.shape[2]
    x_obs, y_obs = x[observed], y[observed]
    offset = np.linalg.lstsq(x_obs, y_obs, rcond=None)[0]
    resid = y - np.einsum("nka,a->nk", x, offset)
    codes = observed @ (1 << np.arange(n_visits))
    patterns = []
    for code in np.unique(codes):
        members = codes == code
        visits = np.flatnonzero(observed[members][0])
        yp = resid[np.ix_(members, visits)]
        xp = x[members][:, visits, :]
        patterns.append(
            Pattern(
                visits=visits,
                n=int(members.sum()),
                syy=yp.T @ yp,
                sxy=np.einsum("isa,it->sta", xp, yp, optimize=True),
                sxx=np.einsum("isa,itb->stab", xp, xp, optimize=True),
            )
        )
    return PatternData(
        patterns=tuple(patterns),
        offset=offset,
        n_obs=int(observed.sum()),
        n_subjects=int(keep.sum()),
        n_visits=n_visits,
        n_coef=n_coef,
    )


def visit_levels(values: pd.Series, visit_order=None, *, first=None) -> list:
    """Visit levels in analysis order.

    ``visit_order`` when given (levels absent from the data are kept, so they can be
    reported as empty); otherwise the categories of a categorical column, else the order
    of first appearance. ``first`` (the baseline level), when given, is moved to the front.
    """
    if visit_order is not None:
        levels = list(visit_order)
    elif isinstance(values.dtype, pd.CategoricalDtype):
        levels = list(values.cat.categories)
    else:
        levels = list(pd.unique(values.dropna()))
    if first is not None:
        levels = [first] + [level for level in levels if level != first]
    return levels
