"""Baseline, change from baseline and analysis flags of a BDS dataset.

The by-variables default to ``USUBJID`` and ``PARAMCD``; observed records have
an empty ``DTYPE``, derived (imputed) records a non-empty one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from aidheart.derive.checks import DerivationError
from aidheart.study import FIRST_DOSE_DAY

BY_VARS = ("USUBJID", "PARAMCD")


def _observed(dataset: pd.DataFrame) -> pd.Series:
    return dataset["DTYPE"].isna() & dataset["AVAL"].notna()


def derive_var_ablfl(dataset: pd.DataFrame, by_vars: Sequence[str] = BY_VARS) -> pd.DataFrame:
    """Add the baseline flag ``ABLFL``: ``"Y"`` on the last observed value on or before first dose.

    Notes
    -----
    Candidates are observed records (``DTYPE`` missing) with non-missing
    ``AVAL`` and ``ADY <= 1``; the one with the largest ``ADY`` in each
    ``by_vars`` group is the baseline. A group with no candidate has no baseline.

    Raises
    ------
    DerivationError
        If two candidates share the last day: the message names the keys (no
        record is preferred silently).
    """
    by = list(by_vars)
    candidates = dataset[_observed(dataset) & (dataset["ADY"] <= FIRST_DOSE_DAY)]
    last_day = candidates.groupby(by)["ADY"].transform("max")
    chosen = candidates[candidates["ADY"] == last_day]
    tied = chosen[chosen.duplicated([*by, "ADY"], keep=False)]
    if len(tied):
        first = tied.iloc[0]
        keys = ", ".join(f"{key}={first[key]}" for key in [*by, "ADY"])
        raise DerivationError(f"two baseline candidates on the same day: {keys}")
    flag = pd.Series(pd.NA, index=dataset.index, dtype="string")
    flag[chosen.index] = "Y"
    return dataset.assign(ABLFL=flag)


def derive_var_base(dataset: pd.DataFrame, by_vars: Sequence[str] = BY_VARS, source: str = "AVAL",
                    new_var: str = "BASE") -> pd.DataFrame:
    """Add ``BASE``: the ``source`` value of the group's ``ABLFL == "Y"`` record, on every record.

    Missing for every record of a group without a baseline record.
    """
    by = list(by_vars)
    baseline = dataset.loc[dataset["ABLFL"] == "Y", [*by, source]].rename(columns={source: new_var})
    merged = dataset[by].merge(baseline, on=by, how="left")
    return dataset.assign(**{new_var: merged[new_var].to_numpy()})


def derive_var_chg(dataset: pd.DataFrame) -> pd.DataFrame:
    """Add ``CHG = AVAL - BASE`` on post-baseline records (``ADY > 1``); missing elsewhere.

    Missing when ``AVAL`` or ``BASE`` is missing.
    """
    post = (dataset["ADY"] > FIRST_DOSE_DAY).fillna(False).to_numpy(dtype=bool)
    change = dataset["AVAL"].astype(float) - dataset["BASE"].astype(float)
    return dataset.assign(CHG=change.where(post, np.nan))


def derive_var_pchg(dataset: pd.DataFrame) -> pd.DataFrame:
    """Add ``PCHG = 100 * CHG / BASE``; missing when ``CHG`` is missing or ``BASE`` is 0 or missing."""
    base = dataset["BASE"].astype(float)
    pchg = 100.0 * dataset["CHG"].astype(float) / base.where(base != 0, np.nan)
    return dataset.assign(PCHG=pchg)


def derive_var_anlfl(dataset: pd.DataFrame, new_var: str = "ANL01FL", include_dtype: bool = False,
                     by_vars: Sequence[str] = (*BY_VARS, "AVISIT")) -> pd.DataFrame:
    """Add an analysis flag: ``"Y"`` on the one record per subject, parameter and visit that is analysed.

    Parameters
    ----------
    dataset : DataFrame
        BDS records with ``AVAL`` and ``DTYPE``.
    new_var : str
        Name of the flag (``ANL01FL``: observed data; ``ANL02FL``: with imputed records).
    include_dtype : bool
        False: only observed records qualify. True: an imputed record (non-missing
        ``DTYPE``) qualifies where its group has no observed value.
    by_vars : sequence of str
        One flagged record per group of these.

    Notes
    -----
    Records with missing ``AVAL`` are never flagged.

    Raises
    ------
    DerivationError
        If a group has two observed values (or, with ``include_dtype``, two
        imputed values and no observed one); the message names the keys.
    """
    by = list(by_vars)
    observed = _observed(dataset)
    flagged = observed
    if include_dtype:
        has_observed = observed.groupby([dataset[key] for key in by], dropna=False).transform("any")
        flagged = observed | (dataset["AVAL"].notna() & dataset["DTYPE"].notna() & ~has_observed)
    chosen = dataset[flagged]
    duplicated = chosen[chosen.duplicated(by, keep=False)]
    if len(duplicated):
        first = duplicated.iloc[0]
        keys = ", ".join(f"{key}={first[key]}" for key in by)
        raise DerivationError(f"{new_var}: more than one analysable record for {keys}")
    flag = pd.Series(pd.NA, index=dataset.index, dtype="string")
    flag[chosen.index] = "Y"
    return dataset.assign(**{new_var: flag})


def derive_var_pairfl(dataset: pd.DataFrame, new_var: str = "ANL03FL", source: str = "ANL01FL",
                      by_vars: Sequence[str] = BY_VARS) -> pd.DataFrame:
    """Add a flag ``"Y"`` on the ``source``-flagged records of a subject and parameter that has both a
    baseline and a later value (the records an efficacy analysis of the parameter uses).

    Notes
    -----
    A ``by_vars`` group qualifies when it has a baseline record (``ABLFL == "Y"``) and
    at least one ``source == "Y"`` record after the first dose (``ADY > 1``); its
    ``source`` records are then flagged, all others are left missing. This is the
    parameter-level half of the efficacy set; the subject-level half is ADSL ``EFFFL``.
    """
    by = [dataset[key] for key in by_vars]
    analysed = (dataset[source] == "Y").fillna(False)
    has_base = (dataset["ABLFL"] == "Y").fillna(False).groupby(by).transform("any")
    has_post = (analysed & (dataset["ADY"] > FIRST_DOSE_DAY).fillna(False)).groupby(by).transform("any")
    flag = pd.Series(pd.NA, index=dataset.index, dtype="string").mask(analysed & has_base & has_post, "Y")
    return dataset.assign(**{new_var: flag})
