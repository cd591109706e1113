"""Rule analyse: the analysis plan on ADSL and ADEFF, written as the analysis results dataset."""

from aidheart.analysis.build import build_ard
from aidheart.io import exit_on_write_error, read_table, write_ard
from aidheart.rulelog import configure_rule_logging
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "analyse")
ard = build_ard(read_table(snakemake.input.adsl), read_table(snakemake.input.adeff),
                study=Study.from_config(snakemake.params.study), analysis=snakemake.params.analysis,
                sizing=snakemake.params.sizing, accrual_start=snakemake.params.accrual_start,
                adherence_min_pct=snakemake.params.adherence_min_pct)
with exit_on_write_error(log):
    write_ard(ard, snakemake.output.ard)
empty = ard["note"].fillna("").str.len().gt(0) & ard["estimate"].isna()
log.info("%d ARD rows, %d without an estimate (see their note)", len(ard), int(empty.sum()))
