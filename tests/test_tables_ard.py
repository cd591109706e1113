"""Display tables built from tiny inline ARDs: selection, labels and rounding only."""

import math

import pandas as pd
import pytest
from study_model import PLAN, STUDY

from aidheart.io import read_ard
from aidheart.stats.ard import ARD_COLUMNS
from aidheart.tables.appendix import other_tests_table, secondary_tests_table
from aidheart.tables.ard_rows import one, visits_of
from aidheart.tables.feasibility import feasibility_table
from aidheart.tables.models import covariance_table, model_table, structure_text
from aidheart.tables.primary import change_interval, change_table
from aidheart.tables.secondary import endpoint_table, gmr_table, improvement_table, shift_display
from aidheart.tables.sensitivity import responder_table, sensitivity_table, tipping_point_table, worst_rank_table
from aidheart.tables.sizing import ancova_inputs_table, sample_size_table, sd_table

NAN = math.nan
INOSENS, SIXMWD, CRP = STUDY.endpoint("INOSENS"), STUDY.endpoint("SIXMWD"), STUDY.endpoint("CRP")
NYHA = STUDY.endpoint("NYHA")


def row(paramcd, visit, population, method, term, estimate=NAN, *, se=NAN, lo=NAN, hi=NAN, stat=NAN, df=NAN,
        p=NAN, n=16, count=None, denominator=NAN, threshold=NAN, power=NAN, covariance="", note=""):
    values = dict(paramcd=paramcd, visit=visit, population=population, method=method, term=term, estimate=estimate,
                  std_error=se, ci_low=lo, ci_high=hi, conf_level=0.95, statistic=stat, df=df, p_value=p, n=n,
                  count=count, denominator=denominator, threshold=threshold, power=power, covariance=covariance,
                  note=note)
    return {column: values[column] for column in ARD_COLUMNS}


def primary_rows(paramcd="INOSENS", population="EFF", visit="Week 12"):
    keys = (paramcd, visit, population)
    return [
        row(*keys, "summary", "mean_baseline", 0.029975), row(*keys, "summary", "sd_baseline", 0.016968),
        row(*keys, "summary", "mean_visit", 0.050375), row(*keys, "summary", "sd_visit", 0.023028),
        row(*keys, "paired_t", "mean_change", 0.0204, se=0.008053, lo=0.003236, hi=0.037564, stat=2.533324,
            df=15.0, p=0.02294354),
        row(*keys, "wilcoxon_signed_rank", "V", stat=110.0, p=0.0289917, note="exact"),
        row(*keys, "wilcoxon_pratt_exact", "V", stat=110.5, p=0.0301),
        row(*keys, "hodges_lehmann", "pseudomedian", 0.0162, lo=0.0014, hi=0.0358),
        row(*keys, "cohen_dz", "dz", 0.633331, lo=0.085628, hi=1.163706),
        row(*keys, "hedges_gz", "gz", 0.601036, lo=0.081261, hi=1.104366),
        row(*keys, "bootstrap_mean_change", "mean_change", 0.0204, lo=0.007893, hi=0.039237, note="BCa"),
        row(*keys, "sign_flip_permutation", "mean_change", 0.0204, stat=0.3264, p=0.01525879),
        row(*keys, "mmrm", "lsmean_change", 0.015380, lo=0.002393, hi=0.028367, df=15.0, p=0.0234, covariance="us"),
        row(*keys, "mmrm_base_visit", "lsmean_change", 0.015491, lo=0.003159, hi=0.027823, df=15.2, covariance="us"),
        row(*keys, "clda", "lsmean_change", 0.016381, lo=0.000801, hi=0.031961, df=18.4, covariance="toeph"),
    ]


@pytest.fixture
def ard():
    return pd.DataFrame(primary_rows(), columns=list(ARD_COLUMNS))


def test_change_table_shows_one_estimate_per_comparison(ard):
    week4 = [row("INOSENS", "Week 4", "EFF", "paired_t", "mean_change", 0.0041, lo=-0.0049, hi=0.0131, n=18)]
    both = pd.concat([pd.DataFrame(week4, columns=list(ARD_COLUMNS)), ard], ignore_index=True)
    table = change_table(both, INOSENS, "EFF", "Baseline", "Week 12")
    assert table["Visit"].tolist() == ["Week 4", "Week 12 (primary)"]
    assert table.loc[1, "Mean change (95% CI)"] == "0.0204 (0.0032, 0.0376)"
    assert table.loc[1, "Baseline, mean (SD)"] == "0.0300 (0.0170)" and table.loc[1, "Complete pairs"] == "16"
    assert table.loc[0, "Visit, mean (SD)"] == "–"  # no summary rows at Week 4
    assert not any("p" == column or "t" in column.split() for column in table.columns)  # no test in the body
    assert change_interval(ard, INOSENS, "EFF", "Week 12", method="mmrm", term="lsmean_change") == \
        "0.0154 (0.0024, 0.0284)"


