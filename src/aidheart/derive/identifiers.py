"""Subject identifiers: STUDYID, USUBJID, SUBJID, and the ADSL variables every other dataset carries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from aidheart.derive.checks import DerivationError, assert_has_columns

#: Identifiers taken from ADSL onto every record of the other datasets.
ID_VARS = ("STUDYID", "USUBJID", "SUBJID")


def derive_vars_usubjid(dataset: pd.DataFrame, study_id: str, subjid: str = "SUBJID") -> pd.DataFrame:
    """Add ``STUDYID`` and ``USUBJID`` (``<STUDYID>-<SUBJID>``) in front of the columns.

    Parameters
    ----------
    dataset : DataFrame
        With the REDCap record id in column ``subjid``.
    study_id : str
        Config ``study.study_id``.
    subjid : str
        Column holding the record id.
    """
    ids = pd.DataFrame(
        {"STUDYID": study_id, "USUBJID": study_id + "-" + dataset[subjid].astype("string")},
        index=dataset.index,
    )
    return pd.concat([ids, dataset], axis=1)


def derive_vars_merged_adsl(dataset: pd.DataFrame, adsl: pd.DataFrame, *, record_id: str = "record_id",
                            new_vars: Mapping[str, str] | Sequence[str] = ()) -> pd.DataFrame:
    """Add the identifiers (:data:`ID_VARS`) and ``new_vars`` of each record's subject from ADSL.

    Parameters
    ----------
    dataset : DataFrame
        Records with the subject's record id in column ``record_id``.
    adsl : DataFrame
        ADSL (one row per ``SUBJID``).
    new_vars : mapping or sequence
        ADSL variables to add, as ``{new name: ADSL name}`` (``TRTA`` from ``TRT01A``) or names.

    Raises
    ------
    DerivationError
        If a record's subject is not in ADSL (the message names the first ones).
    """
    renames = dict(new_vars) if isinstance(new_vars, Mapping) else {name: name for name in new_vars}
    assert_has_columns(adsl, [*ID_VARS, *renames.values()], "ADSL")
    subjects = adsl[[*ID_VARS, *renames.values()]].rename(columns={old: new for new, old in renames.items()})
    keys = dataset[record_id].astype("string")
    unknown = sorted(set(keys.dropna()) - set(subjects["SUBJID"].astype("string")))
    if unknown:
        raise DerivationError(f"record(s) of subject(s) not in ADSL: {', '.join(unknown[:5])}")
    merged = pd.DataFrame({"_key": keys}).merge(subjects.assign(_key=subjects["SUBJID"].astype("string")),
                                                on="_key", how="left").drop(columns="_key")
    return pd.concat([merged.set_axis(dataset.index), dataset], axis=1)
