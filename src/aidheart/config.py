"""Validation of the pipeline configuration against its JSON schema.

The Snakefile calls :func:`validate_config` when the workflow loads; a bad value
stops the run with one line that names the key (``config key 'cutoff_date': ...``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jsonschema
import yaml

from aidheart.analysis.plan import AnalysisPlan, PlanError
from aidheart.analysis.power_plan import power_scenarios
from aidheart.study import Study, StudyError


class ConfigError(ValueError):
    """A configuration value that the pipeline cannot run with; the message is one line."""


def _key_path(path) -> str:
    return ".".join(str(part) for part in path) or "<top level>"


def _schema_error_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        where = _key_path(error.absolute_path)
        keys = ", ".join(repr(key) for key in unknown)
        return f"config key {keys} is not a known key (under {where})"
    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        prefix = "".join(f"{part}." for part in error.absolute_path)
        return f"config key '{prefix}{missing[0]}' is missing"
    return f"config key '{_key_path(error.absolute_path)}': {error.instance!r} is not valid ({error.message})"


def _check_semantics(config: dict) -> None:
    cutoff = config["cutoff_date"]
    if cutoff:
        try:
            dt.date.fromisoformat(cutoff)
        except ValueError:
            message = f"config key 'cutoff_date': {cutoff!r} is not a calendar date (YYYY-MM-DD or empty)"
            raise ConfigError(message) from None
    try:
        study = Study.from_config(config)
        AnalysisPlan.from_config(config["analysis"])
    except (StudyError, PlanError) as error:
        raise ConfigError(str(error)) from None
    _check_next_trial(config["next_trial"], study)


def _check_next_trial(next_trial: dict, study: Study) -> None:
    """The next trial's endpoints are the study's, its visits post-baseline visits, its settings usable."""
    post = [visit.avisit for visit in study.schedule.post_baseline]
    primary = next_trial["primary_visit"]
    if primary not in post:
        raise ConfigError(f"config key 'next_trial.primary_visit': {primary!r} is not one of the post-baseline "
                          f"visits {post}")
    for entry in next_trial["endpoints"]:
        if entry["paramcd"] not in study.paramcds:
            raise ConfigError(f"config key 'next_trial.endpoints': {entry['paramcd']!r} is not one of the "
                              f"endpoints {study.paramcds}")
        if "mcid" in entry["effects"] and study.endpoint(entry["paramcd"]).mcid is None:
            raise ConfigError(f"config key 'next_trial.endpoints': effect 'mcid' of {entry['paramcd']}, which has "
                              "no mcid in config endpoints")
    settings = [("effect_shape", next_trial["effect_shape"])]
    if isinstance(next_trial["retention"], dict):
        settings.append(("retention", next_trial["retention"]))
    for key, setting in settings:
        unknown = [visit for visit in setting if visit not in post]
        if unknown:
            raise ConfigError(f"config key 'next_trial.{key}': {unknown[0]!r} is not one of the post-baseline "
                              f"visits {post}")
    if next_trial["effect_shape"].get(primary) != 1:
        raise ConfigError(f"config key 'next_trial.effect_shape': the primary visit {primary!r} must have 1 "
                          "(the effect is the difference there)")
    if isinstance(next_trial["retention"], dict):
        shares = [next_trial["retention"][visit] for visit in post if visit in next_trial["retention"]]
        if any(later > earlier for earlier, later in zip(shares, shares[1:])):
            raise ConfigError(f"config key 'next_trial.retention': {shares} increases over the visits "
                              "(dropout is monotone)")
    names = [scenario.name for scenario in power_scenarios(next_trial)]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ConfigError(f"config key 'next_trial': two scenarios are both named {repeated[0]!r} "
                          "(endpoints or effects listed twice?)")


def validate_config(config: dict, schema_path: str | Path) -> dict:
    """Check ``config`` against the schema and the cross-key rules; return it unchanged.

    Raises
    ------
    ConfigError
        With a one-line message naming the first offending key.
    """
    schema = yaml.safe_load(Path(schema_path).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(config))
    if error is not None:
        raise ConfigError(_schema_error_message(error))
    _check_semantics(config)
    return config
