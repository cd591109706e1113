"""Per-subject reference dates for study days, and the subject's cut-off day.

Rules
-----
- ``origin`` = first-dose date (``first_dose_date`` on the baseline visit form)
  when present and not after the cut-off, ``day_origin = "first_dose"``;
  otherwise the consent date (``day_origin = "consent"``; screen failures,
  and subjects not dosed by the cut-off).
- ``cutoff_day`` = study day of the cut-off date (missing without a cut-off).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from aidheart import formats as F
from aidheart.clean.studyday import study_day, to_dates


def reference_dates(data: pd.DataFrame, cutoff: dt.date | None) -> pd.DataFrame:
    """One row per record with a screening row.

    Columns: ``consent``, ``first_dose``, ``origin`` (datetime64), ``day_origin``, ``cutoff_day``.
    """
    screening = data[data["redcap_event_name"].eq(F.EVENT_SCREENING)].drop_duplicates("record_id")
    frame = pd.DataFrame({"consent": to_dates(screening["consent_date"]).to_numpy()},
                         index=pd.Index(screening["record_id"], name="record_id"))
    baseline = data[data["redcap_event_name"].eq(F.EVENT_BASELINE) & data["redcap_repeat_instrument"].eq("")]
    doses = to_dates(baseline["first_dose_date"]).groupby(baseline["record_id"]).first()
    frame["first_dose"] = doses.reindex(frame.index)
    if cutoff is not None:
        frame.loc[frame["first_dose"] > pd.Timestamp(cutoff), "first_dose"] = pd.NaT
    dosed = frame["first_dose"].notna()
    frame["origin"] = frame["first_dose"].where(dosed, frame["consent"])
    frame["day_origin"] = pd.Series("consent", index=frame.index, dtype=str).where(~dosed, "first_dose")
    cut = pd.Series(pd.Timestamp(cutoff) if cutoff else pd.NaT, index=frame.index, dtype="datetime64[s]")
    frame["cutoff_day"] = study_day(cut.astype(frame["origin"].dtype), frame["origin"])
    return frame


def day_column(rows: pd.DataFrame, column: str, reference: pd.DataFrame) -> pd.Series:
    """Study day of a date column of ``rows`` (relative to each row's record origin)."""
    origin = pd.Series(reference["origin"].reindex(rows["record_id"]).to_numpy(), index=rows.index)
    return study_day(to_dates(rows[column]), origin)
