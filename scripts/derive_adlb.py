"""Rule derive_adlb: the safety labs and their CTCAE grades by visit (BDS)."""

from aidheart.derive.adlb import build_adlb
from aidheart.derive.ctcae import safety_labs
from aidheart.io import exit_on_write_error, read_table, write_table
from aidheart.rulelog import configure_rule_logging
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "derive_adlb")
adlb = build_adlb(
    read_table(snakemake.input.labs),
    read_table(snakemake.input.visits),
    read_table(snakemake.input.adsl),
    schedule=Study.from_config(snakemake.params.study).schedule,
    safety_labs=safety_labs(snakemake.params.labs),
)
with exit_on_write_error(log):
    write_table(adlb, snakemake.output.adlb)
grades = adlb[adlb["PARAMCD"].str.endswith("GR")].groupby("PARAMCD")["AVAL"].max()
log.info("%d records; worst grade per lab: %s", len(adlb), dict(grades))
