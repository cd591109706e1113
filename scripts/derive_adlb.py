"""Rule derive_adlb: neutrophil count and its CTCAE grade by visit (BDS)."""

from aidheart.derive.adlb import build_adlb
from aidheart.io import exit_on_write_error, read_table, write_table
from aidheart.rulelog import configure_rule_logging
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "derive_adlb")
adlb = build_adlb(
    read_table(snakemake.input.labs),
    read_table(snakemake.input.visits),
    read_table(snakemake.input.adsl),
    schedule=Study.from_config(snakemake.params.study).schedule,
    anc_lln=snakemake.params.anc_lln,
)
with exit_on_write_error(log):
    write_table(adlb, snakemake.output.adlb)
grades = adlb.loc[adlb["PARAMCD"] == "ANCGR", "AVAL"].value_counts().sort_index()
log.info("%d records; ANC grades: %s", len(adlb), dict(grades))
