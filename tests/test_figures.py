"""Figures: byte-stable files, and limits for large studies."""

import numpy as np
import pandas as pd

from aidheart.figures.dose_response import plot_dose_response
from aidheart.figures.style import new_figure, save_figure


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