def test_other_tests_table_marks_the_prespecified_signed_rank_test(ard):
    table = other_tests_table(ard, INOSENS, "EFF", "Week 12", signed_rank_test="wilcoxon_pratt_exact")
    table = table.set_index("Analysis")
    assert table.loc["Mean change, paired t"].tolist() == ["0.0204 (0.0032, 0.0376)", "t = 2.53, df = 15", "0.023"]
    pratt = table.loc["Wilcoxon signed-rank, exact conditional, zeros by Pratt (pre-specified)"]
    assert pratt[["Test statistic", "p"]].tolist() == ["V = 110.5", "0.030"]
    assert "(pre-specified)" not in " ".join(index for index in table.index if "wilcox.test" in index)
    assert table.loc["Hedges' gz", "Estimate (95% CI)"] == "0.60 (0.08, 1.10)"
    assert table.loc["Bootstrap mean change, BCa interval†", "Estimate (95% CI)"] == "0.0204 (0.0079, 0.0392)"
    assert table.loc["Sign-flip permutation, exact", "p"] == "0.015"


def test_other_tests_table_of_an_absent_visit_shows_missing_marks(ard):
    table = other_tests_table(ard, INOSENS, "EFF", "Week 99", signed_rank_test="wilcoxon_pratt_exact")
    assert set(table["Estimate (95% CI)"]) <= {"–", ""} and set(table["p"]) <= {"–", ""}


def test_secondary_tests_table_lists_each_p(ard):
    table = secondary_tests_table(ard, [INOSENS, STUDY.endpoint("LVEF")], "EFF", "Week 12")
    assert len(table) == 1
    assert table.iloc[0][["p (paired t)", "p (exact signed-rank)", "p (wilcox.test)", "p (sign-flip)"]].tolist() == [
        "0.023", "0.030", "0.029", "0.015"]


def test_one_refuses_ambiguous_keys(ard):
    with pytest.raises(ValueError, match="ARD rows match"):
        one(ard, method="summary")


def test_model_table_shows_each_model_and_the_primary_df(ard):
    table = model_table(ard, INOSENS, "EFF", PLAN)
    assert table.columns.tolist() == ["Visit", "n", "MMRM, common BASE slope (95% CI)",
                                      "MMRM, BASE slope per visit (95% CI)", "cLDA (95% CI)", "df"]
    assert table.loc[0, "MMRM, common BASE slope (95% CI)"] == "0.0154 (0.0024, 0.0284)"
    assert table.loc[0, "df"] == "15.0"  # trailing zero kept


def test_covariance_table_names_the_structures_tried_first(ard):
    table = covariance_table(ard, [INOSENS, NYHA], "EFF", PLAN)  # NYHA has no model rows: left out
    assert table.iloc[0].tolist() == ["Inotrope sensitivity (L/min/m² per VIS unit)", "us", "us", "toeph (after us)"]
    assert structure_text("cs", ("us", "toeph", "csh", "cs")) == "cs (after us, toeph, csh)"
    assert structure_text("", ("us",)) == "not fitted"


def test_ordinal_tables_read_counts_not_proportions():
    keys = ("NYHA", "Week 12", "EFF")
    rows = [row(*keys, "shift_table", f"count[baseline={b},visit={v}]", float(b == 3 and v == 2) + 7 * (b == v == 3),
                n=8) for b in range(1, 5) for v in range(1, 5)]
    rows.append(row(*keys, "ordinal_improvement", "improved_ge1", 0.125, lo=0.00316, hi=0.52651, n=8, count=1,
                    denominator=8))
    ard = pd.DataFrame(rows, columns=list(ARD_COLUMNS))
    shift = shift_display(ard, NYHA, "EFF", "Week 12").set_index("Baseline")
    assert shift.loc["3"].tolist() == ["0", "1", "7", "0", "8"] and shift.loc["4", "Total"] == "0"
    assert improvement_table(ard, [NYHA], "EFF").iloc[0][["Improved/n", "% (95% CI)"]].tolist() == [
        "1/8", "12.5% (0.3, 52.7)"]


def test_endpoint_table_skips_endpoints_not_analysed_at_the_visit(ard):
    table = endpoint_table(ard, [INOSENS, STUDY.endpoint("LVEF")], "EFF", "Week 12")
    assert table["Endpoint"].tolist() == ["Inotrope sensitivity: slope of cardiac index on VIS (L/min/m² per VIS unit)"]
    assert table.loc[0, "Hedges' gz (95% CI)"] == "0.60 (0.08, 1.10)"
    assert "p (t)" not in table.columns


def test_gmr_table_per_visit():
    ard = pd.DataFrame([row("CRP", "Week 2", "EFF", "gmr", "geometric_mean_ratio", 0.694054, lo=0.542416,
                            hi=0.888084, p=0.006319, n=17)], columns=list(ARD_COLUMNS))
    assert gmr_table(ard, [CRP], "EFF").iloc[0].tolist() == ["C-reactive protein (mg/L)", "Week 2", "17",
                                                             "0.69 (0.54, 0.89)"]


