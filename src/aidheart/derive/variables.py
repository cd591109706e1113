"""The variables of every analysis dataset, in dataset order, with their metadata: the one place they are written.

Each dataset is a :class:`Dataset`: its name, label, ADaM class, structure and keys,
and its :class:`Variable` entries in column order. Each ``build_*`` returns exactly
these columns, in this order (iterating a :class:`Dataset` gives its names), and the
metadata files, the Define-XML document and the transport files
(:mod:`aidheart.adam_export`) are written from the same entries, so the two cannot
drift apart. Adding a variable is one entry here: name, label, type, origin and its
source or derivation (tests/test_adam_conformance.py names a built column that has
no entry).

Names follow ADaM: at most 8 characters, upper case; labels at most 40 characters;
flags end in ``FL`` ("Y"/"N", or "Y"/missing for record-level flags); study days end
in ``DY``.

Study days stand in for ADaM's dates (``TRTSDY`` for ``TRTSDT``...): calendar dates
leave the cleaning step only as study days (day 1 = first dose, no day 0), the
de-identification rule of the pipeline, so no date of an individual reaches a dataset.

Origins (Define-XML's): ``Predecessor``, a value copied from a clean table or another
dataset (``source`` names it as ``table.column``, ``ADSL.TRT01A``); ``Assigned``, a value
the study sets (the configuration or a constant); ``Derived``, computed (``derivation``
says how). ``codelist`` names the controlled terms of the variable
(:mod:`aidheart.adam_export.codelists`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

PREDECESSOR, ASSIGNED, DERIVED = "Predecessor", "Assigned", "Derived"
#: Define-XML data types used: text, whole numbers, floating point.
TEXT, INTEGER, FLOAT = "text", "integer", "float"


@dataclass(frozen=True)
class Variable:
    """One analysis variable.

    Attributes
    ----------
    name, label : ADaM name (<= 8 characters) and label (<= 40 characters).
    type : :data:`TEXT`, :data:`INTEGER` or :data:`FLOAT`.
    origin : :data:`PREDECESSOR`, :data:`ASSIGNED` or :data:`DERIVED`.
    source : for a predecessor, ``table.column`` it is copied from (a clean table, or ``ADSL``).
    derivation : how it is derived or assigned, for reviewers.
    codelist : id of its controlled terms, or ``""``.
    mandatory : populated on every record (identifiers and keys).
    """

    name: str
    label: str
    type: str
    origin: str
    source: str = ""
    derivation: str = ""
    codelist: str = ""
    mandatory: bool = False

    @property
    def source_table(self) -> str:
        """The table of a predecessor's ``source`` (``subjects`` of ``subjects.age``), else ``""``."""
        return self.source.split(".")[0] if self.source else ""

    @property
    def source_column(self) -> str:
        """The column of a predecessor's ``source`` (``age`` of ``subjects.age``), else ``""``."""
        return self.source.split(".", 1)[1] if self.source else ""


@dataclass(frozen=True)
class Dataset:
    """An analysis dataset: name, label (<= 40 characters), ADaM class, structure, keys and variables in order."""

    name: str
    label: str
    adam_class: str
    structure: str
    keys: tuple[str, ...]
    variables: tuple[Variable, ...]

    def __iter__(self) -> Iterator[str]:
        """The variable names in order (``list(ADSL)`` is the column order)."""
        return iter(self.names)

    @property
    def names(self) -> tuple[str, ...]:
        """The variable names in order."""
        return tuple(variable.name for variable in self.variables)

    def variable(self, name: str) -> Variable:
        """The entry of ``name``; :class:`KeyError` naming the dataset if there is none."""
        for variable in self.variables:
            if variable.name == name:
                return variable
        raise KeyError(f"{self.name} has no variable {name}")

    def predecessors(self, table: str) -> dict[str, str]:
        """``{variable: source column}`` of the variables copied from ``table``, in dataset order."""
        return {variable.name: variable.source_column for variable in self.variables
                if variable.origin == PREDECESSOR and variable.source_table == table}


def _predecessor(name: str, label: str, type_: str, source: str, **more) -> Variable:
    return Variable(name, label, type_, PREDECESSOR, source=source, **more)


