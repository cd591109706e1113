"""The workflow loads only with a valid configuration, and says which key is wrong."""

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from aidheart.config import ConfigError, validate_config

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))


@pytest.fixture()
def config():
    return yaml.safe_load((ROOT / "config/config.yaml").read_text())


def test_shipped_config_is_valid(config):
    assert validate_config(config, SCHEMA) is config


@pytest.mark.parametrize(
    ("change", "named_key"),
    [
        (lambda c: c.update(cutoff_date="notadate"), "cutoff_date"),
        (lambda c: c.update(cutoff_date="2025-02-30"), "cutoff_date"),
        (lambda c: c.update(colour="blue"), "colour"),
        (lambda c: c["challenge"].update(signal_quality_min=160), "challenge.signal_quality_min"),
        (lambda c: c["study"].pop("enrolment_target"), "study.enrolment_target"),
        (lambda c: c["visits"][1].update(day=0), "visits.1.day"),
        (lambda c: c.update(primary_visit="Week 99"), "primary_visit"),
        (lambda c: c.update(renderer="latex"), "renderer"),
        (lambda c: c["stopping_rules"][0].update(threshold=0), "stopping_rules.0.threshold"),
        (lambda c: c["endpoints"][0].update(paramcd="LNTPROBNP"), "endpoints.0.paramcd"),  # 9 > 8 characters
        (lambda c: c["endpoints"][5].update(source={"log_of": "ESR"}), "endpoints"),  # not an endpoint
        (lambda c: c["endpoints"][1].update(roles=["primary"]), "endpoints"),  # two primary endpoints
        (lambda c: c["endpoints"][3].pop("mcid"), "endpoints"),  # a responder endpoint needs its MCID
        (lambda c: c["endpoints"].append(dict(c["endpoints"][0], roles=[])), "endpoints"),  # PARAMCD twice
        (lambda c: c["visits"][1].update(forms=["diary"]), "visits.1.forms.0"),
        (lambda c: c["visits"][2].update(avisit="Week 2"), "visits"),
    ],
)
def test_bad_value_names_its_key(config, change, named_key):
    bad = copy.deepcopy(config)
    change(bad)
    with pytest.raises(ConfigError) as error:
        validate_config(bad, SCHEMA)
    message = str(error.value)
    assert named_key in message
    assert "\n" not in message


def _snakemake(*args):
    return subprocess.run([SNAKEMAKE, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_bad_cutoff_stops_snakemake_at_once_with_one_line():
    result = _snakemake("-n", "--config", "cutoff_date=notadate")
    assert result.returncode != 0
    chatter = ("extended by additional config", "Using workflow specific profile")
    lines = [line for line in result.stderr.splitlines()
             if line.strip() and not any(text in line for text in chatter)]
    assert lines == [lines[0]] and "cutoff_date" in lines[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_dry_run_plans_the_workflow():
    result = _snakemake("-n", "--quiet")
    assert result.returncode == 0, result.stderr


def test_lint_is_clean():
    result = _snakemake("--lint")
    assert result.returncode == 0, result.stdout + result.stderr


def test_slurm_profile_plans_without_code_change(tmp_path):
    result = _snakemake("-n", "--profile", "workflow/profiles/slurm", "--jobs", "4", "--directory", str(tmp_path))
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "Using profiles workflow/profiles/slurm" in output
    assert "Job stats" in output and "all" in output
