"""Rule run_info: the configuration, code revision and package versions of this run (no wall clock)."""

import json

from aidheart.provenance import package_versions, run_info
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "run_info")
info = run_info(dict(snakemake.params.config), dict(snakemake.params.git), package_versions())
with open(snakemake.output[0], "w", encoding="utf-8") as handle:
    json.dump(info, handle, indent=2, sort_keys=True, default=str)
    handle.write("\n")
log.info("code revision %s (dirty: %s), cut-off %r", info["code_revision"], info["code_dirty"], info["cutoff_date"])
