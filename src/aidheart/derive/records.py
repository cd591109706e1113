"""Parameter records from the clean tables, before the analysis variables are added.

Every ``derive_param_*`` here returns the same columns (:data:`RECORD_COLUMNS`):
the source keys (``record_id``, ``event``; they become ``SUBJID`` and ``AVISIT``),
the assessment's study ``day``, ``PARAMCD``, ``PARAM``, ``AVAL``, ``DTYPE`` (missing
for observed values), ``REASND`` (why ``AVAL`` is missing, where known) and the
traceability columns ``SRCDOM`` (clean table), ``SRCVAR`` (its column or parameter)
and ``SRCSEQ`` (:func:`source_sequence`: the source row's position in ``SRCDOM``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from aidheart.derive.checks import DerivationError

RECORD_COLUMNS = ["record_id", "event", "day", "PARAMCD", "PARAM", "AVAL", "DTYPE", "REASND",
                  "SRCDOM", "SRCVAR", "SRCSEQ"]


def source_sequence(rows: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """``SRCSEQ`` of ``rows`` taken from ``table``: the 1-based row number in ``table`` as it was read.

    Raises
    ------
    DerivationError
        If ``table`` does not have the row positions of its file (a default index 0..n-1).
    """
    if not table.index.equals(pd.RangeIndex(len(table))):
        raise DerivationError("source table has been reordered or filtered: SRCSEQ needs its rows as read")
    return pd.Series(rows.index + 1, index=rows.index, dtype="Int64")


def _records(**columns) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    for column in RECORD_COLUMNS:
        if column not in frame:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
    return frame[RECORD_COLUMNS].astype({"AVAL": float, "DTYPE": "string", "REASND": "string", "SRCSEQ": "Int64"})


def derive_param_findings(findings: pd.DataFrame, params: Mapping[str, tuple[str, str]], *, day: str,
                          srcdom: str) -> pd.DataFrame:
    """Records of the long clean findings table (``labs`` or ``clinical``) for the listed parameters.

    Parameters
    ----------
    findings : DataFrame
        ``record_id``, ``event``, ``param``, ``value`` and the day column ``day``, rows as read.
    params : mapping
        Source ``param`` -> (``PARAMCD``, ``PARAM``); other parameters are not taken.
    day : str
        Column with the study day (``lab_day``, ``clin_day``).
    srcdom : str
        Name of the clean table, for ``SRCDOM``.

    Returns
    -------
    DataFrame
        :data:`RECORD_COLUMNS`; ``AVAL = value`` (missing where the value failed
        validation in the cleaning step).
    """
    taken = findings[findings["param"].isin(list(params))]
    codes = taken["param"].map({source: code for source, (code, _) in params.items()})
    labels = taken["param"].map({source: label for source, (_, label) in params.items()})
    return _records(record_id=taken["record_id"], event=taken["event"], day=taken[day], PARAMCD=codes,
                    PARAM=labels, AVAL=pd.to_numeric(taken["value"]), SRCDOM=srcdom, SRCVAR=taken["param"],
                    SRCSEQ=source_sequence(taken, findings)).reset_index(drop=True)


def derive_param_log(dataset: pd.DataFrame, source: str, paramcd: str, param: str) -> pd.DataFrame:
    """Records of ``ln(AVAL)`` of parameter ``source`` (e.g. LCRP from CRP), with its source row.

    ``AVAL`` is missing, with ``REASND``, where the source value is not positive;
    missing source values stay missing (with the source's reason).
    """
    taken = dataset[dataset["PARAMCD"] == source]
    value = taken["AVAL"].astype(float)
    positive = value > 0
    reason = taken["REASND"].mask(value.notna() & ~positive, f"{source} not positive, no logarithm")
    return taken.assign(PARAMCD=paramcd, PARAM=param, AVAL=np.log(value.where(positive)), REASND=reason)


def derive_param_walk(walks: pd.DataFrame, paramcd: str, param: str) -> pd.DataFrame:
    """One record per walk of the clean ``walks`` table: ``AVAL`` = distance (m).

    A walk not done has ``AVAL`` missing and its ``not_done_reason`` in ``REASND``;
    a walk done whose distance is missing keeps ``AVAL`` missing with no reason.
    """
    done = walks["done"] == "Y"
    return _records(record_id=walks["record_id"], event=walks["event"], day=walks["walk_day"],
                    PARAMCD=paramcd, PARAM=param, AVAL=pd.to_numeric(walks["distance_m"]).where(done),
                    REASND=walks["not_done_reason"].astype("string").where(~done), SRCDOM="walks",
                    SRCVAR="distance_m", SRCSEQ=source_sequence(walks, walks)).reset_index(drop=True)


def derive_param_imputed_zero(dataset: pd.DataFrame, paramcd: str, reasons: tuple[str, ...],
                              dtype: str = "ZERO-IMPUTED") -> pd.DataFrame:
    """Imputed records ``AVAL = 0`` for the ``paramcd`` records not done for one of ``reasons``.

    Returns only the new records (``DTYPE = dtype``, ``REASND`` and the source row
    kept); the caller appends them. Used for 6MWD: a walk not done because of
    heart-failure symptoms scores 0 m in the sensitivity analysis.
    """
    missing = dataset[(dataset["PARAMCD"] == paramcd) & dataset["AVAL"].isna() & dataset["REASND"].isin(reasons)]
    return missing.assign(AVAL=0.0, DTYPE=dtype)
