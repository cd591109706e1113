"""Synthetic AID-HEART study: raw REDCap export, data dictionary, monitor files, truth.

``write_study(out_dir, n_subjects, seed, mess)`` writes::

    out_dir/redcap/AIDHEART_DATA_YYYY-MM-DD_HHMM.csv   raw (coded) REDCap export
    out_dir/redcap/AIDHEART_DataDictionary_YYYY-MM-DD.csv
    out_dir/monitor/<record_id>_<event>.csv             one per challenge session
    out_dir/truth.json                                  the known truth (see truth.py)

The same seed gives the same bytes. The generator shares nothing with the
readers but :mod:`aidheart.formats`, so the pipeline can be tested against it.

Modules: ``cohort`` (screening, roles, schedule), ``story`` (one subject's
values), ``hemodynamics`` (challenge sessions), ``logs`` (repeating
instruments), ``dictionary``, ``mess`` (faults and quirks), ``writers``,
``truth``, ``parameters``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np

from aidheart import formats as F
from aidheart.simulate import cohort, mess as messing, parameters as P, writers
from aidheart.simulate.dictionary import dictionary_text
from aidheart.simulate.story import draw_story
from aidheart.simulate.truth import truth_text

__all__ = ["write_study"]


def _export_moment(stories, seed: int) -> dt.datetime:
    """Export time: a few days after the last date in the data, at a seeded time of day."""
    rng = np.random.default_rng([seed, 5])
    last = max(
        s.subject.date(s.subject.eos_offset) if s.subject.enrolled else s.subject.consent for s in stories
    )
    day = last + dt.timedelta(days=int(rng.integers(3, 15)))
    return dt.datetime.combine(day, dt.time(int(rng.integers(8, 18)), int(rng.integers(0, 60))))


def write_study(out_dir, n_subjects: int = 20, seed: int = 20240901, mess: bool = True) -> Path:
    """Write a synthetic study to ``out_dir`` (replacing its redcap/, monitor/ and truth.json).

    Parameters
    ----------
    out_dir : path of the study folder (created).
    n_subjects : number of enrolled subjects (screen failures come on top).
    seed : random seed; the same seed gives a byte-identical tree.
    mess : plant data faults and format quirks (``False``: a clean study, which
        still has dropouts, missed visits and walks not done).
    """
    if n_subjects < 1:
        raise ValueError("n_subjects must be at least 1")
    out = Path(out_dir)
    subjects = cohort.draw_cohort(n_subjects, seed)
    enrolled = [s for s in subjects if s.enrolled]
    for subject in enrolled:
        cohort.draw_schedule(subject, seed)
    mess_rng = np.random.default_rng([seed, 6])
    faults, quirks = [], []
    if mess:
        faults += messing.plan_out_of_window(enrolled, mess_rng, n_subjects)
    stories = [draw_story(subject, seed) for subject in subjects]
    sessions = [s for story in stories for s in story.sessions.values()]
    if mess:
        monitor_faults, quirks = messing.plant_monitor_faults(
            sessions, [s.record_id for s in enrolled], mess_rng, n_subjects)
        faults += monitor_faults
    rows = writers.export_rows(stories)
    if mess:
        protected = {(f["record_id"], f["event"]) for f in faults}
        faults += messing.plant_row_faults(rows, mess_rng, n_subjects, protected)

    moment = _export_moment(stories, seed)
    export_name = f"{F.STUDY_ID}_DATA_{moment:%Y-%m-%d_%H%M}.csv"
    dictionary_name = f"{F.STUDY_ID}_DataDictionary_{moment:%Y-%m-%d}.csv"
    for part in ("redcap", "monitor"):
        shutil.rmtree(out / part, ignore_errors=True)
        (out / part).mkdir(parents=True)
    writers.write_export(out / "redcap" / export_name, rows, bom=mess, crlf=mess)
    (out / "redcap" / dictionary_name).write_bytes(dictionary_text().encode("utf-8"))
    for session in sessions:
        if session.file_written:
            writers.write_monitor(out / "monitor", session)
    if mess:
        quirks += [
            {"kind": "utf8_bom", "file": f"redcap/{export_name}", "detail": "UTF-8 byte-order mark"},
            {"kind": "crlf_line_endings", "file": f"redcap/{export_name}",
             "detail": "Windows line endings (CRLF)"},
        ]
    parameters = {
        "n_subjects": n_subjects,
        "seed": seed,
        "mess": mess,
        "story": P.STORY,
        "schedule": {"nominal_day": P.NOMINAL_DAY, "in_window_jitter_days": P.VISIT_JITTER,
                     "out_of_window_shift_days": list(P.OUT_OF_WINDOW_SHIFT),
                     "treatment_days": P.TREATMENT_DAYS},
        "monitor": {"sampling_interval_s": P.SAMPLING_INTERVAL_S,
                    "signal_quality_min": P.SIGNAL_QUALITY_MIN,
                    "ci_valid_range": list(P.CI_VALID_RANGE), "hr_valid_range": list(P.HR_VALID_RANGE),
                    "steady_state_s": P.STEADY_STATE_S, "min_valid_readings": P.MIN_VALID_READINGS,
                    "vis_weight": {F.INOTROPE_DRUG[k]: v for k, v in P.VIS_WEIGHT.items()},
                    "dose_increment": {F.INOTROPE_DRUG[k]: v for k, v in P.DOSE_INCREMENT.items()}},
    }
    study = {
        "export_file": f"redcap/{export_name}",
        "dictionary_file": f"redcap/{dictionary_name}",
        "export_datetime": f"{moment:%Y-%m-%d %H:%M}",
        "n_screened": len(subjects),
        "n_enrolled": len(enrolled),
        "n_export_rows": len(rows),
        "n_monitor_files": sum(s.file_written for s in sessions),
    }
    text = truth_text(parameters=parameters, study=study, stories=stories, faults=faults, quirks=quirks)
    (out / "truth.json").write_bytes(text.encode("utf-8"))
    return out
