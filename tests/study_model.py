"""The study model the tests take their visits and endpoints from, and tiny inline schedules and ADSLs.

``STUDY`` is the shipped configuration's study (config/config.yaml), loaded as the pipeline
loads it; tests of one derivation build the few visits they need with :func:`schedule_of`
and the subjects with :func:`adsl_of`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from aidheart.study import Schedule, Visit, load_study

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "config" / "config.yaml"
STUDY = load_study(CONFIG)
TREATMENT = STUDY.treatment


def schedule_of(*visits: tuple, primary: int = -1, end_of_treatment: int = -1) -> Schedule:
    """A schedule of ``(event, avisit, avisitn, day, window)`` tuples (every form collected at every visit)."""
    made = tuple(Visit(event, avisit, float(avisitn), day, window, ("visit_info", "labs", "clinical"))
                 for event, avisit, avisitn, day, window in visits)
    return Schedule(made, made[primary], made[end_of_treatment])


def adsl_of(*record_ids: str, study_id: str = "AIDHEART") -> pd.DataFrame:
    """ADSL identifiers and treatment of treated subjects ``record_ids`` (what other datasets take from it)."""
    ids = pd.Series(record_ids, dtype="string")
    return pd.DataFrame({"STUDYID": study_id, "USUBJID": study_id + "-" + ids, "SUBJID": ids, "TRT01P": TREATMENT,
                         "TRT01A": TREATMENT, "TRTSDY": 1, "TRTEDY": 84, "SAFFL": "Y"})
