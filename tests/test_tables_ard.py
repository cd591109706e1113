"""Display tables built from tiny inline ARDs: selection, labels and rounding only."""

import math

import pandas as pd
import pytest
from study_model import STUDY

from aidheart.io import read_ard
from aidheart.stats.ard import ARD_COLUMNS
from aidheart.tables.ard_rows import one, visits_of
from aidheart.tables.feasibility import feasibility_table
from aidheart.tables.models import model_table
from aidheart.tables.primary import paired_table
from aidheart.tables.secondary import endpoint_table, gmr_table
from aidheart.tables.sensitivity import responder_table, sensitivity_table
from aidheart.tables.sizing import sample_size_table, sd_table

NAN = math.nan
INOSENS, SIXMWD, CRP = STUDY.endpoint("INOSENS"), STUDY.endpoint("SIXMWD"), STUDY.endpoint("CRP")


def row(paramcd, visit, population, method, term, estimate=NAN, *, se=NAN, lo=NAN, hi=NAN, stat=NAN, df=NAN,
        p=NAN, n=16, count=None, denominator=NAN, threshold=NAN, power=NAN, note=""):
    values = dict(paramcd=paramcd, visit=visit, population=population, method=method, term=term, estimate=estimate,
                  std_error=se, ci_low=lo, ci_high=hi, conf_level=0.95, statistic=stat, df=df, p_value=p, n=n,
                  count=count, denominator=denominator, threshold=threshold, power=power, note=note)
    return {column: values[column] for column in ARD_COLUMNS}


def primary_rows(paramcd="INOSENS", population="EFF", visit="Week 12"):
    keys = (paramcd, visit, population)
    return [
        row(*keys, "summary", "mean_baseline", 0.029975), row(*keys, "summary", "sd_baseline", 0.016968),
        row(*keys, "summary", "mean_visit", 0.050375), row(*keys, "summary", "sd_visit", 0.023028),
        row(*keys, "paired_t", "mean_change", 0.0204, se=0.008053, lo=0.003236, hi=0.037564, stat=2.533324,
            df=15.0, p=0.02294354),
        row(*keys, "wilcoxon_signed_rank", "V", stat=110.0, p=0.0289917, note="exact"),
        row(*keys, "hodges_lehmann", "pseudomedian", 0.0162, lo=0.0014, hi=0.0358),
        row(*keys, "cohen_dz", "dz", 0.633331, lo=0.085628, hi=1.163706),
        row(*keys, "hedges_gz", "gz", 0.601036, lo=0.081261, hi=1.104366),
        row(*keys, "bootstrap_mean_change", "mean_change", 0.0204, lo=0.007893, hi=0.039237, note="BCa"),
        row(*keys, "sign_flip_permutation", "mean_change", 0.0204, stat=0.3264, p=0.01525879),
        row(*keys, "lmm", "contrast", 0.020152, lo=0.009419, hi=0.030885, df=48.091995, p=0.00043987),
        row(*keys, "lmm_kr", "contrast", 0.020152, lo=0.009392, hi=0.030912, df=49.0, p=0.0004507),
        row(*keys, "mmrm", "lsmean_change", 0.015491, lo=0.003268, hi=0.027715, df=15.196723, p=0.01637494),
    ]


@pytest.fixture
def ard():
    return pd.DataFrame(primary_rows(), columns=list(ARD_COLUMNS))


def test_paired_table_rounds_each_result_for_display(ard):
    table = paired_table(ard, INOSENS, "EFF", "Week 12", "Baseline").set_index("Analysis")
    assert table.loc["Complete pairs, n", "Estimate (95% CI)"] == "16"
    assert table.loc["Baseline, mean (SD)", "Estimate (95% CI)"] == "0.0300 (0.0170)"
    assert table.loc["Mean change, paired t"].tolist() == ["0.0204 (0.0032, 0.0376)", "t = 2.53, df = 15", "0.023"]
    assert table.loc["Wilcoxon signed-rank (exact)", "Test statistic"] == "V = 110"
    assert table.loc["Hedges' gz", "Estimate (95% CI)"] == "0.60 (0.08, 1.10)"
    assert table.loc["Sign-flip permutation", "p"] == "0.015"


def test_paired_table_of_an_absent_visit_shows_missing_marks(ard):
    table = paired_table(ard, INOSENS, "EFF", "Week 99", "Baseline")
    assert set(table["Estimate (95% CI)"]) <= {"–", ""}


def test_one_refuses_ambiguous_keys(ard):
    with pytest.raises(ValueError, match="ARD rows match"):
        one(ard, method="summary")


def test_model_table_keeps_trailing_zeros_of_df(ard):
    table = model_table(ard, INOSENS, "EFF")
    assert table.loc[0, "KR df"] == "49.0"
    assert table.loc[0, "LMM p"] == "<0.001"
    assert table.loc[0, "MMRM LS mean change (95% CI)"] == "0.0155 (0.0033, 0.0277)"


