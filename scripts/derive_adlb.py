"""Rule derive_adlb: neutrophil count and its CTCAE grade by visit (BDS)."""

from aidheart.derive.adlb import build_adlb
from aidheart.derive.tables import read_table, write_table
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "derive_adlb")
adlb = build_adlb(
    read_table(snakemake.input.labs),
    read_table(snakemake.input.visits),
    study_id=snakemake.params.study_id,
    visits=snakemake.params.visits,
    anc_lln=snakemake.params.anc_lln,
)
write_table(adlb, snakemake.output.adlb)
grades = adlb.loc[adlb["PARAMCD"] == "ANCGR", "AVAL"].value_counts().sort_index()
log.info("%d records; ANC grades: %s", len(adlb), dict(grades))
