"""Rule input_manifest: SHA-256 and size of every raw input file."""

from aidheart.io import exit_on_write_error, write_table
from aidheart.provenance import input_manifest
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "input_manifest")
manifest = input_manifest(snakemake.input)
with exit_on_write_error(log):
    write_table(manifest, snakemake.output[0])
log.info("hashed %d input files", len(manifest))