def _derived(name: str, label: str, type_: str, derivation: str, **more) -> Variable:
    return Variable(name, label, type_, DERIVED, derivation=derivation, **more)


def _assigned(name: str, label: str, type_: str, derivation: str, **more) -> Variable:
    return Variable(name, label, type_, ASSIGNED, derivation=derivation, **more)


def _flag(name: str, label: str, derivation: str) -> Variable:
    return _derived(name, label, TEXT, derivation, codelist="NY")


def _insert_after(variables: tuple[Variable, ...], after: str, *new: Variable) -> tuple[Variable, ...]:
    at = [variable.name for variable in variables].index(after) + 1
    return (*variables[:at], *new, *variables[at:])


# Identifiers every dataset carries, taken from ADSL (ADSL itself derives them).
STUDYID = _predecessor("STUDYID", "Study Identifier", TEXT, "ADSL.STUDYID", mandatory=True)
USUBJID = _predecessor("USUBJID", "Unique Subject Identifier", TEXT, "ADSL.USUBJID", mandatory=True)
SUBJID = _predecessor("SUBJID", "Subject Identifier for the Study", TEXT, "ADSL.SUBJID", mandatory=True)
IDENTIFIERS = (STUDYID, USUBJID, SUBJID)
TRTA = _predecessor("TRTA", "Actual Treatment", TEXT, "ADSL.TRT01A", codelist="TRT")
TRTSDY = _predecessor("TRTSDY", "Study Day of First Exposure to Treatment", INTEGER, "ADSL.TRTSDY")
TRTEDY = _predecessor("TRTEDY", "Study Day of Last Exposure to Treatment", INTEGER, "ADSL.TRTEDY")
SRCDOM = _derived("SRCDOM", "Source Data", TEXT, "The clean table (or dataset) the record's value comes from")
SRCVAR = _derived("SRCVAR", "Source Variable", TEXT, "The column (or, in a long findings table, the param) of SRCDOM "
                  "holding the value")
SRCSEQ = _derived("SRCSEQ", "Source Sequence Number", INTEGER, "1-based row of SRCDOM the value comes from; missing "
                  "when it comes from several rows (a slope from a session's usable steps, VISMAINT from the log "
                  "entries in force)")
REASND = _derived("REASND", "Reason Not Done", TEXT, "Why AVAL is missing, where known: the source's not-done "
                  "reason, or the rule that left the value underivable")

