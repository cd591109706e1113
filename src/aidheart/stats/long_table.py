"""Run every analysis of one endpoint on a long table: paired methods per visit, then the models."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.stats.columns import numeric_column
from aidheart.stats.effect_size import cohen_dz, hedges_gz
from aidheart.stats.longitudinal import SUBJECT, VISIT, LongitudinalModel, fit_longitudinal
from aidheart.stats.nonparametric import hodges_lehmann, hodges_lehmann_exact, wilcoxon_signed_rank
from aidheart.stats.paired import geometric_mean_ratio, paired_t, summary
from aidheart.stats.resampling import bootstrap_mean_change, sign_flip_permutation
from aidheart.stats.signed_rank_pratt import wilcoxon_pratt_exact

PAIRED_METHODS = {
    "summary": summary,
    "paired_t": paired_t,
    "wilcoxon_signed_rank": wilcoxon_signed_rank,
    "wilcoxon_pratt_exact": wilcoxon_pratt_exact,
    "hodges_lehmann": hodges_lehmann,
    "hodges_lehmann_exact": hodges_lehmann_exact,
    "cohen_dz": cohen_dz,
    "hedges_gz": hedges_gz,
    "bootstrap_mean_change": bootstrap_mean_change,
    "sign_flip_permutation": sign_flip_permutation,
    "gmr": geometric_mean_ratio,
}
SEEDED_METHODS = ("bootstrap_mean_change", "sign_flip_permutation")
DEFAULT_METHODS = tuple(m for m in PAIRED_METHODS if m != "gmr")
#: The models of the command line (``aidheart stats``): the MMRM of the change with one baseline
#: slope and the cLDA, each with the first of :data:`DEFAULT_STRUCTURES` that converges.
DEFAULT_MODELS = (LongitudinalModel("mmrm", "CHG ~ 0 + AVISIT + BASE", "MMRM"),
                  LongitudinalModel("clda", "AVAL ~ AVISIT", "cLDA"))
DEFAULT_STRUCTURES = ("us", "toeph", "csh", "cs")
DEFAULT_DF = "kenward-roger"


class LongTableError(ValueError):
    """The long table cannot be analysed as asked (missing column, baseline, duplicates, ...)."""


def ordered_visit_levels(visits: pd.Series, baseline: str, visit_order=None) -> list[str]:
    """Visit levels in analysis order, baseline first.

    ``visit_order`` if given (it must name every level in the data); otherwise
    numeric order when every level is a number, else order of first appearance.
    """
    present = list(dict.fromkeys(visits.dropna()))
    if visit_order is not None:
        order = [str(level) for level in visit_order]
        unlisted = [level for level in present if level not in order]
        if unlisted:
            raise LongTableError(f"visit levels {unlisted} are not in the visit order {order}")
    else:
        numbers = pd.to_numeric(pd.Series(present, dtype=object), errors="coerce")
        order = present
        if numbers.notna().all():
            order = [present[i] for i in np.argsort(numbers.to_numpy(), kind="stable")]
    return [baseline] + [level for level in order if level != baseline]


def tidy_long_table(data: pd.DataFrame, subject: str, visit: str, value: str, baseline,
                    numbers=()) -> pd.DataFrame:
    """The analysis columns with string subject/visit keys and float values (``value`` and ``numbers``).

    Raises
    ------
    LongTableError
        A column is missing, a value column is not numeric, the baseline level is
        absent, or a subject has two rows at one visit.
    """
    missing = [column for column in (subject, visit, value, *numbers) if column not in data.columns]
    if missing:
        raise LongTableError(f"column(s) {missing} not found; columns are {list(data.columns)}")
    tidy = pd.DataFrame({
        subject: data[subject].astype("string"),
        visit: data[visit].astype("string"),
        **{column: numeric_column(data, column, LongTableError) for column in (value, *numbers)},
    })
    if not (tidy[visit] == str(baseline)).any():
        raise LongTableError(f"baseline level {baseline!r} not found in column {visit!r}")
    duplicated = tidy.duplicated([subject, visit], keep=False)
    if duplicated.any():
        keys = tidy.loc[duplicated, [subject, visit]].drop_duplicates().head(3).to_numpy().tolist()
        raise LongTableError(f"more than one row per {subject} x {visit}, e.g. {keys}")
    return tidy


def _paired_rows(changes: pd.DataFrame, subject: str, visit: str, value: str, levels: list[str], methods,
                 seed: int, resamples: int) -> list:
    """Each paired method at each post-baseline level, on the (``BASE``, value) pairs of that level."""
    frames = []
    ordered = changes.sort_values(subject, kind="stable")
    for level in levels[1:]:
        at = ordered[ordered[visit] == level]
        for name in methods:
            options = {"seed": seed, "resamples": resamples} if name in SEEDED_METHODS else {}
            frame = PAIRED_METHODS[name](at["BASE"].to_numpy(), at[value].to_numpy(), **options)
            frames.append(frame.assign(visit=level))
    return frames


def _model_rows(tidy: pd.DataFrame, changes: pd.DataFrame, subject: str, visit: str, value: str,
                levels: list[str], models, structures, df_method: str) -> list:
    """Each model on the rows in ADaM names: every row's value, ``BASE`` and ``CHG`` on the post-baseline rows."""
    if not models:
        return []
    keys = [subject, visit]
    records = tidy[keys + [value]].merge(changes[keys + ["BASE", "CHG"]], on=keys, how="left")
    records = records.rename(columns={subject: SUBJECT, visit: VISIT, value: "AVAL"})
    return [fit_longitudinal(records, model, baseline=levels[0], visits=levels[1:], structures=structures,
                             df_method=df_method) for model in models]


