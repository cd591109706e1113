"""Long tables to subjects x visits arrays, grouped by missingness pattern as sufficient statistics.

The likelihood of a model with ``V_i = Sigma[S_i, S_i]`` (``S_i`` the visits subject
``i`` was seen at) depends on the data only through, per pattern ``p`` (``K`` visits,
``q`` coefficients, ``n_p`` subjects)::

    syy[p, s, t]       = sum_i y_i[s] y_i[t]                 (K x K)
    sxy[p, s, t, a]    = sum_i X_i[s, a] y_i[t]              (K x K x q)
    sxx[p, s, t, a, b] = sum_i X_i[s, a] X_i[t, b]           (K x K x q x q)

with every entry at a visit outside the pattern zero. The patterns are stacked along a
first axis, so each likelihood evaluation is a handful of array contractions costing
``O(patterns x K^2 q^2)`` whatever the number of subjects, and no step loops in Python.

Before the sums are formed ``y`` is replaced by ``y - X b0`` with ``b0`` the OLS fit.
The likelihood depends on ``y`` only through ``y`` minus its projection on the columns
of ``X`` (REML), or through ``y - X beta`` at the GLS ``beta`` (ML), so it is
unchanged; the GLS estimate becomes ``b0 + beta``. This keeps the sums of squares free
of cancellation when values are large.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PatternData:
    """All patterns of one model (see the module notes), OLS offset subtracted from ``y``."""

    mask: np.ndarray
    n: np.ndarray
    syy: np.ndarray
    sxy: np.ndarray
    sxx: np.ndarray
    offset: np.ndarray
    n_obs: int
    n_subjects: int

    @property
    def n_visits(self) -> int:
        return self.mask.shape[1]

    @property
    def n_coef(self) -> int:
        return self.sxx.shape[-1]

    def residual_moments(self) -> tuple[np.ndarray, np.ndarray]:
        """OLS residual cross-products summed over subjects, and how many subjects share each pair."""
        observed = self.mask.astype(float)
        counts = np.einsum("p,ps,pt->st", self.n.astype(float), observed, observed)
        return self.syy.sum(axis=0), counts


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
    x = np.where(observed[:, :, None], x, 0.0)
    offset = np.linalg.lstsq(x[observed], y[observed], rcond=None)[0]
    resid = np.where(observed, y - x @ offset, 0.0)
    codes = observed @ (1 << np.arange(n_visits))
    unique, inverse = np.unique(codes, return_inverse=True)
    n_patterns = len(unique)
    syy = np.zeros((n_patterns, n_visits, n_visits))
    sxy = np.zeros((n_patterns, n_visits, n_visits, n_coef))
    sxx = np.zeros((n_patterns, n_visits, n_visits, n_coef, n_coef))
    mask = np.zeros((n_patterns, n_visits), dtype=bool)
    counts = np.bincount(inverse, minlength=n_patterns)
    order = np.argsort(inverse, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(counts)])
    for p in range(n_patterns):
        members = order[bounds[p]:bounds[p + 1]]
        mask[p] = observed[members[0]]
        xp = x[members].reshape(len(members), n_visits * n_coef)
        rp = resid[members]
        syy[p] = rp.T @ rp
        sxy[p] = (xp.T @ rp).reshape(n_visits, n_coef, n_visits).transpose(0, 2, 1)
        sxx[p] = (xp.T @ xp).reshape(n_visits, n_coef, n_visits, n_coef).transpose(0, 2, 1, 3)
    return PatternData(
        mask=mask,
        n=counts,
        syy=syy,
        sxy=sxy,
        sxx=sxx,
        offset=offset,
        n_obs=int(observed.sum()),
        n_subjects=int(keep.sum()),
    )


def contract(per_pattern: np.ndarray, sums: np.ndarray) -> np.ndarray:
    """``sum_p sum_st A[..., p, s, t] sums[p, s, t, ...]``: a per-pattern ``K x K`` matrix
    (with any leading axes) summed against pattern sums such as ``sxx`` or ``sxy``."""
    lead = per_pattern.shape[:-3]
    tail = sums.shape[3:]
    flat = per_pattern.reshape(*lead, -1) @ sums.reshape(-1, int(np.prod(tail, dtype=int)))
    return flat.reshape(*lead, *tail)

