"""Benchmark: the next trial's power simulation in one process, batched fits beside one fit at a time.

Not a test. Reads the generating models of a pipeline run (``results/power/generating_models.json``,
written by ``make run``) and the ``next_trial`` settings of ``config/config.yaml``, then times, as
process CPU time (the fairer figure on a shared machine) and wall time:

1. every scenario of the configuration (endpoint x n per arm x effect, the configured replicates
   each) as its job computes it: simulate, fit every replicate batched, Kenward-Roger contrast —
   the aim is about 10 s of CPU in all for the default configuration;
2. 10,000 fits in one scenario (``--fits``; the primary endpoint, the largest n, the pilot's
   effect), batched;
3. the same fits one at a time with the single-fit engine
   (:func:`aidheart.stats.mmrm_fit.fit_mmrm_arrays` + one Kenward-Roger contrast) on the first
   ``--single`` replicates, per fit, with the largest difference from the batched results.

The Snakemake jobs add their own start-up (Python, Snakemake's script preamble and numpy,
about 0.3-0.5 s per job) on top of (1); ``bench/bench_pipeline.py`` times the workflow. BLAS
runs on one thread, as in a Snakemake job (which sets ``OMP_NUM_THREADS`` and
``OPENBLAS_NUM_THREADS`` to the job's threads, 1), unless those variables are set.

Usage: ``python bench/bench_power.py [--models PATH] [--fits N] [--single N]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(variable, "1")  # before numpy loads its BLAS

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from aidheart.analysis.power_plan import effect_label, power_scenarios  # noqa: E402
from aidheart.stats.mmrm_fit import fit_mmrm_arrays  # noqa: E402
from aidheart.stats.trial_power import (  # noqa: E402
    GeneratingModel,
    analyse_trials,
    analysis_design,
    scenario_rng,
    simulate_scenario,
    simulate_trials,
)

ROOT = Path(__file__).resolve().parents[1]


def timed(function, *args, **kwargs):
    """Result, wall and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=ROOT / "results/power/generating_models.json")
    parser.add_argument("--fits", type=int, default=10_000)
    parser.add_argument("--single", type=int, default=200)
    args = parser.parse_args()
    if not args.models.exists():
        sys.exit(f"bench_power: {args.models} not found; run the pipeline first (make run)")
    records = json.loads(args.models.read_text())
    next_trial = yaml.safe_load((ROOT / "config/config.yaml").read_text())["next_trial"]
    models = {paramcd: GeneratingModel.from_record(record) for paramcd, record in records.items()}

    total_wall = total_cpu = 0.0
    fits = 0
    scenarios = power_scenarios(next_trial)
    for scenario in scenarios:
        delta = records[scenario.paramcd]["effects"][effect_label(scenario.effect)]
        results, wall, cpu = timed(simulate_scenario, models[scenario.paramcd], name=scenario.name,
                                   seed=next_trial["seed"], n_per_arm=scenario.n_per_arm, delta=delta,
                                   replicates=next_trial["replicates"])
        total_wall, total_cpu, fits = total_wall + wall, total_cpu + cpu, fits + len(results["converged"])
        print(f"{scenario.name:<24s} CPU {cpu:6.3f} s  wall {wall:6.3f} s  refitted {int(results['refitted'].sum()):3d}"
              f"  not converged {int((~results['converged']).sum()):3d}")
    print(f"all {len(scenarios)} scenarios, {fits} fits: CPU {total_cpu:.2f} s, wall {total_wall:.2f} s"
          f" ({1000 * total_cpu / fits:.3f} ms CPU per fit; aim about 10 s)")

    paramcd = next_trial["endpoints"][0]["paramcd"]
    model, n_per_arm = models[paramcd], max(next_trial["n_per_arm"])
    delta = records[paramcd]["effects"].get("pilot", 0.0)
    change, z = simulate_trials(model, n_per_arm, delta, args.fits, scenario_rng("bench", next_trial["seed"]))
    batched, wall, cpu = timed(analyse_trials, change, z, model.primary)
    print(f"{args.fits} fits batched ({paramcd}, {n_per_arm} per arm): CPU {cpu:.2f} s, wall {wall:.2f} s "
          f"({1000 * cpu / args.fits:.3f} ms per fit)")

    maps, contrast = analysis_design(len(model.visits), model.primary)
    worst = dict.fromkeys(("estimate", "std_error", "df"), 0.0)
    wall, cpu = time.perf_counter(), time.process_time()
    for r in range(args.single):
        fit = fit_mmrm_arrays(change[r], np.einsum("sqa,na->nsq", maps, z[r]), "us")
        single = fit.contrast(contrast, "kenward-roger")
        for key in worst:
            worst[key] = max(worst[key], abs(batched[key][r] / single[key] - 1))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{args.single} fits one at a time: {1000 * cpu / args.single:.3f} ms CPU per fit "
          f"({1000 * wall / args.single:.3f} ms wall); batched is {cpu / args.single / (total_cpu / fits):.0f}x "
          f"faster per fit")
    print("largest relative difference, batched vs one at a time: "
          + ", ".join(f"{key} {value:.1e}" for key, value in worst.items()))


if __name__ == "__main__":
    main()
