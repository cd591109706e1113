"""Rule derive_adae: adverse events with the treatment-emergent flag."""

from aidheart.derive.adae import build_adae
from aidheart.derive.tables import read_table, write_table
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "derive_adae")
adae = build_adae(
    read_table(snakemake.input.adverse_events),
    read_table(snakemake.input.adsl),
    study_id=snakemake.params.study_id,
    teae_window_days=snakemake.params.teae_window_days,
)
write_table(adae, snakemake.output.adae)
log.info("%d adverse events, %d treatment-emergent", len(adae), (adae["TRTEMFL"] == "Y").sum())
