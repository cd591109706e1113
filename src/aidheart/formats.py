"""Format constants of the AID-HEART raw exports.

This module is the one contract between the synthetic-study generator
(:mod:`aidheart.simulate`, which *writes* the raw formats) and the readers
(:mod:`aidheart.ingest`, which *read* them). It holds names only -- event,
instrument, field and column names, choice codes and file-name patterns -- and no
logic, so that the generator can never hide a reader's mistake by sharing code
with it.

Study choices (visit days, windows, thresholds) are not formats: they live in
``config/config.yaml``.
"""

from __future__ import annotations

import re

STUDY_ID = "AIDHEART"
REDCAP_PROJECT = "AIDHEART"

# --------------------------------------------------------------------------- #
# REDCap export
# --------------------------------------------------------------------------- #
#: ``AIDHEART_DATA_YYYY-MM-DD_HHMM.csv`` (REDCap's own naming of a raw export).
EXPORT_FILE_PATTERN = re.compile(r"^AIDHEART_DATA_(\d{4}-\d{2}-\d{2})_(\d{4})\.csv$")
#: ``AIDHEART_DataDictionary_YYYY-MM-DD.csv``.
DICTIONARY_FILE_PATTERN = re.compile(r"^AIDHEART_DataDictionary_(\d{4}-\d{2}-\d{2})\.csv$")

#: The columns REDCap puts before the fields of a longitudinal project with
#: repeating instruments, in this order.
EXPORT_KEY_COLUMNS = (
    "record_id",
    "redcap_event_name",
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
)

#: REDCap's 18 standard data-dictionary columns, in export order.
DICTIONARY_COLUMNS = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)

# Unique event names, in schedule order. Scheduled visits carry data forms; the
# study log holds the repeating instruments; end of study holds the completion form.
EVENT_SCREENING = "screening_arm_1"
EVENT_BASELINE = "baseline_arm_1"
EVENT_WEEK2 = "week_2_arm_1"
EVENT_WEEK4 = "week_4_arm_1"
EVENT_WEEK8 = "week_8_arm_1"
EVENT_WEEK12 = "week_12_arm_1"
EVENT_WEEK16 = "week_16_arm_1"
EVENT_STUDY_LOG = "study_log_arm_1"
EVENT_END_OF_STUDY = "end_of_study_arm_1"

EVENTS = (
    EVENT_SCREENING,
    EVENT_BASELINE,
    EVENT_WEEK2,
    EVENT_WEEK4,
    EVENT_WEEK8,
    EVENT_WEEK12,
    EVENT_WEEK16,
    EVENT_STUDY_LOG,
    EVENT_END_OF_STUDY,
)
#: Events that are scheduled visits (baseline onward), in order.
VISIT_EVENTS = (EVENT_BASELINE, EVENT_WEEK2, EVENT_WEEK4, EVENT_WEEK8, EVENT_WEEK12, EVENT_WEEK16)

# Instrument (form) names.
FORM_ENROLLMENT = "enrollment"
FORM_VISIT = "visit_info"
FORM_CHALLENGE = "inotrope_challenge"
FORM_WALK = "six_minute_walk"
FORM_LABS = "labs"
FORM_CLINICAL = "clinical"
FORM_AE = "adverse_events"
FORM_INOTROPE_LOG = "inotrope_log"
FORM_DIARY = "drug_diary"
FORM_DEVIATIONS = "protocol_deviations"
FORM_COMPLETION = "study_completion"

#: Repeating instruments (exported with ``redcap_repeat_instrument`` set).
REPEATING_FORMS = (FORM_AE, FORM_INOTROPE_LOG, FORM_DIARY, FORM_DEVIATIONS)

