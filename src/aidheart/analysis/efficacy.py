"""Every planned analysis of one endpoint in one analysis set, as ARD rows."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import select_records
from aidheart.analysis.descriptive import collected_visits
from aidheart.stats.ard import result_row, results_frame
from aidheart.stats.long_table import DEFAULT_METHODS, LongTableError, analyse_long_table
from aidheart.study import Endpoint, Schedule


def analyse_endpoint(adsl: pd.DataFrame, bds: pd.DataFrame, endpoint: Endpoint, set_id: str, *,
                     schedule: Schedule, seed: int, resamples: int) -> pd.DataFrame:
    """Paired analyses at each post-baseline visit, LMM and MMRM, for ``endpoint`` in ``set_id``.

    Parameters
    ----------
    adsl, bds : DataFrame
        ADSL and a long BDS dataset (see :func:`aidheart.analysis.analysis_sets.select_records`).
    endpoint : Endpoint
        The endpoint; its ``methods`` (default: every paired method, LMM and MMRM).
    set_id : str
        The analysis set (key of :data:`aidheart.analysis.analysis_sets.ANALYSIS_SETS`).
    schedule : Schedule
        The visits; only the post-baseline visits at which the endpoint has any record
        are analysed (a parameter is not collected at every visit).
    seed, resamples : int
        For the resampling methods.

    Returns
    -------
    DataFrame
        ARD rows (``paramcd``, ``population`` = ``set_id``, ``visit`` and the result columns).
        When the set has no baseline value at all, one row per method with a ``note``.

    Notes
    -----
    The pairs are ADaM's: each post-baseline record's ``BASE`` and ``AVAL`` where ``CHG``
    is derived; the MMRM models that ``CHG`` on ``BASE``.
    """
    methods = endpoint.methods or DEFAULT_METHODS
    visits = collected_visits(bds, endpoint.paramcd, schedule)
    baseline = schedule.baseline.avisit
    records = select_records(adsl, bds, endpoint.paramcd, set_id, baseline=baseline, visits=visits)
    try:
        rows = analyse_long_table(records, "USUBJID", "AVISIT", "AVAL", baseline, visit_order=[baseline, *visits],
                                  seed=seed, methods=methods, resamples=resamples, base="BASE", change="CHG")
    except LongTableError as error:
        rows = results_frame([result_row(method, "", note=f"not analysable: {error}") for method in methods])
    return rows.assign(paramcd=endpoint.paramcd, population=set_id)
