"""The pipeline's MMRM of change from baseline: ``CHG ~ visit + BASE + BASE:visit``, through the engine.

The model of R's ``mmrm(CHG ~ visit + BASE + BASE:visit + us(visit | subject), reml = TRUE)``
and SAS ``PROC MIXED ... / type=un ddfm=satterthwaite``, fitted by the general engine
(:mod:`aidheart.stats.mmrm_model`) as ``CHG ~ 0 + AVISIT + AVISIT:BASE + us(AVISIT | USUBJID)``:
an intercept and a BASE slope per visit, the same column space (so the same fit and
restricted likelihood) in a form that also holds when a single visit is left. The LS mean
of visit ``j`` is its intercept plus its slope times the mean of ``BASE`` over the rows
used, as emmeans and SAS LSMEANS define it.
"""

from __future__ import annotations

import pandas as pd

from aidheart.stats.ard import result_row, results_frame
from aidheart.stats.mmrm_ard import mmrm_ard
from aidheart.stats.mmrm_fit import MmrmFitError
from aidheart.stats.mmrm_model import MmrmInputError, fit_formula
from aidheart.stats.reml_data import visit_levels

MIN_SUBJECTS_PER_VISIT = 3
FORMULA = "CHG ~ 0 + AVISIT + AVISIT:BASE + us(AVISIT | USUBJID)"


def _empty(visits: list, counts: dict, note: str, n_subjects=None) -> pd.DataFrame:
    rows = [result_row("mmrm", "lsmean_change", visit=str(v), n=counts.get(v, 0), note=note) for v in visits]
    rows += [result_row("mmrm", term, note=note, n=n_subjects) for term in ("reml_loglik", "n_obs")]
    return results_frame(rows)


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
        term ``lsmean_change`` — the LS mean, its SE, Satterthwaite df (as mmrm / SAS), t,
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
    out of the model and its row says so (likewise a visit where BASE is constant). A
    model that cannot be fitted (no data, singular covariance or design,
    non-convergence) gives rows of ``NaN`` with a ``note``.
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
    table = pd.DataFrame({
        "USUBJID": used[subject].astype(str), "AVISIT": used[visit].astype(str),
        "CHG": used[change].astype(float), "BASE": used[base].astype(float),
    })
    n_subjects = table["USUBJID"].nunique()
    try:
        model = fit_formula(table, FORMULA, visit_order=[str(level) for level in fitted])
        ard = mmrm_ard(model, df_method="satterthwaite", lsmeans="AVISIT")
    except (MmrmInputError, MmrmFitError) as error:
        return _empty(levels, counts, f"not fitted: {error}", n_subjects)
    lsmeans = ard.loc[ard["method"] == "mmrm_lsmean"].set_index("visit")
    rows = []
    for level in levels:
        if level in skipped:
            rows.append(result_row("mmrm", "lsmean_change", visit=str(level), n=counts.get(level, 0),
                                   note=skipped[level]))
            continue
        values = lsmeans.loc[str(level), ["estimate", "std_error", "ci_low", "ci_high", "statistic", "df", "p_value"]]
        rows.append(result_row("mmrm", "lsmean_change", visit=str(level), n=counts.get(level, 0),
                               **values.to_dict()))
    rows.append(result_row("mmrm", "reml_loglik", estimate=model.fit.loglik, n=n_subjects))
    rows.append(result_row("mmrm", "n_obs", estimate=model.fit.data.n_obs, n=n_subjects))
    sigma = model.fit.sigma
    for j, first in enumerate(fitted):
        for k in range(j, len(fitted)):
            rows.append(result_row("mmrm", f"sigma_{j + 1}_{k + 1}", estimate=sigma[j, k], n=n_subjects,
                                   note=f"covariance of {first} and {fitted[k]}"))
    return results_frame(rows)
