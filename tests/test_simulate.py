"""The synthetic-study generator: formats, schedule, ranges, planted faults, determinism.

The files are read back with the ``csv`` module and the tiny parsers below, never
with :mod:`aidheart.ingest`, so that these tests check the generator on its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import statistics
from pathlib import Path

import pytest

from aidheart import formats as F
from aidheart.cli import main
from aidheart.simulate import write_study

SEED = 20240901
# Nominal study day and allowed window (days either side), as config/config.yaml says.
SCHEDULE = {
    F.EVENT_BASELINE: (1, 0),
    F.EVENT_WEEK2: (15, 3),
    F.EVENT_WEEK4: (29, 3),
    F.EVENT_WEEK8: (57, 7),
    F.EVENT_WEEK12: (85, 7),
    F.EVENT_WEEK16: (113, 7),
}
IDENTIFIERS = {"first_name", "last_name", "mrn", "dob", "phone"}


# --------------------------------------------------------------------------- readers for the tests
class Study:
    """A written study read back with plain csv."""

    def __init__(self, root: Path):
        self.root = root
        self.truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
        (self.export_path,) = (root / "redcap").glob("AIDHEART_DATA_*.csv")
        (self.dictionary_path,) = (root / "redcap").glob("AIDHEART_DataDictionary_*.csv")
        raw = self.export_path.read_bytes()
        reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
        self.columns, *body = list(reader)
        self.rows = [dict(zip(self.columns, values)) for values in body]
        with self.dictionary_path.open(newline="", encoding="utf-8") as handle:
            dictionary = list(csv.reader(handle))
        self.dictionary_header = dictionary[0]
        self.fields = {row[0]: dict(zip(dictionary[0], row)) for row in dictionary[1:]}

    def rows_of(self, record_id, event=None, instrument=None):
        return [
            r for r in self.rows
            if r["record_id"] == record_id and (event is None or r["redcap_event_name"] == event)
            and (instrument is None or r["redcap_repeat_instrument"] == instrument)
        ]

    def visit_row(self, record_id, event):
        (row,) = {tuple(r.items()): r for r in self.rows_of(record_id, event, "")}.values()
        return row


def parse_monitor(path: Path) -> tuple[dict, list[str], list[list[str]], bool]:
    """Header dict, column names, complete rows (as text, '.' decimals), and 'last line cut'."""
    text = path.read_bytes().decode("utf-8")
    lines = text.replace("\r\n", "\n").split("\n")
    truncated = not text.endswith("\n")
    if not truncated:
        lines = lines[:-1]
    sep = ";" if ";" in lines[0] else ","
    blank = lines.index("")
    header = dict(line.split(sep, 1) for line in lines[:blank])
    columns = lines[blank + 1].split(sep)
    rows = [line.split(sep) for line in lines[blank + 2:]]
    if sep == ";":
        rows = [[cell.replace(",", ".") for cell in row] for row in rows]
    complete = [row for row in rows if len(row) == len(columns)]
    return header, columns, complete, truncated


def seconds(clock: str) -> int:
    h, m, s = (int(x) for x in clock.split(":"))
    return 3600 * h + 60 * m + s


def study_day(date: str, first_dose: str) -> int:
    offset = (dt.date.fromisoformat(date) - dt.date.fromisoformat(first_dose)).days
    return offset + 1 if offset >= 0 else offset


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def default(tmp_path_factory) -> Study:
    """The shipped study: 20 subjects, the default seed, with mess."""
    return Study(write_study(tmp_path_factory.mktemp("default"), n_subjects=20, seed=SEED, mess=True))


@pytest.fixture(scope="module", params=[(20, SEED), (12, 3)], ids=["default", "n12-seed3"])
def messy(request, tmp_path_factory, default) -> Study:
    n, seed = request.param
    if (n, seed) == (20, SEED):
        return default
    return Study(write_study(tmp_path_factory.mktemp("messy"), n_subjects=n, seed=seed, mess=True))


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Study:
    return Study(write_study(tmp_path_factory.mktemp("clean"), n_subjects=20, seed=SEED, mess=False))


@pytest.fixture(scope="module", params=["messy", "clean"])
def study(request, messy, clean) -> Study:
    return {"messy": messy, "clean": clean}[request.param]


def fault_keys(study: Study, *kinds) -> set[tuple[str, str]]:
    return {(f["record_id"], f["event"]) for f in study.truth["faults"] if f["kind"] in kinds}


# --------------------------------------------------------------------------- determinism
def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path):
    one = tree_digest(write_study(tmp_path / "one", n_subjects=6, seed=7))
    two = tree_digest(write_study(tmp_path / "two", n_subjects=6, seed=7))
    other = tree_digest(write_study(tmp_path / "other", n_subjects=6, seed=8))
    assert one == two
    assert one["truth.json"] != other["truth.json"]


def test_cli_writes_a_clean_study(tmp_path):
    assert main(["simulate", "--subjects", "3", "--seed", "5", "--out", str(tmp_path), "--clean"]) == 0
    truth = json.loads((tmp_path / "truth.json").read_text())
    assert truth["parameters"]["mess"] is False and truth["faults"] == [] and truth["quirks"] == []
    assert sum(r["enrolled"] for r in truth["records"].values()) == 3


# --------------------------------------------------------------------------- files and dictionary
def test_file_names_follow_redcap(study):
    assert F.EXPORT_FILE_PATTERN.match(study.export_path.name)
    assert F.DICTIONARY_FILE_PATTERN.match(study.dictionary_path.name)
    for path in (study.root / "monitor").iterdir():
        match = F.MONITOR_FILE_PATTERN.match(path.name)
        assert match and match["event"] in F.EVENTS


def test_dictionary_has_redcap_columns_and_covers_every_export_column(study):
    assert tuple(study.dictionary_header) == F.DICTIONARY_COLUMNS
    assert list(study.fields)[0] == "record_id" and study.columns[0] == "record_id"
    assert tuple(study.columns[:4]) == F.EXPORT_KEY_COLUMNS
    forms = {f["Form Name"] for f in study.fields.values()}
    for column in study.columns[4:]:
        base, _, code = column.partition("___")
        if column.endswith("_complete") and column[: -len("_complete")] in forms:
            continue
        assert base in study.fields, column
        if code:
            field = study.fields[base]
            assert field["Field Type"] == "checkbox"
            assert code in dict(c.split(", ", 1) for c in field["Choices, Calculations, OR Slider Labels"].split(" | "))
    types = {f["Field Type"] for f in study.fields.values()}
    assert types == {"text", "notes", "radio", "dropdown", "checkbox", "yesno"}


def test_identifiers_are_flagged(study):
    flagged = {name for name, f in study.fields.items() if f["Identifier?"] == "y"}
    assert flagged == IDENTIFIERS


def test_branching_logic_of_key_fields(study):
    assert study.fields["smw_distance"]["Branching Logic (Show field only if...)"] == "[smw_done] = '1'"
    assert "baseline_arm_1" in study.fields["first_dose_date"]["Branching Logic (Show field only if...)"]
    lvef = study.fields["lvef"]["Branching Logic (Show field only if...)"]
    assert "baseline_arm_1" in lvef and "week_12_arm_1" in lvef


# --------------------------------------------------------------------------- structure of the export
def test_rows_hold_only_forms_of_their_event(study):
    field_form = {name: form for form, names in F.FORM_FIELDS.items() for name in names}
    for row in study.rows:
        event = row["redcap_event_name"]
        assert event in F.EVENTS
        instrument = row["redcap_repeat_instrument"]
        allowed = {instrument} if instrument else set(F.EVENT_FORMS[event]) - set(F.REPEATING_FORMS)
        if instrument:
            assert event == F.EVENT_STUDY_LOG and instrument in F.REPEATING_FORMS
            assert int(row["redcap_repeat_instance"]) >= 1
        else:
            assert row["redcap_repeat_instance"] == ""
        for column, value in row.items():
            if column in F.EXPORT_KEY_COLUMNS or value == "":
                continue
            form = column[: -len("_complete")] if column.endswith("_complete") else \
                field_form[column.partition("___")[0]]
            assert form in allowed, (row["record_id"], event, column)


def test_screening_enrolment_and_record_ids(study):
    truth = study.truth["records"]
    ids = list(truth)
    assert ids == [str(1001 + k) for k in range(len(ids))]
    enrolled = [r for r in ids if truth[r]["enrolled"]]
    assert len(enrolled) == study.truth["parameters"]["n_subjects"]
    assert 0.2 <= 1 - len(enrolled) / len(ids) <= 0.4
    for record_id in ids:
        rows = study.rows_of(record_id)
        screening = [r for r in rows if r["redcap_event_name"] == F.EVENT_SCREENING]
        assert len(screening) == 1
        if not truth[record_id]["enrolled"]:
            assert len(rows) == 1 and screening[0]["eligible"] == "0" and screening[0]["screen_fail_reason"]
            continue
        baseline = study.visit_row(record_id, F.EVENT_BASELINE)
        consent = dt.date.fromisoformat(screening[0]["consent_date"])
        first_dose = dt.date.fromisoformat(baseline["first_dose_date"])
        assert 0 < (first_dose - consent).days <= 28
        assert baseline["visit_date"] == baseline["first_dose_date"] == truth[record_id]["first_dose_date"]
        assert len(study.rows_of(record_id, F.EVENT_END_OF_STUDY)) == 1


def test_visits_fall_in_their_windows_except_planted_ones(study):
    planted = fault_keys(study, "date_out_of_window")
    for record_id, record in study.truth["records"].items():
        if not record["enrolled"]:
            continue
        for event, (nominal, window) in SCHEDULE.items():
            rows = study.rows_of(record_id, event, "")
            if not rows:
                continue
            day = study_day(rows[0]["visit_date"], record["first_dose_date"])
            inside = abs(day - nominal) <= window
            assert inside != ((record_id, event) in planted), (record_id, event, day)
            assert record["visits"][event]["study_day"] == day


def test_no_data_after_the_end_of_study(study):
    date_fields = ("visit_date", "ae_onset", "ino_date", "diary_start", "dev_date", "lab_date")
    for record_id, record in study.truth["records"].items():
        if not record["enrolled"]:
            continue
        eos = study.visit_row(record_id, F.EVENT_END_OF_STUDY)
        assert eos["eos_date"] == record["disposition"]["date"]
        for row in study.rows_of(record_id):
            for name in date_fields:
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[name]) and row[name][5:7] != "13":
                    assert row[name] <= eos["eos_date"], (record_id, row["redcap_event_name"], name)
        visits = [e for e in SCHEDULE if study.rows_of(record_id, e, "")]
        if record["disposition"]["status"] != "completed":
            assert F.EVENT_WEEK16 not in visits
            last_visit = max(study.visit_row(record_id, e)["visit_date"] for e in visits)
            assert last_visit < eos["eos_date"]
        if record["disposition"]["status"] == "death":
            assert eos["eos_status"] == "3" and eos["death_date"] == eos["eos_date"]


# --------------------------------------------------------------------------- values
def _valid(field: dict, value: str) -> bool:
    kind, validation = field["Field Type"], field["Text Validation Type OR Show Slider Number"]
    low, high = field["Text Validation Min"], field["Text Validation Max"]
    if kind in ("radio", "dropdown"):
        codes = [c.split(", ", 1)[0] for c in field["Choices, Calculations, OR Slider Labels"].split(" | ")]
        return value in codes
    if kind in ("yesno", "checkbox"):
        return value in ("0", "1")
    if validation == "integer":
        number = int(value) if re.fullmatch(r"-?\d+", value) else None
    elif validation == "number":
        number = float(value) if re.fullmatch(r"-?\d+(\.\d+)?", value) else None
    elif validation == "date_ymd":
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and bool(dt.date.fromisoformat(value))
    elif validation == "datetime_ymd":
        return bool(dt.datetime.strptime(value, "%Y-%m-%d %H:%M"))
    else:
        return True
    return number is not None and (low == "" or number >= float(low)) and (high == "" or number <= float(high))


def test_clean_study_values_are_within_the_dictionary(clean):
    assert clean.truth["faults"] == [] and clean.truth["quirks"] == []
    raw = clean.export_path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    for row in clean.rows:
        present_forms = {c[: -len("_complete")] for c, v in row.items() if c.endswith("_complete") and v}
        assert all(row[f"{form}_complete"] in F.FORM_COMPLETE for form in present_forms)
        for column, value in row.items():
            name = column.partition("___")[0]
            if name not in clean.fields or name == "record_id":
                continue
            field = clean.fields[name]
            if value:
                assert _valid(field, value), (row["record_id"], row["redcap_event_name"], column, value)
            elif field["Form Name"] in present_forms and field["Required Field?"] == "y" \
                    and not field["Branching Logic (Show field only if...)"]:
                pytest.fail(f"required {column} empty for {row['record_id']} {row['redcap_event_name']}")
    keys = [(r["record_id"], r["redcap_event_name"], r["redcap_repeat_instrument"], r["redcap_repeat_instance"])
            for r in clean.rows]
    assert len(keys) == len(set(keys))


def test_clean_monitor_files_have_no_invalid_readings_or_quirks(clean):
    for path in (clean.root / "monitor").iterdir():
        raw = path.read_bytes()
        assert raw.endswith(b"\n") and b"\r" not in raw and b";" not in raw
        header, _, readings, _ = parse_monitor(path)
        assert header[F.MONITOR_HEADER_PATIENT] == path.name.split("_")[0]
        assert all(float(r[5]) >= 75 and 0.8 <= float(r[2]) <= 6.0 for r in readings)


def test_repeat_instances_are_consecutive_in_the_clean_study(clean):
    instances: dict[tuple[str, str], list[int]] = {}
    for row in clean.rows:
        if row["redcap_repeat_instrument"]:
            key = (row["record_id"], row["redcap_repeat_instrument"])
            instances.setdefault(key, []).append(int(row["redcap_repeat_instance"]))
    assert all(numbers == list(range(1, len(numbers) + 1)) for numbers in instances.values())


def test_clinical_story_of_the_default_study(default):
    messy = default
    records = {k: r for k, r in messy.truth["records"].items() if r["enrolled"]}
    statuses = [r["disposition"]["status"] for r in records.values()]
    assert statuses.count("death") == 2 and statuses.count("lvad") == 1 and statuses.count("withdrew") == 1
    anc = [float(r["anc"]) for r in messy.rows if r["anc"]]
    assert any(a < 1.0 for a in anc) and any(1.0 <= a < 1.5 for a in anc)
    assert any(r["smw_not_done_reason"] == "1" for r in messy.rows)
    assert any(r["missed_visits"] for r in records.values())
    assert any(r["adherence"]["fraction"] < 0.8 for r in records.values())
    aes = [r for r in messy.rows if r["redcap_repeat_instrument"] == F.FORM_AE]
    with_isr = {r["record_id"] for r in aes if r["ae_injection_site"] == "1"}
    assert 0.25 <= len(with_isr) / len(records) <= 0.75
    before, late = 0, 0
    for ae in aes:
        record = records[ae["record_id"]]
        day = study_day(ae["ae_onset"], record["first_dose_date"])
        before += day < 1
        late += day > record["last_dose_study_day"] + 30
    assert before >= 1 and late >= 1
    assert any(r["ae_serious"] == "1" and r["ae_infection"] == "1" for r in aes)
    assert any(r["dev_major"] == "1" for r in messy.rows)
    doses = {r["ch_drug"]: float(r["ch_dose_1"]) for r in messy.rows if r["ch_dose_1"]}
    assert 0.25 <= doses["2"] <= 0.625 and 2.5 <= doses["1"] <= 6.0


# --------------------------------------------------------------------------- monitor files
def test_monitor_files_parse_back_and_match_the_crf(study):
    planted_missing = {f["value"] for f in study.truth["faults"] if f["kind"] == "missing_monitor_file"}
    sessions = [r for r in study.rows if r["ch_monitor_file"]]
    assert {r["ch_monitor_file"] for r in sessions} - planted_missing == \
        {p.name for p in (study.root / "monitor").iterdir()}
    for row in sessions:
        name = row["ch_monitor_file"]
        assert name == f"{row['record_id']}_{row['redcap_event_name']}.csv"
        if name in planted_missing:
            assert not (study.root / "monitor" / name).exists()
            continue
        header, columns, readings, _ = parse_monitor(study.root / "monitor" / name)
        assert tuple(header) == F.MONITOR_HEADER_KEYS and tuple(columns) == F.MONITOR_COLUMNS
        times = [seconds(r[0]) for r in readings]
        assert all(b - a == 60 for a, b in zip(times, times[1:]))
        assert header[F.MONITOR_HEADER_START] == f"{row['ch_date']} {readings[0][0]}"
        start, end = seconds(row["ch_start_1"][11:] + ":00"), seconds(row["ch_end"][11:] + ":00")
        assert times[0] < start and end - 120 <= times[-1] < end  # a cut last line loses one reading
        for reading in readings:
            co, ci, sv, hr, sq = (float(x) for x in reading[1:])
            assert 0 <= sq <= 100 and hr > 0
            if 0.8 <= ci <= 6.0:
                assert abs(co / ci - row_bsa(study, row)) < 0.02


def row_bsa(study: Study, row) -> float:
    return study.truth["records"][row["record_id"]]["challenges"][row["redcap_event_name"]]["bsa_m2"]


def _steady_state(readings, starts, end):
    """Median CI of valid readings in the last 5 minutes of each step (None if < 3)."""
    bounds = list(zip(starts, starts[1:] + [end]))
    out = []
    for a, b in bounds:
        window = [float(r[2]) for r in readings
                  if b - 300 < seconds(r[0]) < b and float(r[5]) >= 60 and 0.8 <= float(r[2]) <= 6.0]
        out.append((len(window), statistics.median(window) if len(window) >= 3 else None))
    return out


def test_truth_of_sessions_matches_the_monitor_files(study):
    errors = []
    for row in (r for r in study.rows if r["ch_monitor_file"]):
        session = study.truth["records"][row["record_id"]]["challenges"][row["redcap_event_name"]]
        steps = session["steps"]
        vis = [s["vis"] for s in steps]
        plateau = [s["ci_plateau"] for s in steps]
        if len(steps) >= 2:  # the truth's slope is the exact slope of the plateaus on VIS
            mean_v, mean_c = statistics.fmean(vis), statistics.fmean(plateau)
            slope = sum((v - mean_v) * (c - mean_c) for v, c in zip(vis, plateau)) / \
                sum((v - mean_v) ** 2 for v in vis)
            assert slope == pytest.approx(session["slope"], abs=1e-6)
        if not session["file_present"]:
            assert session["analysable"] is False and session["not_analysable_reason"] == "missing_monitor_file"
            continue
        _, _, readings, _ = parse_monitor(study.root / "monitor" / row["ch_monitor_file"])
        starts = [seconds(s["start"][11:] + ":00") for s in steps]
        measured = _steady_state(readings, starts, seconds(row["ch_end"][11:] + ":00"))
        assert [n for n, _ in measured] == [s["n_valid_last_5_min"] for s in steps]
        usable = [(v, m) for v, (_, m) in zip(vis, measured) if m is not None]
        assert session["analysable"] == (len({v for v, _ in usable}) >= 2)
        if session["analysable"]:
            errors += [abs(m - p) for v, m, p in zip(vis, (m for _, m in measured), plateau) if m is not None]
    assert statistics.median(errors) < 0.05


# --------------------------------------------------------------------------- mess
EXPECTED_KINDS = {
    "out_of_range", "impossible_value", "invalid_date", "milrinone_dose_units", "duplicate_row",
    "repeat_instance_gap", "date_out_of_window", "monitor_patient_id_mismatch", "low_signal_quality",
    "artefact_reading", "missing_monitor_file", "missing_required",
}


def test_every_kind_of_mess_is_planted(messy):
    assert {f["kind"] for f in messy.truth["faults"]} == EXPECTED_KINDS
    assert {q["kind"] for q in messy.truth["quirks"]} == \
        {"utf8_bom", "crlf_line_endings", "decimal_comma", "truncated_last_line"}
    for item in messy.truth["faults"]:
        assert {"record_id", "event", "field", "kind", "detail"} <= set(item)
    reasons = [c.get("not_analysable_reason") for r in messy.truth["records"].values() if r["enrolled"]
               for c in r["challenges"].values()]
    assert "too_few_valid_readings" in reasons and "missing_monitor_file" in reasons
    unusable = [s for r in messy.truth["records"].values() if r["enrolled"] for c in r["challenges"].values()
                if c["performed"] and c["analysable"] for s in c["steps"] if not s["usable"]]
    assert unusable, "a step lost in a session that stays analysable"


def test_each_planted_fault_is_in_the_files(messy):
    for item in messy.truth["faults"]:
        kind, record_id, event, field = item["kind"], item["record_id"], item["event"], item["field"]
        where = (kind, record_id, event, field)
        if kind == "duplicate_row":
            rows = messy.rows_of(record_id, event, "")
            assert len(rows) == 2 and rows[0] == rows[1], where
        elif kind == "repeat_instance_gap":
            numbers = [int(r["redcap_repeat_instance"]) for r in messy.rows_of(record_id, event, item["form"])]
            assert 3 not in numbers and 4 in numbers and numbers == sorted(numbers), where
        elif kind == "missing_monitor_file":
            assert messy.visit_row(record_id, event)["ch_monitor_file"] == item["value"]
            assert not (messy.root / "monitor" / item["value"]).exists()
        elif kind in ("monitor_patient_id_mismatch", "low_signal_quality", "artefact_reading"):
            assert field == f"{record_id}_{event}.csv"
            header, _, readings, _ = parse_monitor(messy.root / "monitor" / field)
            by_time = {r[0]: r for r in readings}
            if kind == "monitor_patient_id_mismatch":
                assert header[F.MONITOR_HEADER_PATIENT] == item["value"] != record_id
            for clock in item.get("times", []):
                reading = by_time[clock]
                if kind == "low_signal_quality":
                    assert float(reading[5]) < 60, where
                else:
                    assert not 0.8 <= float(reading[2]) <= 6.0, where
        else:
            row = messy.visit_row(record_id, event)
            assert row[field] == item["value"], where
            spec = messy.fields[field]
            if kind == "out_of_range":
                assert float(item["value"]) > float(spec["Text Validation Max"])
            elif kind == "impossible_value":
                assert float(item["value"]) <= 0
            elif kind == "invalid_date":
                with pytest.raises(ValueError):
                    dt.date.fromisoformat(item["value"])
            elif kind == "missing_required":
                assert item["value"] == "" and spec["Required Field?"] == "y"
            elif kind == "milrinone_dose_units":
                assert row["ch_drug"] == "2" and float(row[field]) >= 1.0
                assert float(row["ch_dose_1"]) < 1.0
            elif kind == "date_out_of_window":
                record = messy.truth["records"][record_id]
                nominal, window = SCHEDULE[event]
                assert abs(study_day(row[field], record["first_dose_date"]) - nominal) > window
            else:
                pytest.fail(f"unexpected fault kind {kind}")


def test_quirks_are_in_the_files(messy):
    for quirk in messy.truth["quirks"]:
        raw = (messy.root / quirk["file"]).read_bytes()
        if quirk["kind"] == "utf8_bom":
            assert raw.startswith(b"\xef\xbb\xbf")
        elif quirk["kind"] == "crlf_line_endings":
            assert raw.count(b"\r\n") == raw.count(b"\n") > 10
        elif quirk["kind"] == "decimal_comma":
            header, _, readings, _ = parse_monitor(messy.root / quirk["file"])
            assert b";" in raw and re.search(rb";\d+,\d+;", raw) and len(readings) > 10
        elif quirk["kind"] == "truncated_last_line":
            _, columns, readings, truncated = parse_monitor(messy.root / quirk["file"])
            assert truncated and len(raw.decode().split("\n")[-1].split(",")) < len(columns)
    crlf_monitor = [q for q in messy.truth["quirks"] if q["kind"] == "crlf_line_endings" and "monitor/" in q["file"]]
    assert len(crlf_monitor) == 1


def test_shipped_study_is_what_the_generator_makes(tmp_path):
    shipped = Path(__file__).resolve().parents[1] / "data" / "raw"
    if not (shipped / "truth.json").exists():
        pytest.skip("no shipped study in data/raw")
    made = tree_digest(write_study(tmp_path, n_subjects=20, seed=SEED, mess=True))
    on_disk = {k: v for k, v in tree_digest(shipped).items() if not k.endswith(".gitattributes")}
    assert on_disk == made, "data/raw is stale: rerun `aidheart simulate --out data/raw`"