#: Subject-level dataset: one record per screened subject.
ADSL = Dataset("ADSL", "Subject-Level Analysis Dataset", "SUBJECT LEVEL ANALYSIS DATASET",
               "One record per screened subject", ("STUDYID", "USUBJID"), (
    _assigned("STUDYID", "Study Identifier", TEXT, "Config study.study_id", mandatory=True),
    _derived("USUBJID", "Unique Subject Identifier", TEXT, 'STUDYID, "-", SUBJID', mandatory=True),
    _predecessor("SUBJID", "Subject Identifier for the Study", TEXT, "subjects.record_id", mandatory=True),
    _assigned("SITEID", "Study Site Identifier", TEXT, "Config study.site_id (one site)", mandatory=True),
    _predecessor("AGE", "Age", INTEGER, "subjects.age"),
    _assigned("AGEU", "Age Units", TEXT, "YEARS", codelist="AGEU"),
    _predecessor("SEX", "Sex", TEXT, "subjects.sex"),
    _predecessor("RACE", "Race", TEXT, "subjects.race"),
    _predecessor("ETHNIC", "Ethnicity", TEXT, "subjects.ethnicity"),
    _derived("ARM", "Description of Planned Arm", TEXT, "The study treatment for enrolled subjects (ENRLFL); "
             '"Screen Failure" when eligibility was answered No; else "Not Assigned"', codelist="ARM"),
    _derived("ACTARM", "Description of Actual Arm", TEXT, 'The study treatment once a dose is recorded (TRTSDY); '
             '"Not Treated" for an enrolled subject without a dose; else ARM', codelist="ARM"),
    _derived("TRT01P", "Planned Treatment for Period 01", TEXT, "The study treatment for enrolled subjects, "
             "else missing", codelist="TRT"),
    _derived("TRT01A", "Actual Treatment for Period 01", TEXT, "The study treatment for treated subjects (TRTSDY), "
             "else missing", codelist="TRT"),
    _predecessor("RFICDY", "Study Day of Informed Consent", INTEGER, "subjects.consent_day"),
    _predecessor("RFICMON", "Month of Informed Consent (YYYY-MM)", TEXT, "subjects.consent_month"),
    _predecessor("TRTSMON", "Month of First Exposure (YYYY-MM)", TEXT, "subjects.first_dose_month"),
    _derived("TRTSDY", "Study Day of First Exposure to Treatment", INTEGER, "1 when a first dose is recorded "
             "(TRTSMON present), else missing: day 1 is the first dose"),
    _derived("TRTEDY", "Study Day of Last Exposure to Treatment", INTEGER, "completion.last_dose_day; while not "
             "recorded, the last day of the last diary week with a dose taken (start_day + expected - 1)"),
    _derived("TRTDURD", "Total Treatment Duration (Days)", INTEGER, "TRTEDY - TRTSDY + 1 (no day 0)"),
    _predecessor("DCUTDY", "Study Day of Data Cutoff", INTEGER, "subjects.cutoff_day"),
    _predecessor("SCRCRP", "Screening C-Reactive Protein (mg/L)", FLOAT, "subjects.screen_crp"),
    _predecessor("SCRLVEF", "Screening LVEF (%)", INTEGER, "subjects.screen_lvef"),
    _predecessor("INOBLDRG", "Home Inotrope at Screening", TEXT, "subjects.screen_inotrope", codelist="DRUG"),
    _predecessor("INOBLDOS", "Home Inotrope Dose (mcg/kg/min)", FLOAT, "subjects.screen_inotrope_dose"),
    _derived("INOBLVIS", "Home Inotrope VIS at Screening", FLOAT, "INOBLDOS * vis_weights[INOBLDRG] "
             "(vasoactive-inotropic score)"),
    _predecessor("SCRFREAS", "Reason for Screen Failure", TEXT, "subjects.screen_fail_reason"),
    _derived("EOTSTT", "End of Treatment Status", TEXT, 'Treated (SAFFL): COMPLETED for a completer (COMPLFL); '
             'DISCONTINUED when not a completer and the subject left the study (EOSSTT not ONGOING) or an AE '
             'has action "Drug withdrawn"; else ONGOING. Not treated: missing', codelist="EOTSTT"),
    _derived("DCTREAS", "Reason for Discontinuation of Treatment", TEXT, 'When EOTSTT is DISCONTINUED: '
             '"Adverse event" when an AE withdrew the drug (the first by onset; "Death" when that AE was fatal), '
             'else DCSREAS, else "Not recorded"'),
    _derived("EOSSTT", "End of Study Status", TEXT, 'Enrolled: COMPLETED or ONGOING from completion.status, any '
             'other status DISCONTINUED; no completion form: ONGOING; screen failures DISCONTINUED; still in '
             'screening ONGOING', codelist="EOSSTT"),
    _derived("DCSREAS", "Reason for Discontinuation from Study", TEXT, "completion.status when EOSSTT is "
             'DISCONTINUED; "Screen failure" for screen failures'),
    _predecessor("EOSDY", "Study Day of End of Study", INTEGER, "completion.eos_day"),
    _derived("DTHFL", "Subject Death Flag", TEXT, '"Y" when completion.death_day is recorded or the status is '
             "Death, else missing", codelist="NY"),
    _predecessor("DTHDY", "Study Day of Death", INTEGER, "completion.death_day"),
    _derived("DOSEXP", "Doses Expected (Diary)", FLOAT, "Sum of diary.expected over the subject's weeks"),
    _derived("DOSTKN", "Doses Taken (Diary)", FLOAT, "Sum of diary.taken over the subject's weeks"),
    _derived("ADHPCT", "Adherence (%)", FLOAT, "100 * DOSTKN / DOSEXP; missing when nothing was expected"),
    _flag("MAJDVFL", "Major Protocol Deviation Flag", '"Y" when the subject has a deviation with major = Y'),
    _flag("ENRLFL", "Enrolled Population Flag", '"Y" when eligible and enrolled, or a first dose is recorded'),
    _flag("SAFFL", "Safety Population Flag", '"Y" when at least one dose was taken (TRTSDY present)'),
    _flag("EFFFL", "Efficacy Population Flag", '"Y": SAFFL = Y and a post-baseline scheduled visit held after '
          "day 1; an endpoint's efficacy set adds the record-level ANL03FL"),
    _flag("COMPLFL", "Completers Population Flag", '"Y": SAFFL = Y, the end-of-treatment visit held and '
          "TRTEDY >= its window start - 1"),
    _flag("PPROTFL", "Per-Protocol Population Flag", '"Y": SAFFL = Y, ADHPCT >= populations.adherence_min_pct '
          "and MAJDVFL = N"),
))

