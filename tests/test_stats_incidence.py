"""Kaplan–Meier cumulative incidence against R's survival::survfit (survival 3.5.3, R 4.2.2)."""

import pandas as pd
import pytest

from aidheart.stats.incidence import kaplan_meier

# R: library(survival); f <- survfit(Surv(time, status) ~ 1) on the data below;
#    data.frame(f$time, f$n.risk, f$n.event, f$n.censor, sprintf("%.12f", f$surv))
TIME = [3, 5, 5, 8, 8, 8, 12, 15, 20, 20]
STATUS = [1, 1, 0, 1, 0, 0, 1, 0, 1, 0]
R_SURVFIT = pd.DataFrame({
    "time": [3.0, 5, 8, 12, 15, 20], "n_risk": [10, 9, 7, 4, 3, 2], "n_event": [1, 1, 1, 1, 0, 1],
    "n_censor": [0, 1, 2, 0, 1, 1],
    "survival": [0.900000000000, 0.800000000000, 0.685714285714, 0.514285714286, 0.514285714286, 0.257142857143]})


def test_kaplan_meier_equals_survfit_with_tied_events_and_censorings():
    fit = kaplan_meier(TIME, [bool(s) for s in STATUS])
    pd.testing.assert_frame_equal(fit[["time", "n_risk", "n_event", "n_censor"]], R_SURVFIT.drop(columns="survival"),
                                  check_dtype=False)
    assert fit["survival"].tolist() == pytest.approx(R_SURVFIT["survival"].tolist(), abs=1e-12)
    assert fit["cum_incidence"].tolist() == pytest.approx((1 - R_SURVFIT["survival"]).tolist(), abs=1e-12)


def test_no_subjects_gives_no_rows_and_missing_times_are_left_out():
    assert kaplan_meier([], []).empty
    fit = kaplan_meier([4, None], [True, True])
    assert fit["time"].tolist() == [4.0] and fit["cum_incidence"].tolist() == [1.0]
