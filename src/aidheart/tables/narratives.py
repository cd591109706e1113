"""Short narratives of the deaths and serious adverse events, written from ADSL and ADAE alone.

One paragraph per treated subject who died or had a serious AE, by subject: sex, age
by decade and home inotrope; first and last dose (study days) and the end of
treatment; each serious or fatal AE with its onset, grade, relatedness, action and
outcome, and its onset against the last dose; the death day; the end-of-study status.
Nothing else: no identifier, no calendar date (study days only), no free text beyond
the AE term.
"""

from __future__ import annotations

import pandas as pd

from aidheart.tables.adverse_events import day_count, reported
from aidheart.tables.populations import treated

#: End-of-treatment status (ADSL ``EOTSTT``) as a phrase.
TREATMENT_END = {"COMPLETED": "completed treatment", "DISCONTINUED": "stopped study drug early",
                 "ONGOING": "still on study drug at the cut-off"}


def _yes(series: pd.Series) -> pd.Series:
    return series.astype("string").eq("Y").fillna(False).astype(bool)


def _day(value) -> int | None:
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else int(number)


def _age(value) -> str:
    age = pd.to_numeric(value, errors="coerce")
    return "age not recorded" if pd.isna(age) else f"aged {int(age) // 10 * 10}–{int(age) // 10 * 10 + 9}"


def _text(value, missing: str = "not recorded") -> str:
    return missing if pd.isna(value) or str(value).strip() == "" else str(value)


def _event(event: pd.Series, last_dose: int | None) -> str:
    onset, end = _day(event["ASTDY"]), _day(event["AENDY"])
    grade = _day(event["AETOXGR"])
    parts = [f"day {onset if onset is not None else '(onset not recorded)'}: {_text(event['AETERM']).lower()}",
             f"grade {grade}" if grade is not None else "grade not recorded",
             "serious" if _yes(pd.Series([event["AESER"]])).iloc[0] else "not serious",
             _text(event["AEREL"], "relatedness not recorded").lower(),
             f"action {_text(event['AEACN'], 'none').lower()}",
             f"outcome {_text(event['AEOUT']).lower()}" + (f" (ended day {end})" if end is not None else "")]
    if onset is not None and last_dose is not None and onset > last_dose:
        parts.append(f"onset {day_count(onset - last_dose)} after the last dose")
    return ", ".join(parts)


def narrative(subject: pd.Series, events: pd.DataFrame) -> str:
    """The paragraph of one subject (ADSL row) and their serious or fatal AEs (ADAE rows), as Markdown."""
    first, last = _day(subject["TRTSDY"]), _day(subject["TRTEDY"])
    sentences = [f"{_text(subject['SEX'], 'Sex not recorded').capitalize()}, {_age(subject['AGE'])}, "
                 f"home inotrope {_text(subject['INOBLDRG']).lower()}."]
    dosing = f"First dose day {first}" + (f", last dose day {last}" if last is not None else "")
    end = TREATMENT_END.get(str(subject.get("EOTSTT")), "")
    reason = _text(subject.get("DCTREAS"), "")
    sentences.append(dosing + (f" ({end}{': ' + reason if reason and end.startswith('stopped') else ''})"
                               if end else "") + ".")
    for _, event in events.iterrows():
        sentences.append(_event(event, last).capitalize() + ".")
    died = _day(subject["DTHDY"])
    if _yes(pd.Series([subject["DTHFL"]])).iloc[0]:
        after = f", {day_count(died - last)} after the last dose" if died is not None and last is not None else ""
        sentences.append(f"Died on day {died}{after}." if died is not None else "Died (day not recorded).")
    status = _text(subject["EOSSTT"]).lower()
    why = _text(subject["DCSREAS"], "")
    eos = _day(subject["EOSDY"])
    sentences.append(f"End of study: {status}" + (f" ({why})" if why and status == "discontinued" else "")
                     + (f", day {eos}." if eos is not None else "."))
    return f"**Subject {subject['SUBJID']}.** " + " ".join(sentences)


def narratives(adsl: pd.DataFrame, adae: pd.DataFrame) -> list[str]:
    """The narrative of each treated subject who died or had a serious AE (any onset), by subject."""
    events = reported(adae)
    if len(events):
        events = events[_yes(events["AESER"]) | events["AEOUT"].astype("string").eq("Fatal").fillna(False)]
    subjects = treated(adsl)
    chosen = set(events["SUBJID"].astype(str)) if len(events) else set()
    chosen |= set(subjects.loc[_yes(subjects["DTHFL"]), "SUBJID"].astype(str)) if len(subjects) else set()
    paragraphs = []
    for _, subject in subjects.sort_values("SUBJID").iterrows():
        if str(subject["SUBJID"]) in chosen:
            own = events[events["SUBJID"].astype(str) == str(subject["SUBJID"])] if len(events) else events
            paragraphs.append(narrative(subject, own))
    return paragraphs
