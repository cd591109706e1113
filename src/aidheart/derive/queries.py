"""Derivation queries: challenge steps and sessions that give no value, in the query-listing layout."""

from __future__ import annotations

import pandas as pd

from aidheart.ingest.queries import QUERY_COLUMNS

FORM = "inotrope_challenge"


def derive_queries(adstep: pd.DataFrame, adeff: pd.DataFrame, paramcd: str = "INOSENS") -> pd.DataFrame:
    """One warning per unusable dose step and per session whose ``paramcd`` is missing.

    Parameters
    ----------
    adstep : DataFrame
        Per-step table (``USABLFL``, ``REASON``).
    adeff : DataFrame
        Efficacy BDS (``PARAMCD``, ``AVAL``, ``REASND``, ``record_id``, ``event``).
    paramcd : str
        The session parameter whose missing values are queried.

    Returns
    -------
    DataFrame
        :data:`QUERY_COLUMNS`; ``rule`` is ``challenge_step_not_usable`` (``field``
        ``step_<n>``, ``value`` the number of valid readings) or
        ``<paramcd>_not_derived`` (``field`` the parameter); ``message`` the reason.
    """
    steps = adstep[adstep["USABLFL"] != "Y"]
    step_queries = pd.DataFrame({
        "record_id": steps["record_id"], "event": steps["event"], "form": FORM,
        "field": "step_" + steps["STEP"].astype("string").fillna(""), "instance": pd.NA,
        "value": steps["NVALID"].astype("string"), "rule": "challenge_step_not_usable", "severity": "warning",
        "source": "adam/adstep.csv", "message": "dose step not usable: " + steps["REASON"].astype("string"),
    })
    missing = adeff[(adeff["PARAMCD"] == paramcd) & adeff["AVAL"].isna()]
    session_queries = pd.DataFrame({
        "record_id": missing["record_id"], "event": missing["event"], "form": FORM, "field": paramcd,
        "instance": pd.NA, "value": pd.NA, "rule": f"{paramcd.lower()}_not_derived", "severity": "warning",
        "source": "adam/adeff.csv", "message": f"{paramcd} not derived: " + missing["REASND"].astype("string").fillna("no reason"),
    })
    return pd.concat([step_queries, session_queries], ignore_index=True)[list(QUERY_COLUMNS)]
