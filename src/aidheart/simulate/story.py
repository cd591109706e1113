"""One subject's clinical story: visit values, challenge sessions and log instruments.

:func:`draw_story` turns a scheduled :class:`~aidheart.simulate.cohort.Subject`
into raw REDCap values (strings, as exported) per event and per repeating
instrument, the challenge sessions, and the facts the truth needs. The random
draws are made in a fixed order from the subject's own streams, so a subject's
story does not depend on the mess planted elsewhere.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from aidheart import formats as F
from aidheart.simulate import hemodynamics, logs, text
from aidheart.simulate import parameters as P
from aidheart.simulate.cohort import Subject

WALK_REASON_KEY = {"1": "hf_symptoms", "2": "non_cardiac", "3": "missed_visit", "4": "other"}


@dataclass
class Story:
    """Everything generated for one screened subject."""

    subject: Subject
    event_values: dict[str, dict[str, str]] = field(default_factory=dict)  # event -> field -> raw
    repeats: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # form -> instances
    sessions: dict[str, hemodynamics.Session] = field(default_factory=dict)
    walks: dict[str, dict] = field(default_factory=dict)
    aes: list[dict] = field(default_factory=list)
    diary: list[tuple[int, int, int]] = field(default_factory=list)
    dose_log: list = field(default_factory=list)
    anc: dict[str, float] = field(default_factory=dict)


def _clip(value, low, high) -> float:
    return float(min(max(value, low), high))


def effect(offset: int, last_dose: int, adherence: float) -> float:
    """Fraction of the full anakinra effect present on a day (0 at baseline)."""
    days_on = max(0, min(offset, last_dose + 1))
    days_off = max(0, offset - last_dose - 1)
    return adherence * (1 - math.exp(-days_on / P.STORY["drug_effect_onset_tau_days"])) * math.exp(
        -days_off / P.STORY["drug_effect_washout_tau_days"]
    )


def _enrollment(subject: Subject) -> dict[str, str]:
    values = {
        "first_name": subject.first_name,
        "last_name": subject.last_name,
        "mrn": subject.mrn,
        "dob": text.date(subject.dob),
        "phone": subject.phone,
        "consent_date": text.date(subject.consent),
        "sex": subject.sex,
        "ethnicity": subject.ethnicity,
        "screen_crp": text.num(subject.screen_crp, 1),
        "screen_lvef": str(subject.screen_lvef),
        "screen_inotrope": subject.drug,
        "screen_inotrope_dose": text.dose(subject.home_dose),
        "eligible": "1" if subject.enrolled else "0",
        "screen_fail_reason": subject.screen_fail_reason or "",
        "enrollment_notes": "" if subject.enrolled else F.SCREEN_FAIL_REASON[subject.screen_fail_reason] + ".",
    }
    for code in F.RACE:
        values[f"race___{code}"] = "1" if code in subject.race else "0"
    values["enrollment_complete"] = "2"
    return values


@dataclass
class _Physiology:
    """Subject-level true values the visits vary around."""

    ci_maint: float
    slope: float
    gain: float
    hr_maint: float
    hr_slope: float
    tau_s: float
    noise_sd: float
    walk_base: float
    walk_gain: float
    crp_fall: float
    anc: float
    other_wbc: float
    hgb: float
    plt: float
    creat: float
    ntprobnp: float
    kccq: float
    sbp: float
    nyha_iv: bool


def _physiology(subject: Subject, rng: np.random.Generator) -> _Physiology:
    drug_name = F.INOTROPE_DRUG[subject.drug]
    return _Physiology(
        ci_maint=float(rng.uniform(*P.STORY["ci_at_maintenance_l_min_m2"])),
        slope=float(rng.uniform(*P.STORY["baseline_slope_per_vis"])),
        gain=_clip(rng.normal(P.STORY["slope_relative_gain_at_full_effect_mean"],
                                      P.STORY["slope_relative_gain_at_full_effect_sd"]), 0.05, 0.9),
        hr_maint=_clip(rng.normal(82, 8), 62, 100),
        hr_slope=float(rng.uniform(*P.STORY["hr_slope_bpm_per_vis"][drug_name])),
        tau_s=60.0 * float(rng.uniform(*P.STORY["lag_time_constant_min"])),
        noise_sd=float(rng.uniform(*P.STORY["ci_measurement_noise_sd"])),
        walk_base=_clip(rng.normal(250, 55), 150, 350),
        walk_gain=float(rng.normal(P.STORY["sixmwd_gain_at_full_effect_mean_m"],
                                   P.STORY["sixmwd_gain_at_full_effect_sd_m"])),
        crp_fall=float(rng.uniform(*P.STORY["crp_relative_fall_at_full_effect"])),
        anc=float(rng.uniform(2.5, 5.5)),
        other_wbc=float(rng.uniform(1.5, 3.0)),
        hgb=_clip(rng.normal(11.5, 1.2), 9.5, 13.5),
        plt=_clip(rng.normal(220, 50), 120, 400),
        creat=_clip(np.exp(rng.normal(np.log(1.3), 0.3)), 0.85, 2.3),
        ntprobnp=_clip(np.exp(rng.normal(np.log(4000), 0.6)), 1000, 15000),
        kccq=_clip(rng.normal(40, 10), 20, 60),
        sbp=_clip(rng.normal(100, 10), 82, 125),
        nyha_iv=bool(rng.random() < 0.3),
    )


def _labs(story: Story, event: str, day: dt.date, f: float, ph: _Physiology, rng) -> dict[str, str]:
    subject = story.subject
    crp = subject.screen_crp * math.exp(rng.normal(0, P.STORY["crp_visit_log_sd"])) * (1 - ph.crp_fall * f)
    anc = _clip(ph.anc * math.exp(rng.normal(0, 0.15)) * (1 - 0.1 * f), 1.8, 7.5)
    if event == subject.neutropenia_event:
        anc = rng.uniform(0.6, 0.95) if "neutropenia_g3" in subject.roles else rng.uniform(1.05, 1.45)
    story.anc[event] = round(float(anc), 2)
    ntprobnp = ph.ntprobnp * math.exp(rng.normal(0, P.STORY["ntprobnp_visit_log_sd"])) * (
        1 - P.STORY["ntprobnp_relative_fall_at_full_effect"] * f)
    return {
        "lab_date": text.date(day),
        "crp": text.num(_clip(crp, 0.2, 200), 1),
        "anc": text.num(anc, 2),
        "wbc": text.num(anc + ph.other_wbc + rng.normal(0, 0.2), 1),
        "hgb": text.num(_clip(ph.hgb + rng.normal(0, 0.4), 9.0, 14.0), 1),
        "plt": str(int(round(_clip(ph.plt + rng.normal(0, 15), 100, 450)))),
        "creat": text.num(_clip(ph.creat * math.exp(rng.normal(0, 0.06)), 0.8, 2.5), 2),
        "ntprobnp": str(int(round(_clip(ntprobnp, 800, 25000)))),
        "labs_complete": "2",
    }


def _clinical(event: str, day: dt.date, f: float, weight: float, ph: _Physiology, subject, rng) -> dict:
    nyha = 4 if ph.nyha_iv else 3
    if event != F.EVENT_BASELINE and f > 0.4 and rng.random() < 0.25:
        nyha -= 1
    sbp = ph.sbp + rng.normal(0, 6)
    lvef = ""
    if event in (F.EVENT_BASELINE, F.EVENT_WEEK12):
        lvef_value = subject.screen_lvef + rng.normal(0, 2) + (1.5 * f if event == F.EVENT_WEEK12 else 0)
        lvef = str(int(_clip(round(lvef_value), 8, 40)))
    return {
        "clin_date": text.date(day),
        "nyha": str(nyha),
        "kccq_os": text.num(_clip(ph.kccq + P.STORY["kccq_gain_at_full_effect"] * f
                                  + rng.normal(0, P.STORY["kccq_visit_sd"]), 5, 95), 1),
        "sbp": str(int(round(sbp))),
        "dbp": str(int(round(_clip(0.6 * sbp + rng.normal(0, 5), 45, 85)))),
        "hr": str(int(round(_clip(ph.hr_maint + rng.normal(0, 4), 55, 115)))),
        "weight": text.num(weight, 1),
        "lvef": lvef,
        "clinical_complete": "2",
    }


def _walk(story: Story, event: str, day: dt.date, f: float, ph: _Physiology, not_done: str | None, rng) -> dict:
    distance = int(round(_clip(ph.walk_base + ph.walk_gain * f
                               + rng.normal(0, P.STORY["sixmwd_visit_noise_sd_m"]), 30, 600)))
    stopped, borg, spo2 = rng.random() < 0.1, int(rng.integers(2, 8)), int(_clip(rng.normal(95, 2), 88, 99))
    offset = story.subject.visits[event]
    story.walks[event] = {
        "done": not_done is None,
        "distance_m": None if not_done else distance,
        "reason": WALK_REASON_KEY[not_done] if not_done else None,
        "study_day": offset + 1,
    }
    values = {"smw_date": text.date(day), "smw_done": "0" if not_done else "1",
              "smw_distance": "", "smw_not_done_reason": not_done or "", "smw_stopped_early": "",
              "smw_borg": "", "smw_spo2": "", "six_minute_walk_complete": "2"}
    if not not_done:
        values.update(smw_distance=str(distance), smw_stopped_early="1" if stopped else "0",
                      smw_borg=str(borg), smw_spo2=str(spo2))
    return values


def _challenge(story: Story, event: str, day: dt.date, f: float, weight: float, ph: _Physiology,
               rng, monitor_rng) -> dict:
    subject = story.subject
    slope = round(ph.slope * (1 + ph.gain * f) * math.exp(rng.normal(0, P.STORY["slope_visit_log_sd"])), 6)
    ci_maint = round(ph.ci_maint + P.STORY["ci_at_maintenance_gain_at_full_effect"] * f
                     + rng.normal(0, P.STORY["ci_at_maintenance_visit_sd"]), 4)
    hr_maint = round(ph.hr_maint + rng.normal(0, 3), 3)
    session = hemodynamics.plan_session(
        rng, record_id=subject.record_id, event=event, day=day, drug=subject.drug,
        maint_dose=logs.dose_at(story.dose_log, subject.visits[event]), weight=weight,
        height=subject.height_cm, ci_maint=ci_maint, slope=slope, hr_maint=hr_maint,
        hr_slope=round(ph.hr_slope, 4), tau_s=round(ph.tau_s, 1), noise_sd=round(ph.noise_sd, 4),
    )
    hemodynamics.draw_readings(session, monitor_rng)
    story.sessions[event] = session
    values = {"ch_date": text.date(day), "ch_drug": subject.drug, "ch_weight": text.num(weight, 1)}
    for k in range(4):
        has_step = k < len(session.doses)
        values[f"ch_dose_{k + 1}"] = text.dose(session.doses[k]) if has_step else ""
        values[f"ch_start_{k + 1}"] = text.datetime(session.starts[k]) if has_step else ""
    values.update(ch_end=text.datetime(session.end), ch_monitor_file=session.file_name,
                  inotrope_challenge_complete="2")
    return values


def _walk_not_done(subject: Subject, rng) -> dict[str, str]:
    """Reason code per walk event for walks not done at a visit that took place."""
    post = [e for e in P.WALK_EVENTS[1:] if e in subject.visits]
    reasons = {}
    for role, code in (("walk_hf_symptoms", "1"), ("walk_non_cardiac", "2")):
        choice = post[int(rng.integers(len(post)))] if post else None
        if role in subject.roles and choice and choice not in reasons:
            reasons[choice] = code
    for event in post:
        draw = rng.random()
        if event not in reasons and draw < 0.06:
            reasons[event] = "1" if draw < 0.03 else "2" if draw < 0.05 else "4"
    return reasons


def draw_story(subject: Subject, seed: int) -> Story:
    """Generate all raw values of one screened subject."""
    story = Story(subject)
    story.event_values[F.EVENT_SCREENING] = _enrollment(subject)
    if not subject.enrolled:
        return story
    rng = np.random.default_rng([seed, 3, subject.index])
    monitor_rng = np.random.default_rng([seed, 4, subject.index])
    ph = _physiology(subject, rng)
    story.dose_log = logs.draw_dose_log(subject, rng)
    story.diary = logs.draw_diary(subject, rng)
    expected = sum(e for _, e, _ in story.diary)
    adherence = sum(t for _, _, t in story.diary) / expected if expected else 0.0
    walk_reasons = _walk_not_done(subject, rng)
    weight = subject.weight_kg
    for event in P.NOMINAL_DAY:
        if event not in subject.visits:
            continue
        offset = subject.visits[event]
        day = subject.date(offset)
        f = effect(offset, subject.last_dose_offset, adherence)
        weight = round(_clip(weight + rng.normal(0, 1.2), 45, 145), 1)
        values = {"visit_date": text.date(day), "first_dose_date": "", "visit_info_complete": "2"}
        if event == F.EVENT_BASELINE:
            values["first_dose_date"] = text.date(subject.first_dose)
        if event in P.CHALLENGE_EVENTS:
            values |= _challenge(story, event, day, f, weight, ph, rng, monitor_rng)
            values |= _walk(story, event, day, f, ph, walk_reasons.get(event), rng)
        values |= _labs(story, event, day, f, ph, rng)
        values |= _clinical(event, day, f, weight, ph, subject, rng)
        story.event_values[event] = values
    story.aes = logs.draw_adverse_events(subject, rng)
    story.repeats[F.FORM_AE] = logs.adverse_event_rows(subject, story.aes)
    story.repeats[F.FORM_INOTROPE_LOG] = logs.dose_log_rows(subject, story.dose_log)
    story.repeats[F.FORM_DIARY] = logs.diary_rows(subject, story.diary)
    story.repeats[F.FORM_DEVIATIONS] = logs.deviation_rows(subject, story.diary, rng)
    story.event_values[F.EVENT_END_OF_STUDY] = _completion(subject, story.aes)
    return story


def _completion(subject: Subject, aes: list[dict]) -> dict[str, str]:
    status = {None: "1", "withdrew": "2", "death": "3", "lvad": "4"}[subject.dropout]
    eos = text.date(subject.date(subject.eos_offset))
    cause = ""
    notes = {"1": "", "2": "Withdrew consent: burden of daily injections.",
             "3": "", "4": "Discontinued: LVAD implanted."}[status]
    if status == "3":
        fatal = [ae["term"] for ae in aes if ae["grade"] == 5]
        cause = "Sudden cardiac death" if fatal == ["Sudden cardiac death"] else "Progressive pump failure"
    if status == "1" and subject.last_dose_offset < P.TREATMENT_DAYS - 1:
        notes = "Anakinra stopped early for neutropenia; completed follow-up."
    return {
        "eos_status": status,
        "eos_date": eos,
        "last_dose_date": text.date(subject.date(subject.last_dose_offset)),
        "death_date": eos if status == "3" else "",
        "death_cause": cause,
        "eos_notes": notes,
        "study_completion_complete": "2",
    }
