"""The study metadata cleaning needs, taken from ``config/config.yaml``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aidheart import formats as F
from aidheart.study import Visit, visits_from_config


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
        cutoff = dt.date.fromisoformat(config["cutoff_date"]) if config.get("cutoff_date") else None
        ranges = {drug: (float(low), float(high)) for drug, (low, high) in config["inotrope_dose_range"].items()}
        return cls(visits=visits_from_config(config["visits"]), cutoff=cutoff, dose_ranges=ranges,
                   free_text_safe=frozenset(config.get("free_text_safe", ())),
                   monitor_start_tolerance_min=float(config["challenge"].get("monitor_start_tolerance_minutes", 30)))

    @property
    def event_forms(self) -> dict[str, tuple[str, ...]]:
        """The forms designated to each event of the project: each scheduled visit's ``forms`` (configuration),
        and the project's events outside the schedule (screening, logs, end of study) as the format defines them."""
        unscheduled = {event: forms for event, forms in F.EVENT_FORMS.items() if event not in F.VISIT_EVENTS}
        return {**unscheduled, **{visit.event: visit.forms for visit in self.visits}}

    def events_with_form(self, form: str) -> set[str]:
        """The events ``form`` is designated to."""
        return {event for event, forms in self.event_forms.items() if form in forms}
