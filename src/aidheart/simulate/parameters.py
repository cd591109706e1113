"""The synthetic study's design constants: schedule, effect sizes, noise.

These are the generator's own choices (the *truth* side), written into
``truth.json`` under ``parameters``. They deliberately do not come from
``config/config.yaml``: the pipeline's configuration is what is being tested.
"""

from __future__ import annotations

import datetime as dt

from aidheart import formats as F

#: Nominal study day of each scheduled visit (day 1 = first dose, no day 0).
NOMINAL_DAY = {
    F.EVENT_BASELINE: 1,
    F.EVENT_WEEK2: 15,
    F.EVENT_WEEK4: 29,
    F.EVENT_WEEK8: 57,
    F.EVENT_WEEK12: 85,
    F.EVENT_WEEK16: 113,
}
#: Largest scheduling jitter (days either side of nominal) of an in-window visit.
VISIT_JITTER = {
    F.EVENT_BASELINE: 0,
    F.EVENT_WEEK2: 2,
    F.EVENT_WEEK4: 2,
    F.EVENT_WEEK8: 5,
    F.EVENT_WEEK12: 5,
    F.EVENT_WEEK16: 5,
}
#: A planted out-of-window visit is this many days (inclusive range) after nominal.
OUT_OF_WINDOW_SHIFT = (10, 13)
#: Visits a subject may miss (the whole event is then absent).
MISSABLE_EVENTS = (F.EVENT_WEEK2, F.EVENT_WEEK4, F.EVENT_WEEK8)
#: Visits with an inotrope challenge and a six-minute walk.
CHALLENGE_EVENTS = (F.EVENT_BASELINE, F.EVENT_WEEK4, F.EVENT_WEEK12, F.EVENT_WEEK16)
WALK_EVENTS = CHALLENGE_EVENTS

#: First possible consent date; the seed adds 0-20 days.
STUDY_START = dt.date(2025, 1, 6)
#: Anakinra 100 mg once daily on days 1-84.
TREATMENT_DAYS = 84

#: VIS weight per mcg/kg/min (Gaies 2010), by inotrope drug code.
VIS_WEIGHT = {"1": 1.0, "2": 10.0}
#: Home (maintenance) doses in mcg/kg/min, by drug code, and challenge increments.
HOME_DOSES = {"1": (2.5, 3.0, 3.5, 4.0, 5.0), "2": (0.25, 0.3, 0.375, 0.5)}
DOSE_INCREMENT = {"1": 2.5, "2": 0.125}
#: Maintenance-dose adjustments logged in the inotrope log.
DOSE_ADJUSTMENT = {"1": 1.0, "2": 0.125}

#: Monitor: reading interval (s) and the validity rule the truth applies (the
#: pipeline's defaults in config/config.yaml say the same).
SAMPLING_INTERVAL_S = 60
SIGNAL_QUALITY_MIN = 60
CI_VALID_RANGE = (0.8, 6.0)
HR_VALID_RANGE = (30, 200)
STEADY_STATE_S = 300
MIN_VALID_READINGS = 3

#: Effect sizes and noise SDs of the story (truth.json ``parameters``).
STORY = {
    "screen_fail_fraction": [0.25, 0.35],
    "enrolment_months": [12, 15],
    "drug_effect_onset_tau_days": 21.0,
    "drug_effect_washout_tau_days": 28.0,
    "effect_profile": (
        "f(day) = adherence * (1 - exp(-d_on / onset_tau)) * exp(-d_off / washout_tau), "
        "d_on = days on drug before the visit, d_off = days since the last dose"
    ),
    "ci_at_maintenance_l_min_m2": [1.8, 2.4],
    "ci_at_maintenance_gain_at_full_effect": 0.05,
    "ci_at_maintenance_visit_sd": 0.05,
    "baseline_slope_per_vis": [0.02, 0.05],
    "slope_relative_gain_at_full_effect_mean": 0.40,
    "slope_relative_gain_at_full_effect_sd": 0.15,
    "slope_visit_log_sd": 0.05,
    "hr_slope_bpm_per_vis": {"Dobutamine": [0.6, 1.5], "Milrinone": [0.2, 0.8]},
    "challenge_step_minutes": [15, 20],
    "challenge_steps_probability": {"1": 0.03, "2": 0.05, "3": 0.12, "4": 0.80},
    "lag_time_constant_min": [2.0, 3.0],
    "ci_measurement_noise_sd": [0.05, 0.08],
    "hr_measurement_noise_sd": 2.0,
    "monitor_rounding": "CO, CI 2 decimals; SV 1 decimal; HR, signal quality integers",
    "sixmwd_baseline_m": [150, 350],
    "sixmwd_gain_at_full_effect_mean_m": 30.0,
    "sixmwd_gain_at_full_effect_sd_m": 36.0,
    "sixmwd_visit_noise_sd_m": 15.0,
    "crp_relative_fall_at_full_effect": [0.4, 0.6],
    "crp_visit_log_sd": 0.35,
    "ntprobnp_relative_fall_at_full_effect": 0.15,
    "ntprobnp_visit_log_sd": 0.25,
    "kccq_gain_at_full_effect": 6.0,
    "kccq_visit_sd": 5.0,
}
