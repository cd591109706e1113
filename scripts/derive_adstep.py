"""Rule derive_adstep: steady-state cardiac index and heart rate of every challenge dose step."""

from aidheart.derive.adstep import build_adstep
from aidheart.io import exit_on_write_error, read_table, write_table
from aidheart.rulelog import configure_rule_logging
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "derive_adstep")
challenge = snakemake.params.challenge
adstep = build_adstep(
    read_table(snakemake.input.sessions),
    read_table(snakemake.input.steps),
    read_table(snakemake.input.readings),
    read_table(snakemake.input.adsl),
    schedule=Study.from_config(snakemake.params.study).schedule,
    vis_weights=snakemake.params.vis_weights,
    steady_state_minutes=challenge["steady_state_minutes"],
    min_valid_readings=challenge["min_valid_readings"],
)
with exit_on_write_error(log):
    write_table(adstep, snakemake.output.adstep)
log.info("%d steps of %d sessions; %d usable", len(adstep),
         adstep[["USUBJID", "AVISIT"]].drop_duplicates().shape[0], (adstep["USABLFL"] == "Y").sum())
for row in adstep[adstep["USABLFL"] != "Y"].itertuples():
    log.info("step not usable: %s %s step %s: %s", row.USUBJID, row.AVISIT, row.STEP, row.REASND)
