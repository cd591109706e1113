"""ADLB: the safety laboratory parameters by visit, each with its CTCAE grade as a parameter."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from aidheart.derive.bds import derive_vars_bds
from aidheart.derive.ctcae import SafetyLab, compute_ctcae_grade
from aidheart.derive.records import derive_param_findings
from aidheart.derive.variables import ADLB
from aidheart.study import Schedule


def lab_params(labs: Sequence[SafetyLab]) -> dict[str, tuple[str, str]]:
    """Clean ``labs`` parameter -> (``PARAMCD``, ``PARAM``) of each safety lab."""
    return {lab.param: (lab.paramcd, f"{lab.label} ({lab.unit})") for lab in labs}


def grade_param(lab: SafetyLab) -> str:
    """``PARAM`` of the grade records of ``lab``."""
    return f"{lab.term}, CTCAE grade (0-{lab.max_grade})"


def derive_param_grade(dataset: pd.DataFrame, lab: SafetyLab) -> pd.DataFrame:
    """Records of the CTCAE grade of each ``lab`` record (:func:`~aidheart.derive.ctcae.compute_ctcae_grade`):
    ``PARAMCD`` :attr:`~aidheart.derive.ctcae.SafetyLab.grade_paramcd`, the value's source row kept."""
    values = dataset[dataset["PARAMCD"] == lab.paramcd]
    return values.assign(PARAMCD=lab.grade_paramcd, PARAM=grade_param(lab),
                         AVAL=compute_ctcae_grade(values["AVAL"], lab).astype(float))


def build_adlb(labs: pd.DataFrame, visits_clean: pd.DataFrame, adsl: pd.DataFrame, *, schedule: Schedule,
               safety_labs: Sequence[SafetyLab]) -> pd.DataFrame:
    """Each safety lab (config ``safety.labs``) and its grade by visit, with baseline, change and analysis flags.

    Returns :data:`aidheart.derive.variables.ADLB`, parameters in configuration order (each
    lab, then its grade). A shift table of grades reads ``BASE`` against ``AVAL`` of the
    grade parameter; a grade record has its value's source row.
    """
    values = derive_param_findings(labs, lab_params(safety_labs), day="lab_day", srcdom="labs")
    records = pd.concat([values, *(derive_param_grade(values, lab) for lab in safety_labs)], ignore_index=True)
    order = tuple(code for lab in safety_labs for code in (lab.paramcd, lab.grade_paramcd))
    return derive_vars_bds(records, visits_clean, adsl, schedule=schedule, param_order=order)[list(ADLB)]
