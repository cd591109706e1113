"""Analysis visits (AVISIT/AVISITN) from the study's visit schedule, and the analysis day."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from aidheart.derive.checks import DerivationError
from aidheart.study import Schedule


def derive_vars_avisit(dataset: pd.DataFrame, schedule: Schedule, event: str = "event") -> pd.DataFrame:
    """Add ``AVISIT`` and ``AVISITN`` of each record's REDCap event (the schedule's visits).

    Records keep the visit of the event they were entered under, also when the
    visit took place outside its window (the clean ``visits`` table flags that).

    Raises
    ------
    DerivationError
        If an event is not one of the schedule's visits.
    """
    by_event = schedule.by_event()
    unknown = sorted(set(dataset[event].dropna()) - set(by_event))
    if unknown:
        raise DerivationError(f"event(s) {', '.join(unknown)} are not visits in config 'visits'")
    return dataset.assign(
        AVISIT=dataset[event].map({key: visit.avisit for key, visit in by_event.items()}).astype("string"),
        AVISITN=dataset[event].map({key: visit.avisitn for key, visit in by_event.items()}).astype(float),
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
