"""Figures: the counts in the flow diagram, byte-stable files, and limits for large studies."""

import numpy as np
import pandas as pd
from study_model import TREATMENT

from aidheart.figures.dose_response import plot_dose_response
from aidheart.figures.flow import flow_counts
from aidheart.figures.style import new_figure, save_figure


def test_flow_counts_follow_adsl():
    adsl = pd.DataFrame({
        "USUBJID": ["S1", "S2", "S3", "S4", "S5", "S6"],
        "ARM": ["Screen Failure", "Screen Failure", *[TREATMENT] * 4],
        "ENRLFL": ["N", "N", "Y", "Y", "Y", "Y"],
        "SAFFL": ["N", "N", "Y", "Y", "Y", "Y"],
        "SCRFREAS": ["Active infection", "Active infection", None, None, None, None],
        "EOSSTT": ["DISCONTINUED", "DISCONTINUED", "COMPLETED", "DISCONTINUED", "ONGOING", "COMPLETED"],
        "DCSREAS": ["Screen failure", "Screen failure", None, "Death", None, None],
        "COMPLFL": ["N", "N", "Y", "N", "N", "Y"],
    })
    counts = flow_counts(adsl, analysed={"S3", "S4", "S6"})
    assert counts == {"screened": 6, "screen_failed": {"Active infection": 2}, "enrolled": 4, "treated": 4,
                      "completed_treatment": 2, "discontinued": {"Death": 1}, "ongoing": 1, "analysed": 3}


def test_saved_figures_are_byte_stable_and_unstamped(tmp_path):
    digests = []
    for run in range(2):
        fig, ax = new_figure()
        ax.plot([1, 2, 3], [2, 1, 3])
        png, svg = save_figure(fig, tmp_path / f"run{run}" / "figure")
        digests.append((png.read_bytes(), svg.read_bytes()))
    assert digests[0] == digests[1]
    assert b"Software" not in digests[0][0]
    assert b"<dc:date>" not in digests[0][1]


def test_dose_response_panels_are_capped_for_large_studies():
    subjects = [f"S-{i:04d}" for i in range(50)]
    adstep = pd.DataFrame({
        "USUBJID": np.repeat(subjects, 2), "AVISIT": "Baseline", "VIS": np.tile([2.5, 5.0], 50),
        "CISS": np.tile([2.0, 2.1], 50), "USABLFL": "Y",
    })
    adeff = pd.DataFrame({"USUBJID": subjects, "AVISIT": "Baseline", "PARAMCD": "INOSENS", "AVAL": 0.04,
                          "DTYPE": np.nan})
    fig = plot_dose_response(adstep, adeff, visits=["Baseline"], slope="INOSENS", max_subjects=10)
    assert sum(ax.get_visible() for ax in fig.axes) == 10
    assert fig._suptitle.get_text() == "First 10 of 50 subjects"
