"""Feasibility outcomes (the ARD's FEASIBILITY rows) as a display table."""

from __future__ import annotations

import pandas as pd

from aidheart.stats.ard import ci_label
from aidheart.study import Study
from aidheart.tables.formatting import fmt_count, fmt_estimate_ci, fmt_fraction, fmt_number, fmt_percent_ci

#: ARD term -> the outcome's label.
OUTCOMES = {
    "enrolled_of_screened": "Enrolled of screened",
    "enrolment_rate": "Enrolment rate (enrolled per month of accrual)",
    "retention": "Retention: treated subjects completing treatment",
    "adherent": "Adherence at or above the per-protocol threshold",
}


def _label(term: str, visit: str, study: Study) -> str:
    if term.startswith("assessed_"):
        return f"{study.endpoint(term.removeprefix('assessed_')).short_label} assessed at {visit} (completers)"
    return OUTCOMES.get(term, term)


def rate_cells(row: pd.Series) -> tuple[str, str]:
    """An ARD rate row (the enrolment rate) as ``(count text, estimate with CI)``: "20 subjects over 13.0
    months", "1.54 (0.94, 2.38)"."""
    count = f"{fmt_count(row['count'])} subjects over {fmt_number(row['denominator'], 1)} months"
    return count, fmt_estimate_ci(row["estimate"], row["ci_low"], row["ci_high"], 2)


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
            count, estimate = rate_cells(row)
        else:
            count = fmt_fraction(row["count"], row["denominator"])
            estimate = fmt_percent_ci(row["estimate"], row["ci_low"], row["ci_high"])
        table.append({"Outcome": _label(row["term"], row["visit"], study), "n/N": count, estimate_column: estimate})
    return pd.DataFrame(table, columns=["Outcome", "n/N", estimate_column])


#: Traffic-light status of a progression criterion.
GREEN, AMBER, RED = "Green: go", "Amber: go with changes", "Red: stop or redesign"
PROGRESSION_COLUMNS = ["Criterion", "Outcome", "Estimate", "Green at or above", "Amber at or above", "Status"]


def _threshold(value: float, rate: bool) -> str:
    return fmt_number(value, 2) if rate else f"{100 * value:g}%"


def progression_table(ard: pd.DataFrame, criteria: list[dict], study: Study) -> pd.DataFrame:
    """The pre-specified progression criteria for the next trial, each judged on its feasibility outcome.

    Parameters
    ----------
    ard : DataFrame
        The ARD (its ``FEASIBILITY`` rows).
    criteria : list of dict
        Config ``progression_criteria``: ``label``, ``term`` (the feasibility outcome), ``green`` and
        ``amber`` (the estimate's lowest value for each colour, a proportion or the rate).
    study : Study
        For the outcomes' labels.

    Returns
    -------
    DataFrame
        :data:`PROGRESSION_COLUMNS`: the estimate with its exact 95 % CI as the feasibility table
        shows it; ``Status`` :data:`GREEN` when the estimate reaches ``green``, :data:`AMBER` when it
        reaches ``amber``, else :data:`RED` ("Not estimable" without an estimate).
    """
    rows = ard[ard["paramcd"] == "FEASIBILITY"].set_index("term")
    table = []
    for criterion in criteria:
        term = criterion["term"]
        if term not in rows.index:
            raise ValueError(f"progression criterion {criterion['label']!r}: no feasibility outcome {term!r} "
                             f"in the analysis results (known: {', '.join(rows.index)})")
        row = rows.loc[term]
        rate = row["method"] == "poisson_rate"
        estimate = rate_cells(row)[1] if rate else fmt_percent_ci(row["estimate"], row["ci_low"], row["ci_high"])
        value = row["estimate"]
        status = ("Not estimable" if pd.isna(value) else GREEN if value >= criterion["green"]
                  else AMBER if value >= criterion["amber"] else RED)
        table.append({"Criterion": criterion["label"], "Outcome": _label(term, row["visit"], study),
                      "Estimate": estimate, "Green at or above": _threshold(criterion["green"], rate),
                      "Amber at or above": _threshold(criterion["amber"], rate), "Status": status})
    return pd.DataFrame(table, columns=PROGRESSION_COLUMNS)
