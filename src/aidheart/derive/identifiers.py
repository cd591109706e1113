"""Subject identifiers: STUDYID, USUBJID, SUBJID."""

from __future__ import annotations

import pandas as pd


def derive_vars_usubjid(dataset: pd.DataFrame, study_id: str, subjid: str = "record_id") -> pd.DataFrame:
    """Add ``STUDYID`` and ``USUBJID`` (``<STUDYID>-<record_id>``) in front of the columns.

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
