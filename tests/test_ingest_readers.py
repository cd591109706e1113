"""The raw-format readers on tiny inline files."""

from __future__ import annotations

import pytest

from aidheart import formats as F
from aidheart.ingest.dictionary import read_dictionary
from aidheart.ingest.errors import InputStructureError
from aidheart.ingest.monitor import Reading, Rejected, open_monitor, parse_clock
from aidheart.ingest.redcap import read_export

KEYS = ",".join(F.EXPORT_KEY_COLUMNS)


def test_export_bom_crlf_and_multiline_notes(tmp_path):
    path = tmp_path / "export.csv"
    text = f'{KEYS},crp,notes\r\n1001,screening_arm_1,,,1.5,"two\r\nlines"\r\n1002,screening_arm_1,,,,\r\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    frame = read_export(path, "redcap/export.csv")
    assert frame.columns[1] == "record_id"
    assert frame["line"].tolist() == [2, 4]  # the notes field spans lines 2-3
    assert frame["notes"].tolist() == ["two\nlines", ""]
    assert frame["crp"].tolist() == ["1.5", ""]


def test_export_duplicate_column_is_structural(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(f"{KEYS},crp,crp\n1,screening_arm_1,,,1,2\n")
    with pytest.raises(InputStructureError, match="column 'crp' appears twice"):
        read_export(path)


def test_export_without_record_id_is_not_an_export(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("name,value\na,1\n")
    with pytest.raises(InputStructureError, match=r"not a REDCap export \(no 'record_id' column\)"):
        read_export(path)


def test_dictionary_yesno_choices_and_flags(tmp_path):
    path = tmp_path / "dictionary.csv"
    header = ",".join(f'"{c}"' if "," in c else c for c in F.DICTIONARY_COLUMNS)
    path.write_text(header + "\n"
                    "record_id,enrollment,,text,Record ID,,,,,,,,y,,,,,\n"
                    "eligible,enrollment,,yesno,Eligible?,,,,,,,,y,,,,,\n"
                    "dob,enrollment,,text,Date of birth,,,date_ymd,,,y,,y,,,,,\n"
                    'sex,enrollment,,radio,Sex,"1, Male | 2, Female",,,,,,,,,,,,\n')
    dictionary = read_dictionary(path)
    assert dictionary.loc["eligible", "choices"] == {"1": "Yes", "0": "No"}
    assert dictionary.loc["sex", "choices"] == {"1": "Male", "2": "Female"}
    assert dictionary["identifier"].tolist() == [False, False, True, False]
    assert dictionary.loc["eligible", "required"]


def test_dictionary_listing_a_field_twice_is_structural(tmp_path):
    path = tmp_path / "dictionary.csv"
    header = ",".join(f'"{c}"' if "," in c else c for c in F.DICTIONARY_COLUMNS)
    path.write_text(header + "\nrecord_id,enrollment,,text,,,,,,,,,,,,,,\nrecord_id,enrollment,,text,,,,,,,,,,,,,,\n")
    with pytest.raises(InputStructureError, match="field 'record_id' is listed twice"):
        read_dictionary(path)


def test_monitor_header_and_readings(tmp_path):
    path = tmp_path / "1001_baseline_arm_1.csv"
    path.write_text("Device serial,S1\nPatient ID,1001\nSession start,2025-01-01 23:58:00\n"
                    "Sampling interval (s),60\n\n" + ",".join(F.MONITOR_COLUMNS) + "\n"
                    "23:58:00,4.1,2.0,50.0,80,90\n23:59:00,4.2,2.1,51.0,81,91\n00:00:00,4.3,x,52.0,82,92\n"
                    "00:01:00,4.4,2.3,53.0,83,93\n")
    monitor = open_monitor(path)
    assert monitor.header[F.MONITOR_HEADER_PATIENT] == "1001"
    records = list(monitor.records())
    assert [r.clock_s for r in records if isinstance(r, Reading)] == [86280, 86340, 86460]  # past midnight counts on
    assert [r for r in records if isinstance(r, Rejected)] == [Rejected(9, "malformed_reading",
                                                                        "00:00:00,4.3,x,52.0,82,92")]
    assert len(records) == 4


def test_monitor_wrong_column_header_is_structural(tmp_path):
    path = tmp_path / "1001_baseline_arm_1.csv"
    path.write_text("Device serial,S1\nPatient ID,1001\nSession start,2025-01-01 10:00:00\n"
                    "Sampling interval (s),60\n\ntime,co\n")
    with pytest.raises(InputStructureError, match="column 'co_l_min' is missing from the column header 'time,co'"):
        open_monitor(path)


@pytest.mark.parametrize("text, seconds", [("08:54:44", 32084), ("00:00", 0), ("24:00:00", None), ("8h", None)])
def test_parse_clock(text, seconds):
    assert parse_clock(text) == seconds