#: Basic data structure shared by ADEFF and ADLB.
BDS = (
    *IDENTIFIERS,
    _predecessor("TRTP", "Planned Treatment", TEXT, "ADSL.TRT01P", codelist="TRT"),
    TRTA,
    _derived("PARAMCD", "Parameter Code", TEXT, "The parameter of the record", codelist="PARAMCD", mandatory=True),
    _derived("PARAM", "Parameter", TEXT, "The label of PARAMCD, with its unit", codelist="PARAM", mandatory=True),
    _derived("PARAMN", "Parameter (N)", INTEGER, "Position of PARAMCD in the parameter order", mandatory=True),
    _derived("AVISIT", "Analysis Visit", TEXT, "The scheduled visit (REDCap event) the record was entered under, "
             "also outside its window", codelist="AVISIT"),
    _derived("AVISITN", "Analysis Visit (N)", FLOAT, "Weeks from the first dose of AVISIT (config visits avisitn)",
             codelist="AVISITN"),
    _derived("ADY", "Analysis Relative Day", INTEGER, "The assessment's study day; where its date failed "
             "validation, the day of the visit it was entered under (ADYF)"),
    _derived("ADYF", "Analysis Day Imputation Flag", TEXT, '"VISIT DAY" when ADY is the visit\'s day, else missing',
             codelist="ADYF"),
    _derived("AVAL", "Analysis Value", FLOAT, "The parameter's value (value-level metadata by PARAMCD)"),
    _flag("ABLFL", "Baseline Record Flag", '"Y" on the last observed non-missing AVAL with ADY <= 1 per subject '
          "and parameter"),
    _derived("BASE", "Baseline Value", FLOAT, "AVAL of the subject and parameter's ABLFL = Y record, on every "
             "record"),
    _derived("CHG", "Change from Baseline", FLOAT, "AVAL - BASE on post-baseline records (ADY > 1)"),
    _derived("PCHG", "Percent Change from Baseline", FLOAT, "100 * CHG / BASE; missing when BASE is 0"),
    _derived("DTYPE", "Derivation Type", TEXT, "ZERO-IMPUTED on the records scoring a test not done for a "
             "zero_if_not_done reason as 0; missing on observed records", codelist="DTYPE"),
    _flag("ANL01FL", "Analysis Flag 01: Observed Value", '"Y" on the observed non-missing value, one per subject, '
          "parameter and visit"),
    _flag("ANL02FL", "Analysis Flag 02: With Imputed Records", '"Y" as ANL01FL, or the imputed record where the '
          "visit has no observed value"),
    REASND, SRCDOM, SRCVAR, SRCSEQ,
)
_ANL03FL = _flag("ANL03FL", "Analysis Flag 03: Efficacy Analysis Set", '"Y" on the ANL01FL records of a subject '
                 "and parameter with a baseline and a post-baseline value")
_ONTRTFL = _flag("ONTRTFL", "On Treatment Record Flag", '"Y" on a post-baseline record of a treated subject '
                 "with 1 < ADY <= TRTEDY + analysis.on_treatment_days (TRTEDY unknown: every post-baseline record); "
                 "missing on baseline records")
_INTERVAL = (
    _derived("ASTDY", "Analysis Start Relative Day", INTEGER, "First day of the visit interval of an inotrope_log "
             "parameter: the day after the previous visit's nominal day (baseline: its own day)"),
    _derived("AENDY", "Analysis End Relative Day", INTEGER, "Last day of that interval: the visit's nominal day, "
             "cut at the subject's end-of-study (else cut-off) day"),
)

