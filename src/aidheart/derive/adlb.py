"""ADLB: safety laboratory parameters by visit (neutrophil count and its CTCAE grade)."""

from __future__ import annotations

import pandas as pd

from aidheart.derive.bds import derive_vars_bds
from aidheart.derive.ctcae import compute_ctcae_anc_grade
from aidheart.derive.records import derive_param_findings
from aidheart.derive.variables import ADLB
from aidheart.study import Schedule

#: Clean ``labs`` parameters taken: param -> (PARAMCD, PARAM).
LAB_PARAMS = {"anc": ("ANC", "Absolute neutrophil count (10^9/L)")}
ANCGR = ("ANCGR", "Neutrophil count decreased, CTCAE grade (0-4)")
PARAM_ORDER = ("ANC", "ANCGR")


def derive_param_ancgr(dataset: pd.DataFrame, anc_lln: float, paramcd: str = ANCGR[0],
                       param: str = ANCGR[1]) -> pd.DataFrame:
    """Records of the CTCAE grade of each ``ANC`` record (:func:`~aidheart.derive.ctcae.compute_ctcae_anc_grade`)."""
    anc = dataset[dataset["PARAMCD"] == "ANC"]
    return anc.assign(PARAMCD=paramcd, PARAM=param,
                      AVAL=compute_ctcae_anc_grade(anc["AVAL"], anc_lln).astype(float))


def build_adlb(labs: pd.DataFrame, visits_clean: pd.DataFrame, adsl: pd.DataFrame, *, schedule: Schedule,
               anc_lln: float) -> pd.DataFrame:
    """ANC (10^9/L) and its grade by visit, with baseline, change and analysis flags.

    Returns :data:`aidheart.derive.variables.ADLB`. The shift table of grades reads
    ``BASE`` against ``AVAL`` of ``ANCGR``; an ``ANCGR`` record has its ANC record's source row.
    """
    anc = derive_param_findings(labs, LAB_PARAMS, day="lab_day", srcdom="labs")
    records = pd.concat([anc, derive_param_ancgr(anc, anc_lln)], ignore_index=True)
    return derive_vars_bds(records, visits_clean, adsl, schedule=schedule, param_order=PARAM_ORDER)[list(ADLB)]
