"""Identifier values found in free text: the normalisation rules, and no false redaction of clinical words.

The needles come from a tiny inline export (one record per test, values typed
here) or from real exports: the shipped study and a generated one large enough
to use every name of the generator.
"""

from __future__ import annotations

import pandas as pd
import pytest

from aidheart.clean.identifier_scan import REDACTED, IdentifierScan, describe
from aidheart.ingest.dictionary import read_dictionary
from aidheart.ingest.redcap import read_export
from aidheart.simulate import write_study
from conftest import SHIPPED_DATA

IDENTIFIER_FIELDS = ("first_name", "last_name", "mrn", "dob", "phone")


def _dictionary() -> pd.DataFrame:
    return read_dictionary(next((SHIPPED_DATA / "redcap").glob("*DataDictionary*")))


def scan_of(*records: dict) -> IdentifierScan:
    """Needles of an export holding ``records`` (record_id plus identifier values) on screening rows."""
    rows = [{"record_id": str(1001 + i), "redcap_event_name": "screening_arm_1", **{f: "" for f in IDENTIFIER_FIELDS},
             **record} for i, record in enumerate(records)]
    return IdentifierScan.from_export(pd.DataFrame(rows, dtype=str), _dictionary())


GLORIA = {"first_name": "Gloria", "last_name": "Scott", "mrn": "22173334", "dob": "1952-07-08",
          "phone": "(804) 555-4536"}


@pytest.fixture(scope="module")
def gloria() -> IdentifierScan:
    return scan_of(GLORIA)


@pytest.mark.parametrize("text, redacted", [
    ("Headache per Gloria Scott", f"Headache per {REDACTED}"),
    ("Rash, reported by SCOTT", f"Rash, reported by {REDACTED}"),  # case-folded, whole word
    ("Scott, Gloria: nausea", f"{REDACTED}: nausea"),  # last, first
    ("Rash; MRN22173334", f"Rash; MRN{REDACTED}"),  # a digit run next to letters
    ("call 804.555.4536 now", f"call {REDACTED} now"),
    ("call (804) 555-4536", f"call {REDACTED}"),
    ("call +1 8045554536", f"call +1 {REDACTED}"),  # the spans of whole runs: the phone without the +1
    ("phone 555-4536", f"phone {REDACTED}"),  # the local number of a 10-digit phone
    ("born 7/8/1952", f"born {REDACTED}"),
    ("born 08.07.1952", f"born {REDACTED}"),
    ("born 8 Jul 1952", f"born {REDACTED}"),
    ("born July 8, 1952", f"born {REDACTED}"),
    ("born 19520708", f"born {REDACTED}"),
    ("born 7/8/52", f"born {REDACTED}"),
])
def test_identifier_forms_are_redacted(gloria, text, redacted):
    assert gloria.redact(text)[0] == redacted


@pytest.mark.parametrize("text", [
    "Scottish rash",  # a name inside a longer word is not the name
    "Glorias",
    "at 08:54:44, 08:55:44, 08:56:44",  # clock times are not joined into one number
    "doses 22, 17, 33, 34",  # nor are numbers in a list
    "2217333",  # one digit short of the MRN
    "1952",  # a year alone is not the date of birth
])
def test_near_misses_are_not_redacted(gloria, text):
    assert gloria.redact(text) == (text, [])


def test_accents_are_ignored():
    scan = scan_of({"first_name": "José", "last_name": "Núñez"})
    assert scan.redact("seen by Jose Nunez")[0] == f"seen by {REDACTED}"
    assert scan.redact("NÚÑEZ")[0] == REDACTED


def test_a_name_that_is_a_study_word_is_searched_only_as_the_full_name():
    """The last name White is also a race label of the dictionary."""
    scan = scan_of({"first_name": "Linda", "last_name": "White"})
    assert scan.redact("White blood cell count decreased") == ("White blood cell count decreased", [])
    assert scan.redact("Fall; Linda White at home")[0] == f"Fall; {REDACTED} at home"
    assert scan.redact("White, Linda")[0] == REDACTED


def test_overlapping_matches_are_redacted_once(gloria):
    assert gloria.redact("Gloria Scott Gloria")[0] == REDACTED


def test_description_names_fields_and_whose_never_the_value():
    scan = scan_of(GLORIA, {"first_name": "Mark", "last_name": "Baker", "mrn": "31415926"})
    _, matches = scan.redact("Scott told Mark (MRN 31415926)")
    text = describe(matches, "1001")
    assert text == "first_name, last_name, mrn (this record and another record)"
    assert not {"Scott", "Mark", "31415926"} & set(text.replace(",", " ").split())


# Common adverse-event terms (CTCAE v5 / MedDRA preferred terms) of heart-failure and anakinra
# trials, typed here independently of the generator's own AE vocabulary.
COMMON_AE_TERMS = (
    "Injection site reaction", "Injection site erythema", "Injection site pruritus", "Injection site pain",
    "Neutrophil count decreased", "White blood cell count decreased", "Platelet count decreased", "Anemia",
    "Upper respiratory infection", "Urinary tract infection", "Pneumonia", "Sepsis", "Cellulitis",
    "Nasopharyngitis", "Headache", "Dizziness", "Syncope", "Fatigue", "Fever", "Nausea", "Vomiting",
    "Diarrhea", "Constipation", "Abdominal pain", "Rash maculo-papular", "Pruritus", "Dyspnea", "Cough",
    "Heart failure", "Worsening heart failure", "Atrial fibrillation", "Ventricular tachycardia",
    "Hypotension", "Hypertension", "Chest pain - cardiac", "Edema limbs", "Acute kidney injury",
    "Creatinine increased", "Hypokalemia", "Hyperkalemia", "Hyponatremia", "Alanine aminotransferase increased",
    "Arthralgia", "Back pain", "Insomnia", "Anxiety", "Depression", "Fall", "Bruising", "Epistaxis",
    "Device related infection", "Catheter related infection", "Sudden death NOS", "Weight gain",
    "Grade 3 neutropenia on day 29", "Rash, resolved 2025-03-04", "Dose 100 mg SC daily",
)


@pytest.fixture(scope="module")
def many_subjects(tmp_path_factory):
    """A generated study of 150 enrolled subjects: every first and last name of the generator appears."""
    return write_study(tmp_path_factory.mktemp("many") / "study", n_subjects=150, seed=11, mess=False)


@pytest.mark.parametrize("study", ["shipped", "generated"])
def test_common_ae_terms_are_untouched(study, many_subjects):
    folder = SHIPPED_DATA if study == "shipped" else many_subjects
    raw = read_export(next((folder / "redcap").glob("AIDHEART_DATA_*.csv")))
    scan = IdentifierScan.from_export(raw, read_dictionary(next((folder / "redcap").glob("*DataDictionary*"))))
    if study == "generated":
        assert {"White", "King", "Young", "Mark", "Green"} <= set(raw["last_name"]) | set(raw["first_name"])
    touched = {term: scan.redact(term)[0] for term in COMMON_AE_TERMS if scan.find(term)}
    assert touched == {}
