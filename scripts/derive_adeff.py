"""Rule derive_adeff: every endpoint of the configuration by visit (BDS), with baseline and change."""

from aidheart.derive.adeff import build_adeff
from aidheart.io import exit_on_write_error, read_table, write_table
from aidheart.rulelog import configure_rule_logging
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "derive_adeff")
tables = {name: read_table(path) for name, path in snakemake.input.items()}
adeff = build_adeff(
    tables["adsl"], tables["adstep"], tables["walks"], tables["labs"], tables["clinical"], tables["inotrope_log"],
    tables["visits"],
    study=Study.from_config(snakemake.params.study),
    vis_weights=snakemake.params.vis_weights,
    min_distinct_doses=snakemake.params.min_distinct_doses,
)
with exit_on_write_error(log):
    write_table(adeff, snakemake.output.adeff)
summary = adeff.groupby("PARAMCD", sort=False).agg(records=("AVAL", "size"), values=("AVAL", "count"))
for paramcd, row in summary.iterrows():
    log.info("%s: %d records, %d with a value", paramcd, row["records"], row["values"])
for row in adeff[adeff["AVAL"].isna() & adeff["REASND"].notna()].itertuples():
    log.info("no value: %s %s %s: %s", row.USUBJID, row.PARAMCD, row.AVISIT, row.REASND)