def change_from_baseline(
    tidy: pd.DataFrame, subject: str, visit: str, value: str, baseline: str
) -> pd.DataFrame:
    """Post-baseline rows with ``BASE`` (the subject's baseline value) and ``CHG = value - BASE``.

    For a long table without them (the command line); ADaM data bring their own
    ``BASE`` and ``CHG``. Rows without a baseline or without a value are dropped.
    """
    base = tidy.loc[tidy[visit] == baseline].set_index(subject)[value]
    post = tidy.loc[tidy[visit] != baseline, [subject, visit, value]]
    post = post.assign(BASE=post[subject].map(base).astype(float))
    post = post.assign(CHG=post[value] - post["BASE"])
    return post.loc[post["CHG"].notna(), [subject, visit, value, "CHG", "BASE"]].reset_index(drop=True)


def analyse_long_table(
    data: pd.DataFrame,
    subject: str,
    visit: str,
    value: str,
    baseline,
    visit_order=None,
    seed: int = 20240901,
    methods=DEFAULT_METHODS,
    resamples: int = 9999,
    base: str | None = None,
    change: str | None = None,
    models=DEFAULT_MODELS,
    structures=DEFAULT_STRUCTURES,
    df_method: str = DEFAULT_DF,
) -> pd.DataFrame:
    """Every analysis of one endpoint: paired methods at each post-baseline visit, then the models.

    Parameters
    ----------
    data : pandas.DataFrame
        Long table, one row per subject and visit.
    subject, visit, value : str
        Column names.
    baseline : str
        The level of ``visit`` that is baseline.
    visit_order : sequence of str, optional
        Visit levels in order (see :func:`ordered_visit_levels`).
    seed : int
        Seed for the resampling methods (the same seed at every visit).
    methods : sequence of str
        Names from :data:`PAIRED_METHODS`; the rows come out in this order within a visit.
    resamples : int
        Bootstrap resamples and Monte Carlo sign patterns.
    base, change : str, optional
        Columns with each post-baseline row's baseline value and change from baseline
        (ADaM ``BASE``/``CHG``), used as they are. Without them they are derived here
        from the rows at the ``baseline`` level (:func:`change_from_baseline`).
    models : sequence of LongitudinalModel
        Longitudinal models (:mod:`aidheart.stats.longitudinal`), fitted after the
        paired methods; empty for none.
    structures, df_method
        The covariance structures to try in order, and the df method, of every model.

    Returns
    -------
    pandas.DataFrame
        ``visit`` + :data:`aidheart.stats.ard.RESULT_COLUMNS`: for each post-baseline
        visit in order, the rows of each paired method; then the rows of each model
        (:func:`aidheart.stats.longitudinal.fit_longitudinal`). A visit with too few
        pairs, or a model that does not fit, gives NaN rows with a ``note``, never an
        exception.

    Raises
    ------
    LongTableError
        See :func:`tidy_long_table` and :func:`ordered_visit_levels`.

    Notes
    -----
    Paired methods use the complete pairs: the post-baseline rows with a change
    (``BASE`` and the value both present), subjects in sorted order. A model of
    ``CHG`` uses the post-baseline rows with a change; a model of the value (cLDA)
    every row with a value, baseline rows included.
    """
    unknown = [name for name in methods if name not in PAIRED_METHODS]
    if unknown:
        raise LongTableError(f"unknown method(s) {unknown}")
    if (base is None) != (change is None):
        raise LongTableError("give both the baseline and the change column, or neither")
    tidy = tidy_long_table(data, subject, visit, value, baseline, numbers=(base, change) if base else ())
    levels = ordered_visit_levels(tidy[visit], str(baseline), visit_order)
    if base is None:
        changes = change_from_baseline(tidy, subject, visit, value, levels[0])
    else:
        post = tidy[(tidy[visit] != levels[0]) & tidy[change].notna()]
        changes = post[[subject, visit, value, change, base]].rename(columns={change: "CHG", base: "BASE"})
    frames = _paired_rows(changes, subject, visit, value, levels, methods, seed, resamples)
    frames += _model_rows(tidy, changes, subject, visit, value, levels, models, structures, df_method)
    return pd.concat(frames, ignore_index=True)
