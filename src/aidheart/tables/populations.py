"""Populations, subject status and disposition, every count taken from the ADSL flags.

One definition of each population, shared by every report:

- *screened*: every ADSL record (consent signed by the cut-off);
- *enrolled*: ``ENRLFL == "Y"`` (eligible and enrolled, or dosed);
- *treated*: ``SAFFL == "Y"`` (at least one dose of study drug by the cut-off): the
  safety set, the denominator of every safety table;
- an endpoint's *efficacy set*, the *completers* and the *per-protocol set*: the
  analysis sets of :mod:`aidheart.analysis.analysis_sets`.

Status at the cut-off (DSMB): a treated subject has *completed* or *discontinued*
the study (``EOSSTT``, reason ``DCSREAS``) or is *ongoing*, in the treatment period
while the cut-off day (``DCUTDY``) is on or before the end-of-treatment visit's
nominal day, else in off-drug follow-up; a subject not treated is a *screen
failure* (``ARM``), *enrolled, first dose pending*, or *in screening*.
"""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import set_records
from aidheart.derive.adsl import SCREEN_FAILURE_ARM
from aidheart.tables.formatting import fmt_count, fmt_n_pct
from aidheart.study import Study

SCREEN_FAILURE = "Screen failure"
IN_SCREENING = "In screening (eligibility pending)"
AWAITING_DOSE = "Enrolled, first dose pending"
ON_TREATMENT = "Ongoing: treatment period"
FOLLOW_UP = "Ongoing: off-drug follow-up"
ONGOING = "Ongoing"
COMPLETED = "Completed"
DISCONTINUED = "Discontinued"
#: The treated subjects' categories, in the order of the status flow.
TREATED_CATEGORIES = (ON_TREATMENT, FOLLOW_UP, ONGOING, COMPLETED, DISCONTINUED)


def yes(adsl: pd.DataFrame, flag: str) -> pd.Series:
    """``flag == "Y"`` per subject (False where missing or when ADSL lacks the flag)."""
    if flag not in adsl:
        return pd.Series(False, index=adsl.index)
    return adsl[flag].astype("string").eq("Y").fillna(False).astype(bool)


def enrolled(adsl: pd.DataFrame) -> pd.DataFrame:
    """The enrolled subjects (``ENRLFL``)."""
    return adsl[yes(adsl, "ENRLFL")]


def treated(adsl: pd.DataFrame) -> pd.DataFrame:
    """The treated subjects (``SAFFL``): the safety set."""
    return adsl[yes(adsl, "SAFFL")]


def population_table(adsl: pd.DataFrame, adeff: pd.DataFrame, study: Study) -> pd.DataFrame:
    """Subjects in each population and analysis set, treated ones with % of the safety set.

    The efficacy sets are those of the endpoints with the role ``trajectory``.

    Returns
    -------
    DataFrame
        Columns ``Population``, ``Definition``, ``n (% of safety)``.
    """
    n_treated = len(treated(adsl))
    eot = study.schedule.end_of_treatment.avisit
    rows = [("Screened", "Signed consent and screened", fmt_count(len(adsl))),
            ("Enrolled", "Eligible and enrolled", fmt_count(len(enrolled(adsl)))),
            ("Safety", "At least one dose of study drug", fmt_n_pct(n_treated, n_treated))]
    for endpoint in study.with_role("trajectory"):
        analysed = set_records(adsl, adeff, endpoint.paramcd, "EFF")["USUBJID"].nunique()
        rows.append((f"Efficacy ({endpoint.paramcd})", f"Treated with a post-baseline visit; a baseline and a later "
                     f"value of {endpoint.short_label.lower()}", fmt_n_pct(analysed, n_treated)))
    rows += [("Completers", f"Reached {eot} on drug", fmt_n_pct(int((yes(adsl, "SAFFL") & yes(adsl, "COMPLFL")).sum()),
                                                              n_treated)),
             ("Per-protocol", "Treated, adherence at or above the threshold, no major deviation",
              fmt_n_pct(int((yes(adsl, "SAFFL") & yes(adsl, "PPROTFL")).sum()), n_treated))]
    return pd.DataFrame(rows, columns=["Population", "Definition", "n (% of safety)"])


