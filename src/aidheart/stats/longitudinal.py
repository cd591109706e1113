"""Longitudinal models of one endpoint by the MMRM engine: the change from baseline at every visit.

A model is a fixed-effects formula over the ADaM names of a long table (``AVAL``,
``BASE``, ``CHG``, ``AVISIT``; subjects ``USUBJID``), fitted by
:func:`aidheart.stats.mmrm_model.fit_formula` with the first covariance structure of a
pre-specified order that converges. Its response says which rows it models:

- ``CHG``: an MMRM of the change, on the post-baseline rows with ``CHG`` and every
  covariate (``CHG ~ 0 + AVISIT + BASE``: one baseline slope; ``... + AVISIT:BASE``: one per
  visit). The change at visit j is its LS mean, covariates at their mean over the rows
  used (emmeans, SAS LSMEANS).
- ``AVAL``: a constrained longitudinal data analysis (cLDA, Liang & Zeger 2000), the
  baseline in the response vector: ``AVAL ~ AVISIT`` over every visit, baseline
  included. With one group the baseline mean is common by construction; the change at
  visit j is the LS-mean difference visit j − baseline.

``0 + AVISIT`` is the cell-means form of ``AVISIT`` with an intercept: the same fit and
LS means, and it still holds when an endpoint has a single post-baseline visit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from aidheart.stats.ard import result_row, results_frame
from aidheart.stats.mmrm_ard import mmrm_ard
from aidheart.stats.mmrm_fit import MmrmFitError
from aidheart.stats.mmrm_model import MmrmInputError, fit_formula
from aidheart.stats.model_formula import parse_formula

#: The long table's columns a model formula may use, and its subject and visit columns.
SUBJECT, VISIT = "USUBJID", "AVISIT"
#: A visit with fewer subjects cannot carry its own mean and variance: it is left out of the model.
MIN_SUBJECTS_PER_VISIT = 3


@dataclass(frozen=True)
class LongitudinalModel:
    """A pre-specified model: ``id`` (the ARD method of its rows), fixed-effects ``formula``, a ``label``."""

    id: str
    formula: str
    label: str = ""

    @property
    def response(self) -> str:
        """The response variable: ``CHG`` (post-baseline rows) or ``AVAL`` (baseline included)."""
        return self.formula.split("~", 1)[0].strip()

    @property
    def variables(self) -> tuple[str, ...]:
        """The fixed-effect variables of the formula (visit included)."""
        return parse_formula(f"{self.formula} + us({VISIT} | {SUBJECT})").variables


def _rows_used(records: pd.DataFrame, model: LongitudinalModel, baseline: str) -> pd.DataFrame:
    """The rows the model fits: response and every covariate present; post-baseline only for ``CHG``."""
    columns = list(dict.fromkeys([SUBJECT, VISIT, model.response, *model.variables]))
    used = records.loc[records[columns].notna().all(axis=1), columns]
    if model.response != "AVAL":
        used = used.loc[used[VISIT] != baseline]
    return used


def _empty(model: LongitudinalModel, visits: Sequence[str], counts: dict, note: str) -> pd.DataFrame:
    return results_frame([result_row(model.id, "lsmean_change", visit=visit, n=counts.get(visit, 0), note=note)
                          for visit in visits])


def fit_longitudinal(records: pd.DataFrame, model: LongitudinalModel, *, baseline: str, visits: Sequence[str],
                     structures: Sequence[str], df_method: str) -> pd.DataFrame:
    """Fit ``model`` to one endpoint's long table and return its ARD rows.

    Parameters
    ----------
    records : DataFrame
        One row per subject and visit: ``USUBJID``, ``AVISIT``, ``AVAL``, and ``BASE``,
        ``CHG`` on the post-baseline rows (as ADaM derives them).
    model : LongitudinalModel
    baseline : str
        The ``AVISIT`` of the baseline rows.
    visits : sequence of str
        The post-baseline visits in order.
    structures : sequence of str
        Covariance structures in the pre-specified order (e.g. ``us``, ``toeph``,
        ``csh``, ``cs``): the first whose REML fit converges is used.
    df_method : str
        ``kenward-roger`` or ``satterthwaite`` (:mod:`aidheart.stats.mmrm_fit`).

    Returns
    -------
    DataFrame
        ``visit`` + :data:`aidheart.stats.ard.RESULT_COLUMNS`, ``method = model.id``,
        ``covariance`` the structure used on every row:

        * ``lsmean_change`` per visit of ``visits``: the modelled change from baseline
          (estimate, SE, df, t, p, CI), ``n`` subjects with a row at the visit in the fit;
        * ``coef[<column>]`` per fixed-effect column (e.g. ``coef[BASE]``, the common
          baseline slope), ``visit`` empty;
        * ``sigma[<visit>,<visit>]`` the fitted covariance, ``reml_loglik``, ``aic``,
          ``n_obs`` (rows used); ``n`` subjects in the fit.

        ``note``: the structure, any structure of the order that did not converge and
        why, and the df method. A visit with fewer than
        :data:`MIN_SUBJECTS_PER_VISIT` subjects is left out of the fit (its row says so);
        a model no structure fits gives ``lsmean_change`` rows of NaN with the reasons.

    Notes
    -----
    Missing data: all rows with the response and the covariates (MAR given them); a
    subject without ``BASE`` drops out of a model of ``CHG``, not out of the cLDA.
    """
    used = _rows_used(records, model, baseline)
    counts = used.groupby(VISIT)[SUBJECT].nunique().to_dict()
    thin = {visit: f"only {counts.get(visit, 0)} subject(s) at this visit: left out of the model"
            for visit in visits if counts.get(visit, 0) < MIN_SUBJECTS_PER_VISIT}
    fitted = [visit for visit in visits if visit not in thin]
    order = ([baseline] if model.response == "AVAL" else []) + fitted
    used = used.loc[used[VISIT].isin(order)]
    if not fitted:
        return _empty(model, visits, counts, "not fitted: no post-baseline visit with enough subjects")
    formula = f"{model.formula} + {structures[0]}({VISIT} | {SUBJECT})"
    try:
        fitted = fit_formula(used, formula, structures=structures, visit_order=order)
        ard = mmrm_ard(fitted, df_method=df_method, lsmeans=VISIT)
    except (MmrmInputError, MmrmFitError) as error:
        return _empty(model, visits, counts, f"not fitted: {error}")
    change_method = "mmrm_lsmean_diff" if model.response == "AVAL" else "mmrm_lsmean"
    changes = ard.loc[ard["method"] == change_method].set_index("visit")
    numbers = ["estimate", "std_error", "ci_low", "ci_high", "statistic", "df", "p_value"]
    note = f"{model.formula}; {ard['note'].iloc[0]}"
    rows = []
    for visit in visits:
        if visit in thin:
            rows.append(result_row(model.id, "lsmean_change", visit=visit, n=counts.get(visit, 0), note=thin[visit],
                                   covariance=fitted.structure))
            continue
        values = changes.loc[visit, numbers].to_dict()
        rows.append(result_row(model.id, "lsmean_change", visit=visit, n=counts[visit], note=note,
                               covariance=fitted.structure, **values))
    n_subjects = fitted.fit.data.n_subjects
    for _, row in ard.loc[ard["method"] == "mmrm_coef"].iterrows():
        rows.append(result_row(model.id, f"coef[{row['term']}]", n=n_subjects, note=note, covariance=fitted.structure,
                               **row[numbers].to_dict()))
    for _, row in ard.loc[ard["method"].isin(["mmrm_cov", "mmrm_fit"])].iterrows():
        rows.append(result_row(model.id, row["term"], n=n_subjects, note=note, covariance=fitted.structure,
                               estimate=row["estimate"],
                               std_error=None if np.isnan(row["std_error"]) else row["std_error"]))
    return results_frame(rows)
