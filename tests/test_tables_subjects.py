"""Tables counted from tiny inline ADaM datasets: populations, Table 1, safety summary."""

import pandas as pd

from aidheart.tables.baseline import baseline_table
from aidheart.tables.populations import disposition_table, population_table, screen_failure_table
from aidheart.tables.safety_summary import safety_summary_table, worst_anc_grade_table

ADSL = pd.DataFrame({
    "USUBJID": ["S1", "S2", "S3", "S4"],
    "AGE": [60, 70, 80, 50],
    "SEX": ["Male", "Female", "Male", "Male"],
    "ENRLFL": ["Y", "Y", "Y", "N"],
    "SAFFL": ["Y", "Y", "Y", "N"],
    "EFF_INOSENS": ["Y", "Y", "N", "N"],
    "EFF_SIXMWD": ["Y", "N", "N", "N"],
    "COMPLFL": ["Y", "N", "Y", "N"],
    "PPROTFL": ["Y", "N", "N", "N"],
    "EOSSTT": ["COMPLETED", "DISCONTINUED", "COMPLETED", "DISCONTINUED"],
    "DCSREAS": [None, "Death", None, "Screen failure"],
    "SCRFREAS": [None, None, None, "LVEF 50% or above"],
    "DTHFL": [None, "Y", None, None],
})


def test_population_counts_and_percent_of_safety():
    table = population_table(ADSL).set_index("Population")["n (% of safety)"]
    assert table["Screened"] == "4"
    assert table["Safety"] == "3 (100%)"
    assert table["Efficacy (INOSENS)"] == "2 (67%)"
    assert table["Per-protocol"] == "1 (33%)"


def test_disposition_and_screen_failures():
    assert disposition_table(ADSL).values.tolist() == [["Completed", "", "2 (67%)"],
                                                       ["Discontinued", "Death", "1 (33%)"]]
    assert screen_failure_table(ADSL).values.tolist() == [["LVEF 50% or above", "1"]]


def test_table1_mean_sd_median_iqr_and_levels_of_the_safety_set():
    adeff = pd.DataFrame({"USUBJID": ["S1", "S2", "S3", "S1"], "PARAMCD": ["NYHA", "NYHA", "NYHA", "SIXMWD"],
                          "ABLFL": ["Y", "Y", "Y", "Y"], "AVAL": [3.0, 4.0, 3.0, 250.0]})
    table = baseline_table(ADSL, adeff)
    age = table.iloc[0:3]["Value"].tolist()
    assert age == ["3", "70.0 (10.0)", "70.0 [65.0, 75.0]"]  # S4 (not treated) left out
    nyha = table[table["Statistic"].str.startswith("Class")]
    assert nyha["Statistic"].tolist() == ["Class 3", "Class 4"]
    assert nyha["Value"].tolist() == ["2 (67%)", "1 (33%)"]
    walk = table[table["Characteristic"] == "6-minute walk distance (m)"].index[0]
    assert table.loc[walk, "Value"] == "1"  # n: one subject with a baseline walk
    assert table.loc[walk + 1, "Value"] == "250.0"  # one value: no SD


def test_safety_summary_counts_subjects_and_events_of_teaes_only():
    adae = pd.DataFrame({
        "USUBJID": ["S1", "S1", "S2", "S3"], "TRTEMFL": ["Y", "Y", "Y", None], "ATOXGR": [1, 3, 5, 4],
        "ARELFL": ["Y", "N", "N", "Y"], "AESER": ["N", "N", "Y", "Y"], "AEACN": [None, None, "Drug withdrawn", None],
        "AEINJFL": ["Y", "Y", "N", "N"], "AEINFFL": ["N", "N", "N", "Y"], "AEOUT": ["Recovered", "Recovered", "Fatal",
                                                                                  "Recovered"],
    })
    table = safety_summary_table(ADSL, adae).set_index("Category")
    assert table.loc["Any TEAE"].tolist() == ["2 (67%)", "3"]
    assert table.loc["TEAE of CTCAE grade 3 or higher"].tolist() == ["2 (67%)", "2"]
    assert table.loc["Injection-site reaction"].tolist() == ["1 (33%)", "2"]
    assert table.loc["Infection"].tolist() == ["0", "0"]  # S3's infection is not treatment-emergent
    assert table.loc["Deaths (any cause)", "Subjects n (%)"] == "1 (33%)"


def test_worst_anc_grade_ignores_baseline_and_counts_subjects_without_values():
    adlb = pd.DataFrame({"USUBJID": ["S1", "S1", "S1", "S2"], "PARAMCD": ["ANCGR"] * 4,
                         "ABLFL": ["Y", None, None, None], "AVAL": [3.0, 0.0, 2.0, 0.0]})
    table = worst_anc_grade_table(ADSL, adlb).set_index("Worst grade")["Subjects n (%)"]
    assert table["Grade 2"] == "1 (33%)"
    assert table["Grade 3"] == "0"
    assert table["Grade 0"] == "1 (33%)"
    assert table["No post-baseline value"] == "1 (33%)"
