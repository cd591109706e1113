"""Analysis visits (AVISIT/AVISITN) from the config's visit schedule, and the analysis day."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from aidheart.derive.checks import DerivationError


def visit_table(visits: Sequence[dict]) -> pd.DataFrame:
    """The config ``visits`` list as a table: ``event``, ``AVISIT``, ``AVISITN``, ``nominal_day``, ``window``."""
    return pd.DataFrame(
        {
            "event": pd.Series([visit["event"] for visit in visits], dtype="string"),
            "AVISIT": pd.Series([visit["avisit"] for visit in visits], dtype="string"),
            "AVISITN": [float(visit["avisitn"]) for visit in visits],
            "nominal_day": [int(visit["day"]) for visit in visits],
            "window": [int(visit["window"]) for visit in visits],
        }
    )


def derive_vars_avisit(dataset: pd.DataFrame, visits: Sequence[dict], event: str = "event") -> pd.DataFrame:
    """Add ``AVISIT`` and ``AVISITN`` of each record's REDCap event.

    Records keep the visit of the event they were entered under, also when the
    visit took place outside its window (the clean ``visits`` table flags that).

    Raises
    ------
    DerivationError
        If an event is not one of the config's visits.
    """
    schedule = visit_table(visits)
    unknown = sorted(set(dataset[event].dropna()) - set(schedule["event"]))
    if unknown:
        raise DerivationError(f"event(s) {', '.join(unknown)} are not visits in config 'visits'")
    mapped = schedule.set_index("event")
    return dataset.assign(
        AVISIT=dataset[event].map(mapped["AVISIT"]).astype("string"),
        AVISITN=dataset[event].map(mapped["AVISITN"]).astype(float),
    )


def derive_var_ady(dataset: pd.DataFrame, visits: pd.DataFrame, day: str,
                   keys: Sequence[str] = ("record_id", "event")) -> pd.DataFrame:
    """Add the analysis day ``ADY`` and its imputation flag ``ADYF``.

    Parameters
    ----------
    dataset : DataFrame
        Records with their own study day in column ``day``.
    visits : DataFrame
        Clean ``visits`` table (``record_id``, ``event``, ``visit_day``).
    day : str
        Column of ``dataset`` with the assessment's study day.
    keys : sequence of str
        Columns joining a record to its visit.

    Notes
    -----
    ``ADY`` is the assessment's own day; where that is missing (its date failed
    validation) it is the day of the visit the record was entered under, and
    ``ADYF`` is ``"VISIT DAY"``. Otherwise ``ADYF`` is missing.
    """
    visit_day = dataset[list(keys)].merge(visits[[*keys, "visit_day"]], on=list(keys), how="left")["visit_day"]
    own = pd.to_numeric(dataset[day]).astype("Float64")
    imputed = own.isna() & visit_day.notna().to_numpy()
    ady = own.where(~imputed, pd.Series(visit_day.to_numpy(), index=dataset.index).astype("Float64"))
    flag = pd.Series(pd.NA, index=dataset.index, dtype="string").mask(imputed, "VISIT DAY")
    return dataset.assign(ADY=ady.astype("Int64"), ADYF=flag)
