"""The power simulation in the pipeline: one job per endpoint, gathered into the power table.

A scenario's replicates come from its name and the configured seed alone, so one endpoint's
job run by itself, in another working directory, gives the same file byte for byte as the
full run on the shipped study, and one scenario simulated alone gives its rows of that file.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import yaml

from aidheart.analysis import power_job
from aidheart.analysis.power_plan import effect_label, power_scenarios
from conftest import SHIPPED_DATA, run_workflow

ROOT = Path(__file__).resolve().parents[1]
NEXT_TRIAL = yaml.safe_load((ROOT / "config/config.yaml").read_text())["next_trial"]


def test_power_table_has_every_scenario_and_counts_every_replicate(shipped_run):
    power = pd.read_csv(shipped_run / "results/power/power.csv")
    scenarios = power_scenarios(NEXT_TRIAL)
    assert power["scenario"].tolist() == [scenario.name for scenario in scenarios]
    for scenario in scenarios:
        endpoint = pd.read_csv(shipped_run / f"results/power/replicates/{scenario.paramcd}.csv",
                               dtype={"message": str}, keep_default_na=False)
        replicates = endpoint[endpoint["scenario"] == scenario.name]
        row = power.set_index("scenario").loc[scenario.name]
        assert len(replicates) == NEXT_TRIAL["replicates"] == row["replicates"]
        assert row["not_converged"] == (~replicates["converged"]).sum()
        assert replicates["message"].ne("").sum() == row["not_converged"]
    models = json.loads((shipped_run / "results/power/generating_models.json").read_text())
    assert list(models) == [endpoint["paramcd"] for endpoint in NEXT_TRIAL["endpoints"]]
    assert (shipped_run / "results/figures/power.png").stat().st_size > 0


def test_an_endpoint_run_alone_elsewhere_gives_the_same_replicates(shipped_run, tmp_path, monkeypatch):
    """Also with another ``python`` first on PATH: the command rules run Snakemake's own interpreter."""
    decoy = tmp_path / "decoy-bin"
    decoy.mkdir()
    (decoy / "python").write_text("#!/bin/sh\necho 'not the pipeline interpreter' >&2\nexit 97\n")
    (decoy / "python").chmod(0o755)
    monkeypatch.setenv("PATH", f"{decoy}{os.pathsep}{os.environ['PATH']}")
    paramcd = NEXT_TRIAL["endpoints"][-1]["paramcd"]
    shard = "shard000"
    workdir = tmp_path / "alone"
    (workdir / "results/power").mkdir(parents=True)
    shutil.copy(shipped_run / "results/power/generating_models.json", workdir / "results/power")
    run_workflow(workdir, SHIPPED_DATA, "--allowed-rules", "power_endpoint", "monitor_session", "--cores", "1",
                 f"results/power/replicates/{paramcd}.csv", f"results/interim/monitor/{shard}.readings.csv")
    for produced in (f"results/power/replicates/{paramcd}.csv", f"results/interim/monitor/{shard}.readings.csv"):
        assert (workdir / produced).read_bytes() == (shipped_run / produced).read_bytes(), produced


def test_a_scenario_simulated_alone_gives_its_rows_of_the_endpoint_file(shipped_run, tmp_path):
    """The last scenario of the last endpoint, alone in the job: the same rows, byte for byte."""
    scenario = power_scenarios(NEXT_TRIAL)[-1]
    alone = tmp_path / "alone.csv"
    power_job.main(["--models", str(shipped_run / "results/power/generating_models.json"), "--output", str(alone),
                    "--log", str(tmp_path / "alone.log"), "--paramcd", scenario.paramcd,
                    "--scenario", scenario.name, str(scenario.n_per_arm), effect_label(scenario.effect),
                    "--replicates", str(NEXT_TRIAL["replicates"]), "--seed", str(NEXT_TRIAL["seed"])])
    header, *rows = (shipped_run / f"results/power/replicates/{scenario.paramcd}.csv").read_text().splitlines()
    own = [row for row in rows if row.startswith(f"{scenario.name},")]
    assert len(own) == NEXT_TRIAL["replicates"]
    assert alone.read_text().splitlines() == [header, *own]
