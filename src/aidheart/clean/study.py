"""Clean one study: export + dictionary + monitor-job outputs -> clean tables, queries, reconciliation.

Order of the steps (each is a function of this package):

1. read the dictionary and the export (structural faults stop here, a labels
   export among them);
2. compute age from the date of birth, then drop identifiers and free text;
   redact identifier values found in the free text that is kept;
3. row rules (keys, events, duplicates, gaps, designation, unknown columns);
4. value rules (types, choices, ranges, required, doses); error values -> empty;
5. reference dates and study days; visit windows; the cut-off;
6. the CRF joined with the monitor files; the clean tables; the reconciliation;
7. identifier values withheld from the query listing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from aidheart import formats as F
from aidheart.clean import challenge, deid, monitor_files, structure, tables
from aidheart.clean.coded import assert_raw_codes
from aidheart.clean.cutoff import AFTER_CUTOFF, after_cutoff, cutoff_after_export, records_after_cutoff
from aidheart.clean.field_checks import Findings, validate_values
from aidheart.clean.identifier_scan import IdentifierScan
from aidheart.clean.layout import field_columns, form_columns, forms_present
from aidheart.clean.reconcile import Ledger
from aidheart.clean.reference import reference_dates
from aidheart.clean.settings import CleanSettings
from aidheart.clean.validate import is_date
from aidheart.ingest.dictionary import read_dictionary
from aidheart.ingest.errors import InputStructureError
from aidheart.ingest.queries import ERROR, QUERY_COLUMNS, WARNING, query, sort_key
from aidheart.ingest.redcap import LINE, read_export
from aidheart.ingest.text import shown_path

TABLES = ("subjects", "visits", "challenge_sessions", "challenge_steps", "monitor_readings", "walks", "labs",
          "clinical", "adverse_events", "diary", "inotrope_log", "deviations", "completion")


@dataclass
class MonitorParts:
    """The monitor jobs' outputs, concatenated: readings, queries and sessions (strings)."""

    readings: pd.DataFrame
    queries: pd.DataFrame
    sessions: pd.DataFrame


@dataclass
class CleanResult:
    tables: dict[str, pd.DataFrame]
    queries: pd.DataFrame
    reconciliation: pd.DataFrame


def find_redcap_files(paths, data_dir) -> tuple[Path, Path]:
    """The one export and the one dictionary among ``paths`` (REDCap's file names, as REDCap spells them).

    A file that would match but for the case of its name (``.CSV``) is named in
    the message: the report takes the export date from the exact name.
    """
    paths = [Path(p) for p in paths]
    folder = shown_path(Path(data_dir) / "redcap", data_dir)
    found = {}
    for kind, pattern in (("export", F.EXPORT_FILE_PATTERN), ("data dictionary", F.DICTIONARY_FILE_PATTERN)):
        matches = sorted(p for p in paths if pattern.match(p.name))
        if not matches:
            other_case = [p for p in paths if re.match(pattern.pattern, p.name, re.IGNORECASE)]
            if other_case:
                raise InputStructureError(f"{folder}/{other_case[0].name}", f"the {kind} is named in another case "
                                          f"than REDCap writes it ({pattern.pattern.strip('^$')}); rename it")
            raise InputStructureError(folder, f"no {kind} ({pattern.pattern.strip('^$')}) found")
        if len(matches) > 1:
            raise InputStructureError(folder, f"{len(matches)} {kind} files found; keep exactly one")
        found[kind] = matches[0]
    return found["export"], found["data dictionary"]


def require_columns(data: pd.DataFrame, dictionary: pd.DataFrame, source: str) -> None:
    """Every non-identifier dictionary field must have its export column(s)."""
    for field in dictionary.index[~dictionary["identifier"]]:
        for column in field_columns(dictionary, field):
            if column not in data.columns:
                raise InputStructureError(source, f"required column '{column}' (dictionary field) is missing")


def age_and_dob_queries(data: pd.DataFrame, source: str) -> tuple[pd.Series, list[dict]]:
    """Age at consent per screening row, and queries for unusable birth dates (value withheld)."""
    screening = data[data["redcap_event_name"].eq(F.EVENT_SCREENING)]
    if "dob" not in data.columns:
        return pd.Series(dtype="Int64"), []
    age = deid.ages(screening["dob"], screening["consent_date"])
    bad = screening["dob"].ne("") & ~screening["dob"].map(is_date).astype(bool)
    queries = [query("invalid_date", ERROR, "dob (withheld: identifier) is not a calendar date YYYY-MM-DD",
                     record_id=row["record_id"], event=row["redcap_event_name"], form=F.FORM_ENROLLMENT, field="dob",
                     source=f"{source}:{row[LINE]}") for _, row in screening[bad].iterrows()]
    return age, queries