#: Which forms are designated to which event (REDCap's "designate instruments").
EVENT_FORMS = {
    EVENT_SCREENING: (FORM_ENROLLMENT,),
    EVENT_BASELINE: (FORM_VISIT, FORM_CHALLENGE, FORM_WALK, FORM_LABS, FORM_CLINICAL),
    EVENT_WEEK2: (FORM_VISIT, FORM_LABS, FORM_CLINICAL),
    EVENT_WEEK4: (FORM_VISIT, FORM_CHALLENGE, FORM_WALK, FORM_LABS, FORM_CLINICAL),
    EVENT_WEEK8: (FORM_VISIT, FORM_LABS, FORM_CLINICAL),
    EVENT_WEEK12: (FORM_VISIT, FORM_CHALLENGE, FORM_WALK, FORM_LABS, FORM_CLINICAL),
    EVENT_WEEK16: (FORM_VISIT, FORM_CHALLENGE, FORM_WALK, FORM_LABS, FORM_CLINICAL),
    EVENT_STUDY_LOG: REPEATING_FORMS,
    EVENT_END_OF_STUDY: (FORM_COMPLETION,),
}

#: Field names per form, in export order (``<form>_complete`` follows each form).
#: Checkbox fields are listed by their base name; they export as ``race___<code>``.
FORM_FIELDS = {
    FORM_ENROLLMENT: (
        "first_name",  # identifier
        "last_name",  # identifier
        "mrn",  # identifier
        "dob",  # identifier (date of birth)
        "phone",  # identifier
        "consent_date",
        "sex",
        "race",  # checkbox
        "ethnicity",
        "screen_crp",  # mg/L
        "screen_lvef",  # %
        "screen_inotrope",  # drug code
        "screen_inotrope_dose",  # mcg/kg/min
        "eligible",  # yes/no
        "screen_fail_reason",
        "enrollment_notes",  # free text
    ),
    FORM_VISIT: (
        "visit_date",
        "first_dose_date",  # baseline only (branching logic)
    ),
    FORM_CHALLENGE: (
        "ch_date",
        "ch_drug",
        "ch_weight",  # kg
        "ch_dose_1",  # mcg/kg/min; step 1 is the maintenance (home) dose
        "ch_start_1",  # datetime YYYY-MM-DD HH:MM
        "ch_dose_2",
        "ch_start_2",
        "ch_dose_3",
        "ch_start_3",
        "ch_dose_4",
        "ch_start_4",
        "ch_end",  # datetime: end of the last step
        "ch_monitor_file",
    ),
    FORM_WALK: (
        "smw_date",
        "smw_done",
        "smw_distance",  # metres
        "smw_not_done_reason",
        "smw_stopped_early",
        "smw_borg",
        "smw_spo2",  # %
    ),
    FORM_LABS: (
        "lab_date",
        "crp",  # mg/L
        "anc",  # absolute neutrophil count, 10^3/uL (= 10^9/L)
        "wbc",  # 10^3/uL
        "hgb",  # g/dL
        "plt",  # 10^3/uL
        "creat",  # mg/dL
        "ntprobnp",  # pg/mL
    ),
    FORM_CLINICAL: (
        "clin_date",
        "nyha",
        "kccq_os",  # KCCQ overall summary score, 0-100
        "sbp",  # mmHg
        "dbp",  # mmHg
        "hr",  # bpm
        "weight",  # kg
        "lvef",  # %, echo at baseline and week 12 only
    ),
    FORM_AE: (
        "ae_term",
        "ae_system",
        "ae_onset",
        "ae_end",
        "ae_ongoing",
        "ae_grade",
        "ae_serious",
        "ae_related",
        "ae_injection_site",
        "ae_infection",
        "ae_action",
        "ae_outcome",
    ),
    FORM_INOTROPE_LOG: ("ino_date", "ino_drug", "ino_dose", "ino_reason"),
    FORM_DIARY: ("diary_week", "diary_start", "diary_expected", "diary_taken"),
    FORM_DEVIATIONS: ("dev_date", "dev_category", "dev_major", "dev_description"),
    FORM_COMPLETION: (
        "eos_status",
        "eos_date",
        "last_dose_date",
        "death_date",
        "death_cause",  # free text
        "eos_notes",  # free text
    ),
}

