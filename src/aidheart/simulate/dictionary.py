"""The REDCap data dictionary of the synthetic study (REDCap's 18 columns).

``FIELDS`` is the dictionary as literal data: one entry per field, in the order
of :data:`aidheart.formats.FORM_FIELDS`, with ``record_id`` first. The
``<form>_complete`` status fields are not in it (REDCap adds them implicitly),
and a checkbox has one row (its options export as ``race___<code>``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from aidheart import formats as F

BASELINE_ONLY = "[event-name] = 'baseline_arm_1'"
ECHO_EVENTS = "[event-name] = 'baseline_arm_1' or [event-name] = 'week_12_arm_1'"
WALK_DONE = "[smw_done] = '1'"


@dataclass(frozen=True)
class Field:
    """One data-dictionary row."""

    name: str
    type: str  # text, notes, radio, dropdown, checkbox, yesno
    label: str
    choices: dict[str, str] | None = None
    validation: str = ""  # integer, number, date_ymd, datetime_ymd, phone
    vmin: str = ""
    vmax: str = ""
    identifier: bool = False
    branching: str = ""
    required: bool = False
    note: str = ""
    section: str = ""


def _dose(k: int) -> tuple[Field, Field]:
    return (
        Field(f"ch_dose_{k}", "text", f"Step {k} dose", None, "number", "0", "20",
              note="mcg/kg/min", required=k == 1),
        Field(f"ch_start_{k}", "text", f"Step {k} start", None, "datetime_ymd", required=k == 1),
    )


FIELDS: tuple[Field, ...] = (
    Field("record_id", "text", "Record ID", required=True),
    # enrollment
    Field("first_name", "text", "First name", identifier=True, required=True, section="Identifiers"),
    Field("last_name", "text", "Last name", identifier=True, required=True),
    Field("mrn", "text", "Medical record number", None, "integer", identifier=True, required=True),
    Field("dob", "text", "Date of birth", None, "date_ymd", identifier=True, required=True),
    Field("phone", "text", "Phone number", None, "phone", identifier=True),
    Field("consent_date", "text", "Date of consent", None, "date_ymd", required=True,
          section="Screening"),
    Field("sex", "radio", "Sex", F.SEX, required=True),
    Field("race", "checkbox", "Race (check all that apply)", F.RACE, required=True),
    Field("ethnicity", "radio", "Ethnicity", F.ETHNICITY, required=True),
    Field("screen_crp", "text", "Screening CRP", None, "number", "0", "250", note="mg/L",
          required=True),
    Field("screen_lvef", "text", "Screening LVEF", None, "integer", "5", "80", note="%",
          required=True),
    Field("screen_inotrope", "dropdown", "Home inotrope", F.INOTROPE_DRUG, required=True),
    Field("screen_inotrope_dose", "text", "Home inotrope dose", None, "number", "0", "20",
          note="mcg/kg/min", required=True),
    Field("eligible", "yesno", "Eligible and enrolled?", required=True),
    Field("screen_fail_reason", "dropdown", "Screen-failure reason", F.SCREEN_FAIL_REASON,
          branching="[eligible] = '0'", required=True),
    Field("enrollment_notes", "notes", "Notes"),
    # visit_info
    Field("visit_date", "text", "Visit date", None, "date_ymd", required=True),
    Field("first_dose_date", "text", "Date of first anakinra dose", None, "date_ymd",
          branching=BASELINE_ONLY, required=True),
    # inotrope_challenge
    Field("ch_date", "text", "Challenge date", None, "date_ymd", required=True),
    Field("ch_drug", "dropdown", "Inotrope", F.INOTROPE_DRUG, required=True),
    Field("ch_weight", "text", "Dosing weight", None, "number", "30", "250", note="kg",
          required=True),
    *_dose(1), *_dose(2), *_dose(3), *_dose(4),
    Field("ch_end", "text", "End of last step", None, "datetime_ymd", required=True),
    Field("ch_monitor_file", "text", "Monitor export file name", required=True),
    # six_minute_walk
    Field("smw_date", "text", "Walk date", None, "date_ymd", required=True),
    Field("smw_done", "yesno", "Six-minute walk done?", required=True),
    Field("smw_distance", "text", "Distance walked", None, "integer", "0", "800", note="metres",
          branching=WALK_DONE, required=True),
    Field("smw_not_done_reason", "radio", "Reason not done", F.WALK_NOT_DONE_REASON,
          branching="[smw_done] = '0'", required=True),
    Field("smw_stopped_early", "yesno", "Stopped before 6 minutes?", branching=WALK_DONE),
    Field("smw_borg", "text", "Borg dyspnoea (CR10) at end", None, "integer", "0", "10",
          branching=WALK_DONE),
    Field("smw_spo2", "text", "SpO2 at end", None, "integer", "50", "100", note="%",
          branching=WALK_DONE),
    # labs
    Field("lab_date", "text", "Lab draw date", None, "date_ymd", required=True),
    Field("crp", "text", "C-reactive protein", None, "number", "0", "250", note="mg/L",
          required=True),
    Field("anc", "text", "Absolute neutrophil count", None, "number", "0", "30",
          note="10^3/uL", required=True),
    Field("wbc", "text", "White blood cells", None, "number", "0", "60", note="10^3/uL"),
    Field("hgb", "text", "Haemoglobin", None, "number", "4", "20", note="g/dL"),
    Field("plt", "text", "Platelets", None, "integer", "10", "1000", note="10^3/uL"),
    Field("creat", "text", "Creatinine", None, "number", "0.2", "12", note="mg/dL"),
    Field("ntprobnp", "text", "NT-proBNP", None, "integer", "5", "35000", note="pg/mL"),
    # clinical
    Field("clin_date", "text", "Assessment date", None, "date_ymd", required=True),
    Field("nyha", "radio", "NYHA class", F.NYHA, required=True),
    Field("kccq_os", "text", "KCCQ overall summary score", None, "number", "0", "100",
          required=True),
    Field("sbp", "text", "Systolic blood pressure", None, "integer", "50", "250", note="mmHg"),
    Field("dbp", "text", "Diastolic blood pressure", None, "integer", "20", "150", note="mmHg"),
    Field("hr", "text", "Heart rate", None, "integer", "20", "250", note="bpm"),
    Field("weight", "text", "Weight", None, "number", "30", "250", note="kg", required=True),
    Field("lvef", "text", "LVEF by echocardiography", None, "integer", "5", "80", note="%",
          branching=ECHO_EVENTS, required=True),
    # adverse_events
    Field("ae_term", "text", "Adverse event term", required=True),
    Field("ae_system", "dropdown", "Body system (MedDRA SOC)", F.BODY_SYSTEM, required=True),
    Field("ae_onset", "text", "Onset date", None, "date_ymd", required=True),
    Field("ae_end", "text", "End date", None, "date_ymd", branching="[ae_ongoing] = '0'"),
    Field("ae_ongoing", "yesno", "Ongoing?", required=True),
    Field("ae_grade", "radio", "CTCAE grade", F.AE_GRADE, required=True),
    Field("ae_serious", "yesno", "Serious?", required=True),
    Field("ae_related", "radio", "Relationship to anakinra", F.AE_RELATEDNESS, required=True),
    Field("ae_injection_site", "yesno", "Injection-site reaction?", required=True),
    Field("ae_infection", "yesno", "Infection?", required=True),
    Field("ae_action", "radio", "Action taken with anakinra", F.AE_ACTION, required=True),
    Field("ae_outcome", "radio", "Outcome", F.AE_OUTCOME, required=True),
    # inotrope_log
    Field("ino_date", "text", "Date of dose (change)", None, "date_ymd", required=True),
    Field("ino_drug", "dropdown", "Inotrope", F.INOTROPE_DRUG, required=True),
    Field("ino_dose", "text", "Dose", None, "number", "0", "20", note="mcg/kg/min",
          required=True),
    Field("ino_reason", "dropdown", "Reason", F.INOTROPE_CHANGE_REASON, required=True),
    # drug_diary
    Field("diary_week", "text", "Treatment week", None, "integer", "1", "12", required=True),
    Field("diary_start", "text", "First day of the week", None, "date_ymd", required=True),
    Field("diary_expected", "text", "Doses expected", None, "integer", "0", "7", required=True),
    Field("diary_taken", "text", "Doses taken", None, "integer", "0", "7", required=True),
    # protocol_deviations
    Field("dev_date", "text", "Date of deviation", None, "date_ymd", required=True),
    Field("dev_category", "dropdown", "Category", F.DEVIATION_CATEGORY, required=True),
    Field("dev_major", "yesno", "Major deviation?", required=True),
    Field("dev_description", "notes", "Description"),
    # study_completion
    Field("eos_status", "dropdown", "Study status at end", F.EOS_STATUS, required=True),
    Field("eos_date", "text", "Date of completion or discontinuation", None, "date_ymd",
          required=True),
    Field("last_dose_date", "text", "Date of last anakinra dose", None, "date_ymd",
          required=True),
    Field("death_date", "text", "Date of death", None, "date_ymd", branching="[eos_status] = '3'",
          required=True),
    Field("death_cause", "notes", "Cause of death", branching="[eos_status] = '3'"),
    Field("eos_notes", "notes", "Notes"),
)

FIELD_BY_NAME = {field.name: field for field in FIELDS}
FORM_OF_FIELD = {"record_id": F.FORM_ENROLLMENT} | {
    name: form for form, names in F.FORM_FIELDS.items() for name in names
}


def _check_complete() -> None:
    expected = ["record_id"] + [name for names in F.FORM_FIELDS.values() for name in names]
    actual = [field.name for field in FIELDS]
    if actual != expected:
        raise AssertionError(f"dictionary fields differ from formats.FORM_FIELDS: {actual}")


_check_complete()


def export_columns() -> list[str]:
    """Column names of the raw export, in REDCap's order."""
    columns = list(F.EXPORT_KEY_COLUMNS)
    for form, names in F.FORM_FIELDS.items():
        for name in names:
            field = FIELD_BY_NAME[name]
            if field.type == "checkbox":
                columns += [f"{name}___{code}" for code in field.choices]
            else:
                columns.append(name)
        columns.append(f"{form}_complete")
    return columns


def _choices(field: Field) -> str:
    if not field.choices:
        return ""
    return " | ".join(f"{code}, {label}" for code, label in field.choices.items())


def dictionary_text() -> str:
    """The data dictionary as REDCap writes it (comma-separated, LF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(F.DICTIONARY_COLUMNS)
    for field in FIELDS:
        writer.writerow(
            (
                field.name,
                FORM_OF_FIELD[field.name],
                field.section,
                field.type,
                field.label,
                _choices(field),
                field.note,
                field.validation,
                field.vmin,
                field.vmax,
                "y" if field.identifier else "",
                field.branching,
                "y" if field.required else "",
                "",
                "",
                "",
                "",
                "",
            )
        )
    return buffer.getvalue()
