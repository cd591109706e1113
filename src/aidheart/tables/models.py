"""Longitudinal models of the plan: the change by visit from each model, and the covariance each one used."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.plan import AnalysisPlan
from aidheart.stats.ard import ci_label
from aidheart.study import Endpoint
from aidheart.tables.ard_rows import display_label, one, select, visits_of
from aidheart.tables.formatting import MISSING, fmt_count, fmt_estimate_ci, fmt_number

CHANGE = "lsmean_change"


def model_table(ard: pd.DataFrame, endpoint: Endpoint, population: str, plan: AnalysisPlan) -> pd.DataFrame:
    """Per post-baseline visit: the change from baseline estimated by each model of the plan, with its CI.

    Returns
    -------
    DataFrame
        Columns ``Visit``, ``n`` (subjects with a value at the visit in the primary model),
        ``<label> (95% CI)`` for each model in plan order, and ``df``: the primary model's
        denominator df (the plan's df method).
    """
    rows = select(ard, paramcd=endpoint.paramcd, population=population)
    primary = plan.primary_model
    table = []
    for visit in visits_of(rows, endpoint.paramcd, population, primary.id):
        at = select(rows, visit=visit, term=CHANGE)
        entry = {"Visit": visit, "n": fmt_count(one(at, method=primary.id)["n"])}
        for model in plan.models:
            fit = one(at, method=model.id)
            entry[f"{model.label} ({ci_label()})"] = fmt_estimate_ci(fit["estimate"], fit["ci_low"], fit["ci_high"],
                                                                    endpoint.digits)
        entry["df"] = fmt_number(one(at, method=primary.id)["df"], 1)
        table.append(entry)
    columns = ["Visit", "n", *(f"{model.label} ({ci_label()})" for model in plan.models), "df"]
    return pd.DataFrame(table, columns=columns)


def structure_text(structure: str, order: tuple[str, ...]) -> str:
    """The structure used, and the structures of the pre-specified order tried before it (which did not converge)."""
    if not structure:
        return "not fitted"
    earlier = order[:order.index(structure)] if structure in order else ()
    return f"{structure} (after {', '.join(earlier)})" if earlier else structure


def covariance_table(ard: pd.DataFrame, endpoints: list[Endpoint], population: str, plan: AnalysisPlan) -> pd.DataFrame:
    """Per endpoint with models, the covariance structure each model used (the first of the order that converged).

    A structure listed "after" others was used because those did not converge; "not
    fitted" means no structure of the order converged. Endpoints without model rows
    (ordinal endpoints, endpoints without ``models``) are left out.

    Returns
    -------
    DataFrame
        Columns ``Endpoint`` and one per model label.
    """
    table = []
    for endpoint in endpoints:
        rows = select(ard, paramcd=endpoint.paramcd, population=population)
        fitted = rows[rows["method"].isin([model.id for model in plan.models])]
        if fitted.empty:
            continue
        entry = {"Endpoint": display_label(endpoint.short_param)}
        for model in plan.models:
            used = [value for value in fitted.loc[fitted["method"] == model.id, "covariance"] if value]
            entry[model.label] = structure_text(used[0], plan.covariance) if used else (
                "not fitted" if (fitted["method"] == model.id).any() else MISSING)
        table.append(entry)
    return pd.DataFrame(table, columns=["Endpoint", *(model.label for model in plan.models)])