# Choice codes (the "Choices" column of the dictionary), code -> label.
YES_NO = {"1": "Yes", "0": "No"}
SEX = {"1": "Male", "2": "Female"}
RACE = {
    "1": "American Indian or Alaska Native",
    "2": "Asian",
    "3": "Black or African American",
    "4": "Native Hawaiian or Other Pacific Islander",
    "5": "White",
    "6": "Other or unknown",
}
ETHNICITY = {"1": "Hispanic or Latino", "0": "Not Hispanic or Latino", "9": "Unknown"}
INOTROPE_DRUG = {"1": "Dobutamine", "2": "Milrinone"}
SCREEN_FAIL_REASON = {
    "1": "Screening CRP 2 mg/L or below",
    "2": "LVEF 50% or above",
    "3": "Inotrope dose not stable for 28 days",
    "4": "Active infection",
    "5": "Declined participation",
    "6": "Other",
}
WALK_NOT_DONE_REASON = {
    "1": "Heart-failure symptoms",
    "2": "Non-cardiac limitation",
    "3": "Missed visit",
    "4": "Other",
}
NYHA = {"1": "I", "2": "II", "3": "III", "4": "IV"}
BODY_SYSTEM = {
    "1": "Cardiac disorders",
    "2": "Infections and infestations",
    "3": "General disorders and administration site conditions",
    "4": "Blood and lymphatic system disorders",
    "5": "Gastrointestinal disorders",
    "6": "Nervous system disorders",
    "7": "Respiratory, thoracic and mediastinal disorders",
    "8": "Musculoskeletal and connective tissue disorders",
    "9": "Skin and subcutaneous tissue disorders",
    "10": "Investigations",
    "11": "Renal and urinary disorders",
    "12": "Metabolism and nutrition disorders",
    "99": "Other",
}
AE_GRADE = {"1": "Grade 1", "2": "Grade 2", "3": "Grade 3", "4": "Grade 4", "5": "Grade 5"}
AE_RELATEDNESS = {
    "1": "Not related",
    "2": "Unlikely related",
    "3": "Possibly related",
    "4": "Probably related",
    "5": "Definitely related",
}
AE_ACTION = {"1": "None", "2": "Drug interrupted", "3": "Drug withdrawn"}
AE_OUTCOME = {
    "1": "Recovered",
    "2": "Recovering",
    "3": "Not recovered",
    "4": "Recovered with sequelae",
    "5": "Fatal",
}
INOTROPE_CHANGE_REASON = {
    "1": "Home dose at start",
    "2": "Increase for symptoms",
    "3": "Decrease",
    "4": "Weight-based adjustment",
    "5": "Other",
}
DEVIATION_CATEGORY = {
    "1": "Visit out of window",
    "2": "Missed doses",
    "3": "Eligibility",
    "4": "Procedure not done",
    "5": "Other",
}
EOS_STATUS = {
    "1": "Completed",
    "2": "Withdrew consent",
    "3": "Death",
    "4": "LVAD implanted",
    "5": "Heart transplant",
    "6": "Lost to follow-up",
    "7": "Adverse event",
}
FORM_COMPLETE = {"0": "Incomplete", "1": "Unverified", "2": "Complete"}

# --------------------------------------------------------------------------- #
# Hemodynamic monitor export: data/raw/monitor/<record_id>_<event>.csv
# --------------------------------------------------------------------------- #
MONITOR_FILE_PATTERN = re.compile(r"^(?P<record_id>[^_]+)_(?P<event>[a-z0-9_]+_arm_\d+)\.csv$")

#: Header block: ``key,value`` lines in this order, then one blank line, then the
#: column header line and one row per reading.
MONITOR_HEADER_DEVICE = "Device serial"
MONITOR_HEADER_PATIENT = "Patient ID"
MONITOR_HEADER_START = "Session start"  # YYYY-MM-DD HH:MM:SS
MONITOR_HEADER_INTERVAL = "Sampling interval (s)"
MONITOR_HEADER_KEYS = (
    MONITOR_HEADER_DEVICE,
    MONITOR_HEADER_PATIENT,
    MONITOR_HEADER_START,
    MONITOR_HEADER_INTERVAL,
)

#: Reading columns: time of day HH:MM:SS, cardiac output L/min, cardiac index
#: L/min/m^2, stroke volume mL, heart rate bpm, signal quality %.
MONITOR_COLUMNS = ("time", "co_l_min", "ci_l_min_m2", "sv_ml", "hr_bpm", "signal_quality_pct")
