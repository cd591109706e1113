"""Render a report from a pipeline run's results outside Snakemake, with what its rule passes.

``render_report(name, workdir, out_dir, renderer)`` renders ``reports/<name>.qmd`` with
the named inputs as path parameters (relative to ``workdir``, as Snakemake names
them), the rule's other parameters and metadata from ``config/config.yaml``, cells
run in ``workdir``.  Used to compare renders with each other and with the pipeline's.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from aidheart.cutoff import effective_cutoff
from aidheart.dsmb import report_metadata, report_parameters
from aidheart.render import render_document
from aidheart.study import study_config

REPO = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
REDCAP_FILES = sorted(str(path) for path in (REPO / "data" / "raw" / "redcap").glob("*.csv"))
CLEAN_TABLES = ("visits", "labs", "clinical", "walks", "challenge_sessions", "deviations", "diary", "inotrope_log",
                "completion")

INPUTS = {
    "analysis": {"ard": "results/stats/ard.csv", "adsl": "results/adam/adsl.csv", "adeff": "results/adam/adeff.csv",
                 "adae": "results/adam/adae.csv", "adlb": "results/adam/adlb.csv",
                 "input_files": "results/provenance/input_files.csv",
                 "run_info": "results/provenance/run_info.json", "power": "results/power/power.csv",
                 "power_models": "results/power/generating_models.json"},
    "data_quality": {"queries": "results/qc/queries.csv", "reconciliation": "results/qc/reconciliation.csv"},
    "dsmb": {**{name: f"results/clean/{name}.csv" for name in CLEAN_TABLES},
             "ae_clean": "results/clean/adverse_events.csv",
             **{name: f"results/adam/{name}.csv" for name in ("adsl", "adae", "adlb")}},
}
REPORTS = tuple(INPUTS)


def rule_parameters(name: str) -> tuple[dict, dict | None]:
    """(parameters besides the input files, metadata) the report's rule passes."""
    cutoff = dict(zip(("cutoff_date", "cutoff_source"), effective_cutoff(CONFIG, REDCAP_FILES)))
    if name == "analysis":
        keys = ("analysis", "safety", "progression_criteria", "trial_end_reason")
        return {**cutoff, "figures": "results/figures",
                "config": {**study_config(CONFIG), **{key: CONFIG[key] for key in keys}},
                "next_trial_arms": CONFIG["next_trial"]["arms"]}, None
    if name == "data_quality":
        return cutoff, None
    return report_parameters(CONFIG, REDCAP_FILES), report_metadata(CONFIG, REDCAP_FILES)


def render_report(name: str, workdir: Path, out_dir: Path, renderer: str) -> dict[str, Path]:
    """Render both formats of report ``name`` from ``workdir``'s results into ``out_dir``."""
    parameters, metadata = rule_parameters(name)
    outputs = {"html": out_dir / f"{name}.html", "pdf": out_dir / f"{name}.pdf"}
    used = render_document(REPO / "reports" / f"{name}.qmd", parameters={**INPUTS[name], **parameters},
                           outputs=outputs, renderer=renderer, workdir=workdir, metadata=metadata)
    assert used == renderer
    return outputs
