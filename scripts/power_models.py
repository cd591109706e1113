"""Rule power_models: the pilot's generating model of each next-trial endpoint, as JSON."""

import json

from aidheart.analysis.power import PowerSetupError, generating_models
from aidheart.io import exit_on_write_error, read_table, write_text
from aidheart.rulelog import configure_rule_logging, exit_on_error
from aidheart.stats.trial_power import NOT_ESTIMABLE
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "power_models")
with exit_on_error(PowerSetupError, log):
    models = generating_models(read_table(snakemake.input.adsl), read_table(snakemake.input.adeff),
                               study=Study.from_config(snakemake.params.study), next_trial=snakemake.params.next_trial)
for paramcd, model in models.items():
    if NOT_ESTIMABLE in model:
        log.info("%s: no generating model yet: %s", paramcd, model[NOT_ESTIMABLE])
        continue
    log.info("%s: %d subjects, visits %s, pilot change %.6g, residual SD %.6g, retention %s", paramcd,
             model["n_subjects"], model["visits"], model["pilot_change"], model["residual_sd"], model["retention"])
with exit_on_write_error(log):
    write_text(snakemake.output.models, json.dumps(models, indent=1) + "\n")
