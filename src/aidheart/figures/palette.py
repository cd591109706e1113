"""The colours of every figure (analysis report and DSMB report): the Okabe–Ito colour-blind-safe palette.

Kept apart from the plotting style so that a report kernel can use the colours
without importing the file-figure setup (which selects a non-interactive backend).
"""

from __future__ import annotations

#: Okabe–Ito palette (Okabe & Ito 2008; R's ``palette.colors(palette = "Okabe-Ito")``).
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
#: Individual subjects' lines, screened-subject counts: the palette's grey.
INDIVIDUAL = OKABE_ITO["grey"]
#: Reference lines and their labels (cut-off date) that should recede behind the data.
ANNOTATION = "#555555"
#: Colours of successive series (visits of the dose-response panels).
SERIES = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["purple"],
          OKABE_ITO["vermillion"], OKABE_ITO["sky_blue"])