def window_queries(rows: pd.DataFrame, visits: pd.DataFrame, source: str) -> list[dict]:
    """``date_out_of_window`` (warning) for visits outside nominal day +/- window."""
    late = visits["in_window"].eq("N")
    return [query("date_out_of_window", WARNING, f"visit on study day {v['visit_day']}, nominal day "
                  f"{v['nominal_day']} (outside the window)", record_id=v["record_id"], event=v["event"],
                  form=F.FORM_VISIT, field="visit_date", value=rows.loc[i, "visit_date"],
                  source=f"{source}:{rows.loc[i, LINE]}") for i, v in visits[late].iterrows()]


def _kept(data: pd.DataFrame, ledger: Ledger, form: str) -> pd.DataFrame:
    return data.loc[ledger.kept(form)]


def _monitor(data, ledger, monitor: MonitorParts, settings, source) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """The CRF joined with the monitor files: readings and sessions used, queries; per-file reconciliation."""
    crf = _kept(data, ledger, F.FORM_CHALLENGE)
    files = data["ch_monitor_file"] if "ch_monitor_file" in data else pd.Series("", index=data.index)
    dropped = {files[i]: reason for (i, form), reason in ledger.reason.items() if form == F.FORM_CHALLENGE and reason}
    records = set(_kept(data, ledger, F.FORM_ENROLLMENT)["record_id"])
    tolerance = settings.monitor_start_tolerance_min
    queries, excluded = monitor_files.check_monitor_files(crf, monitor.sessions, records, dropped, tolerance, source,
                                                          settings.events_with_form(F.FORM_CHALLENGE))
    readings = monitor.readings[~monitor.readings["monitor_file"].isin(set(excluded))].reset_index(drop=True)
    queries += monitor_files.readings_after_end(crf, readings, tolerance)
    for _, session in monitor.sessions.iterrows():
        name = session["monitor_file"]
        read, kept = int(session["lines_read"]), int(session["readings_kept"])
        reasons = {reason: int(count) for reason, _, count in
                   (part.partition(":") for part in session["excluded_reasons"].split(";") if part)}
        if name in excluded:
            reasons[excluded[name]] = kept
            kept = 0
        ledger.add_file(f"monitor/{name}", "monitor", read, kept, reasons)
    duplicate = {name for name, reason in excluded.items() if reason == "monitor_duplicate_file"}
    sessions = monitor.sessions[~monitor.sessions["monitor_file"].isin(duplicate)]
    return readings, sessions, queries


