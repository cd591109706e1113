# AID-HEART analysis pipeline: raw exports -> clean tables -> ADaM datasets ->
# analysis results -> reports. Stages live in workflow/rules/, one per file.
import sys
from pathlib import Path

from snakemake.utils import min_version

min_version("9.0")

# Paths in the configuration are relative to this folder, so the workflow also runs
# with --directory elsewhere (tests, benchmarks) on the shipped study.
configfile: f"{workflow.basedir}/config/config.yaml"

sys.path.insert(0, str(Path(workflow.basedir) / "src"))
from aidheart.config import ConfigError, validate_config

try:
    validate_config(config, Path(workflow.basedir) / "workflow/schemas/config.schema.yaml")
except ConfigError as error:
    sys.exit(f"AID-HEART: {error}")


include: "workflow/rules/common.smk"
include: "workflow/rules/provenance.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/clean.smk"
include: "workflow/rules/derive.smk"
include: "workflow/rules/queries.smk"
include: "workflow/rules/adam_export.smk"
include: "workflow/rules/analyse.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/power.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/dsmb.smk"
include: "workflow/cluster/preflight.smk"


rule all:
    input:
        all_targets(),
    default_target: True
