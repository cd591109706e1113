"""The mess: data faults (listed in truth ``faults``) and format quirks (``quirks``).

Faults are planted in three passes, each with the mess stream of the seed:

1. :func:`plan_out_of_window` moves a few visits out of their window before the
   stories are drawn (every date of that visit moves with it);
2. :func:`plant_monitor_faults` spoils monitor sessions (low signal quality,
   artefacts, a session ruined beyond analysis, a wrong patient id, a missing
   file) and picks the sessions written with format quirks;
3. :func:`plant_row_faults` edits the REDCap rows (out-of-range and impossible
   values, an invalid date, a milrinone dose in dobutamine units, an empty
   required field, a repeat-instance gap, a duplicated row).

Counts are per 20 enrolled subjects (at least one each when ``mess`` is on).
"""

from __future__ import annotations

import numpy as np

from aidheart import formats as F
from aidheart.simulate import parameters as P
from aidheart.simulate import text
from aidheart.simulate.cohort import Subject, study_day
from aidheart.simulate.hemodynamics import Session

PER_20 = {
    "date_out_of_window": 2,
    "ruined_step_sessions": 1,
    "ruined_sessions": 1,
    "monitor_patient_id_mismatch": 1,
    "missing_monitor_file": 1,
    "background_low_signal_sessions": 3,
    "background_artefact_sessions": 2,
    "kccq_out_of_range": 1,
    "spo2_out_of_range": 1,
    "negative_crp": 1,
    "zero_weight": 1,
    "invalid_date": 1,
    "missing_required": 1,
    "milrinone_dose_units": 1,
    "repeat_instance_gap": 1,
    "duplicate_row": 1,
}


def count(n_subjects: int, what: str) -> int:
    return max(1, int(n_subjects * PER_20[what] / 20 + 0.5))


def fault(kind, record_id, event, form, field, detail, value=None, instance=None, **extra) -> dict:
    return dict(kind=kind, record_id=record_id, event=event, form=form, field=field,
                instance=instance, value=value, detail=detail, **extra)


def plan_out_of_window(subjects: list[Subject], rng: np.random.Generator, n: int) -> list[dict]:
    """Move visits (weeks 2, 4, 8) 10-13 days past nominal, staying before the next visit."""
    candidates = []
    for subject in subjects:
        for event, nxt in ((F.EVENT_WEEK2, F.EVENT_WEEK4), (F.EVENT_WEEK4, F.EVENT_WEEK8),
                           (F.EVENT_WEEK8, F.EVENT_WEEK12)):
            if event in subject.visits and nxt in subject.visits and subject.neutropenia_event != event:
                candidates.append((subject, event, nxt))
    faults, used = [], set()
    for k in rng.permutation(len(candidates)):
        subject, event, nxt = candidates[int(k)]
        if len(faults) == count(n, "date_out_of_window") or subject.record_id in used:
            continue
        shift = int(rng.integers(P.OUT_OF_WINDOW_SHIFT[0], P.OUT_OF_WINDOW_SHIFT[1] + 1))
        target = P.NOMINAL_DAY[event] - 1 + shift
        if target >= subject.visits[nxt] - 3 or target >= subject.eos_offset:
            continue
        subject.visits[event] = target
        used.add(subject.record_id)
        faults.append(fault("date_out_of_window", subject.record_id, event, F.FORM_VISIT, "visit_date",
                            f"visit on study day {study_day(target)}, nominal day {P.NOMINAL_DAY[event]}",
                            value=text.date(subject.date(target))))
    return faults


# --------------------------------------------------------------------------- monitor
def _spoil_low_signal(session: Session, index: int, rng) -> None:
    session.sq[index] = int(rng.integers(20, 56))
    ci = round(float(session.ci[index] + rng.normal(0, 0.4)), 2)
    session.ci[index] = max(ci, 0.9)
    session.co[index] = round(session.ci[index] * session.bsa, 2)
    session.sv[index] = round(session.co[index] / session.hr[index] * 1000, 1)


def _spoil_artefact(session: Session, index: int, rng) -> None:
    kind = int(rng.integers(3))
    ci = (0.0, 9.9, round(float(rng.uniform(8.5, 9.8)), 2))[kind]
    session.ci[index] = ci
    session.co[index] = round(ci * session.bsa, 2)
    session.sv[index] = round(session.co[index] / session.hr[index] * 1000, 1)


def _monitor_fault(kind: str, session: Session, indices, detail: str) -> dict:
    times = [text.clock(int(session.t[i])) for i in sorted(indices)]
    return fault(kind, session.record_id, session.event, "monitor", session.file_name,
                 f"{detail}: {len(times)} reading(s) at {', '.join(times)}", times=times)


