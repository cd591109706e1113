"""Inotrope-challenge sessions: dose steps, true plateaus and monitor readings.

Within a session the true cardiac index at step *k* settles, with a first-order
lag (time constant ``tau``), on its plateau::

    plateau_k = ci_maint + slope * (VIS_k - VIS_maint)

so the truth's slope is exactly the least-squares slope of the plateaus on VIS.
Each reading adds Gaussian measurement noise to the lagged value. Heart rate
follows the same lag towards ``hr_maint + hr_slope * (VIS_k - VIS_maint)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from aidheart.simulate import parameters as P

DEVICES = ("STR-2213-0417", "STR-2213-0952")


@dataclass
class Session:
    """One challenge session: the CRF's plan, the truth, and the monitor readings."""

    record_id: str
    event: str
    drug: str
    weight: float
    bsa: float
    doses: list[float]
    starts: list[dt.datetime]  # step starts (whole minutes)
    end: dt.datetime  # end of the last step
    vis: np.ndarray
    ci_maint: float
    slope: float
    hr_maint: float
    hr_slope: float
    ci_plateau: np.ndarray
    hr_plateau: np.ndarray
    tau_s: float
    noise_sd: float
    device: str
    # readings (seconds after midnight and values as they will be written)
    t: np.ndarray = field(default=None)
    co: np.ndarray = field(default=None)
    ci: np.ndarray = field(default=None)
    sv: np.ndarray = field(default=None)
    hr: np.ndarray = field(default=None)
    sq: np.ndarray = field(default=None)
    patient_id: str = ""
    file_written: bool = True
    truncated_last: bool = False  # last line cut: that reading does not count
    quirk: str = ""  # format quirk of the written file (crlf_line_endings, decimal_comma, ...)

    @property
    def file_name(self) -> str:
        return f"{self.record_id}_{self.event}.csv"

    def step_bounds(self) -> list[tuple[int, int]]:
        """(start, end) of each step in seconds after midnight."""
        edges = [_seconds(s) for s in self.starts] + [_seconds(self.end)]
        return list(zip(edges[:-1], edges[1:]))

    def last_window(self, step: int) -> np.ndarray:
        """Indices of readings in the last 5 minutes of a step (excluding a truncated last line)."""
        start, end = self.step_bounds()[step]
        inside = (self.t > end - P.STEADY_STATE_S) & (self.t < end) & (self.t >= start)
        if self.truncated_last:
            inside[-1] = False
        return np.flatnonzero(inside)

    def valid(self) -> np.ndarray:
        """The truth's validity rule for each reading (written, rounded values)."""
        return (
            (self.sq >= P.SIGNAL_QUALITY_MIN)
            & (self.ci >= P.CI_VALID_RANGE[0])
            & (self.ci <= P.CI_VALID_RANGE[1])
            & (self.hr >= P.HR_VALID_RANGE[0])
            & (self.hr <= P.HR_VALID_RANGE[1])
        )


def _seconds(moment: dt.datetime) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def plan_session(rng, *, record_id, event, day: dt.date, drug, maint_dose, weight, height,
                 ci_maint, slope, hr_maint, hr_slope, tau_s, noise_sd) -> Session:
    """Draw the steps of a session and compute its plateaus."""
    n_steps = int(rng.choice([1, 2, 3, 4], p=list(P.STORY["challenge_steps_probability"].values())))
    doses = [round(maint_dose + k * P.DOSE_INCREMENT[drug], 4) for k in range(n_steps)]
    minutes = rng.integers(15, 21, size=n_steps)
    first = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(minutes=int(rng.integers(0, 150)))
    starts = [first + dt.timedelta(minutes=int(m)) for m in np.concatenate([[0], np.cumsum(minutes)[:-1]])]
    end = first + dt.timedelta(minutes=int(minutes.sum()))
    vis = np.array(doses) * P.VIS_WEIGHT[drug]
    ci_plateau = ci_maint + slope * (vis - vis[0])
    hr_plateau = hr_maint + hr_slope * (vis - vis[0])
    bsa = float(np.sqrt(height * weight / 3600.0))
    return Session(
        record_id=record_id, event=event, drug=drug, weight=weight, bsa=round(bsa, 4),
        doses=doses, starts=starts, end=end, vis=vis, ci_maint=ci_maint, slope=slope,
        hr_maint=hr_maint, hr_slope=hr_slope, ci_plateau=ci_plateau, hr_plateau=hr_plateau,
        tau_s=tau_s, noise_sd=noise_sd, device=DEVICES[int(rng.integers(len(DEVICES)))],
        patient_id=record_id,
    )


def _lagged(times: np.ndarray, starts: np.ndarray, plateau: np.ndarray, tau_s: float) -> np.ndarray:
    """Value at each time: first-order approach to each step's plateau from the previous level."""
    entering = np.empty_like(plateau)
    entering[0] = plateau[0]
    for k in range(1, len(plateau)):
        duration = starts[k] - starts[k - 1]
        entering[k] = plateau[k - 1] + (entering[k - 1] - plateau[k - 1]) * np.exp(-duration / tau_s)
    step = np.clip(np.searchsorted(starts, times, side="right") - 1, 0, None)
    elapsed = np.clip(times - starts[step], 0, None)
    return plateau[step] + (entering[step] - plateau[step]) * np.exp(-elapsed / tau_s)


def draw_readings(session: Session, rng: np.random.Generator) -> None:
    """One reading a minute from a few minutes before step 1 to the end of the last step."""
    starts = np.array([_seconds(s) for s in session.starts], dtype=float)
    end = _seconds(session.end)
    first = starts[0] - 60 * int(rng.integers(2, 6)) + int(rng.integers(5, 56))
    t = np.arange(first, end, P.SAMPLING_INTERVAL_S, dtype=float)
    ci_true = _lagged(t, starts, session.ci_plateau, session.tau_s)
    hr_true = _lagged(t, starts, session.hr_plateau, session.tau_s)
    ci = ci_true + rng.normal(0.0, session.noise_sd, size=t.size)
    hr = np.rint(hr_true + rng.normal(0.0, P.STORY["hr_measurement_noise_sd"], size=t.size))
    co = ci * session.bsa
    session.t = t.astype(int)
    session.ci = np.round(ci, 2)
    session.co = np.round(co, 2)
    session.hr = hr.astype(int)
    session.sv = np.round(co / hr * 1000.0, 1)
    session.sq = np.clip(np.rint(99 - np.abs(rng.normal(0, 6, size=t.size))), 75, 99).astype(int)


def step_truth(session: Session) -> list[dict]:
    """Per step: dose, VIS, true plateaus, valid readings in the last 5 minutes, usable."""
    valid = session.valid() if session.file_written else None
    steps = []
    for k, dose in enumerate(session.doses):
        n_valid = int(valid[session.last_window(k)].sum()) if valid is not None else None
        steps.append({
            "step": k + 1,
            "dose": dose,
            "vis": round(float(session.vis[k]), 6),
            "start": session.starts[k].strftime("%Y-%m-%d %H:%M"),
            "ci_plateau": round(float(session.ci_plateau[k]), 6),
            "hr_plateau": round(float(session.hr_plateau[k]), 6),
            "n_valid_last_5_min": n_valid,
            "usable": bool(n_valid is not None and n_valid >= P.MIN_VALID_READINGS),
        })
    return steps
