"""Longitudinal models side by side: LMM (Satterthwaite and Kenward–Roger df) and MMRM, per visit."""

from __future__ import annotations

import pandas as pd

from aidheart.stats.ard import ci_label
from aidheart.study import Endpoint
from aidheart.tables.ard_rows import one, select, visits_of
from aidheart.tables.formatting import fmt_count, fmt_estimate_ci, fmt_number, fmt_p

COLUMNS = ("Visit", "n", f"LMM change ({ci_label()})", "LMM df (Satt.)", "LMM p", "KR df", "KR p",
           f"MMRM LS mean change ({ci_label()})", "MMRM df (Satt.)", "MMRM p")


def model_table(ard: pd.DataFrame, endpoint: Endpoint, population: str) -> pd.DataFrame:
    """Per post-baseline visit: LMM contrast with Satterthwaite df, the Kenward–Roger df and p of the
    same contrast, and the MMRM least-squares mean change with Satterthwaite df.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`; ``n`` is the subjects with a value at the visit.
    """
    paramcd, digits = endpoint.paramcd, endpoint.digits
    rows = select(ard, paramcd=paramcd, population=population)
    table = []
    for visit in visits_of(rows, paramcd, population, "lmm"):
        lmm = one(rows, visit=visit, method="lmm", term="contrast")
        kr = one(rows, visit=visit, method="lmm_kr", term="contrast")
        mmrm = one(rows, visit=visit, method="mmrm", term="lsmean_change")
        table.append((visit, fmt_count(lmm["n"]),
                      fmt_estimate_ci(lmm["estimate"], lmm["ci_low"], lmm["ci_high"], digits),
                      fmt_number(lmm["df"], 1), fmt_p(lmm["p_value"]), fmt_number(kr["df"], 1), fmt_p(kr["p_value"]),
                      fmt_estimate_ci(mmrm["estimate"], mmrm["ci_low"], mmrm["ci_high"], digits),
                      fmt_number(mmrm["df"], 1), fmt_p(mmrm["p_value"])))
    return pd.DataFrame(table, columns=list(COLUMNS))


def model_notes(ard: pd.DataFrame, paramcd: str, population: str) -> list[str]:
    """Notes the model rows carry (e.g. why a model could not be fitted), de-duplicated."""
    rows = select(ard, paramcd=paramcd, population=population)
    rows = rows[rows["method"].isin(["lmm", "lmm_kr", "mmrm"])]
    return list(dict.fromkeys(note for note in rows["note"] if note and not note.startswith("covariance of")))
