"""The scenarios of the next trial's power simulation, from config ``next_trial``.

A scenario is one endpoint, one number of subjects per arm and one effect, named
``<PARAMCD>_n<n>_<effect>`` (``SIXMWD_n40_mcid``): the name is its identity, the seed
of its replicates (:func:`aidheart.stats.trial_power.scenario_rng`) and the stem of its
result file, so the workflow and the jobs agree on it without sharing anything else.
Effects are named: ``zero`` (no difference: the rejection rate is the type I error),
``pilot`` (the pilot's mean change from baseline at the primary visit), ``half_pilot``,
``mcid`` (the 6MWD's minimal clinically important difference); a number is named
``d<number>`` (``d15``, ``d0.005``). Pure Python, so the workflow can import it when it
loads.
"""

from __future__ import annotations

from dataclasses import dataclass

NAMED_EFFECTS = ("zero", "pilot", "half_pilot", "mcid")


def effect_label(effect: str | float) -> str:
    """``zero``, ``pilot``, ``half_pilot``, ``mcid`` as they are; a number ``x`` as ``d{x:g}``."""
    if isinstance(effect, str):
        if effect not in NAMED_EFFECTS:
            raise ValueError(f"unknown effect {effect!r}; use a number or one of {', '.join(NAMED_EFFECTS)}")
        return effect
    return f"d{effect:g}"


@dataclass(frozen=True)
class Scenario:
    """One simulated design: ``paramcd``, ``n_per_arm`` and the ``effect`` as configured."""

    paramcd: str
    n_per_arm: int
    effect: str | float

    @property
    def name(self) -> str:
        return f"{self.paramcd}_n{self.n_per_arm}_{effect_label(self.effect)}"


def power_scenarios(next_trial: dict) -> list[Scenario]:
    """Every endpoint x n x effect of config ``next_trial``, in config order."""
    return [Scenario(endpoint["paramcd"], n, effect)
            for endpoint in next_trial["endpoints"]
            for n in next_trial["n_per_arm"]
            for effect in endpoint["effects"]]


def scenario_named(next_trial: dict, name: str) -> Scenario:
    """The scenario called ``name``; ``KeyError`` naming it when the config has none."""
    for scenario in power_scenarios(next_trial):
        if scenario.name == name:
            return scenario
    raise KeyError(f"no power scenario {name!r} in config next_trial")
