"""Informative missingness at the primary visit: the worst-rank composite and the tipping-point analysis.

Both take every treated subject with a baseline value of the endpoint (ADSL ``SAFFL``),
not only those with a value at the visit: the subjects who died, had an LVAD or could
not walk are those a complete-case analysis loses. Their ARD population is
:data:`POPULATION`.
"""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import baseline_values, select_records
from aidheart.stats.tipping_point import tipping_point
from aidheart.stats.worst_rank import worst_rank_composite
from aidheart.study import Endpoint, IntercurrentEvent, Schedule

#: The ARD population of these analyses: the treated subjects with a baseline value.
POPULATION = "SAF"


def _visit_changes(adsl: pd.DataFrame, bds: pd.DataFrame, endpoint: Endpoint, set_id: str,
                   schedule: Schedule) -> pd.DataFrame:
    """Per treated subject with a baseline (sorted): ``BASE`` and the change at the primary visit (NaN if none)."""
    visit = schedule.primary.avisit
    records = select_records(adsl, bds, endpoint.paramcd, set_id, baseline=schedule.baseline.avisit, visits=[visit])
    at_visit = records[(records["AVISIT"] == visit) & records["CHG"].notna()].set_index("USUBJID")["CHG"]
    base = baseline_values(adsl, bds, endpoint.paramcd)
    return pd.DataFrame({"BASE": base, "CHG": base.index.map(at_visit).astype(float)}, index=base.index)


def _event_of(subject: str, events: tuple[IntercurrentEvent, ...], left: pd.Series, not_done: pd.Series) -> str:
    """The worst event of ``events`` that explains the subject's missing value, or ``""``."""
    for event in events:
        if event.dcsreas is not None and left.get(subject) == event.dcsreas:
            return event.event
        if event.reasnd is not None and not_done.get(subject) == event.reasnd:
            return event.event
    return ""


def intercurrent_events(adsl: pd.DataFrame, bds: pd.DataFrame, endpoint: Endpoint, subjects, *,
                        schedule: Schedule) -> pd.Series:
    """For each subject, the event of the endpoint's ``worst_rank`` list that explains a missing value.

    Notes
    -----
    An event recorded by ``dcsreas`` applies when the subject left the study for that
    reason (ADSL ``DCSREAS``) on or before the last day of the primary visit's window
    (``EOSDY``; a subject without an end-of-study day has not left); one recorded by
    ``reasnd`` when the endpoint's observed record at the primary visit is not done for
    that reason (ADEFF ``REASND``, ``DTYPE`` empty). The worst event that applies wins.
    The caller uses it only for subjects without a value at the visit.
    """
    window_end = schedule.primary.window_end
    left_by = adsl.set_index("USUBJID")
    left_in_time = left_by["EOSDY"].astype("Float64") <= window_end
    left = left_by["DCSREAS"].where(left_in_time.fillna(False).astype(bool))
    at_visit = bds[(bds["PARAMCD"] == endpoint.paramcd) & (bds["AVISIT"] == schedule.primary.avisit)
                   & bds["AVAL"].isna() & bds["DTYPE"].isna()]
    not_done = at_visit.drop_duplicates("USUBJID").set_index("USUBJID")["REASND"]
    return pd.Series([_event_of(subject, endpoint.worst_rank, left, not_done) for subject in subjects],
                     index=list(subjects), dtype=object)


def analyse_worst_rank(adsl: pd.DataFrame, bds: pd.DataFrame, endpoint: Endpoint, set_id: str, *,
                       schedule: Schedule) -> pd.DataFrame:
    """The worst-rank composite of the change at the primary visit, tested by the exact signed-rank test.

    Returns
    -------
    DataFrame
        The rows of :func:`aidheart.stats.worst_rank.worst_rank_composite` (``V`` with the
        exact p, and ``count[<event>]``, ``count[observed]``), ``paramcd``, ``visit`` the
        primary visit, ``population`` :data:`POPULATION`.

    Notes
    -----
    Subjects: every treated subject with a baseline value; the observed change is that
    of ``set_id``'s records (the primary analysis's values). A subject without a change
    at the visit gets the worst event that explains it (:func:`intercurrent_events`),
    ranked below every observed change; a subject without either (withdrew, lost, a
    test not done for another reason) is left out. For an endpoint where lower is
    better the change is negated first, so a higher score is always better.
    """
    changes = _visit_changes(adsl, bds, endpoint, set_id, schedule)
    events = intercurrent_events(adsl, bds, endpoint, changes.index, schedule=schedule)
    events = events.where(changes["CHG"].isna().to_numpy(), "")
    sign = -1.0 if endpoint.better == "lower" else 1.0
    rows = worst_rank_composite(sign * changes["CHG"].to_numpy(), events.to_numpy(),
                                event_order=[event.event for event in endpoint.worst_rank])
    return rows.assign(visit=schedule.primary.avisit, paramcd=endpoint.paramcd, population=POPULATION)


def analyse_tipping_point(adsl: pd.DataFrame, bds: pd.DataFrame, endpoint: Endpoint, set_id: str, *,
                          schedule: Schedule) -> pd.DataFrame:
    """The tipping point of the mean change at the primary visit: how much worse the missing changes must be.

    Returns
    -------
    DataFrame
        The rows of :func:`aidheart.stats.tipping_point.tipping_point` (``delta_tipping``
        and ``mean_change[delta=D]`` for each of the endpoint's ``tipping_point``
        shifts), ``paramcd``, ``visit``, ``population`` :data:`POPULATION`.

    Notes
    -----
    Subjects: every treated subject with a baseline value; observed: the change in
    ``set_id``'s records at the visit (so the complete-case mean is the primary paired
    mean change); missing: every other subject, imputed at the observed mean + δ.
    """
    changes = _visit_changes(adsl, bds, endpoint, set_id, schedule)
    base = changes["BASE"].to_numpy()
    rows = tipping_point(base, base + changes["CHG"].to_numpy(), deltas=endpoint.tipping_point)
    return rows.assign(visit=schedule.primary.avisit, paramcd=endpoint.paramcd, population=POPULATION)

