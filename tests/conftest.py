"""Shared fixtures: run the whole workflow into a temporary working directory.

``run_workflow(workdir, data_dir, *args)`` runs ``snakemake -s <repo>/Snakefile
--directory workdir --config data_dir=...`` and returns the completed process;
``shipped_run`` is one full run on the shipped study for the whole session
(end-to-end tests read its ``results/``, ``logs/`` and ``.snakemake/log``).

Local runs find ``workflow/cluster/no-controller/scontrol`` first on ``PATH``, a stand-in that
fails at once.
Every Snakemake start loads the SLURM executor plugin, whose settings ask ``scontrol show
config`` for SLURM's MinJobAge with a 10 s timeout; where SLURM's clients are installed and no
controller runs (this machine between the cluster tests) that costs about 9 s per Snakemake
call, the plugin then falling back to its defaults, as the stand-in's failure makes it do at
once. The cluster tests (tests/test_slurm_cluster.py) put the real ``PATH`` back.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHIPPED_DATA = REPO / "data" / "raw"
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
#: PATH as the tests were started with; the cluster tests run with it (module notes).
CLIENT_PATH = os.environ.get("PATH", "")


@pytest.fixture(scope="session", autouse=True)
def scontrol_stand_in():
    """``workflow/cluster/no-controller`` first on PATH for the session (module notes)."""
    os.environ["PATH"] = os.pathsep.join([str(REPO / "workflow" / "cluster" / "no-controller"), CLIENT_PATH])
    yield
    os.environ["PATH"] = CLIENT_PATH


def run_workflow(workdir: Path, data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run the workflow with ``data_dir`` into ``workdir``; ``args`` are extra snakemake arguments."""
    command = [str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", str(workdir),
               "--config", f"data_dir={Path(data_dir).resolve()}", *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=workdir)
    if check and done.returncode != 0:
        raise AssertionError(f"snakemake failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return done


def copy_study(source: Path, target: Path) -> Path:
    """A writable copy of a study folder (redcap/ and monitor/ only, never truth.json)."""
    for part in ("redcap", "monitor"):
        shutil.copytree(source / part, target / part)
    return target


@pytest.fixture(scope="session")
def shipped_run(tmp_path_factory) -> Path:
    """Working directory of one full ``snakemake --cores 2`` run on the shipped study."""
    workdir = tmp_path_factory.mktemp("shipped_run")
    run_workflow(workdir, SHIPPED_DATA, "--cores", "2")
    return workdir


def clean_folder(data_dir: Path, config: dict | None = None):
    """Run the monitor-job and cleaning library steps in-process on a study folder (no Snakemake).

    Returns the :class:`aidheart.clean.study.CleanResult`. ``config`` defaults to
    ``config/config.yaml``.
    """
    import pandas as pd
    import yaml

    from aidheart.clean.settings import CleanSettings
    from aidheart.clean.study import MonitorParts, clean_study, find_redcap_files
    from aidheart.ingest.monitor_checks import READING_COLUMNS, SESSION_COLUMNS, ValidityRule
    from aidheart.ingest.monitor_job import process_files
    from aidheart.ingest.queries import QUERY_COLUMNS

    config = config or yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    challenge = config["challenge"]
    rule = ValidityRule(challenge["signal_quality_min"], tuple(challenge["cardiac_index_range"]),
                        tuple(challenge["heart_rate_range"]))
    readings = []
    files = sorted(str(path) for path in (data_dir / "monitor").iterdir() if path.suffix.lower() == ".csv")
    queries, sessions = process_files(files, str(data_dir), rule, readings.append)
    parts = MonitorParts(pd.DataFrame(readings, columns=list(READING_COLUMNS), dtype=str),
                         pd.DataFrame(queries, columns=list(QUERY_COLUMNS), dtype=str),
                         pd.DataFrame(sessions, columns=list(SESSION_COLUMNS), dtype=str))
    export, dictionary = find_redcap_files(list((data_dir / "redcap").glob("*.csv")), data_dir)
    return clean_study(export, dictionary, parts, CleanSettings.from_config(config), data_dir)
