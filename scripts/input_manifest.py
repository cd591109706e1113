"""Rule input_manifest: SHA-256 and size of every raw input file."""

from aidheart.provenance import input_manifest
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "input_manifest")
manifest = input_manifest(snakemake.input)
manifest.to_csv(snakemake.output[0], index=False, lineterminator="\n")
log.info("hashed %d input files", len(manifest))
