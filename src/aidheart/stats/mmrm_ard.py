"""An MMRM fit as ARD rows: coefficients, LS means and their differences, covariance, fit statistics.

Methods and terms (``visit`` is the level of the covariance's visit factor when the
row belongs to one — for a difference of visits, the later one — else empty):

- ``mmrm_coef``: one row per coefficient, term = column name (``(Intercept)``,
  ``ARMCD=TRT``, ``ARMCD=TRT:AVISIT=VIS2``, ``BASE``) — estimate, SE, df, t, p, CI;
- ``mmrm_lsmean``: one row per LS-mean cell, term ``ARMCD=TRT,AVISIT=VIS2``;
- ``mmrm_lsmean_diff``: term ``ARMCD=TRT-PBO,AVISIT=VIS2``
  (:mod:`aidheart.stats.mmrm_lsmeans`);
- ``mmrm_cov``: ``sigma[VIS1,VIS2]`` for every entry of the fitted ``Sigma`` (``j <= k``)
  with its asymptotic SE ``sqrt(dSigma_jk' W dSigma_jk)`` (delta method, ``W`` the inverse
  observed information);
- ``mmrm_fit``: ``reml_loglik`` (or ``ml_loglik``), ``aic`` (``-2 logL + 2 x`` covariance
  parameters, plus fixed effects for ML, as SAS), ``n_obs`` (rows used).

SE and df follow ``df_method`` (:mod:`aidheart.stats.mmrm_fit`); CIs are
``estimate +- t_{df, 0.975} SE``. ``n`` = subjects in the fit (coefficients, covariance,
fit rows) or in the cell. ``note`` names the structure, REML/ML, the df method and
any structures of a fallback order that failed first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.stats.ard import CONFIDENCE_LEVEL, result_row, results_frame
from aidheart.stats.mmrm_fit import DF_LABELS
from aidheart.stats.mmrm_lsmeans import difference_cells, lsmean_cells, parse_lsmeans
from aidheart.stats.mmrm_model import MmrmInputError, MmrmModel


def _visit_of(model: MmrmModel, levels: dict) -> str:
    value = levels.get(model.design.formula.covariance.visit, "")
    return str(value)


def mmrm_ard(model: MmrmModel, *, df_method: str = "kenward-roger", lsmeans: str | tuple | None = None,
             level: float = CONFIDENCE_LEVEL) -> pd.DataFrame:
    """ARD rows of a fitted MMRM (module notes); ``lsmeans`` like ``"ARMCD*AVISIT"``.

    Raises :class:`aidheart.stats.mmrm_model.MmrmInputError` for an unknown df method,
    Kenward-Roger with ML, or LS means of a variable that is not a fixed-effect factor.
    """
    fit, design = model.fit, model.design
    if df_method not in DF_LABELS:
        raise MmrmInputError(f"unknown df method {df_method!r}; use one of {', '.join(DF_LABELS)}")
    if df_method != "satterthwaite" and not fit.reml:
        raise MmrmInputError(f"{df_method} needs REML; use Satterthwaite df with ML")
    note = f"{model.note}; {DF_LABELS[df_method]}"
    n_subjects = fit.data.n_subjects
    rows = []
    for j, column in enumerate(design.columns):
        contrast = np.zeros(len(design.columns))
        contrast[j] = 1.0
        rows.append(result_row("mmrm_coef", column, n=n_subjects, note=note,
                               **fit.contrast(contrast, df_method, level)))
    if lsmeans:
        try:
            factors = parse_lsmeans(lsmeans) if isinstance(lsmeans, str) else tuple(lsmeans)
            cells = lsmean_cells(design, factors)
        except ValueError as error:
            raise MmrmInputError(str(error)) from None
        for method, group in (("mmrm_lsmean", cells), ("mmrm_lsmean_diff", difference_cells(design, factors, cells))):
            for cell in group:
                rows.append(result_row(method, cell.label, visit=_visit_of(model, cell.levels), n=cell.n,
                                       note=note, **fit.contrast(cell.contrast, df_method, level)))
    rows += _covariance_rows(model, n_subjects)
    rows += _fit_rows(model, n_subjects)
    return results_frame(rows)


def _covariance_rows(model: MmrmModel, n_subjects: int) -> list[dict]:
    fit, visits = model.fit, model.design.visits
    sigma = fit.sigma
    derivative = fit.structure.first(fit.theta)
    note = f"{model.note}; SE from the inverse observed information (delta method)"
    rows = []
    for j in range(len(visits)):
        for k in range(j, len(visits)):
            gradient = derivative[:, j, k]
            variance = float(gradient @ fit.weights @ gradient)
            rows.append(result_row("mmrm_cov", f"sigma[{visits[j]},{visits[k]}]", estimate=sigma[j, k],
                                   std_error=np.sqrt(variance) if variance >= 0 else None,
                                   n=n_subjects, note=note))
    return rows


def _fit_rows(model: MmrmModel, n_subjects: int) -> list[dict]:
    fit = model.fit
    parameters = fit.structure.n_parameters + (0 if fit.reml else len(model.design.columns))
    kind = "reml" if fit.reml else "ml"
    return [
        result_row("mmrm_fit", f"{kind}_loglik", estimate=fit.loglik, n=n_subjects, note=model.note),
        result_row("mmrm_fit", "aic", estimate=-2 * fit.loglik + 2 * parameters, n=n_subjects, note=model.note),
        result_row("mmrm_fit", "n_obs", estimate=fit.data.n_obs, n=n_subjects, note=model.note),
    ]
