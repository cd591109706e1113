"""Every planned analysis of one endpoint in one analysis set, as ARD rows."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import select_records
from aidheart.analysis.descriptive import collected_visits
from aidheart.analysis.plan import AnalysisPlan
from aidheart.stats.ard import result_row, results_frame
from aidheart.stats.long_table import DEFAULT_METHODS, PAIRED_METHODS, LongTableError, analyse_long_table
from aidheart.stats.ordinal import ordinal_improvement, shift_table
from aidheart.study import Endpoint, Schedule

#: The method that stands for the plan's longitudinal models in an endpoint's ``methods``.
MODELS = "models"
#: Methods of an endpoint that does not list its own: every paired method and the models.
CONTINUOUS_METHODS = (*DEFAULT_METHODS, MODELS)
#: Methods of an ordinal endpoint: counts of who moved where, and the share improved.
ORDINAL_METHODS = ("shift_table", "ordinal_improvement")


def endpoint_methods(endpoint: Endpoint) -> tuple[str, ...]:
    """The endpoint's ``methods``, or the default of its kind (ordinal or continuous)."""
    if endpoint.methods:
        return endpoint.methods
    return ORDINAL_METHODS if endpoint.categorical else CONTINUOUS_METHODS


def analyse_endpoint(adsl: pd.DataFrame, bds: pd.DataFrame, endpoint: Endpoint, set_id: str, *,
                     schedule: Schedule, plan: AnalysisPlan) -> pd.DataFrame:
    """The endpoint's analyses at each post-baseline visit and its longitudinal models, in ``set_id``.

    Parameters
    ----------
    adsl, bds : DataFrame
        ADSL and a long BDS dataset (see :func:`aidheart.analysis.analysis_sets.select_records`).
    endpoint : Endpoint
        The endpoint and its methods (:func:`endpoint_methods`).
    set_id : str
        The analysis set (key of :data:`aidheart.analysis.analysis_sets.ANALYSIS_SETS`).
    schedule : Schedule
        The visits; only the post-baseline visits at which the endpoint has any record
        are analysed (a parameter is not collected at every visit).
    plan : AnalysisPlan
        Seed and resamples of the resampling methods; the longitudinal models, their
        covariance fallback order and df method.

    Returns
    -------
    DataFrame
        ARD rows (``paramcd``, ``population`` = ``set_id``, ``visit`` and the result columns):
        an ordinal endpoint gets its shift table and the share improved by one class
        or more at each visit (:func:`analyse_ordinal`); a continuous one its paired
        methods at each visit, then the rows of each model
        (:func:`aidheart.stats.longitudinal.fit_longitudinal`). When the set has no
        baseline value at all, one row per method with a ``note``.

    Notes
    -----
    The pairs are ADaM's: each post-baseline record's ``BASE`` and ``AVAL`` where ``CHG``
    is derived; the MMRMs model that ``CHG`` on ``BASE``, the cLDA the ``AVAL`` with the
    baseline records in the response.
    """
    visits = collected_visits(bds, endpoint.paramcd, schedule)
    baseline = schedule.baseline.avisit
    records = select_records(adsl, bds, endpoint.paramcd, set_id, baseline=baseline, visits=visits)
    methods = endpoint_methods(endpoint)
    if endpoint.categorical:
        rows = analyse_ordinal(records, endpoint, visits)
        return rows.assign(paramcd=endpoint.paramcd, population=set_id)
    models = [model.model() for model in plan.models] if MODELS in methods else []
    try:
        rows = analyse_long_table(records, "USUBJID", "AVISIT", "AVAL", baseline, visit_order=[baseline, *visits],
                                  seed=plan.seed, methods=[m for m in methods if m in PAIRED_METHODS],
                                  resamples=plan.resamples, base="BASE", change="CHG", models=models,
                                  structures=plan.covariance, df_method=plan.model_df)
    except LongTableError as error:
        rows = results_frame([result_row(method, "", note=f"not analysable: {error}") for method in methods])
    return rows.assign(paramcd=endpoint.paramcd, population=set_id)


def analyse_ordinal(records: pd.DataFrame, endpoint: Endpoint, visits) -> pd.DataFrame:
    """Shift table (baseline class x visit class) and the share improved by at least one class, per visit.

    Parameters
    ----------
    records : DataFrame
        The set's records of the endpoint (``AVISIT``, ``AVAL``, ``BASE``, ``CHG``).
    endpoint : Endpoint
        Its ``levels`` (the classes in order) and ``better`` (``lower`` for NYHA: improved
        means a lower class).
    visits : sequence of str
        The post-baseline visits.

    Returns
    -------
    DataFrame
        Per visit, the rows of :func:`aidheart.stats.ordinal.shift_table` (``count[baseline=B,visit=V]``)
        and :func:`aidheart.stats.ordinal.ordinal_improvement` (``improved_ge1``, Clopper–Pearson CI)
        on the complete pairs (``BASE`` and ``AVAL`` where ``CHG`` is derived).
    """
    methods = endpoint_methods(endpoint)
    frames = []
    for visit in visits:
        at = records[(records["AVISIT"] == visit) & records["CHG"].notna()].sort_values("USUBJID", kind="stable")
        base, post = at["BASE"].to_numpy(), at["AVAL"].to_numpy()
        if "shift_table" in methods:
            try:
                frames.append(shift_table(base, post, levels=endpoint.levels).assign(visit=visit))
            except ValueError as error:  # a class the configuration does not list
                frames.append(results_frame([result_row("shift_table", "", visit=visit,
                                                        note=f"not analysable: {error}")]))
        if "ordinal_improvement" in methods:
            frames.append(ordinal_improvement(base, post, classes=1, lower_is_better=endpoint.better == "lower")
                          .assign(visit=visit))
    if not frames:  # no post-baseline visit collected yet: one row per method saying so, as for a long table
        return results_frame([result_row(method, "", note="not analysable: no post-baseline visit collected")
                              for method in methods if method in ("shift_table", "ordinal_improvement")])
    return pd.concat(frames, ignore_index=True)