def _ruin_step(session: Session, step: int, rng) -> list[dict]:
    """Leave 2 valid readings in the step's last 5 minutes (needs 3): the step becomes missing."""
    window = session.last_window(step)
    bad = [int(i) for i in window[: max(0, len(window) - 2)]]
    low = bad[::2]
    artefacts = bad[1::2]
    for i in low:
        _spoil_low_signal(session, i, rng)
    for i in artefacts:
        _spoil_artefact(session, i, rng)
    faults = [_monitor_fault("low_signal_quality", session, low, f"step {step + 1} low signal quality")]
    if artefacts:
        faults.append(_monitor_fault("artefact_reading", session, artefacts, f"step {step + 1} artefact"))
    return faults


def _outside_windows(session: Session) -> np.ndarray:
    inside = np.zeros(session.t.size, dtype=bool)
    for k in range(len(session.doses)):
        inside[session.last_window(k)] = True
    inside[-1] = True
    return np.flatnonzero(~inside)


def plant_monitor_faults(sessions: list[Session], enrolled_ids: list[str], rng, n: int) -> tuple[list, list]:
    """Spoil sessions; returns (faults, quirks) and marks quirk sessions' formats."""
    faults, quirks = [], []
    order = rng.permutation(len(sessions)).tolist()
    taken: set[int] = set()

    def take(predicate=lambda s: True, prefer_few_steps=False):
        """The next session (in a seeded order) not yet spoiled that fits."""
        options = (i for i in order if i not in taken and predicate(sessions[i]))
        if prefer_few_steps:
            options = sorted(options, key=lambda i: len(sessions[i].doses))
        chosen = next(iter(options), None)
        if chosen is None:
            return None
        taken.add(chosen)
        return sessions[chosen]

    for _ in range(count(n, "ruined_step_sessions")):  # one step lost, still analysable
        session = take(lambda s: len(s.doses) == 4)
        if session is not None:
            faults += _ruin_step(session, int(rng.integers(1, 3)), rng)
    for _ in range(count(n, "ruined_sessions")):  # all steps but the first lost: not analysable
        session = take(lambda s: len(s.doses) >= 2, prefer_few_steps=True)
        if session is not None:
            for step in range(1, len(session.doses)):
                faults += _ruin_step(session, step, rng)
    for _ in range(count(n, "background_low_signal_sessions")):
        session = take(lambda s: s.t.size > 10)
        if session is not None:
            spots = rng.choice(_outside_windows(session), size=int(rng.integers(1, 3)), replace=False)
            for i in spots:
                _spoil_low_signal(session, int(i), rng)
            faults.append(_monitor_fault("low_signal_quality", session, spots, "low signal quality"))
    for _ in range(count(n, "background_artefact_sessions")):
        session = take(lambda s: s.t.size > 10)
        if session is not None:
            spot = int(rng.choice(_outside_windows(session)))
            _spoil_artefact(session, spot, rng)
            faults.append(_monitor_fault("artefact_reading", session, [spot], "artefact"))
    for session in [take() for _ in range(count(n, "monitor_patient_id_mismatch"))]:
        if session is None:
            continue
        others = [r for r in enrolled_ids if r != session.record_id]
        swapped = session.record_id[:-2] + session.record_id[-1] + session.record_id[-2]
        session.patient_id = swapped if swapped != session.record_id else others[int(rng.integers(len(others)))]
        faults.append(fault("monitor_patient_id_mismatch", session.record_id, session.event, "monitor",
                            session.file_name, f"header Patient ID is {session.patient_id}",
                            value=session.patient_id))
    for session in [take() for _ in range(count(n, "missing_monitor_file"))]:
        if session is None:
            continue
        session.file_written = False
        faults.append(fault("missing_monitor_file", session.record_id, session.event, F.FORM_CHALLENGE,
                            "ch_monitor_file", "file named on the CRF is absent from monitor/",
                            value=session.file_name))
    for quirk, detail in (("crlf_line_endings", "Windows line endings (CRLF)"),
                          ("decimal_comma", "semicolon-separated with decimal commas"),
                          ("truncated_last_line", "last line cut short, no line end; that reading is lost")):
        session = take(lambda s: s.t.size > 10)
        if session is not None:
            session.quirk = quirk
            session.truncated_last = quirk == "truncated_last_line"
            quirks.append({"kind": quirk, "file": f"monitor/{session.file_name}", "detail": detail})
    return faults, quirks


