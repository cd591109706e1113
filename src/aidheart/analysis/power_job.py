"""One endpoint's power job: ``python -m aidheart.analysis.power_job`` (numpy and the standard library).

Simulates and analyses the replicates of each scenario (``--scenario NAME N EFFECT``,
in the order given) of one endpoint of the next trial
(:func:`aidheart.stats.trial_power.simulate_scenario`) from its generating model in
``--models`` (written by the rule ``power_models``) and writes one row per replicate to
``--output``, scenario after scenario. A scenario's replicates come from its name and
``--seed`` alone, so they are the same whichever scenarios share its job. An endpoint the
pilot cannot model yet (its record holds :data:`~aidheart.stats.trial_power.NOT_ESTIMABLE`)
gives the header only.

A command, not a Snakemake ``script:``: the job is seconds of numpy, and a ``script:`` job
would first spend about a third of a second importing Snakemake to unpickle its arguments.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging

from aidheart.io import atomic_paths, exit_on_write_error
from aidheart.rulelog import configure_rule_logging
from aidheart.stats.trial_power import NOT_ESTIMABLE, RESULT_FIELDS, GeneratingModel, replicate_rows, simulate_scenario

IDENTITY = ("scenario", "paramcd", "n_per_arm", "effect")
COLUMNS = [*IDENTITY, "delta", "replicate", *RESULT_FIELDS, "converged", "refitted", "message"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m aidheart.analysis.power_job", description=__doc__)
    parser.add_argument("--models", required=True, help="generating models (JSON, one record per endpoint)")
    parser.add_argument("--output", required=True, help="output: one row per replicate (CSV)")
    parser.add_argument("--log", required=True, help="log file")
    parser.add_argument("--paramcd", required=True, help="endpoint whose generating model is used")
    parser.add_argument("--scenario", nargs=3, action="append", required=True, metavar=("NAME", "N_PER_ARM", "EFFECT"),
                        help="a scenario: its name (seeds its random numbers with --seed), subjects per arm and "
                             "effect label (a key of the record's 'effects'); repeated, in output order")
    parser.add_argument("--replicates", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    return parser


def scenario_rows(record: dict, paramcd: str, scenario: tuple[str, int, str], *, replicates: int, seed: int,
                  log: logging.Logger) -> list[dict]:
    """One row per replicate of ``scenario`` = (name, n per arm, effect label); none if not estimable."""
    name, n_per_arm, effect = scenario
    if NOT_ESTIMABLE in record:
        log.info("%s: not simulated: %s", name, record[NOT_ESTIMABLE])
        return []
    identity = {"scenario": name, "paramcd": paramcd, "n_per_arm": n_per_arm, "effect": effect}
    delta = record["effects"][effect]
    results = simulate_scenario(GeneratingModel.from_record(record), name=name, seed=seed, n_per_arm=n_per_arm,
                                delta=delta, replicates=replicates)
    rows = list(replicate_rows(results, {**identity, "delta": delta}))
    log.info("%s: %d replicates, %d not converged, %d refitted one by one", name, len(rows),
             int((~results["converged"]).sum()), int(results["refitted"].sum()))
    return rows


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    log = configure_rule_logging(args.log, "power_endpoint")
    with open(args.models, encoding="utf-8") as handle:
        record = json.load(handle)[args.paramcd]
    scenarios = [(name, int(n_per_arm), effect) for name, n_per_arm, effect in args.scenario]
    rows = [row for scenario in scenarios
            for row in scenario_rows(record, args.paramcd, scenario, replicates=args.replicates, seed=args.seed,
                                     log=log)]
    with exit_on_write_error(log), atomic_paths([args.output]) as (temporary,):
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()
