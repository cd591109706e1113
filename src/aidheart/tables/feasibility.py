"""Feasibility outcomes (the ARD's FEASIBILITY rows) as a display table."""

from __future__ import annotations

import pandas as pd

from aidheart.stats.ard import ci_label
from aidheart.study import Study
from aidheart.tables.formatting import fmt_count, fmt_estimate_ci, fmt_fraction, fmt_percent_ci

#: ARD term -> the outcome's label.
OUTCOMES = {
    "enrolled_of_screened": "Enrolled of screened",
    "enrolment_rate": "Enrolment rate (subjects per month of accrual)",
    "retention": "Retention: treated subjects completing treatment",
    "adherent": "Adherence at or above the per-protocol threshold",
}


def _label(term: str, visit: str, study: Study) -> str:
    if term.startswith("assessed_"):
        return f"{study.endpoint(term.removeprefix('assessed_')).short_label} assessed at {visit} (completers)"
    return OUTCOMES.get(term, term)


def feasibility_table(ard: pd.DataFrame, study: Study) -> pd.DataFrame:
    """One row per feasibility outcome, in ARD order: label, count/denominator, estimate with its exact CI.

    Proportions show as percentages with ``count/denominator``; the enrolment rate as
    subjects per month with its exact Poisson CI, and the subjects over the months of accrual.

    Returns
    -------
    DataFrame
        Columns ``Outcome``, ``n/N``, ``Estimate (95% CI)``.
    """
    rows = ard[ard["paramcd"] == "FEASIBILITY"]
    estimate_column = f"Estimate ({ci_label()})"
    table = []
    for _, row in rows.iterrows():
        if row["method"] == "poisson_rate":
            count = f"{fmt_count(row['count'])} subjects over {row['denominator']:g} months"
            estimate = fmt_estimate_ci(row["estimate"], row["ci_low"], row["ci_high"], 2)
        else:
            count = fmt_fraction(row["count"], row["denominator"])
            estimate = fmt_percent_ci(row["estimate"], row["ci_low"], row["ci_high"])
        table.append({"Outcome": _label(row["term"], row["visit"], study), "n/N": count, estimate_column: estimate})
    return pd.DataFrame(table, columns=["Outcome", "n/N", estimate_column])
