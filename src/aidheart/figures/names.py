"""File names of the figures: one rule shared by the workflow (its targets) and the report (its images)."""

from __future__ import annotations

#: Figures drawn from ADaM alone (they need not wait for the ARD).
SUBJECT_FIGURES = ("flow", "dose_response")
#: Figures of the ARD drawn once for the study.
RESULT_FIGURES = ("forest",)
#: Figures of the ARD drawn for each endpoint with the role ``trajectory``.
ENDPOINT_FIGURES = ("spaghetti", "waterfall")
#: Every figure is written as a PNG and an SVG twin.
FORMATS = (".png", ".svg")


def figure_stem(kind: str, paramcd: str | None = None) -> str:
    """The file stem of a figure: ``kind`` alone, or ``<kind>_<PARAMCD>`` for an endpoint's figure."""
    return kind if paramcd is None else f"{kind}_{paramcd}"
