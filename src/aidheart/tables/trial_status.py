"""The analysis report's texts on where the trial stands: why it ended (or that it goes on), and its limitations.

Both are written from ADSL counts (:func:`aidheart.tables.populations.flow_counts`) and the
configuration; a sponsor's own account of why the trial ended (config
``trial_end_reason``) is quoted beside the status the data give, never instead of it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from aidheart.study import Study
from aidheart.tables.populations import flow_counts


def trial_status(adsl: pd.DataFrame, *, plan: Mapping, cutoff: str, reason: str = "") -> str:
    """One paragraph (Markdown): the trial's status at the cut-off from the data, and the recorded reason.

    The status is "enrolment complete and every treated subject has finished" when the
    enrolled reach ``plan["enrolment_target"]`` and no one is in screening, awaiting a dose
    or still in the study; "enrolment complete, follow-up goes on" when only follow-up is
    left; otherwise "ongoing" with the numbers still to come.
    """
    counts = flow_counts(adsl, {})
    target = plan["enrolment_target"]
    waiting = counts["in_screening"] + counts["awaiting_dose"]
    if counts["enrolled"] >= target and not waiting and not counts["in_study"]:
        status = (f"enrolment closed at its target ({counts['enrolled']} enrolled of {target}) and every treated "
                  f"subject has completed the study ({counts['completed_study']}) or left it early "
                  f"({sum(counts['left_study'].values())}): the trial ended as planned")
    elif counts["enrolled"] >= target:
        status = (f"enrolment closed at its target ({counts['enrolled']} enrolled of {target}); "
                  f"{counts['in_study']} treated subject(s) are still in the study, so these results are interim")
    else:
        status = (f"the trial is ongoing: {counts['enrolled']} of {target} subjects enrolled, {waiting} in screening "
                  f"or awaiting a first dose and {counts['in_study']} treated subject(s) still in the study; "
                  "these results are interim")
    text = f"**Status of the trial at the data cut-off ({cutoff or 'none'}):** {status}."
    if not counts["treated"]:
        text = (f"**No data yet:** no subject had been treated by the data cut-off ({cutoff or 'none'}), so the "
                f"tables below are empty and no estimate can be made. {text}")
    if reason.strip():
        text += f" **Reason the trial ended, as recorded by the sponsor:** {reason.strip()}"
    return text + "\n"


def limitations(counts: dict, *, study: Study, visit: str) -> str:
    """The limitations of the pilot as a Markdown list, with the numbers of this analysis (``counts``:
    :func:`aidheart.tables.populations.flow_counts` with the subjects analysed per endpoint)."""
    treated = counts["treated"]
    missing = [f"{label.lower()} {treated - n} of {treated}" for label, n in counts["analysed"].items()]
    items = [
        f"A single-arm, open-label pilot of {treated} treated subjects: there is no control group, so a change "
        "from baseline mixes any effect of the drug with regression to the mean, the natural course of the "
        "disease and changes in background care; the estimates size the next trial, they do not show efficacy.",
        "Open-label assessment: subjects and assessors knew the treatment, which may bias the endpoints that "
        "depend on symptoms or effort (walk tests, questionnaires, functional class).",
        f"Missing primary-visit values ({'; '.join(missing) or 'none'} treated subjects without a {visit} value "
        "of the endpoint): the paired analyses use complete pairs, valid if values are missing at random given "
        "the data; the longitudinal models use every visit under the same assumption. "
        f"{sum(counts['stopped_drug'].values())} subject(s) stopped study drug early.",
        f"Many endpoints ({len(study.endpoints)}) and methods with no adjustment for multiplicity: a p-value or "
        "CI that excludes no change is descriptive.",
        "Small numbers: confidence intervals are wide, and the SD the next trial is sized on is itself "
        "uncertain (hence its upper confidence limits).",
        "Safety: rare or late adverse events cannot be excluded with this many subjects, followed for this long.",
    ]
    return "\n".join(f"- {item}" for item in items) + "\n"
