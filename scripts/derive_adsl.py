"""Rule derive_adsl: one record per screened subject, with the population flags (the first dataset)."""

from aidheart.derive.adsl import build_adsl
from aidheart.io import exit_on_write_error, read_table, write_table
from aidheart.rulelog import configure_rule_logging
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "derive_adsl")
tables = {name: read_table(path) for name, path in snakemake.input.items()}
adsl = build_adsl(
    tables["subjects"], tables["completion"], tables["diary"], tables["deviations"], tables["visits"],
    study=Study.from_config(snakemake.params.study),
    vis_weights=snakemake.params.vis_weights,
    adherence_min_pct=snakemake.params.adherence_min_pct,
)
with exit_on_write_error(log):
    write_table(adsl, snakemake.output.adsl)
flags = [column for column in adsl.columns if column.endswith("FL")]
log.info("%d subjects; %s", len(adsl), ", ".join(f"{flag}={(adsl[flag] == 'Y').sum()}" for flag in flags))
