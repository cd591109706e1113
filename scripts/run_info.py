"""Rule run_info: the configuration, code revision and package versions of this run (no wall clock)."""

import json

from aidheart.io import exit_on_write_error, write_text
from aidheart.provenance import package_versions, run_info
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "run_info")
info = run_info(dict(snakemake.params.config), dict(snakemake.params.git), package_versions())
with exit_on_write_error(log):
    write_text(snakemake.output[0], json.dumps(info, indent=2, sort_keys=True, default=str) + "\n")
log.info("code revision %s (dirty: %s), cut-off %r", info["code_revision"], info["code_dirty"], info["cutoff_date"])
