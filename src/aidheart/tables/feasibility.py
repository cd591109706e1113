"""Feasibility outcomes (the ARD's FEASIBILITY rows) as a display table."""

from __future__ import annotations

import pandas as pd

from aidheart.tables.formatting import fmt_estimate_ci, fmt_percent_ci, fmt_proportion_count

#: ARD term -> the outcome's label (``{visit}`` filled from the row).
OUTCOMES = {
    "enrolled_of_screened": "Enrolled of screened",
    "enrolment_rate": "Enrolment rate (subjects per month of accrual)",
    "retention": "Retention: treated subjects completing treatment",
    "adherent": "Adherence at or above the per-protocol threshold",
    "assessed_INOSENS": "Inotrope challenge analysable at {visit} (completers)",
    "assessed_SIXMWD": "6-minute walk done at {visit} (completers)",
}


def feasibility_table(ard: pd.DataFrame) -> pd.DataFrame:
    """One row per feasibility outcome, in ARD order: label, count/denominator, estimate with exact 95 % CI.

    Proportions show as percentages; the enrolment rate as subjects per month with its
    exact Poisson CI and the ARD note (events over months of accrual).

    Returns
    -------
    DataFrame
        Columns ``Outcome``, ``n/N``, ``Estimate (95% CI)``.
    """
    rows = ard[ard["paramcd"] == "FEASIBILITY"]
    table = []
    for _, row in rows.iterrows():
        label = OUTCOMES.get(row["term"], row["term"]).format(visit=row["visit"])
        if row["method"] == "poisson_rate":
            count = row["note"].replace("events over exposure", "subjects over") + " months" if row["note"] else ""
            estimate = fmt_estimate_ci(row["estimate"], row["ci_low"], row["ci_high"], 2)
        else:
            count = fmt_proportion_count(row["estimate"], row["n"])
            estimate = fmt_percent_ci(row["estimate"], row["ci_low"], row["ci_high"])
        table.append({"Outcome": label, "n/N": count, "Estimate (95% CI)": estimate})
    return pd.DataFrame(table, columns=["Outcome", "n/N", "Estimate (95% CI)"])
