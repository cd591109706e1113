"""Tables of the DSMB open-session safety report, built from the clean and ADaM tables.

Each function is pure: DataFrames in, one DataFrame out, no file access and no
clock.  Counting functions return numbers (counts and their denominators);
``aidheart.safety.display`` turns them into text with the project's single
formatting module (:mod:`aidheart.tables.formatting`).  Every function accepts
empty inputs (a cut-off before the first enrolment) and then returns an empty
frame with its usual columns.

Modules, in the order of the DSMB report:

- :mod:`~aidheart.safety.status`: subject status at the cut-off, status flow,
  enrolment by month (actual vs expected), enrolment status, screen failures;
- :mod:`~aidheart.safety.baseline`: protocol deviations, demographics, exposure;
- :mod:`~aidheart.safety.events`: adverse events, SAEs, deaths, injection-site
  reactions and infections;
- :mod:`~aidheart.safety.neutrophils`: neutrophil counts, CTCAE shift, listing;
- :mod:`~aidheart.safety.stopping`: stopping rules from the configuration;
- :mod:`~aidheart.safety.completeness`: forms expected vs received, overdue visits;
- :mod:`~aidheart.safety.figures`: the enrolment figure.
"""
