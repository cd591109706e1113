"""Baseline, change from baseline and analysis flags on tiny inline BDS tables."""

import math

import pandas as pd
import pytest

from aidheart.derive.baseline import (
    derive_var_ablfl,
    derive_var_anlfl,
    derive_var_base,
    derive_var_chg,
    derive_var_pchg,
)
from aidheart.derive.checks import DerivationError


def bds(rows):
    frame = pd.DataFrame(rows, columns=["USUBJID", "PARAMCD", "AVISIT", "ADY", "AVAL", "DTYPE"])
    return frame.astype({"ADY": "Int64", "AVAL": float, "DTYPE": "string"})


def with_change(data):
    return derive_var_pchg(derive_var_chg(derive_var_base(derive_var_ablfl(data))))


def test_baseline_is_the_last_value_on_or_before_day_1():
    data = bds([("S-1", "CRP", "Screening", -10, 5.0, None), ("S-1", "CRP", "Baseline", 1, 4.0, None),
                ("S-1", "CRP", "Week 4", 29, 2.0, None)])
    out = with_change(data)
    assert list(out["ABLFL"].fillna("")) == ["", "Y", ""]
    assert out["BASE"].tolist() == [4.0, 4.0, 4.0]
    assert math.isnan(out.loc[1, "CHG"]) and out.loc[2, "CHG"] == -2.0
    assert out.loc[2, "PCHG"] == pytest.approx(-50.0)


def test_missing_value_on_day_1_falls_back_to_the_earlier_one():
    data = bds([("S-1", "CRP", "Screening", -10, 5.0, None), ("S-1", "CRP", "Baseline", 1, None, None),
                ("S-1", "CRP", "Week 4", 29, 2.0, None)])
    out = with_change(data)
    assert list(out["ABLFL"].fillna("")) == ["Y", "", ""]
    assert out.loc[2, "CHG"] == -3.0


def test_missing_baseline_gives_missing_base_chg_pchg():
    data = bds([("S-1", "CRP", "Baseline", 1, None, None), ("S-1", "CRP", "Week 4", 29, 2.0, None)])
    out = with_change(data)
    assert out["ABLFL"].isna().all()
    assert out["BASE"].isna().all() and out["CHG"].isna().all() and out["PCHG"].isna().all()


def test_two_baselines_on_the_same_day_is_an_error_naming_the_keys():
    data = bds([("S-7", "KCCQ", "Baseline", 1, 50.0, None), ("S-7", "KCCQ", "Baseline", 1, 55.0, None)])
    with pytest.raises(DerivationError, match=r"USUBJID=S-7, PARAMCD=KCCQ, ADY=1"):
        derive_var_ablfl(data)


def test_two_values_on_different_days_before_dose_are_not_a_tie():
    data = bds([("S-7", "KCCQ", "Baseline", -1, 50.0, None), ("S-7", "KCCQ", "Baseline", 1, 55.0, None)])
    assert list(derive_var_ablfl(data)["ABLFL"].fillna("")) == ["", "Y"]


def test_imputed_records_never_serve_as_baseline():
    data = bds([("S-1", "SIXMWD", "Baseline", 1, 0.0, "ZERO-IMPUTED"), ("S-1", "SIXMWD", "Week 4", 29, 200.0, None)])
    assert derive_var_ablfl(data)["ABLFL"].isna().all()


def test_pchg_is_missing_when_base_is_zero():
    data = bds([("S-1", "ANCGR", "Baseline", 1, 0.0, None), ("S-1", "ANCGR", "Week 4", 29, 2.0, None)])
    out = with_change(data)
    assert out.loc[1, "CHG"] == 2.0
    assert math.isnan(out.loc[1, "PCHG"])


def test_baseline_is_per_subject_and_parameter():
    data = bds([("S-1", "CRP", "Baseline", 1, 4.0, None), ("S-2", "CRP", "Baseline", 1, 8.0, None),
                ("S-1", "KCCQ", "Baseline", 1, 60.0, None), ("S-2", "CRP", "Week 4", 29, 6.0, None)])
    out = with_change(data)
    assert out["BASE"].tolist() == [4.0, 8.0, 60.0, 8.0]
    assert out.loc[3, "CHG"] == -2.0


def test_anl01fl_takes_observed_values_and_anl02fl_fills_in_imputed_ones():
    data = bds([("S-1", "SIXMWD", "Baseline", 1, 250.0, None),
                ("S-1", "SIXMWD", "Week 4", 29, None, None),
                ("S-1", "SIXMWD", "Week 4", 29, 0.0, "ZERO-IMPUTED"),
                ("S-1", "SIXMWD", "Week 12", 85, 280.0, None)])
    out = derive_var_anlfl(derive_var_anlfl(data, "ANL01FL"), "ANL02FL", include_dtype=True)
    assert list(out["ANL01FL"].fillna("")) == ["Y", "", "", "Y"]
    assert list(out["ANL02FL"].fillna("")) == ["Y", "", "Y", "Y"]


def test_two_observed_values_at_one_visit_is_an_error():
    data = bds([("S-3", "CRP", "Week 4", 29, 1.0, None), ("S-3", "CRP", "Week 4", 30, 2.0, None)])
    with pytest.raises(DerivationError, match="USUBJID=S-3, PARAMCD=CRP, AVISIT=Week 4"):
        derive_var_anlfl(data)


def test_efficacy_records_need_a_baseline_and_a_later_analysed_value():
    from aidheart.derive.baseline import derive_var_pairfl

    data = pd.DataFrame({
        "USUBJID": ["S-1", "S-1", "S-2", "S-2", "S-3"], "PARAMCD": "KCCQ",
        "ADY": [1, 29, 1, 29, 29], "ABLFL": ["Y", None, "Y", None, None], "ANL01FL": ["Y", "Y", "Y", None, "Y"],
    })
    # S-1: baseline and week 4 -> both flagged; S-2: its later value is not analysed (ANL01FL missing);
    # S-3: no baseline
    out = derive_var_pairfl(data)
    assert list(out["ANL03FL"].fillna("")) == ["Y", "Y", "", "", ""]
