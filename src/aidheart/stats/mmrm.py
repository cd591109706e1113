"""MMRM ``CHG ~ visit + BASE + BASE:visit``, unstructured covariance, REML, Satterthwaite df.

The model of R's ``mmrm(CHG ~ visit + BASE + BASE:visit + us(visit | subject), reml = TRUE)``
and SAS ``PROC MIXED ... / type=un ddfm=satterthwaite``: for subject ``i`` at post-baseline
visit ``j``, ``CHG_ij = a_j + b_j (BASE_ij - B) + e_ij`` with ``e_i ~ N(0, Sigma[S_i, S_i])``,
``Sigma`` unstructured over the post-baseline visits. Centring ``BASE`` at ``B``, its mean
over the rows used in the fit, is a reparametrisation with unit determinant (the REML
likelihood is unchanged) that makes ``a_j`` the least-squares mean of visit ``j`` as
emmeans and SAS LSMEANS define it (covariate at its mean over the rows of the fit).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.stats.ard import result_row, results_frame
from aidheart.stats.covariance import (
    pairwise_covariance,
    unstructured_basis,
    unstructured_pairs,
    unstructured_parameters,
)
from aidheart.stats.reml import SINGULAR, NotEstimable, fit_reml
from aidheart.stats.reml_data import group_by_pattern, visit_levels, wide_table
from aidheart.stats.satterthwaite import satterthwaite_df, t_inference

MIN_SUBJECTS_PER_VISIT = 3


def _empty(visits: list, counts: dict, note: str, n_subjects=None) -> pd.DataFrame:
    rows = [result_row("mmrm", "lsmean_change", visit=str(v), n=counts.get(v, 0), note=note) for v in visits]
    rows += [result_row("mmrm", term, note=note, n=n_subjects) for term in ("reml_loglik", "n_obs")]
    return results_frame(rows)


def _design(base: np.ndarray, centre: float) -> np.ndarray:
    """``X_i[j] = e_j (x) (1, BASE_ij - centre)``: subjects x visits x 2 visits."""
    n, n_visits = base.shape
    x = np.zeros((n, n_visits, 2 * n_visits))
    for j in range(n_visits):
        x[:, j, 2 * j] = 1.0
        x[:, j, 2 * j + 1] = np.nan_to_num(base[:, j] - centre)
    return x


def fit_mmrm(
    data: pd.DataFrame, *, subject: str, visit: str, change: str, base: str, visit_order=None
) -> pd.DataFrame:
    """Least-squares mean change per visit from an MMRM with unstructured covariance.

    Parameters
    ----------
    data : post-baseline rows, one per subject x visit; rows with a missing change or
        baseline are dropped (subjects without a baseline drop out)
    subject, visit, change, base : column names (``USUBJID``, ``AVISIT``, ``CHG``, ``BASE``)
    visit_order : the post-baseline visit levels in order (default: categories, else
        order of appearance); listed levels with no data get an empty row

    Returns
    -------
    pandas.DataFrame
        ARD rows (:func:`aidheart.stats.ard.results_frame`). Per visit: method ``mmrm``,
        term ``lsmean_change`` — ``a_j``, its SE, Satterthwaite df (as mmrm / SAS), t,
        two-sided p, 95 % CI with the t quantile at that df; ``n`` = subjects with the
        visit. Model rows (``visit = ""``): ``reml_loglik``, ``n_obs`` (rows used; ``n`` =
        subjects) and ``sigma_<j>_<k>`` = ``Sigma_jk``, ``j <= k``, 1-based over the visits
        in the fit (the note names them).

    Notes
    -----
    REML by Newton-Raphson in the entries of ``Sigma`` (:mod:`aidheart.stats.reml`);
    ``df = 2 v^2 / (g' W g)`` with ``v = l' Phi l``, ``g = dv/dSigma`` and ``W`` the inverse
    observed REML information (:mod:`aidheart.stats.satterthwaite`). A visit with fewer
    than three subjects cannot carry its own intercept, slope and variance: it is left
    out of the model and its row says so. A model that cannot be fitted (no data,
    singular covariance or design, non-convergence) gives rows of ``NaN`` with a ``note``.
    """
    levels = visit_levels(data[visit], visit_order)
    used = data.loc[data[change].notna() & data[base].notna() & data[visit].isin(levels)]
    counts = used.groupby(visit, observed=True)[subject].nunique().to_dict()
    skipped = {}
    for level in levels:
        n_level = counts.get(level, 0)
        if n_level == 0:
            skipped[level] = "no observations at this visit"
        elif n_level < MIN_SUBJECTS_PER_VISIT:
            skipped[level] = f"only {n_level} subject(s) at this visit: left out of the MMRM"
        elif used.loc[used[visit] == level, base].nunique() < 2:
            skipped[level] = "BASE constant at this visit: left out of the MMRM"
    fitted = [level for level in levels if level not in skipped]
    used = used.loc[used[visit].isin(fitted)]
    if not fitted:
        return _empty(levels, counts, "not fitted: no post-baseline visit with enough data")
    try:
        _, arrays = wide_table(used, subject=subject, visit=visit, columns=[change, base], levels=fitted)
    except ValueError as error:
        return _empty(levels, counts, f"not fitted: {error}")
    y, base_wide = arrays[change], arrays[base]
    n_obs = int((~np.isnan(y)).sum())
    n_subjects = int((~np.isnan(y)).any(axis=1).sum())
    centre = float(used[base].mean())
    n_visits = len(fitted)
    grouped = group_by_pattern(y, _design(base_wide, centre))
    start_resid = y - np.einsum("nka,a->nk", _design(base_wide, centre), grouped.offset)
    start = unstructured_parameters(pairwise_covariance(start_resid, ddof=2))
    basis = unstructured_basis(n_visits)
    try:
        fit = fit_reml(grouped, basis, start)
    except (NotEstimable, ValueError) as error:
        return _empty(levels, counts, f"not fitted: {error}", n_subjects)
    ev = fit.evaluation
    sigma = np.tensordot(ev.sigma, basis, axes=1)
    scale = np.sqrt(np.diag(sigma))
    smallest = np.linalg.eigvalsh(sigma / np.outer(scale, scale)).min()
    if fit.message == SINGULAR or smallest < (1e-8 if fit.converged else 1e-5):
        return _empty(levels, counts, "not fitted: singular covariance matrix", n_subjects)
    if not fit.converged:
        return _empty(levels, counts, f"not fitted: REML did not converge ({fit.message})", n_subjects)
    rows = []
    for level in levels:
        n = counts.get(level, 0)
        if level in skipped:
            rows.append(result_row("mmrm", "lsmean_change", visit=str(level), n=n, note=skipped[level]))
            continue
        contrast = np.zeros(2 * n_visits)
        contrast[2 * fitted.index(level)] = 1.0
        estimate = float(contrast @ ev.beta)
        se = float(np.sqrt(contrast @ ev.phi @ contrast))
        df = satterthwaite_df(contrast, ev.phi, ev.pt, ev.hessian)
        rows.append(result_row("mmrm", "lsmean_change", visit=str(level), n=n, **t_inference(estimate, se, df)))
    rows.append(result_row("mmrm", "reml_loglik", estimate=ev.loglik, n=n_subjects))
    rows.append(result_row("mmrm", "n_obs", estimate=n_obs, n=n_subjects))
    for (j, k), value in zip(unstructured_pairs(n_visits), ev.sigma):
        rows.append(
            result_row(
                "mmrm", f"sigma_{j + 1}_{k + 1}", estimate=value, n=n_subjects,
                note=f"covariance of {fitted[j]} and {fitted[k]}",
            )
        )
    return results_frame(rows)
