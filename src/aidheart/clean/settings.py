"""The study metadata cleaning needs, taken from ``config/config.yaml``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Visit:
    """A scheduled visit: REDCap event, ADaM label, nominal study day and window (days either side)."""

    event: str
    avisit: str
    day: int
    window: int


@dataclass(frozen=True)
class CleanSettings:
    """Cleaning rules that are study choices, not formats."""

    visits: tuple[Visit, ...]
    cutoff: dt.date | None = None
    dose_ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    free_text_safe: frozenset[str] = frozenset()
    monitor_start_tolerance_min: float = 30.0

    @classmethod
    def from_config(cls, config: dict) -> CleanSettings:
        visits = tuple(Visit(v["event"], v["avisit"], int(v["day"]), int(v["window"])) for v in config["visits"])
        cutoff = dt.date.fromisoformat(config["cutoff_date"]) if config.get("cutoff_date") else None
        ranges = {drug: (float(low), float(high)) for drug, (low, high) in config["inotrope_dose_range"].items()}
        return cls(visits=visits, cutoff=cutoff, dose_ranges=ranges,
                   free_text_safe=frozenset(config.get("free_text_safe", ())),
                   monitor_start_tolerance_min=float(config["challenge"].get("monitor_start_tolerance_minutes", 30)))