#: Efficacy parameters by visit: BDS plus the efficacy-record and on-treatment record flags and the interval of
#: VISMAINT.
ADEFF = Dataset("ADEFF", "Efficacy Analysis Dataset", "BASIC DATA STRUCTURE",
                "One record per subject, parameter and assessment", ("USUBJID", "PARAMCD", "AVISITN", "ADY", "DTYPE"),
                (*_insert_after(BDS, "ANL02FL", _ANL03FL, _ONTRTFL), *_INTERVAL))
#: Safety laboratory parameters by visit.
ADLB = Dataset("ADLB", "Laboratory Analysis Dataset", "BASIC DATA STRUCTURE",
               "One record per subject, parameter and assessment", ("USUBJID", "PARAMCD", "AVISITN", "ADY"), BDS)

_STEP = "challenge_steps"
#: One record per inotrope-challenge dose step.
ADSTEP = Dataset("ADSTEP", "Inotrope Challenge Dose Step Dataset", "ADAM OTHER",
                 "One record per subject, challenge session and dose step", ("USUBJID", "AVISITN", "STEP"), (
    *IDENTIFIERS, TRTA,
    _derived("AVISIT", "Analysis Visit", TEXT, "The scheduled visit (REDCap event) of the session",
             codelist="AVISIT"),
    _derived("AVISITN", "Analysis Visit (N)", FLOAT, "Weeks from the first dose of AVISIT", codelist="AVISITN"),
    _predecessor("ADY", "Analysis Relative Day", INTEGER, "challenge_sessions.ch_day"),
    _predecessor("STEP", "Challenge Dose Step", INTEGER, f"{_STEP}.step"),
    _predecessor("DRUG", "Challenge Inotrope", TEXT, f"{_STEP}.drug", codelist="DRUG"),
    _predecessor("DOSE", "Challenge Dose (mcg/kg/min)", FLOAT, f"{_STEP}.dose"),
    _derived("VIS", "Vasoactive-Inotropic Score", FLOAT, "DOSE * vis_weights[DRUG]"),
    _predecessor("ASTTM", "Step Start Time (s after Midnight)", INTEGER, f"{_STEP}.start_clock_s"),
    _predecessor("AENTM", "Step End Time (s after Midnight)", INTEGER, f"{_STEP}.end_clock_s"),
    _derived("WSTTM", "Steady-State Window Start (s)", INTEGER, "max(ASTTM, AENTM - 60 * "
             "challenge.steady_state_minutes), rounded up to a second"),
    _derived("WENTM", "Steady-State Window End (s)", INTEGER, "AENTM (the window is [WSTTM, WENTM))"),
    _derived("WREADN", "Monitor Readings in Window", INTEGER, "Monitor readings with WSTTM <= clock < WENTM"),
    _derived("WVALIDN", "Valid Monitor Readings in Window", INTEGER, "Those readings with valid = Y (signal "
             "quality and physiological ranges, config challenge)"),
    _derived("CISS", "Steady-State Cardiac Index (L/min/m^2)", FLOAT, "Median cardiac index of the valid readings "
             "in the window; missing when the step is not usable"),
    _derived("HRSS", "Steady-State Heart Rate (bpm)", FLOAT, "Median heart rate of the valid readings in the "
             "window; missing when the step is not usable"),
    _flag("USABLFL", "Usable Step Flag", '"Y": monitor file present, dose, start and end known, and at least '
          "challenge.min_valid_readings valid readings in the window"),
    _derived("REASND", "Reason Not Usable", TEXT, "The first failing rule of USABLFL"),
    _predecessor("MONFILE", "Monitor File Name", TEXT, "challenge_sessions.monitor_file"),
    _predecessor("MONFILFL", "Monitor File Present Flag", TEXT, "challenge_sessions.monitor_file_present",
                 codelist="NY"),
    _derived("SRCDOM", "Source Data", TEXT, "challenge_steps; challenge_sessions for a session with no step rows"),
    _derived("SRCSEQ", "Source Sequence Number", INTEGER, "1-based row of SRCDOM"),
))

