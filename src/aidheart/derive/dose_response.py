"""Per-session parameters of the inotrope challenge: INOSENS, HRSLOPE, CIMAINT.

Each takes the per-step table (:func:`aidheart.derive.adstep.build_adstep`) with its
session keys ``record_id`` and ``event`` and returns one record per session
(:data:`aidheart.derive.records.RECORD_COLUMNS`), with ``AVAL`` missing and a reason
in ``REASND`` where the session gives no value.
"""

from __future__ import annotations

import pandas as pd

from aidheart.derive.records import RECORD_COLUMNS, source_sequence

SESSION_KEYS = ["record_id", "event"]
SESSION_VARS = [*SESSION_KEYS, "day"]


def _step_reasons(steps: pd.DataFrame) -> str:
    unusable = steps[steps["USABLFL"] != "Y"]
    return "; ".join(f"step {step:g}: {reason}" if pd.notna(step) else str(reason)
                     for step, reason in zip(unusable["STEP"], unusable["REASND"]))


def _missing_reason(steps: pd.DataFrame, min_distinct_doses: int) -> str:
    """Why a session's steps give no slope."""
    if (steps["MONFILFL"] != "Y").any():
        return f"monitor file {steps['MONFILE'].iloc[0]} missing"
    n_performed = steps["VIS"].nunique()
    if n_performed < min_distinct_doses:
        return f"{n_performed} dose step(s) at distinct doses performed, fewer than {min_distinct_doses}"
    n_usable = steps.loc[steps["USABLFL"] == "Y", "VIS"].nunique()
    return (f"{n_usable} usable step(s) at distinct doses, fewer than {min_distinct_doses}"
            f" ({_step_reasons(steps)})")


def derive_param_slope(adstep: pd.DataFrame, value: str, paramcd: str, param: str,
                       min_distinct_doses: int = 2) -> pd.DataFrame:
    """One record per session: OLS slope of the steps' steady-state ``value`` on their VIS.

    Parameters
    ----------
    adstep : DataFrame
        Per-step table with ``record_id``, ``event``, ``ADY``, ``STEP``, ``VIS``,
        ``value``, ``USABLFL``, ``REASND``, ``MONFILE``, ``MONFILFL``.
    value : str
        ``"CISS"`` (for ``INOSENS``, L/min/m^2 per VIS unit) or ``"HRSS"`` (for
        ``HRSLOPE``, bpm per VIS unit).
    paramcd, param : str
        Parameter code and label of the records.
    min_distinct_doses : int
        Config ``challenge.min_distinct_doses``.

    Returns
    -------
    DataFrame
        :data:`~aidheart.derive.records.RECORD_COLUMNS` (``day``: the session's study
        day; ``SRCDOM`` ``ADSTEP``, ``SRCVAR`` ``value``, ``SRCSEQ`` missing: the value
        comes from the session's usable steps); sessions in order of first appearance.

    Notes
    -----
    ``AVAL = sum((x - mean x)(y - mean y)) / sum((x - mean x)^2)`` over the usable
    steps (``x`` = VIS, ``y`` = ``value``), when they have at least
    ``min_distinct_doses`` distinct VIS; otherwise ``AVAL`` is missing and
    ``REASND`` says why (monitor file missing; too few dose steps performed; too
    few usable steps, with each unusable step's reason).
    """
    usable = adstep[adstep["USABLFL"] == "Y"]
    by = [usable["record_id"], usable["event"]]
    dx = usable["VIS"] - usable.groupby(by)["VIS"].transform("mean")
    dy = usable[value] - usable.groupby(by)[value].transform("mean")
    fit = pd.DataFrame({
        "sxy": (dx * dy).groupby(by).sum(), "sxx": (dx * dx).groupby(by).sum(),
        "doses": usable.groupby(by)["VIS"].nunique(),
    })
    sessions = adstep.drop_duplicates(SESSION_KEYS)[SESSION_KEYS + ["ADY"]].rename(columns={"ADY": "day"})
    fitted = sessions.merge(fit.rename_axis(SESSION_KEYS).reset_index(), on=SESSION_KEYS, how="left")
    enough = fitted["doses"] >= min_distinct_doses
    failed = fitted.loc[~enough, SESSION_KEYS]
    failed_steps = adstep.merge(failed, on=SESSION_KEYS)
    reasons = {key: _missing_reason(steps, min_distinct_doses)
               for key, steps in failed_steps.groupby(SESSION_KEYS, sort=False)}
    reason = [reasons.get((rid, event), pd.NA) for rid, event in zip(fitted["record_id"], fitted["event"])]
    return fitted[SESSION_VARS].assign(
        PARAMCD=paramcd, PARAM=param, AVAL=(fitted["sxy"] / fitted["sxx"]).where(enough), DTYPE=pd.NA,
        REASND=pd.Series(reason, index=fitted.index, dtype="string"), SRCDOM="ADSTEP", SRCVAR=value,
        SRCSEQ=pd.NA,
    )[RECORD_COLUMNS].astype({"DTYPE": "string", "SRCSEQ": "Int64"})


def derive_param_maintenance(adstep: pd.DataFrame, value: str, paramcd: str, param: str) -> pd.DataFrame:
    """One record per session: the steady-state ``value`` of step 1 (the maintenance dose).

    Missing, with step 1's reason in ``REASND``, when step 1 is not usable;
    ``SRCSEQ`` is step 1's row of ``adstep``.
    """
    first = adstep[adstep["STEP"] == 1]
    return pd.DataFrame({
        **{var: first[var] for var in SESSION_KEYS}, "day": first["ADY"],
        "PARAMCD": paramcd, "PARAM": param,
        "AVAL": first[value].astype(float), "DTYPE": pd.NA,
        "REASND": first["REASND"],
        "SRCDOM": "ADSTEP", "SRCVAR": value, "SRCSEQ": source_sequence(first, adstep),
    })[RECORD_COLUMNS].astype({"DTYPE": "string", "REASND": "string"}).reset_index(drop=True)
