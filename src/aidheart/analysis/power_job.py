"""One power scenario's job: ``python -m aidheart.analysis.power_job`` (numpy and the standard library).

Simulates and analyses the replicates of one scenario of the next trial
(:func:`aidheart.stats.trial_power.simulate_scenario`) from the endpoint's generating
model in ``--models`` (written by the rule ``power_models``) and writes one row per
replicate to ``--output``. An endpoint the pilot cannot model yet (its record holds
:data:`~aidheart.stats.trial_power.NOT_ESTIMABLE`) gives the header only.

A command, not a Snakemake ``script:``: a scenario is under a second of work, and a
``script:`` job would first spend about a third of a second importing Snakemake to
unpickle its arguments, in each of the dozens of scenario jobs.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging

from aidheart.io import atomic_paths, exit_on_write_error
from aidheart.rulelog import configure_rule_logging
from aidheart.stats.trial_power import NOT_ESTIMABLE, RESULT_FIELDS, GeneratingModel, replicate_rows, simulate_scenario


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m aidheart.analysis.power_job", description=__doc__)
    parser.add_argument("--models", required=True, help="generating models (JSON, one record per endpoint)")
    parser.add_argument("--output", required=True, help="output: one row per replicate (CSV)")
    parser.add_argument("--log", required=True, help="log file")
    parser.add_argument("--name", required=True, help="scenario name (seeds its random numbers with --seed)")
    parser.add_argument("--paramcd", required=True, help="endpoint whose generating model is used")
    parser.add_argument("--n-per-arm", type=int, required=True)
    parser.add_argument("--effect", required=True, help="effect label, a key of the record's 'effects'")
    parser.add_argument("--replicates", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    return parser


def scenario_rows(record: dict, args: argparse.Namespace, log: logging.Logger) -> tuple[list[str], list[dict]]:
    """The CSV columns and one row per replicate of the scenario ``args`` (none if not estimable)."""
    identity = {"scenario": args.name, "paramcd": args.paramcd, "n_per_arm": args.n_per_arm, "effect": args.effect}
    columns = [*identity, "delta", "replicate", *RESULT_FIELDS, "converged", "refitted", "message"]
    if NOT_ESTIMABLE in record:
        log.info("%s: not simulated: %s", args.name, record[NOT_ESTIMABLE])
        return columns, []
    delta = record["effects"][args.effect]
    results = simulate_scenario(GeneratingModel.from_record(record), name=args.name, seed=args.seed,
                                n_per_arm=args.n_per_arm, delta=delta, replicates=args.replicates)
    rows = list(replicate_rows(results, {**identity, "delta": delta}))
    log.info("%s: %d replicates, %d not converged, %d refitted one by one", args.name, len(rows),
             int((~results["converged"]).sum()), int(results["refitted"].sum()))
    return columns, rows


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    log = configure_rule_logging(args.log, "power_scenario")
    with open(args.models, encoding="utf-8") as handle:
        record = json.load(handle)[args.paramcd]
    columns, rows = scenario_rows(record, args, log)
    with exit_on_write_error(log), atomic_paths([args.output]) as (temporary,):
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()