def clean_study(export_path, dictionary_path, monitor: MonitorParts, settings: CleanSettings,
                data_dir) -> CleanResult:
    """Run every cleaning step (module notes) and return the tables, queries and reconciliation.

    Parameters
    ----------
    export_path, dictionary_path : the REDCap raw export and its data dictionary.
    monitor : the monitor jobs' readings, queries and sessions (:mod:`aidheart.clean.monitor_parts`).
    settings : the study choices from the configuration.
    data_dir : the data folder; files are named relative to it in queries and the reconciliation.

    Returns
    -------
    CleanResult
        ``tables`` (name -> DataFrame, the :data:`TABLES` contract), ``queries``
        (:data:`aidheart.ingest.queries.QUERY_COLUMNS`, sorted) and ``reconciliation``
        (:data:`aidheart.clean.reconcile.COLUMNS`).

    Raises
    ------
    InputStructureError
        A structural fault of the export or the dictionary (see the readers).

    Notes
    -----
    Missing data: an empty cell is missing; a value with an error query becomes
    empty; a row excluded by a row rule or the cut-off is counted in the
    reconciliation and appears in no table.
    """
    source = shown_path(export_path, data_dir)
    dictionary = read_dictionary(dictionary_path, shown_path(dictionary_path, data_dir))
    raw = read_export(export_path, source)
    require_columns(raw, dictionary, source)
    assert_raw_codes(raw, dictionary, source)
    deid.assert_record_id_not_identifier(raw, dictionary, source)
    scan = IdentifierScan.from_export(raw, dictionary)
    age, queries = age_and_dob_queries(raw, source)
    hidden = deid.identifier_fields(dictionary) + deid.free_text_fields(dictionary, settings.free_text_safe)
    data = deid.drop_columns(raw, dictionary, hidden)
    del raw
    data, found = deid.redact_free_text(data, deid.free_text_fields(dictionary, ()), scan, dictionary, source)
    queries += found
    forms = form_columns(dictionary, data.columns)
    unknown_q, unknown = structure.check_columns(data.columns, dictionary, source, forms)
    data = data.drop(columns=unknown)
    present = forms_present(data, forms)
    ledger = Ledger(present, source)
    queries += unknown_q + structure.check_complete_codes(data, forms, source)
    for check in (partial(structure.check_keys, events=tuple(settings.event_forms)), structure.check_duplicates):
        found, excluded = check(data.drop(index=[i for (i, _), r in ledger.reason.items() if r]), source)
        queries += found
        ledger.exclude_rows(excluded)
    usable = data.drop(index=sorted({i for (i, _), r in ledger.reason.items() if r}))
    found, excluded = structure.check_enrollment(usable, source)
    queries += found + structure.check_repeat_gaps(usable, source)
    ledger.exclude_rows(excluded)
    found, wrong = structure.check_designation(usable, present.loc[usable.index], source, settings.event_forms)
    queries += found
    ledger.exclude(wrong, "form_not_designated")

    findings = Findings(data, source, set(deid.identifier_fields(dictionary)))
    valid_present = present.copy()
    for (index, form), reason in ledger.reason.items():
        if reason and form in valid_present.columns:
            valid_present.loc[index, form] = False
    validate_values(findings, data, valid_present, dictionary, settings.dose_ranges)
    queries += findings.queries
    data = data.copy()
    for index, column in findings.masked:
        data.loc[index, column] = ""

    queries += cutoff_after_export(settings.cutoff, export_path, source)
    late_records = records_after_cutoff(data, settings.cutoff)
    ledger.exclude_rows({i: AFTER_CUTOFF for i in data.index[data["record_id"].isin(late_records)]})
    for form in present.columns:
        late = after_cutoff(data, form, settings.cutoff)
        ledger.exclude([(i, form) for i in late[late].index], AFTER_CUTOFF)
    reference = reference_dates(_kept(data, ledger, F.FORM_ENROLLMENT).pipe(
        lambda enrol: pd.concat([enrol, _kept(data, ledger, F.FORM_VISIT)])), settings.cutoff)

    readings, sessions, monitor_q = _monitor(data, ledger, monitor, settings, source)
    queries += monitor_q + monitor.queries.to_dict("records")
    built = build_tables(data, ledger, dictionary, reference, age, readings, sessions, settings, findings.masked)
    visit_rows = _kept(data, ledger, F.FORM_VISIT)
    queries += window_queries(visit_rows, built["visits"].set_index(visit_rows.index), source)
    queries = deid.withhold_identifiers(queries, scan)
    listing = pd.DataFrame(sorted(queries, key=sort_key), columns=list(QUERY_COLUMNS)).fillna("")
    return CleanResult(built, listing.astype(str), ledger.table())


def build_tables(data, ledger, dictionary, reference, age, readings, monitor_sessions, settings, masked) -> dict:
    """Every clean table from the kept rows (see :mod:`aidheart.clean.tables`)."""
    kept = {form: _kept(data, ledger, form) for form in F.FORM_FIELDS}
    subjects = tables.subjects(kept[F.FORM_ENROLLMENT], dictionary, reference, age)
    enrolled = subjects.loc[subjects["enrolled"].eq("Y"), "record_id"]
    return {
        "subjects": subjects,
        "visits": tables.visits(kept[F.FORM_VISIT], reference, settings),
        "challenge_sessions": challenge.sessions(kept[F.FORM_CHALLENGE], dictionary, reference, monitor_sessions),
        "challenge_steps": challenge.steps(kept[F.FORM_CHALLENGE], dictionary),
        "monitor_readings": readings,
        "walks": tables.walks(kept[F.FORM_WALK], dictionary, reference),
        "labs": tables.long_table(kept[F.FORM_LABS], reference, "lab_date", "lab_day", tables.LAB_PARAMS, masked),
        "clinical": tables.long_table(kept[F.FORM_CLINICAL], reference, "clin_date", "clin_day",
                                      tables.CLINICAL_PARAMS, masked),
        "adverse_events": tables.adverse_events(kept[F.FORM_AE], dictionary, reference, settings.cutoff),
        "diary": tables.diary(kept[F.FORM_DIARY], reference),
        "inotrope_log": tables.inotrope_log(kept[F.FORM_INOTROPE_LOG], dictionary, reference),
        "deviations": tables.deviations(kept[F.FORM_DEVIATIONS], dictionary, reference),
        "completion": tables.completion(kept[F.FORM_COMPLETION], dictionary, reference, enrolled),
    }
