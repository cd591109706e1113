"""The plan's informative-missingness analyses on ADaM: who gets which event, who is imputed, and the
numbers against independent computations (a brute-force enumeration of the sign patterns, scipy's t
interval) on tiny inline tables. The statistics themselves are checked against R in
test_stats_worst_rank.py and test_stats_tipping_point.py."""

from dataclasses import replace
from itertools import product

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats
from study_model import STUDY, schedule_of

from aidheart.analysis.missingness import analyse_tipping_point, analyse_worst_rank, intercurrent_events
from aidheart.analysis.next_trial import size_next_trial

SIXMWD = STUDY.endpoint("SIXMWD")
SCHEDULE = schedule_of(("baseline_arm_1", "Baseline", 0, 1, 0), ("week_12_arm_1", "Week 12", 12, 85, 7))
#: Subjects: S1-S4 observed; S5 died on day 40; S6 had an LVAD on day 20; S7 did not walk for heart-failure
#: symptoms; S8 withdrew; S9 died on day 100, after the Week 12 window (day 92), having missed the visit for
#: another reason; S10 is treated with a baseline and nothing later (outside the efficacy set).
ADSL = pd.DataFrame({
    "USUBJID": [f"S{i}" for i in range(1, 11)],
    "SAFFL": ["Y"] * 10,
    "EFFFL": ["Y"] * 9 + ["N"],
    "DCSREAS": [None, None, None, None, "Death", "LVAD implanted", None, "Withdrew consent", "Death", None],
    "EOSDY": [110, 110, 110, 110, 40, 20, 110, 50, 100, None],
})
BASELINES = {f"S{i}": value for i, value in enumerate([250, 300, 200, 280, 260, 240, 230, 270, 255, 245], start=1)}
CHANGES = {"S1": 40.0, "S2": -10.0, "S3": 25.0, "S4": 0.0}


def _bds() -> pd.DataFrame:
    rows = []
    for subject, base in BASELINES.items():
        in_eff = subject != "S10"
        rows.append({"USUBJID": subject, "PARAMCD": "SIXMWD", "AVISIT": "Baseline", "ADY": 1, "AVAL": float(base),
                     "ABLFL": "Y", "BASE": float(base), "CHG": np.nan, "DTYPE": None, "REASND": None,
                     "ANL01FL": "Y", "ANL03FL": "Y" if in_eff else None})
        if subject in CHANGES:
            rows.append({"USUBJID": subject, "PARAMCD": "SIXMWD", "AVISIT": "Week 12", "ADY": 85,
                         "AVAL": base + CHANGES[subject], "ABLFL": None, "BASE": float(base), "CHG": CHANGES[subject],
                         "DTYPE": None, "REASND": None, "ANL01FL": "Y", "ANL03FL": "Y"})
    rows.append({"USUBJID": "S7", "PARAMCD": "SIXMWD", "AVISIT": "Week 12", "ADY": 84, "AVAL": np.nan, "ABLFL": None,
                 "BASE": 230.0, "CHG": np.nan, "DTYPE": None, "REASND": "Heart-failure symptoms", "ANL01FL": None,
                 "ANL03FL": None})
    return pd.DataFrame(rows)


def _exact_pratt_p(scores: np.ndarray) -> tuple[float, float]:
    """V and the exact two-sided p by enumerating every sign pattern of the non-zero scores' mid-ranks."""
    ranks = scipy_stats.rankdata(np.abs(scores))
    v = ranks[scores > 0].sum()
    nonzero = ranks[scores != 0]
    centre = nonzero.sum() / 2
    sums = np.array([np.dot(signs, nonzero) for signs in product((0, 1), repeat=nonzero.size)])
    return v, np.mean(np.abs(sums - centre) >= abs(v - centre) - 1e-9)


def test_events_are_the_recorded_reasons_of_the_missing_values():
    events = intercurrent_events(ADSL, _bds(), SIXMWD, [f"S{i}" for i in range(1, 11)], schedule=SCHEDULE)
    assert events.to_dict() == {"S1": "", "S2": "", "S3": "", "S4": "", "S5": "death", "S6": "lvad",
                                "S7": "hf_not_done", "S8": "", "S9": "", "S10": ""}


