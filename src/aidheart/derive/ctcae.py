"""CTCAE v5 grades of the safety labs, by the normal range and grade limits the configuration states.

Each safety lab (config ``safety.labs``) names its clean ``labs`` parameter, its ADLB
``PARAMCD`` and unit, the normal range, the direction of the CTCAE term it is graded by
("low": neutrophil count decreased, anaemia...; "high": creatinine increased) and the
limits between the grades, in the lab's unit, from grade 1 outwards:

- low: grade 0 at or above the lower limit of normal (LLN); grade 1 below LLN down to the
  first limit; grade *k* below limit *k - 1* down to limit *k*, each band including its
  lower bound (exactly 1.0 × 10⁹/L of neutrophils is grade 2); the last grade below the
  last limit;
- high: grade 0 at or below the upper limit of normal (ULN); grade 1 above ULN up to the
  first limit; grade *k* above limit *k - 1* up to limit *k*, each band including its
  upper bound; the last grade above the last limit.

Missing values stay missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class SafetyLab:
    """A safety lab of ADLB and its CTCAE grading (module notes)."""

    param: str
    paramcd: str
    label: str
    unit: str
    normal_range: tuple[float, float]
    direction: str
    term: str
    grade_limits: tuple[float, ...]

    @classmethod
    def from_config(cls, entry: Mapping) -> SafetyLab:
        return cls(param=entry["param"], paramcd=entry["paramcd"], label=entry["label"], unit=entry["unit"],
                   normal_range=tuple(float(v) for v in entry["normal_range"]), direction=entry["direction"],
                   term=entry["term"], grade_limits=tuple(float(v) for v in entry["grade_limits"]))

    @property
    def grade_paramcd(self) -> str:
        """``PARAMCD`` of the grade records: the lab's code with ``GR`` (``ANC`` -> ``ANCGR``)."""
        return f"{self.paramcd}GR"

    @property
    def max_grade(self) -> int:
        return len(self.grade_limits) + 1

    @property
    def grading(self) -> str:
        """The grading in words, as the reports state it."""
        low, high = self.normal_range
        if self.direction == "low":
            bounds = [f"LLN {low:g}", *(f"{limit:g}" for limit in self.grade_limits)]
            bands = [f"grade {k + 1} below {upper} to {lower}" for k, (upper, lower) in enumerate(zip(bounds, bounds[1:]))]
            bands.append(f"grade {self.max_grade} below {bounds[-1]}")
        else:
            bounds = [f"ULN {high:g}", *(f"{limit:g}" for limit in self.grade_limits)]
            bands = [f"grade {k + 1} above {lower} to {upper}" for k, (lower, upper) in enumerate(zip(bounds, bounds[1:]))]
            bands.append(f"grade {self.max_grade} above {bounds[-1]}")
        return f"{self.term}: " + "; ".join(bands) + f" {self.unit} (normal range {low:g}–{high:g})"


def safety_labs(config_labs: Sequence[Mapping]) -> tuple[SafetyLab, ...]:
    """The safety labs of config ``safety.labs``, in configuration order."""
    return tuple(SafetyLab.from_config(entry) for entry in config_labs)


def compute_ctcae_grade(values: pd.Series, lab: SafetyLab) -> pd.Series:
    """CTCAE grade (0 to ``lab.max_grade``) of each value of ``lab``, as nullable integers (module notes)."""
    x = pd.to_numeric(values).astype(float)
    grade = pd.Series(pd.NA, index=values.index, dtype="Int64")
    low, high = lab.normal_range
    if lab.direction == "low":
        grade[x >= low] = 0
        bounds = [low, *lab.grade_limits, -np.inf]
        for level, (upper, lower) in enumerate(zip(bounds, bounds[1:]), start=1):
            grade[(x < upper) & (x >= lower)] = level
    else:
        grade[x <= high] = 0
        bounds = [high, *lab.grade_limits, np.inf]
        for level, (lower, upper) in enumerate(zip(bounds, bounds[1:]), start=1):
            grade[(x > lower) & (x <= upper)] = level
    return grade
