"""Demographics, baseline characteristics and exposure of the treated subjects, from tiny inline data."""

import pandas as pd
from study_model import STUDY

from aidheart.tables.characteristics import characteristics_table, exposure_table

ADSL = pd.DataFrame({
    "USUBJID": ["S1", "S2", "S3", "S4"], "SAFFL": ["Y", "Y", "Y", "N"], "AGE": [60, 70, 80, 50],
    "SEX": ["Male", "Female", "Male", "Male"], "RACE": ["White", None, "White", "White"],
    "TRTDURD": [84, 27, 84, None], "DOSEXP": [84, 27, 84, None], "DOSTKN": [80, 20, 84, None],
    "ADHPCT": [95.2, 74.1, 100.0, None],
})


def test_continuous_and_categorical_rows_of_the_treated():
    table = characteristics_table(ADSL)
    age = table.iloc[0:3]
    expected = pd.DataFrame({"Characteristic": ["Age (years)", "", ""], "Statistic": ["n", "Mean (SD)", "Median [IQR]"],
                             "Value": ["3", "70.0 (10.0)", "70.0 [65.0, 75.0]"]})  # S4 (not treated) left out
    pd.testing.assert_frame_equal(age.reset_index(drop=True), expected)
    race = table[table["Characteristic"].eq("Race").cumsum().astype(bool)].iloc[0:2]
    assert race[["Statistic", "Value"]].values.tolist() == [["White", "2 (67%)"], ["Missing", "1 (33%)"]]


def test_dsmb_shows_the_range_instead_of_the_iqr():
    assert characteristics_table(ADSL, spread="range").iloc[2].tolist() == ["", "Median [min, max]",
                                                                           "70.0 [60.0, 80.0]"]


def test_endpoint_baselines_follow_categorical_by_level():
    adeff = pd.DataFrame({"USUBJID": ["S1", "S2", "S3", "S1"], "PARAMCD": ["NYHA", "NYHA", "NYHA", "SIXMWD"],
                          "ABLFL": ["Y", "Y", "Y", "Y"], "AVAL": [3.0, 4.0, 3.0, 250.0]})
    table = characteristics_table(ADSL, adeff, STUDY)
    nyha = table.index[table["Characteristic"] == "NYHA functional class (1-4)"][0]
    assert table.loc[nyha:nyha + 1, ["Statistic", "Value"]].values.tolist() == [["3", "2 (67%)"], ["4", "1 (33%)"]]
    walk = table.index[table["Characteristic"] == "Six-minute walk distance (m)"][0]
    assert table.loc[walk:walk + 1, "Value"].tolist() == ["1", "250.0"]  # one subject's baseline walk: no SD


def test_no_treated_subject_gives_an_empty_table():
    assert characteristics_table(ADSL.assign(SAFFL="N")).empty


def test_exposure_and_adherence_at_the_threshold():
    table = exposure_table(ADSL, 80)
    assert table.iloc[-1].tolist() == ["Adherence at least 80%", "n (%)", "2 (67%)"]
    assert table.iloc[0].tolist() == ["Exposure duration: last dose day - first dose day + 1 (days)", "n", "3"]
