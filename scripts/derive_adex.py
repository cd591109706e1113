"""Rule derive_adex: exposure and adherence of the safety population (BDS)."""

from aidheart.derive.adex import build_adex
from aidheart.io import exit_on_write_error, read_table, write_table
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "derive_adex")
adex = build_adex(read_table(snakemake.input.adsl))
with exit_on_write_error(log):
    write_table(adex, snakemake.output.adex)
log.info("%d records of %d subjects", len(adex), adex["USUBJID"].nunique())
