"""ADEFF: the efficacy parameters by visit, one long BDS dataset (SPEC section 4).

One dataset holds every efficacy parameter so that each endpoint flows through
the same statistics code; the safety labs are in ADLB
(:mod:`aidheart.derive.adlb`), the per-step challenge values in ADSTEP.
``record_id`` and ``event`` are kept after the BDS columns for traceability.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from aidheart.derive.bds import derive_vars_bds
from aidheart.derive.dose_response import derive_param_cimaint, derive_param_slope
from aidheart.derive.inotrope import derive_param_vismaint
from aidheart.derive.records import (
    derive_param_findings,
    derive_param_imputed_zero,
    derive_param_log,
    derive_param_sixmwd,
)

#: Parameters of the inotrope challenge: PARAMCD -> (PARAM, ADSTEP value).
CHALLENGE_SLOPES = {
    "INOSENS": ("Inotrope sensitivity: slope of cardiac index on VIS (L/min/m^2 per VIS unit)", "CISS"),
    "HRSLOPE": ("Heart-rate slope on VIS (bpm per VIS unit)", "HRSS"),
}
#: Clean ``labs`` parameters taken: param -> (PARAMCD, PARAM).
LAB_PARAMS = {
    "crp": ("CRP", "C-reactive protein (mg/L)"),
    "ntprobnp": ("NTPROBNP", "NT-proBNP (pg/mL)"),
}
#: Log-scale parameters: PARAMCD -> (source PARAMCD, PARAM).
LOG_PARAMS = {
    "LCRP": ("CRP", "ln C-reactive protein (ln mg/L)"),
    "LNTPROBNP": ("NTPROBNP", "ln NT-proBNP (ln pg/mL)"),
}
#: Clean ``clinical`` parameters taken: param -> (PARAMCD, PARAM).
CLINICAL_PARAMS = {
    "kccq_os": ("KCCQ", "KCCQ overall summary score (0-100)"),
    "nyha": ("NYHA", "NYHA functional class (1-4)"),
    "lvef": ("LVEF", "Left-ventricular ejection fraction by echo (%)"),
}
#: 6MWD not done for these reasons scores 0 m in an imputed record (sensitivity analysis).
SIXMWD_ZERO_REASONS = ("Heart-failure symptoms",)

PARAM_ORDER = ("INOSENS", "CIMAINT", "HRSLOPE", "SIXMWD", "CRP", "LCRP", "NTPROBNP", "LNTPROBNP",
               "KCCQ", "NYHA", "LVEF", "VISMAINT")


def subject_end_days(completion: pd.DataFrame, subjects: pd.DataFrame) -> pd.Series:
    """Last study day on study per enrolled ``record_id``: end-of-study day, else the data cut-off day."""
    enrolled = subjects.loc[subjects["enrolled"] == "Y", ["record_id", "cutoff_day"]]
    merged = enrolled.merge(completion[["record_id", "eos_day"]], on="record_id", how="left")
    return pd.Series(merged["eos_day"].fillna(merged["cutoff_day"]).to_numpy(), index=merged["record_id"])


def build_adeff(adstep: pd.DataFrame, walks: pd.DataFrame, labs: pd.DataFrame, clinical: pd.DataFrame,
                inotrope_log: pd.DataFrame, visits_clean: pd.DataFrame, completion: pd.DataFrame,
                subjects: pd.DataFrame, *, study_id: str, visits: Sequence[dict],
                vis_weights: Mapping[str, float], min_distinct_doses: int) -> pd.DataFrame:
    """The efficacy BDS dataset from ADSTEP and the clean tables.

    Returns
    -------
    DataFrame
        :data:`aidheart.derive.bds.BDS_COLUMNS` plus ``ASTDY``/``AENDY`` (the
        interval of ``VISMAINT``), ``record_id`` and ``event``.

    Notes
    -----
    ``INOSENS``/``HRSLOPE``: OLS slope over a session's usable steps (at least
    ``min_distinct_doses`` distinct VIS); ``CIMAINT``: step 1's steady-state CI.
    ``SIXMWD``: distance; a walk not done for a reason in
    :data:`SIXMWD_ZERO_REASONS` gets an extra record ``AVAL = 0``,
    ``DTYPE = "ZERO-IMPUTED"`` (in ``ANL02FL``, never ``ANL01FL``).
    ``LCRP``/``LNTPROBNP``: natural log. ``VISMAINT``: time-weighted VIS per visit
    interval. Baseline, change and flags: :func:`aidheart.derive.bds.derive_vars_bds`.
    """
    slopes = [derive_param_slope(adstep, value, code, label, min_distinct_doses)
              for code, (label, value) in CHALLENGE_SLOPES.items()]
    sixmwd = derive_param_sixmwd(walks)
    labs_records = derive_param_findings(labs, LAB_PARAMS, day="lab_day", srcdom="labs")
    logs = [derive_param_log(labs_records, source, code, label) for code, (source, label) in LOG_PARAMS.items()]
    records = pd.concat([
        *slopes,
        derive_param_cimaint(adstep),
        sixmwd,
        derive_param_imputed_zero(sixmwd, "SIXMWD", SIXMWD_ZERO_REASONS),
        labs_records,
        *logs,
        derive_param_findings(clinical, CLINICAL_PARAMS, day="clin_day", srcdom="clinical"),
        derive_param_vismaint(inotrope_log, subject_end_days(completion, subjects), visits, vis_weights),
    ], ignore_index=True)
    return derive_vars_bds(records, visits_clean, study_id=study_id, visits=visits, param_order=PARAM_ORDER)
