"""Every planned analysis of one endpoint in one analysis set, as ARD rows."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import BASELINE_VISIT, select_records
from aidheart.stats.ard import result_row, results_frame
from aidheart.stats.long_table import DEFAULT_METHODS, LongTableError, analyse_long_table


def analyse_endpoint(adsl: pd.DataFrame, bds: pd.DataFrame, paramcd: str, set_id: str, *,
                     post_baseline_visits, seed: int, resamples: int, methods=DEFAULT_METHODS) -> pd.DataFrame:
    """Paired analyses at each post-baseline visit, LMM and MMRM, for ``paramcd`` in ``set_id``.

    Parameters
    ----------
    adsl, bds : DataFrame
        ADSL and a long BDS dataset (see :func:`aidheart.analysis.analysis_sets.select_records`).
    paramcd : str
        The endpoint.
    set_id : str
        The analysis set (key of :data:`aidheart.analysis.analysis_sets.ANALYSIS_SETS`).
    post_baseline_visits : sequence of str
        Scheduled post-baseline visit labels, in order; only those at which ``paramcd``
        has any record are analysed (a parameter is not collected at every visit).
    seed, resamples : int
        For the resampling methods.
    methods : sequence of str
        Method names of :func:`aidheart.stats.long_table.analyse_long_table`.

    Returns
    -------
    DataFrame
        ARD rows (``paramcd``, ``population`` = ``set_id``, ``visit`` and the result columns).
        When the set has no baseline value at all, one row per method with a ``note``.
    """
    collected = set(bds.loc[bds["PARAMCD"] == paramcd, "AVISIT"])
    visits = [visit for visit in post_baseline_visits if visit in collected]
    records = select_records(adsl, bds, paramcd, set_id, visits)
    try:
        rows = analyse_long_table(records, "USUBJID", "AVISIT", "AVAL", BASELINE_VISIT,
                                  visit_order=[BASELINE_VISIT, *visits], seed=seed,
                                  methods=methods, resamples=resamples)
    except LongTableError as error:
        rows = results_frame([result_row(method, "", note=f"not analysable: {error}") for method in methods])
    return rows.assign(paramcd=paramcd, population=set_id)
