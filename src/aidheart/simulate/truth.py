"""The known truth of a synthetic study (``truth.json``).

Schema (every date ``YYYY-MM-DD``, study days with day 1 = first dose, no day 0)::

    parameters  {n_subjects, seed, mess, story: {...effect sizes, noise SDs...},
                 schedule: {nominal_day, jitter}, monitor: {...validity rule...}}
    study       {export_file, dictionary_file, export_datetime, n_screened, n_enrolled}
    records     {record_id: record}     (every screened subject)
    faults      [{kind, record_id, event, form, field, instance, value, detail, [times]}]
    quirks      [{kind, file, detail}]

A screen failure's record: ``enrolled`` false, ``screen_failed`` true,
``screen_fail_reason`` {code, label}, ``consent_date``, ``age``, ``sex``.
An enrolled record adds ``first_dose_date``, ``last_dose_date``,
``last_dose_study_day``, ``disposition`` {status, eos_status, date, study_day},
``inotrope`` {drug, home_dose, vis_weight}, ``visits`` {event: {date, study_day,
nominal_day, out_of_window}}, ``missed_visits``, ``challenges`` {event: session},
``walks`` {event: walk}, ``adherence`` {doses_expected, doses_taken, fraction},
``anc`` {event: value}, ``major_deviation``, ``n_adverse_events``,
``n_serious_adverse_events``, ``roles``.
"""

from __future__ import annotations

import json

from aidheart import formats as F
from aidheart.simulate import parameters as P
from aidheart.simulate import text
from aidheart.simulate.cohort import study_day
from aidheart.simulate.hemodynamics import Session, step_truth
from aidheart.simulate.story import Story

DISPOSITION = {None: ("completed", "1"), "withdrew": ("withdrew", "2"), "death": ("death", "3"),
               "lvad": ("lvad", "4")}


def session_truth(session: Session, offset: int) -> dict:
    steps = step_truth(session)
    usable_doses = {step["dose"] for step in steps if step["usable"]}
    reason = None
    if not session.file_written:
        reason = "missing_monitor_file"
    elif len(session.doses) < 2:
        reason = "single_dose_step"
    elif len(usable_doses) < 2:
        reason = "too_few_valid_readings"
    return {
        "performed": True,
        "study_day": study_day(offset),
        "drug": F.INOTROPE_DRUG[session.drug],
        "maintenance_dose": session.doses[0],
        "slope": round(session.slope, 6),
        "ci_maintenance": round(float(session.ci_plateau[0]), 6),
        "hr_slope": round(session.hr_slope, 6),
        "bsa_m2": session.bsa,
        "weight_kg": session.weight,
        "ci_noise_sd": session.noise_sd,
        "lag_tau_s": session.tau_s,
        "monitor_file": session.file_name,
        "file_present": session.file_written,
        "patient_id_in_file": session.patient_id if session.file_written else None,
        "n_readings": int(session.t.size) - int(session.truncated_last),
        "steps": steps,
        "analysable": reason is None,
        "not_analysable_reason": reason,
    }


def _absent(subject, event) -> dict:
    reason = "missed_visit" if event in subject.missed else "after_end_of_study"
    return {"performed": False, "reason": reason}


def record_truth(story: Story) -> dict:
    subject = story.subject
    record = {
        "enrolled": subject.enrolled,
        "screen_failed": not subject.enrolled,
        "screen_fail_reason": None if subject.enrolled else {
            "code": subject.screen_fail_reason, "label": F.SCREEN_FAIL_REASON[subject.screen_fail_reason]},
        "consent_date": text.date(subject.consent),
        "age": subject.age,
        "sex": F.SEX[subject.sex],
    }
    if not subject.enrolled:
        return record
    status, code = DISPOSITION[subject.dropout]
    expected = sum(e for _, e, _ in story.diary)
    taken = sum(t for _, _, t in story.diary)
    challenges, walks = {}, {}
    for event in P.CHALLENGE_EVENTS:
        if event in story.sessions:
            challenges[event] = session_truth(story.sessions[event], subject.visits[event])
            walks[event] = story.walks[event]
        else:
            challenges[event] = _absent(subject, event)
            walks[event] = {"done": False, "distance_m": None, "study_day": None,
                            "reason": challenges[event]["reason"]}
    record |= {
        "first_dose_date": text.date(subject.first_dose),
        "last_dose_date": text.date(subject.date(subject.last_dose_offset)),
        "last_dose_study_day": study_day(subject.last_dose_offset),
        "disposition": {"status": status, "eos_status": code,
                        "date": text.date(subject.date(subject.eos_offset)),
                        "study_day": study_day(subject.eos_offset)},
        "inotrope": {"drug": F.INOTROPE_DRUG[subject.drug], "home_dose": subject.home_dose,
                     "vis_weight": P.VIS_WEIGHT[subject.drug]},
        "visits": {
            event: {"date": text.date(subject.date(offset)), "study_day": study_day(offset),
                    "nominal_day": P.NOMINAL_DAY[event],
                    "out_of_window": abs(study_day(offset) - P.NOMINAL_DAY[event]) > P.VISIT_JITTER[event]}
            for event, offset in subject.visits.items()
        },
        "missed_visits": list(subject.missed),
        "challenges": challenges,
        "walks": walks,
        "adherence": {"doses_expected": expected, "doses_taken": taken,
                      "fraction": round(taken / expected, 6) if expected else None},
        "anc": dict(story.anc),
        "major_deviation": "major_deviation" in subject.roles,
        "n_adverse_events": len(story.aes),
        "n_serious_adverse_events": sum(ae["serious"] for ae in story.aes),
        "roles": sorted(subject.roles),
    }
    return record


def _fault_key(item: dict):
    order = {event: k for k, event in enumerate(F.EVENTS)}
    return (int(item["record_id"]), order[item["event"]], item["kind"], str(item["field"]),
            item["instance"] or 0)


def truth_text(*, parameters: dict, study: dict, stories: list[Story], faults: list[dict],
               quirks: list[dict]) -> str:
    truth = {
        "parameters": parameters,
        "study": study,
        "records": {story.subject.record_id: record_truth(story) for story in stories},
        "faults": sorted(faults, key=_fault_key),
        "quirks": sorted(quirks, key=lambda q: (q["file"], q["kind"])),
    }
    return json.dumps(truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