def test_endpoint_table_skips_endpoints_not_analysed_at_the_visit(ard):
    table = endpoint_table(ard, [INOSENS, STUDY.endpoint("LVEF")], "EFF", "Week 12")
    assert table["Endpoint"].tolist() == ["Inotrope sensitivity: slope of cardiac index on VIS (L/min/m² per VIS unit)"]
    assert table.loc[0, "Hedges' gz (95% CI)"] == "0.60 (0.08, 1.10)"


def test_gmr_table_per_visit():
    ard = pd.DataFrame([row("CRP", "Week 2", "EFF", "gmr", "geometric_mean_ratio", 0.694054, lo=0.542416,
                            hi=0.888084, p=0.006319, n=17)], columns=list(ARD_COLUMNS))
    assert gmr_table(ard, [CRP], "EFF").iloc[0].tolist() == ["C-reactive protein (mg/L)", "Week 2", "17",
                                                             "0.69 (0.54, 0.89)", "0.006"]


def test_sensitivity_table_labels_sets_and_skips_absent_ones(ard):
    table = sensitivity_table(ard, INOSENS, "Week 12")  # its sets EFF, COMPL, PPROT: only EFF has rows
    assert table["Analysis set"].tolist() == ["Efficacy"]
    assert table.loc[0, "MMRM (95% CI)"] == "0.0155 (0.0033, 0.0277)"


def test_responder_table_shows_count_and_percent():
    ard = pd.DataFrame([row("SIXMWD", "Week 12", "EFF", "responder", "proportion", 0.4375, lo=0.197534,
                            hi=0.701223, count=7, denominator=16, threshold=30)], columns=list(ARD_COLUMNS))
    table = responder_table(ard, STUDY)
    assert table.iloc[0][["Definition", "Responders/n", "% (95% CI)"]].tolist() == [
        "change ≥ 30", "7/16", "43.8% (19.8, 70.1)"]


def test_feasibility_table_rates_and_proportions():
    ard = pd.DataFrame([
        row("FEASIBILITY", "", "SCREENED", "clopper_pearson", "enrolled_of_screened", 0.689655, lo=0.491677,
            hi=0.847154, n=29, count=20, denominator=29),
        row("FEASIBILITY", "", "ENRL", "poisson_rate", "enrolment_rate", 1.538462, lo=0.939732, hi=2.376029,
            n=pd.NA, count=20, denominator=13, note="20 events over exposure 13"),
        row("FEASIBILITY", "Week 12", "COMPL", "clopper_pearson", "assessed_SIXMWD", 0.9375, lo=0.698, hi=0.998,
            n=16, count=15, denominator=16),
    ], columns=list(ARD_COLUMNS))
    table = feasibility_table(ard, STUDY)
    assert table["Outcome"].iloc[2] == "Six-minute walk distance assessed at Week 12 (completers)"
    assert table["n/N"].tolist() == ["20/29", "20 subjects over 13 months", "15/16"]
    assert table["Estimate (95% CI)"].tolist()[:2] == ["69.0% (49.2, 84.7)", "1.54 (0.94, 2.38)"]


def test_sizing_tables_read_the_grid_and_mark_the_mcid():
    keys = ("SIXMWD", "Week 12", "EFF", "next_trial_size")
    ard = pd.DataFrame([
        row(*keys, "sd_change", 33.537976, df=15), row(*keys, "sd_ucl80", 40.459192, df=15),
        row(*keys, "sd_ucl95", 48.204317, df=15),
        row(*keys, "n_per_arm_sd_change", 20.62, stat=21.0, threshold=30, power=0.8),
        row(*keys, "n_per_arm_sd_ucl80", 29.54, stat=30.0, threshold=30, power=0.8),
        row(*keys, "n_per_arm_sd_change", NAN, threshold=15, power=0.8, note="power not attainable"),
    ], columns=list(ARD_COLUMNS))
    assert sd_table(ard, STUDY).iloc[0][["SD of change", "80% UCL", "95% UCL"]].tolist() == ["33.5", "40.5", "48.2"]
    sizes = sample_size_table(ard, SIXMWD)  # its MCID: 30 m
    assert sizes["Difference to detect"].tolist() == ["15 m", "30 m (MCID)"]
    assert sizes["n per arm (observed SD)"].tolist() == ["–", "21"]
    assert sizes.loc[1, "n per arm (80% UCL of SD)"] == "30"


def test_read_ard_keeps_model_level_visits_empty(tmp_path, ard):
    path = tmp_path / "ard.csv"
    ard.assign(visit="").to_csv(path, index=False)  # a model-level row is written with an empty visit
    assert visits_of(read_ard(path), "INOSENS", "EFF", "lmm") == []
