"""Linear mixed model ``AVAL ~ visit + (1 | subject)`` by REML, with small-sample df.

The model of lme4's ``lmer(value ~ visit + (1 | subject), REML = TRUE)``:
``y_ij = mu_j + b_i + e_ij``, ``b_i ~ N(0, sigma_b^2)``, ``e_ij ~ N(0, sigma^2)``, so
``V_i = sigma^2 I + sigma_b^2 J`` over the visits subject ``i`` attended: the ``cs``
structure of :mod:`aidheart.stats.covariance`, fitted by :mod:`aidheart.stats.reml`
with ``sigma_b^2 >= 0`` (lme4 keeps ``theta >= 0`` likewise).
Fixed effects are coded as one mean per visit; the contrast of visit ``j`` with
baseline is ``mu_j - mu_0``, the coefficient of visit ``j`` in R's treatment coding
(a reparametrisation with unit determinant, so the REML likelihood is the same).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.stats.ard import result_row, results_frame
from aidheart.stats.covariance import covariance_structure
from aidheart.stats.kenward_roger import kr_adjusted_covariance, kr_df, kr_weights
from aidheart.stats.reml import NotEstimable, fit_reml
from aidheart.stats.reml_data import group_by_pattern, visit_levels, wide_table
from aidheart.stats.satterthwaite import satterthwaite_df, t_inference

MODEL_TERMS = ("var_subject", "var_residual", "reml_loglik", "n_obs")


def _empty(post: list, counts: dict, note: str, n_subjects=None) -> pd.DataFrame:
    rows = []
    for level in post:
        for method in ("lmm", "lmm_kr"):
            rows.append(result_row(method, "contrast", visit=str(level), n=counts.get(level, 0), note=note))
    rows += [result_row("lmm", term, note=note, n=n_subjects) for term in MODEL_TERMS]
    return results_frame(rows)


def fit_lmm(
    data: pd.DataFrame, *, subject: str, visit: str, value: str, baseline, visit_order=None
) -> pd.DataFrame:
    """Visit-versus-baseline contrasts from ``value ~ visit + (1 | subject)`` by REML.

    Parameters
    ----------
    data : long table, one row per subject x visit (rows with a missing value are dropped)
    subject, visit, value : column names
    baseline : the level of ``visit`` that is baseline
    visit_order : visit levels in order (default: categories, else order of appearance;
        baseline first either way); rows at other levels are ignored

    Returns
    -------
    pandas.DataFrame
        ARD rows (:func:`aidheart.stats.ard.results_frame`). Per post-baseline visit:
        method ``lmm``, term ``contrast`` — estimate ``mu_visit - mu_baseline``, its SE,
        Satterthwaite df (as lmerTest), t, two-sided p, 95 % CI ``estimate +- t_{0.975, df} SE``;
        method ``lmm_kr``, term ``contrast`` — Kenward-Roger SE (from pbkrtest's adjusted
        covariance) and df (as lmerTest ``ddf = "Kenward-Roger"``). ``n`` = subjects with
        the visit. Model rows (``visit = ""``, method ``lmm``): ``var_subject``
        (``sigma_b^2``), ``var_residual`` (``sigma^2``), ``reml_loglik``, ``n_obs``
        (observations used; ``n`` = subjects).

    Notes
    -----
    All available data are used (subjects need not have every visit). The
    Satterthwaite df is ``2 v^2 / (g' W g)``, ``v = l' Phi l``, ``g = dv/dsigma``,
    ``W`` the inverse observed REML information (:mod:`aidheart.stats.satterthwaite`).
    A subject variance on its bound of zero is noted and, as in lmerTest, contributes
    nothing to the Satterthwaite df. A model that cannot be fitted (fewer than two
    subjects, no baseline or post-baseline data, duplicate rows, singular design,
    non-convergence) gives rows of ``NaN`` with a ``note``.
    """
    levels = visit_levels(data[visit], visit_order, first=baseline)
    post = levels[1:]
    used = data.loc[data[value].notna() & data[visit].isin(levels)]
    counts = used.groupby(visit, observed=True)[subject].nunique().to_dict()
    try:
        _, arrays = wide_table(used, subject=subject, visit=visit, columns=[value], levels=levels)
    except ValueError as error:
        return _empty(post, counts, f"not fitted: {error}")
    y = arrays[value]
    present = np.flatnonzero((~np.isnan(y)).any(axis=0))
    n_subjects = int((~np.isnan(y)).any(axis=1).sum())
    n_obs = int((~np.isnan(y)).sum())
    problem = None
    if 0 not in present:
        problem = "no baseline observations"
    elif len(present) < 2:
        problem = "no post-baseline observations"
    elif n_subjects < 2:
        problem = "fewer than two subjects"
    elif n_obs <= n_subjects or n_obs <= len(present):
        problem = "too few observations to separate subject and residual variance"
    if problem:
        return _empty(post, counts, f"not fitted: {problem}", n_subjects)
    y = y[:, present]
    n_visits = len(present)
    x = np.broadcast_to(np.eye(n_visits), (len(y), n_visits, n_visits))
    grouped = group_by_pattern(y, x)
    total = float(np.nanvar(y - np.nanmean(y, axis=0), ddof=0)) * n_obs / (n_obs - n_visits)
    start = np.array([total / 2, total / 2]) if total > 0 else np.array([0.5, 0.5])
    structure = covariance_structure("cs", n_visits)
    try:
        fit = fit_reml(grouped, structure, start, lower=np.array([0.0, -np.inf]))
    except (NotEstimable, ValueError) as error:
        return _empty(post, counts, f"not fitted: {error}", n_subjects)
    ev = fit.evaluation
    if not fit.converged and ev.theta[1] < 1e-6 * (ev.theta[0] + ev.theta[1]):
        return _empty(post, counts, "not fitted: residual variance tends to 0 (singular fit)", n_subjects)
    if not fit.converged:
        return _empty(post, counts, f"not fitted: REML did not converge ({fit.message})", n_subjects)
    note = "subject variance estimated at its bound 0" if fit.active[0] or ev.theta[0] <= 0 else ""
    free = ~fit.active
    weights = kr_weights(ev.expected_hessian)  # pbkrtest: the expected information
    phi_kr = kr_adjusted_covariance(grouped, structure, ev, weights)
    rows = []
    column = {level_index: j for j, level_index in enumerate(present)}
    for k, level in enumerate(post, start=1):
        n = counts.get(level, 0)
        if k not in column:
            for method in ("lmm", "lmm_kr"):
                rows.append(result_row(method, "contrast", visit=str(level), n=n, note="no observations at this visit"))
            continue
        contrast = np.zeros(n_visits)
        contrast[column[k]], contrast[0] = 1.0, -1.0
        estimate = float(contrast @ ev.beta)
        se = float(np.sqrt(contrast @ ev.phi @ contrast))
        df = satterthwaite_df(contrast, ev.phi, ev.pt, ev.hessian, free)
        rows.append(result_row("lmm", "contrast", visit=str(level), n=n, note=note, **t_inference(estimate, se, df)))
        variance_kr = float(contrast @ phi_kr @ contrast)
        if variance_kr > 0:
            df_kr = kr_df(contrast, ev.phi, ev.pt, weights)
            values, note_kr = t_inference(estimate, np.sqrt(variance_kr), df_kr), note
        else:
            values, note_kr = {"estimate": estimate}, "Kenward-Roger adjusted variance is not positive"
        rows.append(result_row("lmm_kr", "contrast", visit=str(level), n=n, note=note_kr, **values))
    model = dict(zip(MODEL_TERMS, (ev.theta[0], ev.theta[1], ev.loglik, n_obs)))
    rows += [result_row("lmm", term, estimate=value_, n=n_subjects, note=note) for term, value_ in model.items()]
    return results_frame(rows)
