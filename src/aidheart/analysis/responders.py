"""Responder analysis: the proportion of subjects whose change reaches a threshold."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import BASELINE_VISIT, select_records
from aidheart.stats.proportions import clopper_pearson
from aidheart.stats.long_table import change_from_baseline


def analyse_responders(adsl: pd.DataFrame, bds: pd.DataFrame, paramcd: str, set_id: str, *,
                       visit: str, threshold: float) -> pd.DataFrame:
    """Proportion of subjects with ``CHG >= threshold`` at ``visit``, with its Clopper–Pearson 95 % CI.

    Returns
    -------
    DataFrame
        One ARD row: ``method = "responder"``, ``term = "proportion"``, ``estimate``
        responders / n, exact CI, ``n`` subjects with a baseline and a value at ``visit``;
        ``note`` states the threshold.

    Notes
    -----
    Missing data: subjects without a baseline or without a value at the visit are not
    counted (complete pairs), as in the paired analyses.
    """
    records = select_records(adsl, bds, paramcd, set_id, [visit])
    changes = change_from_baseline(records, "USUBJID", "AVISIT", "AVAL", BASELINE_VISIT)
    responders = int((changes["CHG"] >= threshold).sum())
    row = clopper_pearson(responders, len(changes), method="responder")
    note = f"responder: change >= {threshold:g}; {responders} of {len(changes)}"
    return row.assign(visit=visit, note=note, paramcd=paramcd, population=set_id)
