"""Data currency at the cut-off (DSMB): how recent each treated subject's data are.

The export carries no data-entry timestamps, so a subject's *last data* is the latest
study day of any dated record received: a visit, a lab draw, a clinical assessment, a
walk, a challenge, a diary week (its first day), an inotrope-log entry, an adverse
event (onset), a deviation or the end-of-study form. The *lag* is the days from that
day to the subject's cut-off day (ADSL ``DCUTDY``), or to the end-of-study day when
the subject's study has ended (nothing more is expected after it).
"""

from __future__ import annotations

import pandas as pd

from aidheart.tables.formatting import fmt_count, fmt_listing, fmt_median_iqr
from aidheart.tables.populations import treated

#: Clean table -> (its study-day column, the form it is shown as).
DATED_FORMS = {
    "visits": ("visit_day", "Visit"), "labs": ("lab_day", "Safety labs"), "clinical": ("clin_day", "Clinical"),
    "walks": ("walk_day", "Six-minute walk"), "challenge_sessions": ("ch_day", "Inotrope challenge"),
    "diary": ("start_day", "Study-drug diary"), "inotrope_log": ("ino_day", "Inotrope log"),
    "adverse_events": ("onset_day", "Adverse event"), "deviations": ("dev_day", "Protocol deviation"),
    "completion": ("eos_day", "End of study"),
}
CURRENCY_COLUMNS = ["Subject", "Status", "Last data (study day)", "Form", "Reference day", "Days without data"]


def last_data(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per subject (``record_id``): the latest dated record's ``day`` and its ``form`` (the first form in
    :data:`DATED_FORMS` order at a tie)."""
    frames = []
    for name, (column, form) in DATED_FORMS.items():
        table = tables.get(name)
        if table is None or table.empty or column not in table:
            continue
        days = pd.to_numeric(table[column], errors="coerce")
        frames.append(pd.DataFrame({"record_id": table["record_id"].astype(str), "day": days, "form": form}))
    dated = pd.concat(frames, ignore_index=True).dropna(subset=["day"]) if frames else pd.DataFrame(
        columns=["record_id", "day", "form"])
    dated = dated.sort_values(["record_id", "day"], ascending=[True, False], kind="stable")
    return dated.drop_duplicates("record_id").set_index("record_id")


def currency(adsl: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per treated subject: ``SUBJID``, ``status`` (ongoing or ended), ``day`` and ``form`` of the last data,
    ``reference`` (cut-off day, or end-of-study day once the study ended) and ``lag`` (reference - day)."""
    dosed = treated(adsl)
    latest = last_data(tables)
    subjects = dosed["SUBJID"].astype(str)
    ended = dosed["EOSSTT"].isin(["COMPLETED", "DISCONTINUED"]).to_numpy()
    reference = pd.to_numeric(dosed["DCUTDY"], errors="coerce").where(
        ~ended, pd.to_numeric(dosed["EOSDY"], errors="coerce")).to_numpy()
    day = latest["day"].reindex(subjects).to_numpy(dtype=float)
    return pd.DataFrame({"SUBJID": subjects.to_numpy(), "status": ["Ended" if e else "Ongoing" for e in ended],
                         "day": day, "form": latest["form"].reindex(subjects).to_numpy(), "reference": reference,
                         "lag": reference - day})


def currency_summary_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Subjects and the median [min, max] days without data, for the ongoing and the ended subjects."""
    rows = []
    for status in ("Ongoing", "Ended"):
        lag = frame.loc[frame["status"] == status, "lag"].dropna()
        rows.append({"Subjects": "On study at the cut-off" if status == "Ongoing" else "Study ended",
                     "n": fmt_count(int((frame["status"] == status).sum())),
                     "Days without data, median [min, max]": fmt_median_iqr(
                         lag.median() if len(lag) else None, lag.min() if len(lag) else None,
                         lag.max() if len(lag) else None, 0)})
    return pd.DataFrame(rows)


def currency_listing(frame: pd.DataFrame, min_lag: int = 0) -> pd.DataFrame:
    """Subjects on study whose last data are more than ``min_lag`` days before the cut-off, longest first."""
    late = frame[(frame["status"] == "Ongoing") & (frame["lag"] > min_lag)].sort_values(["lag", "SUBJID"],
                                                                                          ascending=[False, True])
    shown = pd.DataFrame({"Subject": late["SUBJID"], "Status": late["status"], "Last data (study day)": late["day"],
                          "Form": late["form"], "Reference day": late["reference"], "Days without data": late["lag"]},
                         columns=CURRENCY_COLUMNS)
    return fmt_listing(shown.reset_index(drop=True))