def test_worst_rank_composite_ranks_events_below_every_observed_change():
    out = analyse_worst_rank(ADSL, _bds(), SIXMWD, "EFF", schedule=SCHEDULE).set_index("term")
    # scores: the 4 observed changes, then death < LVAD < not done, below -max|change| = -40;
    # S8 (withdrew), S9 (died after the window, missed for another reason), S10 (no later value): left out
    scores = np.array([40.0, -10.0, 25.0, 0.0, -43.0, -42.0, -41.0])
    v, p = _exact_pratt_p(scores)
    assert out.loc["V", "statistic"] == v and out.loc["V", "p_value"] == pytest.approx(p, rel=1e-12)
    assert out.loc["V", "n"] == 7 and "3 subject(s) without a value or a ranked event left out" in out.loc["V", "note"]
    counts = {term: out.loc[term, "estimate"] for term in out.index if term.startswith("count")}
    assert counts == {"count[death]": 1, "count[lvad]": 1, "count[hf_not_done]": 1, "count[observed]": 4}
    assert set(out["population"]) == {"SAF"} and set(out["visit"]) == {"Week 12"}


def test_worst_rank_of_an_endpoint_where_lower_is_better_negates_the_changes():
    lower = replace(SIXMWD, better="lower")
    out = analyse_worst_rank(ADSL, _bds(), lower, "EFF", schedule=SCHEDULE).set_index("term")
    v, p = _exact_pratt_p(np.array([-40.0, 10.0, -25.0, 0.0, -43.0, -42.0, -41.0]))
    assert out.loc["V", "statistic"] == v and out.loc["V", "p_value"] == pytest.approx(p, rel=1e-12)


def test_tipping_point_imputes_every_treated_subject_missing_the_visit():
    out = analyse_tipping_point(ADSL, _bds(), replace(SIXMWD, tipping_point=(-30.0, 0.0)), "EFF",
                                schedule=SCHEDULE).set_index("term")
    observed = np.array(list(CHANGES.values()))
    share = (10 - 4) / 10  # 10 treated subjects with a baseline, 4 observed changes
    interval = scipy_stats.ttest_1samp(observed, 0).confidence_interval(0.95)
    assert out.loc["delta_tipping", "n"] == 10 and "6 of 10 changes imputed" in out.loc["delta_tipping", "note"]
    assert interval.low < 0  # the complete-case CI includes 0 already: no shift needed
    assert out.loc["delta_tipping", "estimate"] == 0
    row = out.loc["mean_change[delta=-30]"]
    assert row["estimate"] == pytest.approx(observed.mean() - 30 * share, rel=1e-12)
    assert row["ci_high"] == pytest.approx(interval.high - 30 * share, rel=1e-12)


def test_dropout_of_the_sizing_counts_treated_subjects_outside_the_efficacy_set():
    out = size_next_trial(ADSL, _bds(), replace(SIXMWD, sizing_effects=(30.0,)), "EFF", schedule=SCHEDULE,
                          powers=[0.8], alpha=0.05)
    dropout = out[(out["method"] == "next_trial_size_ancova") & (out["term"] == "dropout")].iloc[0]
    assert (dropout["estimate"], dropout["n"]) == (pytest.approx(6 / 10), 10)
    correlation = out[out["term"] == "correlation"].iloc[0]
    base = np.array([BASELINES[s] for s in CHANGES], dtype=float)
    assert correlation["estimate"] == pytest.approx(scipy_stats.pearsonr(base, base + np.array(list(CHANGES.values()))).statistic,
                                                    rel=1e-12)
    grid = out[out["term"] == "n_enrol_per_arm_sd_ancova"].iloc[0]
    per_arm = out[out["term"] == "n_per_arm_sd_ancova"].iloc[0]
    assert (grid["threshold"], grid["power"]) == (30, 0.8)
    assert grid["estimate"] == pytest.approx(per_arm["estimate"] / (1 - 0.6), rel=1e-12)

