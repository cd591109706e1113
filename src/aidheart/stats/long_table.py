"""Run every analysis of one endpoint on a long table: paired methods per visit, then the models."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.stats.effect_size import cohen_dz, hedges_gz
from aidheart.stats.nonparametric import hodges_lehmann, hodges_lehmann_exact, wilcoxon_signed_rank
from aidheart.stats.paired import geometric_mean_ratio, paired_t, summary
from aidheart.stats.resampling import bootstrap_mean_change, sign_flip_permutation

PAIRED_METHODS = {
    "summary": summary,
    "paired_t": paired_t,
    "wilcoxon_signed_rank": wilcoxon_signed_rank,
    "hodges_lehmann": hodges_lehmann,
    "hodges_lehmann_exact": hodges_lehmann_exact,
    "cohen_dz": cohen_dz,
    "hedges_gz": hedges_gz,
    "bootstrap_mean_change": bootstrap_mean_change,
    "sign_flip_permutation": sign_flip_permutation,
    "gmr": geometric_mean_ratio,
}
SEEDED_METHODS = ("bootstrap_mean_change", "sign_flip_permutation")
MODEL_METHODS = ("lmm", "mmrm")
DEFAULT_METHODS = tuple(m for m in PAIRED_METHODS if m != "gmr") + MODEL_METHODS


class LongTableError(ValueError):
    """The long table cannot be analysed as asked (missing column, baseline, duplicates, ...)."""


def visit_levels(visits: pd.Series, baseline: str, visit_order=None) -> list[str]:
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


def tidy_long_table(data: pd.DataFrame, subject: str, visit: str, value: str, baseline) -> pd.DataFrame:
    """The three analysis columns with string subject/visit keys and a float value.

    Raises
    ------
    LongTableError
        A column is missing, the value column is not numeric, the baseline level is
        absent, or a subject has two rows at one visit.
    """
    missing = [column for column in (subject, visit, value) if column not in data.columns]
    if missing:
        raise LongTableError(f"column(s) {missing} not found; columns are {list(data.columns)}")
    values = pd.to_numeric(data[value], errors="coerce")
    bad = values.isna() & data[value].notna()
    if bad.any():
        raise LongTableError(f"column {value!r} is not numeric (e.g. {data[value][bad].iloc[0]!r})")
    tidy = pd.DataFrame({
        subject: data[subject].astype("string"),
        visit: data[visit].astype("string"),
        value: values.astype(float),
    })
    if not (tidy[visit] == str(baseline)).any():
        raise LongTableError(f"baseline level {baseline!r} not found in column {visit!r}")
    duplicated = tidy.duplicated([subject, visit], keep=False)
    if duplicated.any():
        keys = tidy.loc[duplicated, [subject, visit]].drop_duplicates().head(3).to_numpy().tolist()
        raise LongTableError(f"more than one row per {subject} x {visit}, e.g. {keys}")
    return tidy


def _paired_rows(wide: pd.DataFrame, levels: list[str], methods, seed: int, resamples: int) -> list:
    frames = []
    for level in levels[1:]:
        post = wide[level] if level in wide else pd.Series(np.nan, index=wide.index)
        for name in methods:
            if name in MODEL_METHODS:
                continue
            options = {"seed": seed, "resamples": resamples} if name in SEEDED_METHODS else {}
            frame = PAIRED_METHODS[name](wide[levels[0]], post, **options)
            frames.append(frame.assign(visit=level))
    return frames


def _model_rows(tidy: pd.DataFrame, subject: str, visit: str, value: str, levels: list[str], methods) -> list:
    frames = []
    if "lmm" in methods:
        from aidheart.stats.lmm import fit_lmm  # imported here: model fitting is the heavy part

        frames.append(fit_lmm(tidy, subject=subject, visit=visit, value=value,
                              baseline=levels[0], visit_order=levels))
    if "mmrm" in methods:
        from aidheart.stats.mmrm import fit_mmrm

        frames.append(fit_mmrm(change_from_baseline(tidy, subject, visit, value, levels[0]),
                               subject=subject, visit=visit, change="CHG", base="BASE",
                               visit_order=levels[1:]))
    return frames


def change_from_baseline(
    tidy: pd.DataFrame, subject: str, visit: str, value: str, baseline: str
) -> pd.DataFrame:
    """Post-baseline rows with ``BASE`` (the subject's baseline value) and ``CHG = value - BASE``.

    Rows without a baseline or without a value are dropped.
    """
    base = tidy.loc[tidy[visit] == baseline].set_index(subject)[value]
    post = tidy.loc[tidy[visit] != baseline, [subject, visit, value]]
    post = post.assign(BASE=post[subject].map(base).astype(float))
    post = post.assign(CHG=post[value] - post["BASE"])
    return post.loc[post["CHG"].notna(), [subject, visit, "CHG", "BASE"]].reset_index(drop=True)


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
        Visit levels in order (see :func:`visit_levels`).
    seed : int
        Seed for the resampling methods (the same seed at every visit).
    methods : sequence of str
        Names from :data:`PAIRED_METHODS` and ``"lmm"``, ``"mmrm"``; the rows come
        out in this order within a visit.
    resamples : int
        Bootstrap resamples and Monte Carlo sign patterns.

    Returns
    -------
    pandas.DataFrame
        ``visit`` + :data:`aidheart.stats.ard.RESULT_COLUMNS`: for each post-baseline
        visit in order, the rows of each paired method; then the rows of
        ``fit_lmm`` and ``fit_mmrm`` as those functions return them. A visit with
        too few pairs gives NaN rows with a ``note``, never an exception.

    Raises
    ------
    LongTableError
        See :func:`tidy_long_table` and :func:`visit_levels`.

    Notes
    -----
    Paired methods use the complete pairs (subjects with both a baseline and a
    visit value). The LMM uses all rows with a value; the MMRM uses the
    post-baseline rows of subjects with a baseline, with ``BASE`` and ``CHG``
    derived here from the baseline level.
    """
    unknown = [name for name in methods if name not in PAIRED_METHODS and name not in MODEL_METHODS]
    if unknown:
        raise LongTableError(f"unknown method(s) {unknown}")
    tidy = tidy_long_table(data, subject, visit, value, baseline)
    levels = visit_levels(tidy[visit], str(baseline), visit_order)
    wide = tidy.pivot(index=subject, columns=visit, values=value)
    frames = _paired_rows(wide, levels, methods, seed, resamples)
    frames += _model_rows(tidy, subject, visit, value, levels, methods)
    return pd.concat(frames, ignore_index=True)
