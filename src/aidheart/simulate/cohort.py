"""Who is screened and enrolled, and when each visit happens.

The cohort is drawn in two passes. :func:`draw_cohort` screens subjects in
order (record ids ``1001``, ``1002``, ...), decides eligibility, demographics and
home inotrope, and hands out *roles* by quota (deaths, an LVAD, a withdrawal,
neutropenia, poor adherence...) so that a 20-subject study reliably tells every
part of the story. :func:`draw_schedule` then places each enrolled subject's
visits (offsets from the first dose; offset 0 = study day 1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from aidheart import formats as F
from aidheart.simulate import parameters as P

#: Exclusive roles (a subject has at most one), as a fraction of the enrolled.
EXCLUSIVE_ROLES = (
    ("death", 0.10),
    ("lvad", 0.05),
    ("withdrew", 0.05),
    ("neutropenia_g3", 0.05),
    ("neutropenia_g2", 0.05),
    ("poor_adherence", 0.10),
    ("major_deviation", 0.05),
)
#: Roles drawn independently of the exclusive ones.
EXTRA_ROLES = (
    ("serious_infection", 0.05),
    ("pre_dose_ae", 0.10),
    ("missed_visit", 0.10),
    ("walk_hf_symptoms", 0.10),
    ("walk_non_cardiac", 0.05),
    ("dose_change", 0.20),
)
SCREEN_FAIL_PROBABILITY = {"1": 0.45, "2": 0.10, "3": 0.15, "4": 0.10, "5": 0.15, "6": 0.05}

MALE_NAMES = ("James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph",
              "Thomas", "Charles", "Daniel", "Mark", "Donald", "Kenneth", "Steven", "Paul",
              "Andrew", "Gary", "Larry", "Terrence", "Calvin", "Raymond", "Luis", "Samuel")
FEMALE_NAMES = ("Mary", "Patricia", "Linda", "Barbara", "Elizabeth", "Susan", "Jessica",
                "Karen", "Nancy", "Lisa", "Betty", "Sandra", "Donna", "Carol", "Ruth", "Sharon",
                "Michelle", "Laura", "Denise", "Gloria", "Yolanda", "Rosa")
LAST_NAMES = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
              "Wilson", "Moore", "Taylor", "Thomas", "Jackson", "White", "Harris", "Martin",
              "Thompson", "Robinson", "Clark", "Lewis", "Walker", "Hall", "Allen", "Young",
              "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Carter")


def quota(n: int, rate: float) -> int:
    """Number of subjects given a role: ``rate * n`` rounded half up."""
    return int(n * rate + 0.5)


@dataclass
class Subject:
    """One screened subject and, if enrolled, the plan of their participation."""

    index: int
    record_id: str
    consent: dt.date
    enrolled: bool
    screen_fail_reason: str | None
    sex: str
    race: tuple[str, ...]
    ethnicity: str
    age: int
    dob: dt.date
    first_name: str
    last_name: str
    mrn: str
    phone: str
    height_cm: float
    weight_kg: float
    screen_crp: float
    screen_lvef: int
    drug: str
    home_dose: float
    first_dose: dt.date | None = None
    roles: set[str] = field(default_factory=set)
    # schedule (offsets from the first dose)
    dropout: str | None = None  # death, lvad, withdrew
    dropout_offset: int | None = None
    visits: dict[str, int] = field(default_factory=dict)  # event -> offset, present visits
    missed: list[str] = field(default_factory=list)
    eos_offset: int = 0
    last_dose_offset: int = 0
    neutropenia_event: str | None = None

    def date(self, offset: int) -> dt.date:
        return self.first_dose + dt.timedelta(days=int(offset))


def study_day(offset: int) -> int:
    """Offset from the first dose -> study day (day 1 = first dose, no day 0)."""
    return offset + 1 if offset >= 0 else offset


def _pick(rng: np.random.Generator, options):
    return options[int(rng.integers(len(options)))]


def _draw_subject(index: int, consent: dt.date, enrolled: bool, reason: str | None, seed: int) -> Subject:
    rng = np.random.default_rng([seed, 1, index])
    sex = "1" if rng.random() < 0.75 else "2"
    race_draw = rng.random()
    race = ("5",) if race_draw < 0.62 else ("3",) if race_draw < 0.90 else \
        ("2",) if race_draw < 0.94 else ("3", "5") if race_draw < 0.97 else ("6",)
    ethnicity = "1" if rng.random() < 0.07 else ("9" if rng.random() < 0.03 else "0")
    age = int(rng.integers(40, 81))
    dob = consent - dt.timedelta(days=int(age * 365.25 + rng.integers(1, 360)))
    first = _pick(rng, MALE_NAMES if sex == "1" else FEMALE_NAMES)
    last = _pick(rng, LAST_NAMES)
    mrn = str(int(rng.integers(10_000_000, 99_999_999)))
    phone = f"(804) 555-{int(rng.integers(0, 10_000)):04d}"
    height = float(rng.normal(176, 7) if sex == "1" else rng.normal(163, 6))
    weight = float(np.clip(rng.normal(88, 15) if sex == "1" else rng.normal(75, 14), 50, 140))
    crp = float(np.exp(rng.normal(np.log(7.0), 0.8)))
    lvef = int(rng.integers(10, 36))
    drug = "2" if rng.random() < 0.6 else "1"
    home_dose = _pick(rng, P.HOME_DOSES[drug])
    if enrolled:
        crp = float(np.clip(crp, 2.3, 40.0))
    elif reason == "1":
        crp = float(rng.uniform(0.3, 2.0))
    elif reason == "2":
        lvef = int(rng.integers(50, 61))
    first_dose = consent + dt.timedelta(days=int(rng.integers(5, 29))) if enrolled else None
    return Subject(
        index=index, record_id=str(1001 + index), consent=consent, enrolled=enrolled,
        screen_fail_reason=reason, sex=sex, race=race, ethnicity=ethnicity, age=age, dob=dob,
        first_name=first, last_name=last, mrn=mrn, phone=phone, height_cm=round(height, 1),
        weight_kg=round(weight, 1), screen_crp=round(crp, 1), screen_lvef=lvef, drug=drug,
        home_dose=home_dose, first_dose=first_dose,
    )


def draw_cohort(n_subjects: int, seed: int) -> list[Subject]:
    """Screen subjects until ``n_subjects`` are enrolled; assign roles by quota."""
    rng = np.random.default_rng([seed, 0])
    fail_fraction = rng.uniform(*P.STORY["screen_fail_fraction"])  # of those screened
    n_fail = int(n_subjects * fail_fraction / (1 - fail_fraction) + 0.5)
    n_screened = n_subjects + n_fail
    fail_positions = set(rng.choice(n_screened, size=n_fail, replace=False).tolist())
    codes = list(SCREEN_FAIL_PROBABILITY)
    reasons = rng.choice(codes, size=n_fail, p=list(SCREEN_FAIL_PROBABILITY.values()))
    start = P.STUDY_START + dt.timedelta(days=int(rng.integers(0, 21)))
    months = rng.uniform(*P.STORY["enrolment_months"])
    consent_offsets = np.sort(rng.uniform(0, months * 30.44, size=n_screened)).astype(int)
    subjects, k_fail = [], 0
    for index in range(n_screened):
        failed = index in fail_positions
        reason = str(reasons[k_fail]) if failed else None
        k_fail += failed
        consent = start + dt.timedelta(days=int(consent_offsets[index]))
        subjects.append(_draw_subject(index, consent, not failed, reason, seed))
    enrolled = [s for s in subjects if s.enrolled]
    order = rng.permutation(len(enrolled))
    position = 0
    for role, rate in EXCLUSIVE_ROLES:
        for k in order[position:position + quota(n_subjects, rate)]:
            enrolled[k].roles.add(role)
        position += quota(n_subjects, rate)
    for role, rate in EXTRA_ROLES:
        candidates = [k for k in range(len(enrolled)) if not enrolled[k].roles & {"death", "lvad", "withdrew"}
                      or role in ("pre_dose_ae", "dose_change")]
        size = min(quota(n_subjects, rate), len(candidates))
        for k in rng.choice(candidates, size=size, replace=False) if size else ():
            enrolled[int(k)].roles.add(role)
    return subjects


def draw_schedule(subject: Subject, seed: int) -> None:
    """Place the visits, dropout, last dose and end of study of an enrolled subject."""
    rng = np.random.default_rng([seed, 2, subject.index])
    dropout_days = {"death": (20, 110), "lvad": (35, 100), "withdrew": (10, 75)}
    for kind, (low, high) in dropout_days.items():
        if kind in subject.roles:
            subject.dropout, subject.dropout_offset = kind, int(rng.integers(low, high))
    missed_role = _pick(rng, P.MISSABLE_EVENTS) if "missed_visit" in subject.roles else None
    for event, nominal in P.NOMINAL_DAY.items():
        jitter = P.VISIT_JITTER[event]
        offset = nominal - 1 + int(rng.integers(-jitter, jitter + 1))
        randomly_missed = event in P.MISSABLE_EVENTS and rng.random() < 0.02
        if subject.dropout_offset is not None and offset >= subject.dropout_offset:
            continue
        if event == missed_role or randomly_missed:
            subject.missed.append(event)
            continue
        subject.visits[event] = offset
    if subject.dropout is None:
        subject.eos_offset = subject.visits[F.EVENT_WEEK16]
        subject.last_dose_offset = P.TREATMENT_DAYS - 1
    else:
        subject.eos_offset = subject.dropout_offset
        before = {"death": (0, 3), "lvad": (1, 4), "withdrew": (0, 2)}[subject.dropout]
        subject.last_dose_offset = max(0, min(P.TREATMENT_DAYS - 1,
                                              subject.dropout_offset - int(rng.integers(*before))))
    if subject.roles & {"neutropenia_g3", "neutropenia_g2"}:
        for event in (F.EVENT_WEEK4, F.EVENT_WEEK2, F.EVENT_WEEK8):
            if event in subject.visits:
                subject.neutropenia_event = event
                break
        if "neutropenia_g3" in subject.roles and subject.neutropenia_event:
            # drug withdrawn on the day of the grade 3 count; the subject stays in follow-up
            subject.last_dose_offset = subject.visits[subject.neutropenia_event]


def shift_visit(subject: Subject, event: str, days: int) -> None:
    """Move a visit (planted out-of-window visit); later visits keep their dates."""
    subject.visits[event] += days