def test_sensitivity_table_labels_sets_and_skips_absent_ones(ard):
    table = sensitivity_table(ard, INOSENS, "Week 12", PLAN)  # its sets EFF, COMPL, PPROT, ONTRT: only EFF has rows
    assert table["Analysis set"].tolist() == ["Efficacy"]
    assert table.loc[0, "MMRM, common BASE slope (95% CI)"] == "0.0154 (0.0024, 0.0284)"


def test_missingness_tables():
    keys = ("SIXMWD", "Week 12", "SAF", "worst_rank_composite")
    rows = [row(*keys, "V", stat=113.0, p=0.483681, n=19)]
    rows += [row(*keys, f"count[{event}]", 1.0, n=19) for event in ("death", "lvad", "hf_not_done")]
    rows.append(row(*keys, "count[observed]", 16.0, n=19))
    keys = ("INOSENS", "Week 12", "SAF", "tipping_point")
    rows.append(row(*keys, "delta_tipping", -0.016181, n=20))
    rows += [row(*keys, f"mean_change[delta={d:g}]", 0.0204 + 0.2 * d, lo=0.003236 + 0.2 * d, hi=0.037564 + 0.2 * d,
                 n=20) for d in INOSENS.tipping_point]
    ard = pd.DataFrame(rows, columns=list(ARD_COLUMNS))
    worst = worst_rank_table(ard, SIXMWD).set_index("Category")["Subjects"]
    assert worst.tolist() == ["1", "1", "1", "16", "19", "113.0", "0.484"]
    assert worst.index[0] == "Left the study: Death" and worst.index[2] == "Test not done: Heart-failure symptoms"
    tipping = tipping_point_table(ard, INOSENS)
    assert tipping.iloc[-1].tolist() == ["0.0000", "0.0204 (0.0032, 0.0376)"]
    assert tipping.iloc[0].tolist() == ["\u22120.0400", "0.0124 (\u22120.0048, 0.0296)"]


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
    assert table["n/N"].tolist() == ["20/29", "20 subjects over 13.0 months", "15/16"]
    assert table["Estimate (95% CI)"].tolist()[:2] == ["69.0% (49.2, 84.7)", "1.54 (0.94, 2.38)"]


def test_sizing_tables_read_the_grid_and_mark_the_mcid():
    keys = ("SIXMWD", "Week 12", "EFF", "next_trial_size")
    ancova = ("SIXMWD", "Week 12", "EFF", "next_trial_size_ancova")
    ard = pd.DataFrame([
        row(*keys, "sd_change", 33.537976, df=15), row(*keys, "sd_ucl80", 40.459192, df=15),
        row(*keys, "sd_ucl95", 48.204317, df=15),
        row(*keys, "n_per_arm_sd_change", 20.62, stat=21.0, threshold=30, power=0.8),
        row(*keys, "n_per_arm_sd_ucl80", 29.54, stat=30.0, threshold=30, power=0.8),
        row(*keys, "n_per_arm_sd_change", NAN, threshold=15, power=0.8, note="power not attainable"),
        row(*ancova, "correlation", 0.7512, lo=0.41, hi=0.905), row(*ancova, "sd_ancova", 29.7),
        row(*ancova, "sd_ancova_ucl80", 37.4, df=14), row(*ancova, "sd_ancova_ucl95", 44.9, df=14),
        row(*ancova, "dropout", 0.2, n=20),
        row(*ancova, "n_per_arm_sd_ancova", 16.3, stat=17.0, threshold=30, power=0.8),
        row(*ancova, "n_enrol_per_arm_sd_ancova_ucl80", 31.2, stat=32.0, threshold=30, power=0.8),
    ], columns=list(ARD_COLUMNS))
    sds = sd_table(ard, STUDY)
    assert sds.iloc[0][["SD", "80% UCL", "95% UCL"]].tolist() == ["33.5", "40.5", "48.2"]
    assert sds.iloc[1][["SD basis", "SD", "80% UCL"]].tolist() == ["ANCOVA (baseline-adjusted)", "29.7", "37.4"]
    assert ancova_inputs_table(ard, STUDY).iloc[0][["Correlation r (95% CI)", "Dropout"]].tolist() == [
        "0.75 (0.41, 0.91)", "20.0%"]
    sizes = sample_size_table(ard, SIXMWD)  # its MCID: 30 m
    assert sizes["Difference to detect"].tolist() == ["15 m", "30 m (MCID)"]
    assert sizes["Change: n per arm (SD)"].tolist() == ["–", "21"]
    assert sizes.loc[1, "Change: n per arm (80% UCL)"] == "30"
    assert sizes.loc[1, "ANCOVA: n per arm (SD)"] == "17"
    assert sizes.loc[1, "ANCOVA: enrol per arm (80% UCL, dropout)"] == "32"


def test_read_ard_keeps_model_level_visits_empty(tmp_path, ard):
    path = tmp_path / "ard.csv"
    ard.assign(visit="").to_csv(path, index=False)  # a model-level row is written with an empty visit
    assert visits_of(read_ard(path), "INOSENS", "EFF", "mmrm") == []
