"""The study's own facts, loaded once from the configuration: the visit schedule and the endpoints.

Every stage takes its visits and endpoints from here (derivations, the analysis plan,
figures, reports and tests), so that a visit or an endpoint is added in
``config/config.yaml`` alone. The configuration is validated against
``workflow/schemas/config.schema.yaml`` before it gets here; :meth:`Study.from_config`
checks only what the schema cannot (cross references between keys).

Vocabulary: a *visit* is a scheduled visit of the protocol (REDCap event, ADaM
``AVISIT``/``AVISITN``, nominal study day and window, the forms collected); the
*baseline visit* is the first one; an *endpoint* is an ADEFF parameter the analysis
plan analyses (``PARAMCD``, its label and unit, how it is derived, the analysis sets
it is analysed in and its roles in the reports).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

#: The configuration keys that make up the study model (passed to jobs that need it).
STUDY_KEYS = ("study", "visits", "primary_visit", "end_of_treatment_visit", "endpoints")
#: Roles an endpoint can have in the reports and the analysis plan.
ROLES = ("primary", "secondary", "trajectory", "forest", "responder", "characteristic", "assessed")
#: How an endpoint's records are derived (one key of the endpoint's ``source``).
SOURCES = ("challenge_slope", "challenge_maintenance", "walk", "labs", "clinical", "log_of", "inotrope_log")
#: Day of the first dose: baseline is on or before it, post-baseline after it (there is no day 0).
FIRST_DOSE_DAY = 1


class StudyError(ValueError):
    """The configuration describes an impossible study (a reference to an unknown visit or endpoint)."""


@dataclass(frozen=True)
class Visit:
    """A scheduled visit.

    Attributes
    ----------
    event : REDCap unique event name (``week_12_arm_1``).
    avisit, avisitn : ADaM analysis visit label and number (weeks from the first dose).
    day : nominal study day (day 1 = first dose, no day 0).
    window : allowed days either side of ``day``.
    forms : REDCap forms (instruments) collected at the visit.
    """

    event: str
    avisit: str
    avisitn: float
    day: int
    window: int
    forms: tuple[str, ...]

    @property
    def window_start(self) -> int:
        """First day of the window (``day - window``)."""
        return self.day - self.window

    @property
    def window_end(self) -> int:
        """Last day of the window (``day + window``)."""
        return self.day + self.window


@dataclass(frozen=True)
class Schedule:
    """The visit schedule: visits in protocol order, the first being baseline.

    ``primary`` is the visit compared with baseline in the primary analysis;
    ``end_of_treatment`` the last visit on treatment (it defines completers and
    separates the treatment period from the off-drug follow-up).
    """

    visits: tuple[Visit, ...]
    primary: Visit
    end_of_treatment: Visit

    @property
    def baseline(self) -> Visit:
        """The baseline visit (the first of the schedule)."""
        return self.visits[0]

    @property
    def post_baseline(self) -> tuple[Visit, ...]:
        """The visits after baseline, in order."""
        return self.visits[1:]

    @property
    def labels(self) -> list[str]:
        """``AVISIT`` labels in order, baseline first."""
        return [visit.avisit for visit in self.visits]

    @property
    def weeks(self) -> dict[str, float]:
        """``AVISIT`` label -> ``AVISITN`` (weeks)."""
        return {visit.avisit: visit.avisitn for visit in self.visits}

    def visit(self, avisit: str) -> Visit:
        """The visit labelled ``avisit``; :class:`StudyError` if there is none."""
        for visit in self.visits:
            if visit.avisit == avisit:
                return visit
        raise StudyError(f"{avisit!r} is not one of the visits {self.labels}")

    def by_event(self) -> dict[str, Visit]:
        """REDCap event -> visit."""
        return {visit.event: visit for visit in self.visits}

    def visits_with_form(self, form: str) -> tuple[Visit, ...]:
        """The visits at which ``form`` is collected, in order."""
        return tuple(visit for visit in self.visits if form in visit.forms)


@dataclass(frozen=True)
class Endpoint:
    """An endpoint of the analysis plan (an ADEFF parameter).

    Attributes
    ----------
    paramcd : ADaM ``PARAMCD`` (at most 8 characters).
    label, unit : what it measures and its unit (``PARAM`` is ``"label (unit)"``).
    digits : decimals shown for its values, changes and CIs.
    source : how its records are derived, one of :data:`SOURCES` -> its argument
        (``{"labs": "crp"}``, ``{"log_of": "CRP"}``, ``{"challenge_slope": "CISS"}``...).
    sets : analysis sets it is analysed in (ids of
        :data:`aidheart.analysis.analysis_sets.ANALYSIS_SETS`).
    methods : analysis methods, or empty for the default set.
    roles : where it appears (:data:`ROLES`).
    mcid : minimal clinically important difference (endpoint units): the responder
        threshold (change >= mcid) and the marked row of the sizing table.
    sizing_effects : between-arm differences to size the next trial for.
    zero_if_not_done : reasons for a test not done that score 0 in an imputed record
        (the sensitivity analysis of missing walks).
    categorical : summarised by level (n, %) rather than by mean and SD (an ordinal class).
    """

    paramcd: str
    label: str
    unit: str
    digits: int
    source: Mapping[str, object]
    sets: tuple[str, ...]
    methods: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    mcid: float | None = None
    sizing_effects: tuple[float, ...] = ()
    zero_if_not_done: tuple[str, ...] = ()
    categorical: bool = False

    @property
    def param(self) -> str:
        """ADaM ``PARAM``: ``"label (unit)"``, or the label alone for a unitless score."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def short_label(self) -> str:
        """The label up to its first colon (``"Inotrope sensitivity"``), for axes and sentences."""
        return self.label.split(":")[0].strip()

    @property
    def short_param(self) -> str:
        """``"short label (unit)"``: the parameter as a table row or a caption names it."""
        return f"{self.short_label} ({self.unit})" if self.unit else self.short_label

    @property
    def derivation(self) -> str:
        """The kind of derivation (the key of ``source``)."""
        return next(iter(self.source))

    @property
    def scale(self) -> str:
        """``"log"`` for the natural logarithm of another endpoint, else ``"linear"``."""
        return "log" if self.derivation == "log_of" else "linear"

    def has_role(self, role: str) -> bool:
        """Whether the endpoint has ``role``."""
        return role in self.roles


