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
        Study.from_config(config)
        AnalysisPlan.from_config(config["analysis"])
    except (StudyError, PlanError) as error:
        raise ConfigError(str(error)) from None


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
