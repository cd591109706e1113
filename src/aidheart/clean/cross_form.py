"""Checks across the forms of one subject: AE action against dosing, AE timing, deaths, end of study.

Each check reads the kept rows of the forms it compares (values an error query
excluded are already empty) and raises warnings: the values disagree, they stay in
the clean tables, and the site must say which form is right. Dates are compared as
study days (:mod:`aidheart.clean.studyday`); a missing date takes part in no check.
The query sits on the form the site most likely corrects (the AE's action or
date, the completion form, the visit's date); its message names the other form.

Rules
-----
- ``ae_action_after_last_dose``: an AE whose action is *drug withdrawn* or *drug
  interrupted* starts more than ``grace_days`` after the last dose (completion
  form): no dose was left to stop.
- ``ae_withdrawn_dosing_continued``: an AE with *drug withdrawn* has ended, and a
  dose is recorded more than ``grace_days`` after its end: the last-dose date, or
  a diary week starting then with doses taken.
- ``ae_interrupted_no_missed_dose``: an AE with *drug interrupted*, whose days on
  treatment (onset to the earliest of its end and the last dose) fall in diary
  weeks that record every expected dose as taken.
- ``ae_before_consent``: onset before the informed-consent date (medical history,
  or a wrong date).
- ``ae_before_first_dose``: a dosed subject's AE with onset on or after consent but
  before the first dose: not treatment-emergent; the site confirms the date.
- ``fatal_ae_without_death``: an AE with a fatal outcome (or CTCAE grade 5) while
  the completion form records no death (status *death*, or a death date).
- ``death_without_fatal_ae``: the completion form records a death and no AE of the
  subject is fatal (outcome fatal, or grade 5).
- ``visit_after_end_of_study``: a visit dated after the end-of-study date.

``grace_days`` (config ``queries.ae_action_grace_days``): under once-daily dosing
the dose due on the day after the last one is the one an AE there stopped, so an
onset on that day is no contradiction.
"""

from __future__ import annotations

import pandas as pd

from aidheart import formats as F
from aidheart.clean.reference import day_column
from aidheart.clean.studyday import study_day
from aidheart.ingest.queries import WARNING, query
from aidheart.ingest.redcap import LINE

ACTION = {label: code for code, label in F.AE_ACTION.items()}
WITHDRAWN, INTERRUPTED = ACTION["Drug withdrawn"], ACTION["Drug interrupted"]
FATAL = {label: code for code, label in F.AE_OUTCOME.items()}["Fatal"]
DEATH = {label: code for code, label in F.EOS_STATUS.items()}["Death"]
#: CTCAE grade 5 is death related to the AE.
GRADE_DEATH = "5"
#: Days a diary week covers: its first day and the six after it.
DIARY_WEEK_DAYS = 7


def _ae_query(row: pd.Series, source: str, rule: str, field: str, message: str) -> dict:
    return query(rule, WARNING, message, record_id=row["record_id"], event=row["redcap_event_name"],
                 form=F.FORM_AE, field=field, instance=row["redcap_repeat_instance"], value=row[field],
                 source=f"{source}:{row[LINE]}")


def _term(row: pd.Series) -> str:
    term = row.get("ae_term", "")
    return f"AE {row['redcap_repeat_instance']} ({term})" if term else f"AE {row['redcap_repeat_instance']}"


def _days(rows: pd.DataFrame, reference: pd.DataFrame, *columns: str) -> pd.DataFrame:
    return pd.DataFrame({column: day_column(rows, column, reference) for column in columns}, index=rows.index)