_AE = "adverse_events"
#: Adverse events (occurrence data).
ADAE = Dataset("ADAE", "Adverse Events Analysis Dataset", "OCCURRENCE DATA STRUCTURE",
               "One record per adverse event", ("USUBJID", "AESEQ"), (
    *IDENTIFIERS, TRTA,
    _predecessor("AESEQ", "Sequence Number", INTEGER, f"{_AE}.instance", mandatory=True),
    _predecessor("AETERM", "Reported Term for the Adverse Event", TEXT, f"{_AE}.ae_term"),
    _derived("AEDECOD", "Dictionary-Derived Term", TEXT, "AETERM: the study does not code terms to a dictionary"),
    _predecessor("AEBODSYS", "Body System or Organ Class", TEXT, f"{_AE}.body_system"),
    _predecessor("ASTDY", "Analysis Start Relative Day", INTEGER, f"{_AE}.onset_day"),
    _predecessor("AENDY", "Analysis End Relative Day", INTEGER, f"{_AE}.end_day"),
    _predecessor("AEONGO", "Ongoing Event", TEXT, f"{_AE}.ongoing", codelist="NY"),
    _predecessor("AESER", "Serious Event", TEXT, f"{_AE}.serious", codelist="NY"),
    _predecessor("AEREL", "Causality", TEXT, f"{_AE}.related"),
    _derived("AREL", "Analysis Causality", TEXT, "RELATED for a possibly, probably or definitely related AEREL, "
             "else NOT RELATED", codelist="AREL"),
    _derived("AETOXGR", "Standard Toxicity Grade", INTEGER, "CTCAE grade of adverse_events.grade as an integer",
             codelist="AETOXGR"),
    _predecessor("AEINJFL", "Injection-Site Reaction Flag", TEXT, f"{_AE}.injection_site", codelist="NY"),
    _predecessor("AEINFFL", "Infection Flag", TEXT, f"{_AE}.infection", codelist="NY"),
    _predecessor("AEACN", "Action Taken with Study Treatment", TEXT, f"{_AE}.action"),
    _predecessor("AEOUT", "Outcome of Adverse Event", TEXT, f"{_AE}.outcome"),
    TRTSDY, TRTEDY,
    _predecessor("SAFFL", "Safety Population Flag", TEXT, "ADSL.SAFFL", codelist="NY"),
    _flag("TRTEMFL", "Treatment Emergent Analysis Flag", '"Y" when TRTSDY <= ASTDY <= TRTEDY + '
          "safety.teae_window_days; with no onset day, unless the event ended before TRTSDY"),
    _assigned("SRCDOM", "Source Data", TEXT, "adverse_events"),
    _derived("SRCSEQ", "Source Sequence Number", INTEGER, "1-based row of adverse_events"),
))

#: Exposure and adherence, one record per treated subject and parameter.
ADEX = Dataset("ADEX", "Exposure Analysis Dataset", "BASIC DATA STRUCTURE",
               "One record per treated subject and parameter", ("USUBJID", "PARAMCD"), (
    *IDENTIFIERS, TRTA,
    _derived("PARAMCD", "Parameter Code", TEXT, "The exposure parameter", codelist="PARAMCD", mandatory=True),
    _derived("PARAM", "Parameter", TEXT, "The label of PARAMCD, with its unit", codelist="PARAM", mandatory=True),
    _derived("PARAMN", "Parameter (N)", INTEGER, "Position of PARAMCD in the parameter order", mandatory=True),
    _assigned("AVISIT", "Analysis Visit", TEXT, "Overall treatment period", codelist="AVISIT"),
    _derived("AVAL", "Analysis Value", FLOAT, "The ADSL variable named by SRCVAR"),
    _assigned("SRCDOM", "Source Data", TEXT, "ADSL"),
    _derived("SRCVAR", "Source Variable", TEXT, "The ADSL variable of the parameter (= PARAMCD)"),
))

#: Every analysis dataset, in the order they are built (ADSL first).
DATASETS = (ADSL, ADSTEP, ADEFF, ADLB, ADAE, ADEX)


def dataset_spec(name: str) -> Dataset:
    """The dataset named ``name`` (any case); :class:`KeyError` if there is none."""
    for dataset in DATASETS:
        if dataset.name == name.upper():
            return dataset
    raise KeyError(f"no analysis dataset {name!r}; datasets are {', '.join(d.name for d in DATASETS)}")