@dataclass(frozen=True)
class Study:
    """The study model: identifiers, treatment, schedule and endpoints."""

    study_id: str
    site_id: str
    treatment: str
    schedule: Schedule
    endpoints: tuple[Endpoint, ...]

    @classmethod
    def from_config(cls, config: Mapping) -> Study:
        """The study model from the configuration (at least the keys :data:`STUDY_KEYS`).

        Raises
        ------
        StudyError
            A visit or endpoint that is referred to but not defined, a duplicated
            ``PARAMCD``, or not exactly one primary endpoint; one line naming the key.
        """
        visits = visits_from_config(config["visits"])
        _check_visits(visits)
        by_label = {visit.avisit: visit for visit in visits}
        for key in ("primary_visit", "end_of_treatment_visit"):
            if config[key] not in by_label:
                raise StudyError(f"config key '{key}': {config[key]!r} is not one of the visits {list(by_label)}")
        schedule = Schedule(visits, by_label[config["primary_visit"]], by_label[config["end_of_treatment_visit"]])
        endpoints = tuple(_endpoint(item) for item in config["endpoints"])
        _check_endpoints(endpoints)
        info = config["study"]
        return cls(study_id=info["study_id"], site_id=str(info["site_id"]), treatment=info["treatment"],
                   schedule=schedule, endpoints=endpoints)

    def endpoint(self, paramcd: str) -> Endpoint:
        """The endpoint with ``paramcd``; :class:`StudyError` if there is none."""
        for endpoint in self.endpoints:
            if endpoint.paramcd == paramcd:
                return endpoint
        raise StudyError(f"{paramcd!r} is not one of the endpoints {self.paramcds}")

    @property
    def paramcds(self) -> list[str]:
        """``PARAMCD`` of every endpoint, in configuration order (= ``PARAMN`` order)."""
        return [endpoint.paramcd for endpoint in self.endpoints]

    def with_role(self, role: str) -> tuple[Endpoint, ...]:
        """The endpoints having ``role``, in configuration order."""
        if role not in ROLES:
            raise StudyError(f"unknown endpoint role {role!r}; roles are {', '.join(ROLES)}")
        return tuple(endpoint for endpoint in self.endpoints if endpoint.has_role(role))

    @property
    def primary_endpoint(self) -> Endpoint:
        """The one endpoint with the role ``primary``."""
        return self.with_role("primary")[0]


