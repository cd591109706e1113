"""Rule derive_adsl: one record per screened subject, with the population flags."""

from aidheart.derive.adsl import build_adsl
from aidheart.derive.tables import read_table, write_table
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "derive_adsl")
tables = {name: read_table(path) for name, path in snakemake.input.items()}
adsl = build_adsl(
    tables["subjects"], tables["completion"], tables["diary"], tables["deviations"], tables["visits"],
    tables["adeff"],
    study_id=snakemake.params.study_id,
    visits=snakemake.params.visits,
    end_of_treatment_visit=snakemake.params.end_of_treatment_visit,
    vis_weights=snakemake.params.vis_weights,
    adherence_min_pct=snakemake.params.adherence_min_pct,
)
write_table(adsl, snakemake.output.adsl)
flags = [column for column in adsl.columns if column.endswith("FL") or column.startswith("EFF_")]
log.info("%d subjects; %s", len(adsl), ", ".join(f"{flag}={(adsl[flag] == 'Y').sum()}" for flag in flags))
