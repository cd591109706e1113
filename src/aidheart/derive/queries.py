"""Derivation queries: challenge steps and sessions that give no value, in the query-listing layout."""

from __future__ import annotations

import pandas as pd

from aidheart.ingest.queries import QUERY_COLUMNS
from aidheart.study import Schedule

FORM = "inotrope_challenge"


def derive_queries(adstep: pd.DataFrame, adeff: pd.DataFrame, schedule: Schedule, paramcd: str) -> pd.DataFrame:
    """One warning per unusable dose step and per session whose ``paramcd`` is missing.

    Parameters
    ----------
    adstep : DataFrame
        Per-step table (``SUBJID``, ``AVISIT``, ``STEP``, ``USABLFL``, ``REASND``, ``WVALIDN``).
    adeff : DataFrame
        Efficacy BDS (``SUBJID``, ``AVISIT``, ``PARAMCD``, ``AVAL``, ``REASND``).
    schedule : Schedule
        The visits: the query names the REDCap event of each ``AVISIT``.
    paramcd : str
        The session parameter whose missing values are queried (the primary endpoint).

    Returns
    -------
    DataFrame
        :data:`QUERY_COLUMNS`; ``rule`` is ``challenge_step_not_usable`` (``field``
        ``step_<n>``, ``value`` the number of valid readings) or
        ``<paramcd>_not_derived`` (``field`` the parameter); ``message`` the reason.
    """
    events = {visit.avisit: visit.event for visit in schedule.visits}
    steps = adstep[adstep["USABLFL"] != "Y"]
    step_queries = pd.DataFrame({
        "record_id": steps["SUBJID"], "event": steps["AVISIT"].map(events), "form": FORM,
        "field": "step_" + steps["STEP"].astype("string").fillna(""), "instance": pd.NA,
        "value": steps["WVALIDN"].astype("string"), "rule": "challenge_step_not_usable", "severity": "warning",
        "source": "adam/adstep.csv", "message": "dose step not usable: " + steps["REASND"].astype("string"),
    })
    missing = adeff[(adeff["PARAMCD"] == paramcd) & adeff["AVAL"].isna()]
    session_queries = pd.DataFrame({
        "record_id": missing["SUBJID"], "event": missing["AVISIT"].map(events), "form": FORM, "field": paramcd,
        "instance": pd.NA, "value": pd.NA, "rule": f"{paramcd.lower()}_not_derived", "severity": "warning",
        "source": "adam/adeff.csv",
        "message": f"{paramcd} not derived: " + missing["REASND"].astype("string").fillna("no reason"),
    })
    return pd.concat([step_queries, session_queries], ignore_index=True)[list(QUERY_COLUMNS)]
