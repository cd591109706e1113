"""Rule power_scenario: simulate and analyse one scenario's replicates of the next trial."""

import csv
import json

from aidheart.io import atomic_paths, exit_on_write_error
from aidheart.rulelog import configure_rule_logging
from aidheart.stats.trial_power import NOT_ESTIMABLE, RESULT_FIELDS, GeneratingModel, replicate_rows, simulate_scenario

log = configure_rule_logging(snakemake.log[0], "power_scenario")
setting = snakemake.params.scenario
with open(snakemake.input.models, encoding="utf-8") as handle:
    record = json.load(handle)[setting["paramcd"]]
identity = {"scenario": setting["name"], "paramcd": setting["paramcd"], "n_per_arm": setting["n_per_arm"],
            "effect": setting["effect"]}
if NOT_ESTIMABLE in record:  # no generating model yet: no replicates, the header only
    rows = []
    log.info("%s: not simulated: %s", setting["name"], record[NOT_ESTIMABLE])
else:
    delta = record["effects"][setting["effect"]]
    results = simulate_scenario(GeneratingModel.from_record(record), name=setting["name"], seed=setting["seed"],
                                n_per_arm=setting["n_per_arm"], delta=delta, replicates=setting["replicates"])
    rows = list(replicate_rows(results, {**identity, "delta": delta}))
    log.info("%s: %d replicates, %d not converged, %d refitted one by one", setting["name"], len(rows),
             int((~results["converged"]).sum()), int(results["refitted"].sum()))
columns = [*identity, "delta", "replicate", *RESULT_FIELDS, "converged", "refitted", "message"]
with exit_on_write_error(log), atomic_paths([snakemake.output.replicates]) as (temporary,):
    with open(temporary, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
