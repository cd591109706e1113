"""Rule power_models: the pilot's generating model of each next-trial endpoint, as JSON."""

import json

import pandas as pd

from aidheart.analysis.power import PowerSetupError, generating_models
from aidheart.rulelog import configure_rule_logging

log = configure_rule_logging(snakemake.log[0], "power_models")
params = snakemake.params
adsl = pd.read_csv(snakemake.input.adsl)
adeff = pd.read_csv(snakemake.input.adeff)
try:
    models = generating_models(adsl, adeff, visits=params.visits, next_trial=params.next_trial, mcid=params.mcid)
except PowerSetupError as error:
    log.error("%s", error)
    raise SystemExit(f"AID-HEART: {error}") from None
labels = adeff.drop_duplicates("PARAMCD").set_index("PARAMCD")["PARAM"].to_dict()
for paramcd, model in models.items():
    model["param"] = labels.get(paramcd, paramcd)
    log.info("%s: %d subjects, visits %s, pilot change %.6g, residual SD %.6g, retention %s", paramcd,
             model["n_subjects"], model["visits"], model["pilot_change"], model["residual_sd"], model["retention"])
with open(snakemake.output.models, "w", encoding="utf-8") as handle:
    handle.write(json.dumps(models, indent=1) + "\n")
