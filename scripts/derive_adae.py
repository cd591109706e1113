"""Rule derive_adae: adverse events with the treatment-emergent flag."""

from aidheart.derive.adae import build_adae
from aidheart.io import exit_on_write_error, read_table, write_table
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "derive_adae")
adae = build_adae(
    read_table(snakemake.input.adverse_events),
    read_table(snakemake.input.adsl),
    teae_window_days=snakemake.params.teae_window_days,
)
with exit_on_write_error(log):
    write_table(adae, snakemake.output.adae)
log.info("%d adverse events, %d treatment-emergent", len(adae), (adae["TRTEMFL"] == "Y").sum())
