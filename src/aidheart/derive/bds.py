"""The analysis variables every BDS dataset gets, in ADaM order."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from aidheart.derive.baseline import (
    derive_var_ablfl,
    derive_var_anlfl,
    derive_var_base,
    derive_var_chg,
    derive_var_pchg,
)
from aidheart.derive.checks import assert_has_columns
from aidheart.derive.identifiers import derive_vars_merged_adsl
from aidheart.derive.variables import BDS
from aidheart.derive.visits import derive_var_ady, derive_vars_avisit
from aidheart.study import Schedule

#: Treatment variables of a BDS record: the subject's planned and actual treatment (one period).
TREATMENT_VARS = {"TRTP": "TRT01P", "TRTA": "TRT01A"}


def derive_vars_bds(records: pd.DataFrame, visits_clean: pd.DataFrame, adsl: pd.DataFrame, *,
                    schedule: Schedule, param_order: Sequence[str]) -> pd.DataFrame:
    """Add the analysis variables to parameter records and return the BDS dataset, sorted by its keys.

    Order of derivation: ``ADY`` (own day, else visit day), ``AVISIT``/``AVISITN``
    (the schedule), the identifiers and ``TRTP``/``TRTA`` from ADSL, ``PARAMN``
    (position in ``param_order``), ``ABLFL``, ``BASE``, ``CHG``, ``PCHG``, ``ANL01FL``
    (observed values, one per subject, parameter and visit), ``ANL02FL`` (the same,
    with an imputed record where the visit has no observed value).

    The rows are sorted by ``USUBJID``, ``PARAMN``, ``AVISITN``, ``ADY`` and
    observed before imputed (stable, so equal keys keep the input order); the
    columns are :data:`aidheart.derive.variables.BDS`, then the extra columns of
    ``records`` (not its source keys ``record_id``, ``event``, ``day``).
    """
    assert_has_columns(visits_clean, ["record_id", "event", "visit_day"], "visits")
    data = derive_var_ady(records, visits_clean, day="day")
    data = derive_vars_avisit(data, schedule)
    data = derive_vars_merged_adsl(data, adsl, new_vars=TREATMENT_VARS)
    data = data.assign(PARAMN=data["PARAMCD"].map({code: n + 1 for n, code in enumerate(param_order)}))
    data = derive_var_ablfl(data)
    data = derive_var_base(data)
    data = derive_var_chg(data)
    data = derive_var_pchg(data)
    data = derive_var_anlfl(data, "ANL01FL")
    data = derive_var_anlfl(data, "ANL02FL", include_dtype=True)
    data = data.assign(_imputed=data["DTYPE"].notna()).sort_values(
        ["USUBJID", "PARAMN", "AVISITN", "ADY", "_imputed"], kind="mergesort", na_position="last")
    extra = [column for column in records.columns if column not in BDS and column not in ("record_id", "event", "day")]
    return data[[*BDS, *extra]].reset_index(drop=True)