# --------------------------------------------------------------------------- REDCap rows
def _rows_with(rows, used, form: str, field: str, condition=lambda r: True, events=None):
    return [
        i for i, row in enumerate(rows)
        if row.get(f"{form}_complete") and row.get(field) and condition(row) and i not in used
        and (events is None or row["redcap_event_name"] in events)
    ]


def plant_row_faults(rows: list[dict], rng, n: int, protected: set[tuple[str, str]]) -> list[dict]:
    """Edit the export rows in place; returns the faults.

    ``protected`` holds (record_id, event) pairs already carrying a fault, which
    the row faults leave alone so that each fault can be checked on its own.
    """
    faults = []
    used = {i for i, row in enumerate(rows) if (row["record_id"], row["redcap_event_name"]) in protected}
    visits = set(F.VISIT_EVENTS)

    def plant(kind, form, field, make_value, what, condition=lambda r: True, events=visits):
        options = _rows_with(rows, used, form, field, condition, events)
        size = min(count(n, what), len(options))
        for k in sorted(rng.choice(len(options), size=size, replace=False).tolist()) if size else ():
            i = options[k]
            row = rows[i]
            original = row[field]
            row[field] = make_value(row, original)
            used.add(i)
            faults.append(fault(kind, row["record_id"], row["redcap_event_name"], form, field,
                                f"{field} = {row[field]!r}; recorded value was {original!r}",
                                value=row[field]))

    plant("out_of_range", F.FORM_CLINICAL, "kccq_os", lambda r, v: "140", "kccq_out_of_range")
    plant("out_of_range", F.FORM_WALK, "smw_spo2", lambda r, v: str(int(rng.integers(101, 106))),
          "spo2_out_of_range", lambda r: r["smw_done"] == "1")
    plant("impossible_value", F.FORM_LABS, "crp", lambda r, v: "-" + v, "negative_crp")
    plant("impossible_value", F.FORM_CLINICAL, "weight", lambda r, v: "0", "zero_weight")
    plant("invalid_date", F.FORM_LABS, "lab_date", lambda r, v: v[:4] + "-13-" + v[8:10], "invalid_date")
    plant("missing_required", F.FORM_CLINICAL, "nyha", lambda r, v: "", "missing_required",
          events={F.EVENT_WEEK2, F.EVENT_WEEK8})
    plant("milrinone_dose_units", F.FORM_CHALLENGE, "ch_dose_2", lambda r, v: text.dose(10 * float(v)),
          "milrinone_dose_units", lambda r: r["ch_drug"] == "2")
    faults += _repeat_gap(rows, rng, n)
    faults += _duplicate(rows, used, rng, n)
    return faults


def _repeat_gap(rows: list[dict], rng, n: int) -> list[dict]:
    """Renumber one subject's diary instances 1, 2, 4, 5, ... (no data lost)."""
    by_record: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row["redcap_repeat_instrument"] == F.FORM_DIARY:
            by_record.setdefault(row["record_id"], []).append(i)
    candidates = sorted((r for r, idx in by_record.items() if len(idx) >= 4), key=int)
    faults = []
    if not candidates:
        return faults
    for k in rng.choice(len(candidates), size=min(count(n, "repeat_instance_gap"), len(candidates)),
                        replace=False):
        record_id = candidates[int(k)]
        for i in by_record[record_id][2:]:
            rows[i]["redcap_repeat_instance"] = str(int(rows[i]["redcap_repeat_instance"]) + 1)
        faults.append(fault("repeat_instance_gap", record_id, F.EVENT_STUDY_LOG, F.FORM_DIARY,
                            "redcap_repeat_instance", "drug_diary instances 1, 2, 4, ...: instance 3 "
                            "is missing (numbering only; no week's data lost)", value="4", instance=4))
    return faults


def _duplicate(rows: list[dict], used: set[int], rng, n: int) -> list[dict]:
    """Repeat whole visit rows verbatim, each right after itself."""
    options = [i for i, row in enumerate(rows) if i not in used and not row["redcap_repeat_instrument"]
               and row["redcap_event_name"] in (F.EVENT_WEEK2, F.EVENT_WEEK8)]
    size = min(count(n, "duplicate_row"), len(options))
    chosen = sorted((options[k] for k in rng.choice(len(options), size=size, replace=False).tolist()),
                    reverse=True) if size else []
    faults = []
    for i in chosen:
        rows.insert(i + 1, dict(rows[i]))
        faults.append(fault("duplicate_row", rows[i]["record_id"], rows[i]["redcap_event_name"], None,
                            None, "the whole row appears twice in a row"))
    return faults