def _completion_days(completion: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """record_id -> last-dose, end-of-study and death days, the death flag and the completion row."""
    days = _days(completion, reference, "last_dose_date", "eos_date", "death_date")
    frame = days.assign(record_id=completion["record_id"],
                        died=completion["eos_status"].eq(DEATH) | completion["death_date"].ne(""),
                        status=completion["eos_status"], line=completion[LINE])
    return frame.drop_duplicates("record_id").set_index("record_id")


def ae_dosing_queries(aes: pd.DataFrame, completion: pd.DataFrame, diary: pd.DataFrame, reference: pd.DataFrame,
                      source: str, grace_days: int) -> list[dict]:
    """``ae_action_after_last_dose``, ``ae_withdrawn_dosing_continued``, ``ae_interrupted_no_missed_dose``."""
    ends = _completion_days(completion, reference)
    days = _days(aes, reference, "ae_onset", "ae_end")
    weeks = diary.assign(start=day_column(diary, "diary_start", reference),
                         expected=pd.to_numeric(diary["diary_expected"], errors="coerce"),
                         taken=pd.to_numeric(diary["diary_taken"], errors="coerce"))
    dated = weeks[weeks["start"].notna()]
    # each subject's dated diary weeks, in diary order, split once (a filter per AE grows with AEs x weeks)
    weeks_of = {record_id: frame for record_id, frame in dated.groupby("record_id", sort=False)}
    queries = []
    for index, row in aes[aes["ae_action"].isin([WITHDRAWN, INTERRUPTED])].iterrows():
        onset, end = days.loc[index, "ae_onset"], days.loc[index, "ae_end"]
        last = ends["last_dose_date"].get(row["record_id"], pd.NA)
        action = F.AE_ACTION[row["ae_action"]].lower()
        if pd.notna(onset) and pd.notna(last) and onset > last + grace_days:
            queries.append(_ae_query(row, source, "ae_action_after_last_dose", "ae_action",
                                     f"{_term(row)} starts on study day {onset}, {onset - last} days after the last "
                                     f"dose (day {last}, completion form), but its action is '{action}': check the "
                                     "action, the onset date and the last-dose date"))
            continue
        subject_weeks = weeks_of.get(row["record_id"], dated.iloc[:0])
        if row["ae_action"] == WITHDRAWN and pd.notna(end):
            later = subject_weeks[(subject_weeks["start"] > end + grace_days) & (subject_weeks["taken"] > 0)]
            where = [f"diary week {week} (from day {start}: {taken:g} dose(s))" for week, start, taken
                     in zip(later["diary_week"], later["start"], later["taken"])]
            if pd.notna(last) and last > end + grace_days:
                where.insert(0, f"the last dose on day {last} (completion form)")
            if where:
                queries.append(_ae_query(row, source, "ae_withdrawn_dosing_continued", "ae_action",
                                         f"{_term(row)} ended on study day {end} with the drug withdrawn, but "
                                         f"doses are recorded after it: {'; '.join(where)}"))
        if row["ae_action"] == INTERRUPTED and pd.notna(onset):
            known = [value for value in (end, last) if pd.notna(value)]
            stop = max(min(known), onset) if known else onset
            overlap = subject_weeks[(subject_weeks["start"] <= stop)
                                    & (subject_weeks["start"] + DIARY_WEEK_DAYS - 1 >= onset)]
            if len(overlap) and (overlap["taken"] >= overlap["expected"]).all():
                listed = ", ".join(f"week {week} ({taken:g}/{expected:g})" for week, taken, expected
                                   in zip(overlap["diary_week"], overlap["taken"], overlap["expected"]))
                queries.append(_ae_query(row, source, "ae_interrupted_no_missed_dose", "ae_action",
                                         f"{_term(row)} interrupted the drug from study day {onset}, but the diary "
                                         f"records every expected dose taken then: {listed}"))
    return queries


def ae_timing_queries(aes: pd.DataFrame, reference: pd.DataFrame, source: str) -> list[dict]:
    """``ae_before_consent`` and ``ae_before_first_dose`` (module rules)."""
    onset = day_column(aes, "ae_onset", reference)
    ref = reference.reindex(aes["record_id"])
    consent = pd.Series(study_day(ref["consent"], ref["origin"]).to_numpy(), index=aes.index)
    dosed = pd.Series(ref["day_origin"].eq("first_dose").to_numpy(), index=aes.index)
    queries = []
    for index, row in aes.iterrows():
        day, consent_day = onset[index], consent[index]
        if pd.isna(day):
            continue
        if pd.notna(consent_day) and day < consent_day:
            queries.append(_ae_query(row, source, "ae_before_consent", "ae_onset",
                                     f"{_term(row)} starts on study day {day}, before informed consent (day "
                                     f"{consent_day}): medical history, or a wrong onset date?"))
        elif dosed[index] and day < 1:
            queries.append(_ae_query(row, source, "ae_before_first_dose", "ae_onset",
                                     f"{_term(row)} starts on study day {day}, before the first dose: not "
                                     "treatment-emergent; confirm the onset date"))
    return queries


def death_queries(aes: pd.DataFrame, completion: pd.DataFrame, reference: pd.DataFrame, source: str) -> list[dict]:
    """``fatal_ae_without_death`` and ``death_without_fatal_ae`` (module rules)."""
    ends = _completion_days(completion, reference)
    fatal = aes["ae_outcome"].eq(FATAL) | aes["ae_grade"].eq(GRADE_DEATH)
    queries = []
    for _, row in aes[fatal].iterrows():
        if not ends["died"].get(row["record_id"], False):
            field = "ae_outcome" if row["ae_outcome"] == FATAL else "ae_grade"
            queries.append(_ae_query(row, source, "fatal_ae_without_death", field,
                                     f"{_term(row)} is fatal ({field} = {row[field]!r}) but the completion form "
                                     "records no death"))
    with_fatal = set(aes.loc[fatal, "record_id"])
    for record_id, end in ends[ends["died"]].iterrows():
        if record_id in with_fatal:
            continue
        queries.append(query("death_without_fatal_ae", WARNING, "the completion form records a death but no "
                             "adverse event of the subject is fatal (outcome or grade 5)", record_id=record_id,
                             event=F.EVENT_END_OF_STUDY, form=F.FORM_COMPLETION, field="eos_status",
                             value=end["status"], source=f"{source}:{end['line']}"))
    return queries


def end_of_study_queries(visits: pd.DataFrame, completion: pd.DataFrame, reference: pd.DataFrame,
                         source: str) -> list[dict]:
    """``visit_after_end_of_study``: a visit dated after the end-of-study date."""
    eos = _completion_days(completion, reference)["eos_date"]
    day = day_column(visits, "visit_date", reference)
    end = pd.Series(eos.reindex(visits["record_id"]).to_numpy(), index=visits.index, dtype="Int64")
    late = (day > end).fillna(False).astype(bool)
    return [query("visit_after_end_of_study", WARNING, f"visit on study day {day[i]}, after the end of study "
                  f"(day {end[i]}, completion form): check the visit date and the end-of-study date",
                  record_id=row["record_id"], event=row["redcap_event_name"], form=F.FORM_VISIT,
                  field="visit_date", value=row["visit_date"], source=f"{source}:{row[LINE]}")
            for i, row in visits[late].iterrows()]


def cross_form_queries(kept: dict[str, pd.DataFrame], reference: pd.DataFrame, source: str,
                       grace_days: int) -> list[dict]:
    """Every rule of the module on the kept rows of each form (``kept``: form -> raw rows)."""
    aes, completion = kept[F.FORM_AE], kept[F.FORM_COMPLETION]
    return (ae_dosing_queries(aes, completion, kept[F.FORM_DIARY], reference, source, grace_days)
            + ae_timing_queries(aes, reference, source) + death_queries(aes, completion, reference, source)
            + end_of_study_queries(kept[F.FORM_VISIT], completion, reference, source))
