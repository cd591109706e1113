"""The study-log instruments: adverse events, inotrope log, diary, deviations.

Each function returns the repeating instances of one instrument as lists of
``{field: raw value}`` dicts, in instance order. Days are offsets from the
first dose (offset 0 = study day 1).
"""

from __future__ import annotations

import numpy as np

from aidheart.simulate import parameters as P
from aidheart.simulate import text
from aidheart.simulate.cohort import Subject

INJECTION_TERMS = ("Injection site reaction", "Injection site erythema", "Injection site pruritus")
INFECTIONS = (("Upper respiratory infection", 2), ("Urinary tract infection", 2), ("Cellulitis", 2))
# term, body system, grade range, relatedness code
MISC_AES = (
    ("Nausea", "5", (1, 2), "2"),
    ("Headache", "6", (1, 2), "3"),
    ("Dizziness", "6", (1, 2), "2"),
    ("Hypokalaemia", "12", (2, 3), "1"),
    ("Acute kidney injury", "11", (2, 3), "1"),
    ("Fatigue", "3", (1, 2), "2"),
    ("Dyspnoea", "7", (1, 2), "1"),
    ("Arthralgia", "8", (1, 2), "2"),
    ("Rash", "9", (1, 2), "3"),
)
PRE_DOSE_TERMS = ("Headache", "Dizziness", "Fatigue", "Constipation")


def _ae(onset, duration, term, system, grade, *, serious=False, related="1", injection=False,
        infection=False, action="1", outcome="1") -> dict:
    return dict(onset=int(onset), end=int(onset + duration), term=term, system=system,
                grade=int(grade), serious=serious, related=related, injection=injection,
                infection=infection, action=action, outcome=outcome)


def draw_adverse_events(subject: Subject, rng: np.random.Generator) -> list[dict]:
    """AEs of one subject (offsets), consistent with the schedule and the roles."""
    eos, last_dose = subject.eos_offset, subject.last_dose_offset
    consent = (subject.consent - subject.first_dose).days
    treated_until = max(1, min(40, last_dose))
    aes = []
    if rng.random() < 0.5 or "withdrew" in subject.roles:
        for _ in range(int(rng.integers(1, 4))):
            aes.append(_ae(rng.integers(1, treated_until + 1), rng.integers(2, 8),
                           INJECTION_TERMS[int(rng.integers(3))], "3", 1 if rng.random() < 0.75 else 2,
                           related="5" if rng.random() < 0.6 else "4", injection=True))
    if "serious_infection" in subject.roles:
        aes.append(_ae(rng.integers(10, max(11, min(eos, last_dose))), rng.integers(7, 15), "Pneumonia",
                       "2", 3, serious=True, related="3", infection=True, action="2"))
    if rng.random() < 0.12:
        term, grade = INFECTIONS[int(rng.integers(len(INFECTIONS)))]
        aes.append(_ae(rng.integers(3, max(4, min(eos, last_dose))), rng.integers(5, 12), term, "2",
                       grade - (rng.random() < 0.3), related="3", infection=True))
    if subject.dropout is None and rng.random() < 0.2:
        aes.append(_ae(rng.integers(5, max(6, eos - 5)), rng.integers(3, 11), "Worsening heart failure",
                       "1", 3, serious=True, action="2" if rng.random() < 0.2 else "1"))
    for term, system, (low, high), related in MISC_AES:
        if rng.random() < 0.06:
            aes.append(_ae(rng.integers(1, max(2, eos)), rng.integers(2, 15), term, system,
                           rng.integers(low, high + 1), related=related))
    if "pre_dose_ae" in subject.roles or rng.random() < 0.05:
        aes.append(_ae(rng.integers(consent, 0), rng.integers(1, 6), PRE_DOSE_TERMS[int(rng.integers(4))],
                       "99" if rng.random() < 0.2 else "6", 1))
    if subject.neutropenia_event:
        grade = 3 if "neutropenia_g3" in subject.roles else 2
        aes.append(_ae(subject.visits[subject.neutropenia_event], rng.integers(10, 22),
                       "Neutrophil count decreased", "10", grade, related="4" if grade == 3 else "3",
                       action="3" if grade == 3 else "1"))
        if grade == 3 and last_dose + 35 < eos:
            aes.append(_ae(rng.integers(last_dose + 35, eos), rng.integers(4, 10),
                           "Upper respiratory infection", "2", 1, related="2", infection=True))
    if subject.dropout == "death":
        sudden = rng.random() < 0.5
        term = "Sudden cardiac death" if sudden else "Worsening heart failure"
        onset = eos if sudden else max(1, eos - int(rng.integers(1, 6)))
        aes.append(_ae(onset, eos - onset, term, "1", 5, serious=True, action="3", outcome="5"))
    if subject.dropout == "lvad":
        onset = max(1, eos - int(rng.integers(3, 11)))
        aes.append(_ae(onset, eos - onset, "Worsening heart failure", "1", 4, serious=True,
                       action="3", outcome="4"))
    aes = [ae for ae in aes if ae["onset"] <= eos]
    aes.sort(key=lambda ae: (ae["onset"], ae["term"]))
    return aes