def disposition_table(adsl: pd.DataFrame) -> pd.DataFrame:
    """Treated subjects by end-of-study status and reason, with % of the safety set.

    Returns
    -------
    DataFrame
        Columns ``Status``, ``Reason``, ``n (%)``, sorted by status then reason.
    """
    dosed = treated(adsl)
    reasons = dosed["DCSREAS"].where(dosed["EOSSTT"] == "DISCONTINUED", "")
    counts = (pd.DataFrame({"Status": dosed["EOSSTT"].fillna("Not recorded").str.capitalize(),
                            "Reason": reasons.fillna("Not recorded")})
              .value_counts().sort_index().reset_index(name="count"))
    counts["n (%)"] = [fmt_n_pct(count, len(dosed)) for count in counts["count"]]
    return counts.loc[:, ["Status", "Reason", "n (%)"]]


def screen_failure_table(adsl: pd.DataFrame) -> pd.DataFrame:
    """Screen failures (``ARM``) by reason, most frequent first, with % of the screen failures.

    Returns
    -------
    DataFrame
        Columns ``Reason``, ``n (% of screen failures, N = <n>)``.
    """
    failed = adsl.loc[adsl["ARM"] == SCREEN_FAILURE_ARM, "SCRFREAS"].astype("string").fillna("").str.strip()
    counts = failed.replace("", "Not recorded").value_counts()
    order = sorted(counts.index, key=lambda reason: (-counts[reason], reason))
    return pd.DataFrame({"Reason": order, f"n (% of screen failures, N = {len(failed)})":
                         [fmt_n_pct(int(counts[reason]), len(failed)) for reason in order]})


def subject_status(adsl: pd.DataFrame, study: Study) -> pd.DataFrame:
    """One row per screened subject: ``USUBJID``, ``category`` (the module's labels) and ``reason``
    (``DCSREAS`` of a discontinued subject, else empty)."""
    eot_day = study.schedule.end_of_treatment.day
    category, reason = [], []
    for _, subject in adsl.iterrows():
        why, status = "", subject["EOSSTT"]
        if subject["SAFFL"] == "Y" and status == "COMPLETED":
            label = COMPLETED
        elif subject["SAFFL"] == "Y" and status == "DISCONTINUED":
            label, why = DISCONTINUED, str(subject["DCSREAS"])
        elif subject["SAFFL"] == "Y":
            day = subject["DCUTDY"]
            label = ONGOING if pd.isna(day) else ON_TREATMENT if day <= eot_day else FOLLOW_UP
        elif subject["ARM"] == SCREEN_FAILURE_ARM:
            label = SCREEN_FAILURE
        elif subject["ENRLFL"] == "Y":
            label = AWAITING_DOSE
        else:
            label = IN_SCREENING
        category.append(label)
        reason.append(why)
    return pd.DataFrame({"USUBJID": adsl["USUBJID"].to_numpy(), "category": category, "reason": reason},
                        columns=["USUBJID", "category", "reason"])


def _flow_row(level: int, label: str, count: int, total: int | None, of: str) -> dict:
    shown = f"**{label}**" if level == 0 else label if level == 1 else f"– {label}"
    return {"Status": shown, "n (%)": fmt_count(count) if total is None else fmt_n_pct(count, total),
            "% of": "" if total is None else f"{of} (N = {total})"}


def status_flow_table(adsl: pd.DataFrame, study: Study) -> pd.DataFrame:
    """The study status flow at the cut-off: screened, its parts, treated, its parts and the reasons.

    Returns
    -------
    DataFrame
        Columns ``Status`` (headings bold, reasons indented), ``n (%)`` and ``% of`` (the
        denominator: screened or treated). The parts under each heading add up to it.
    """
    status = subject_status(adsl, study)
    count = status["category"].value_counts()
    n_screened, n_treated = len(status), len(treated(adsl))
    rows = [_flow_row(0, "Screened (consented)", n_screened, None, "")]
    rows += [_flow_row(1, label, int(count.get(label, 0)), n_screened, "screened")
             for label in (SCREEN_FAILURE, IN_SCREENING, AWAITING_DOSE)]
    rows.append(_flow_row(0, "Treated (received at least one dose)", n_treated, n_screened, "screened"))
    for label in TREATED_CATEGORIES:
        if label != ONGOING or count.get(ONGOING, 0):
            shown = {COMPLETED: "Completed study", DISCONTINUED: "Discontinued study"}.get(label, label)
            rows.append(_flow_row(1, shown, int(count.get(label, 0)), n_treated, "treated"))
    reasons = status.loc[status["category"].eq(DISCONTINUED), "reason"].value_counts()
    for why in sorted(reasons.index, key=lambda r: (-reasons[r], r)):
        rows.append(_flow_row(2, f"Reason: {why}", int(reasons[why]), n_treated, "treated"))
    return pd.DataFrame(rows, columns=["Status", "n (%)", "% of"])
