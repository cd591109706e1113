"""The clean tables built from the export (challenge tables: :mod:`aidheart.clean.challenge`).

Every builder takes the kept, validated rows of its form (error-queried values
already empty), the dictionary (for labels) and the reference dates, and
returns one row per observation with the contract's columns. Dates leave as
study days (``*_day``); choice fields as labels; yes/no as ``Y``/``N``;
missing as empty. Long tables (labs, clinical) drop parameters that were
simply not recorded but keep those made missing by an error query, so an
excluded value stays visible.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from aidheart.clean.decode import labels, month, yes_no
from aidheart.clean.reference import day_column
from aidheart.clean.settings import CleanSettings
from aidheart.clean.studyday import to_dates

LAB_PARAMS = ("crp", "anc", "wbc", "hgb", "plt", "creat", "ntprobnp")
CLINICAL_PARAMS = ("nyha", "kccq_os", "sbp", "dbp", "hr", "weight", "lvef")


def _choices(dictionary: pd.DataFrame, field: str) -> dict[str, str]:
    return dictionary.loc[field, "choices"]


def _instance(rows: pd.DataFrame) -> pd.Series:
    return rows["redcap_repeat_instance"].astype("Int64")


def race(rows: pd.DataFrame, choices: dict[str, str]) -> list[str]:
    """Label of the one ticked race box, ``Multiple`` when several, empty when none."""
    ticked = rows[[f"race___{code}" for code in choices if f"race___{code}" in rows]].eq("1")
    result = []
    for _, flags in ticked.iterrows():
        codes = [column.split("___")[1] for column in flags.index[flags]]
        result.append("Multiple" if len(codes) > 1 else choices[codes[0]] if codes else "")
    return result


def subjects(rows: pd.DataFrame, dictionary, reference: pd.DataFrame, age: pd.Series) -> pd.DataFrame:
    """One row per screened subject (enrollment form)."""
    ref = reference.reindex(rows["record_id"])
    first_dose = ref["first_dose"].dt.strftime("%Y-%m").fillna("")
    return pd.DataFrame({
        "record_id": rows["record_id"],
        "enrolled": yes_no(rows["eligible"]),
        "screen_fail_reason": labels(rows["screen_fail_reason"], _choices(dictionary, "screen_fail_reason")),
        "consent_month": month(rows["consent_date"]),
        "first_dose_month": first_dose.to_numpy(),
        "consent_day": day_column(rows, "consent_date", reference),
        "age": age.reindex(rows.index),
        "sex": labels(rows["sex"], _choices(dictionary, "sex")),
        "race": race(rows, _choices(dictionary, "race")),
        "ethnicity": labels(rows["ethnicity"], _choices(dictionary, "ethnicity")),
        "screen_crp": rows["screen_crp"],
        "screen_lvef": rows["screen_lvef"],
        "screen_inotrope": labels(rows["screen_inotrope"], _choices(dictionary, "screen_inotrope")),
        "screen_inotrope_dose": rows["screen_inotrope_dose"],
        "cutoff_day": ref["cutoff_day"].to_numpy(),
        "day_origin": ref["day_origin"].to_numpy(),
    })


def visits(rows: pd.DataFrame, reference: pd.DataFrame, settings: CleanSettings) -> pd.DataFrame:
    """One row per visit held (visit form); nominal day and window from the configuration."""
    plan = {visit.event: visit for visit in settings.visits}
    day = day_column(rows, "visit_date", reference)
    nominal = rows["redcap_event_name"].map(lambda e: plan[e].day if e in plan else None).astype("Int64")
    window = rows["redcap_event_name"].map(lambda e: plan[e].window if e in plan else None).astype("Int64")
    inside = ((day - nominal).abs() <= window)
    return pd.DataFrame({
        "record_id": rows["record_id"],
        "event": rows["redcap_event_name"],
        "avisit": rows["redcap_event_name"].map(lambda e: plan[e].avisit if e in plan else "").astype(str),
        "visit_day": day,
        "nominal_day": nominal,
        "in_window": inside.map({True: "Y", False: "N"}).astype(str).where(inside.notna(), ""),
    })


def walks(rows: pd.DataFrame, dictionary, reference: pd.DataFrame) -> pd.DataFrame:
    """One row per six-minute walk form."""
    return pd.DataFrame({
        "record_id": rows["record_id"],
        "event": rows["redcap_event_name"],
        "walk_day": day_column(rows, "smw_date", reference),
        "done": yes_no(rows["smw_done"]),
        "distance_m": rows["smw_distance"],
        "not_done_reason": labels(rows["smw_not_done_reason"], _choices(dictionary, "smw_not_done_reason")),
        "stopped_early": yes_no(rows["smw_stopped_early"]),
        "borg": rows["smw_borg"],
        "spo2": rows["smw_spo2"],
    })


def long_table(rows: pd.DataFrame, reference, date_field: str, day_name: str, params, masked: set) -> pd.DataFrame:
    """Wide form -> one row per (record, event, param) recorded or excluded by an error query."""
    day = day_column(rows, date_field, reference)
    parts = []
    for param in params:
        keep = rows[param].ne("") | pd.Series([(i, param) in masked for i in rows.index], index=rows.index,
                                               dtype=bool)
        parts.append(pd.DataFrame({"record_id": rows["record_id"], "event": rows["redcap_event_name"],
                                   day_name: day, "param": param, "value": rows[param],
                                   "_order": params.index(param)})[keep])
    frame = pd.concat(parts) if parts else pd.DataFrame()
    frame["_row"] = frame.index
    return frame.sort_values(["_row", "_order"], kind="stable").drop(columns=["_row", "_order"])


def adverse_events(rows: pd.DataFrame, dictionary, reference, cutoff: dt.date | None) -> pd.DataFrame:
    """One row per adverse event; an end after the cut-off is not yet known (end empty, ongoing Y)."""
    end = rows["ae_end"]
    ongoing = yes_no(rows["ae_ongoing"])
    if cutoff is not None:
        late = (to_dates(end) > pd.Timestamp(cutoff)).fillna(False).astype(bool)
        end = end.where(~late, "")
        ongoing = ongoing.where(~late, "Y")
    return pd.DataFrame({
        "record_id": rows["record_id"],
        "instance": _instance(rows),
        "ae_term": rows["ae_term"] if "ae_term" in rows else "",
        "body_system": labels(rows["ae_system"], _choices(dictionary, "ae_system")),
        "onset_day": day_column(rows, "ae_onset", reference),
        "end_day": day_column(rows.assign(ae_end=end), "ae_end", reference),
        "ongoing": ongoing,
        "grade": rows["ae_grade"],
        "serious": yes_no(rows["ae_serious"]),
        "related": labels(rows["ae_related"], _choices(dictionary, "ae_related")),
        "injection_site": yes_no(rows["ae_injection_site"]),
        "infection": yes_no(rows["ae_infection"]),
        "action": labels(rows["ae_action"], _choices(dictionary, "ae_action")),
        "outcome": labels(rows["ae_outcome"], _choices(dictionary, "ae_outcome")),
    })


def diary(rows: pd.DataFrame, reference) -> pd.DataFrame:
    """One row per diary week."""
    return pd.DataFrame({"record_id": rows["record_id"], "instance": _instance(rows), "week": rows["diary_week"],
                         "start_day": day_column(rows, "diary_start", reference),
                         "expected": rows["diary_expected"], "taken": rows["diary_taken"]})


def inotrope_log(rows: pd.DataFrame, dictionary, reference) -> pd.DataFrame:
    """One row per maintenance-inotrope dose (change)."""
    return pd.DataFrame({"record_id": rows["record_id"], "instance": _instance(rows),
                         "ino_day": day_column(rows, "ino_date", reference),
                         "drug": labels(rows["ino_drug"], _choices(dictionary, "ino_drug")),
                         "dose": rows["ino_dose"],
                         "reason": labels(rows["ino_reason"], _choices(dictionary, "ino_reason"))})


def deviations(rows: pd.DataFrame, dictionary, reference) -> pd.DataFrame:
    """One row per protocol deviation (the free-text description is not carried)."""
    return pd.DataFrame({"record_id": rows["record_id"], "instance": _instance(rows),
                         "dev_day": day_column(rows, "dev_date", reference),
                         "category": labels(rows["dev_category"], _choices(dictionary, "dev_category")),
                         "major": yes_no(rows["dev_major"])})


def completion(rows: pd.DataFrame, dictionary, reference, enrolled: pd.Series) -> pd.DataFrame:
    """One row per enrolled subject (or subject with a completion form); no kept form -> ``Ongoing``."""
    frame = pd.DataFrame({"record_id": rows["record_id"],
                          "status": labels(rows["eos_status"], _choices(dictionary, "eos_status")),
                          "eos_day": day_column(rows, "eos_date", reference),
                          "last_dose_day": day_column(rows, "last_dose_date", reference),
                          "death_day": day_column(rows, "death_date", reference)})
    recorded = set(frame["record_id"])
    ongoing = [r for r in enrolled if r not in recorded]
    frame = pd.concat([frame, pd.DataFrame({"record_id": ongoing, "status": "Ongoing"})], ignore_index=True)
    order = frame["record_id"].map(lambda r: (len(r), r))
    return frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)