def visits_from_config(items: Sequence[Mapping]) -> tuple[Visit, ...]:
    """The visits of config ``visits``, in order."""
    return tuple(Visit(event=item["event"], avisit=item["avisit"], avisitn=float(item["avisitn"]),
                       day=int(item["day"]), window=int(item["window"]), forms=tuple(item["forms"]))
                 for item in items)


def _endpoint(item: Mapping) -> Endpoint:
    return Endpoint(paramcd=item["paramcd"], label=item["label"], unit=item.get("unit", ""), digits=int(item["digits"]),
                    source=dict(item["source"]), sets=tuple(item["sets"]), methods=tuple(item.get("methods", ())),
                    roles=tuple(item.get("roles", ())), mcid=item.get("mcid"),
                    sizing_effects=tuple(float(value) for value in item.get("sizing_effects", ())),
                    zero_if_not_done=tuple(item.get("zero_if_not_done", ())),
                    categorical=bool(item.get("categorical", False)))


def _check_visits(visits: Sequence[Visit]) -> None:
    for name in ("avisit", "event"):
        values = [getattr(visit, name) for visit in visits]
        if len(set(values)) != len(values):
            raise StudyError(f"config key 'visits': duplicated {name} in {values}")
    days = [visit.day for visit in visits]
    if days != sorted(days):
        raise StudyError(f"config key 'visits': nominal days {days} are not in increasing order")


def _check_endpoints(endpoints: Sequence[Endpoint]) -> None:
    codes = [endpoint.paramcd for endpoint in endpoints]
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise StudyError(f"config key 'endpoints': PARAMCD {', '.join(duplicated)} defined more than once")
    primary = [endpoint.paramcd for endpoint in endpoints if endpoint.has_role("primary")]
    if len(primary) != 1:
        raise StudyError(f"config key 'endpoints': exactly one endpoint needs the role 'primary', found {primary}")
    for endpoint in endpoints:
        source = endpoint.source.get("log_of")
        if source is not None and source not in codes:
            raise StudyError(f"config key 'endpoints': {endpoint.paramcd} is the log of {source!r}, "
                             "which is not an endpoint")
        if endpoint.has_role("responder") and endpoint.mcid is None:
            raise StudyError(f"config key 'endpoints': {endpoint.paramcd} has the role 'responder' but no 'mcid'")


def study_config(config: Mapping) -> dict:
    """The part of the configuration that defines the study model (:data:`STUDY_KEYS`), for a job's params."""
    return {key: config[key] for key in STUDY_KEYS}


def read_config(source: str | Path | Mapping) -> dict:
    """A configuration: ``source`` itself when it is a mapping, else the YAML file it names."""
    if isinstance(source, Mapping):
        return dict(source)
    import yaml

    return yaml.safe_load(Path(source).read_text(encoding="utf-8"))


def load_study(source: str | Path | Mapping) -> Study:
    """The study model from a configuration mapping or a ``config.yaml`` path (see :func:`read_config`)."""
    return Study.from_config(read_config(source))