def adverse_event_rows(subject: Subject, aes: list[dict]) -> list[dict]:
    rows = []
    for ae in aes:
        ongoing = ae["end"] > subject.eos_offset
        outcome = ae["outcome"]
        if ongoing and outcome == "1":
            outcome = "2" if ae["grade"] <= 2 else "3"
        rows.append({
            "ae_term": ae["term"],
            "ae_system": ae["system"],
            "ae_onset": text.date(subject.date(ae["onset"])),
            "ae_end": "" if ongoing else text.date(subject.date(ae["end"])),
            "ae_ongoing": "1" if ongoing else "0",
            "ae_grade": str(ae["grade"]),
            "ae_serious": "1" if ae["serious"] else "0",
            "ae_related": ae["related"],
            "ae_injection_site": "1" if ae["injection"] else "0",
            "ae_infection": "1" if ae["infection"] else "0",
            "ae_action": ae["action"],
            "ae_outcome": outcome,
        })
    return rows


def draw_dose_log(subject: Subject, rng: np.random.Generator) -> list[tuple[int, float, str]]:
    """Maintenance inotrope dose changes: (offset, dose, reason code), starting with the home dose."""
    log = [(0, subject.home_dose, "1")]
    if "dose_change" in subject.roles and subject.eos_offset > 20:
        offset = int(rng.integers(15, min(subject.eos_offset, 100)))
        higher = round(subject.home_dose + P.DOSE_ADJUSTMENT[subject.drug], 4)
        log.append((offset, higher, "2"))
        back = offset + int(rng.integers(10, 31))
        if rng.random() < 0.4 and back < subject.eos_offset:
            log.append((back, subject.home_dose, "3"))
    return log


def dose_log_rows(subject: Subject, log) -> list[dict]:
    return [
        {"ino_date": text.date(subject.date(offset)), "ino_drug": subject.drug,
         "ino_dose": text.dose(dose), "ino_reason": reason}
        for offset, dose, reason in log
    ]


def dose_at(log, offset: int) -> float:
    """Maintenance dose in force on a day."""
    return [dose for start, dose, _ in log if start <= offset][-1]


def draw_diary(subject: Subject, rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """(week, doses expected, doses taken) per treatment week up to the last dose."""
    weeks = []
    for week in range(1, P.TREATMENT_DAYS // 7 + 1):
        first, last = 7 * (week - 1), min(7 * week - 1, subject.last_dose_offset)
        expected = last - first + 1
        if expected <= 0:
            break
        if "poor_adherence" in subject.roles:
            taken = int(round(expected * rng.uniform(0.55, 0.75)))
        else:
            taken = expected - min(expected, int(rng.poisson(0.25)))
        weeks.append((week, expected, taken))
    return weeks


def diary_rows(subject: Subject, diary) -> list[dict]:
    return [
        {"diary_week": str(week), "diary_start": text.date(subject.date(7 * (week - 1))),
         "diary_expected": str(expected), "diary_taken": str(taken)}
        for week, expected, taken in diary
    ]


def deviation_rows(subject: Subject, diary, rng: np.random.Generator) -> list[dict]:
    """Protocol deviations: missed doses, missed or out-of-window visits, a major eligibility one."""
    found = []
    if "major_deviation" in subject.roles:
        found.append((0, "3", "1", f"Home inotrope dose changed {int(rng.integers(12, 26))} days before "
                                   "consent; not stable for 28 days. Enrolled in error."))
    if "poor_adherence" in subject.roles and diary:
        expected = sum(e for _, e, _ in diary)
        taken = sum(t for _, _, t in diary)
        found.append((7 * (len(diary) - 1), "2", "0",
                      f"Missed doses: took {taken} of {expected} doses in weeks 1-{len(diary)}."))
    for event, offset in subject.visits.items():
        nominal = P.NOMINAL_DAY[event]
        if abs(offset + 1 - nominal) > P.VISIT_JITTER[event]:
            label = event.replace("_arm_1", "").replace("_", " ").capitalize()
            found.append((offset, "1", "0", f"{label} visit on study day {offset + 1}, "
                                            f"outside its window (nominal day {nominal})."))
    for event in subject.missed:
        nominal = P.NOMINAL_DAY[event] - 1
        if nominal < subject.eos_offset:
            label = event.replace("_arm_1", "").replace("_", " ").capitalize()
            found.append((nominal, "4", "0", f"{label} visit missed."))
    if rng.random() < 0.1:
        found.append((int(rng.integers(1, max(2, subject.eos_offset))), "5", "0",
                      "Safety labs drawn after the anakinra dose."))
    found.sort(key=lambda d: d[0])
    return [
        {"dev_date": text.date(subject.date(offset)), "dev_category": category,
         "dev_major": major, "dev_description": description}
        for offset, category, major, description in found
    ]
