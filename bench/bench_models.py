"""Benchmark: the MMRM engine on a large and a small two-arm trial, the pipeline's models, statsmodels beside.

Not a test. Generates a seeded two-arm trial in long format (``USUBJID, AVISIT, ARM, BASE,
CHG`` over 4 visits, an AR(1)-like unstructured covariance, 0/10/15/20 % of visits
missing) and times, as wall time and process CPU time (the CPU time is the fairer figure
on a shared machine):

1. ``CHG ~ BASE + ARM * AVISIT + us(AVISIT | USUBJID)`` with Kenward-Roger and the LS
   means ``ARM*AVISIT`` from the table (design + fit + ARD), on ``--subjects`` (default
   20,000) subjects, best of 3 — the target is 1 s;
2. the same on 200 subjects, best of ``--repeats``: from the table, and from the design's
   arrays (:func:`aidheart.stats.mmrm_fit.fit_mmrm_arrays` + one Kenward-Roger contrast, as
   a power simulation calls it) — the target is 20 ms;
3. the pipeline's ``fit_lmm`` (random intercept, Satterthwaite + KR) and ``fit_mmrm``
   (``CHG ~ visit + BASE + BASE:visit``) on the large table;
4. statsmodels where it has the model: ``MixedLM`` random intercept by REML (lbfgs) against
   the engine's ``cs`` structure (the same model when the subject variance is positive) on
   the large table, with the estimates side by side. statsmodels has no unstructured
   residual covariance and no Satterthwaite or Kenward-Roger df.

Usage: ``python bench/bench_models.py [--subjects N] [--repeats R] [--seed S] [--no-statsmodels]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from aidheart.stats.lmm import fit_lmm
from aidheart.stats.mmrm import fit_mmrm
from aidheart.stats.mmrm_ard import mmrm_ard
from aidheart.stats.mmrm_fit import fit_mmrm_arrays
from aidheart.stats.mmrm_model import fit_formula, mmrm_design

VISITS = ["W4", "W8", "W12", "W16"]
FORMULA = "CHG ~ BASE + ARM * AVISIT + us(AVISIT | USUBJID)"
REFERENCE = {"ARM": "PBO"}


def simulate(n_subjects: int, seed: int) -> pd.DataFrame:
    """Two-arm trial, change from baseline at 4 visits, some visits missing at random."""
    rng = np.random.default_rng(seed)
    k = len(VISITS)
    arm = rng.integers(0, 2, n_subjects)
    base = rng.normal(300, 60, n_subjects)
    lag = np.abs(np.subtract.outer(range(k), range(k)))
    sigma = 900 * 0.6**lag + 400
    effect = np.array([5.0, 10.0, 15.0, 20.0])
    change = (np.array([2.0, 4.0, 5.0, 6.0]) + arm[:, None] * effect - 0.2 * (base[:, None] - 300)
              + rng.multivariate_normal(np.zeros(k), sigma, n_subjects))
    change[rng.random(change.shape) < np.array([0.0, 0.10, 0.15, 0.20])] = np.nan
    frame = pd.DataFrame({
        "USUBJID": np.repeat([f"S{i:05d}" for i in range(n_subjects)], k),
        "AVISIT": np.tile(VISITS, n_subjects),
        "ARM": np.repeat(np.where(arm == 1, "TRT", "PBO"), k),
        "BASE": np.repeat(base, k),
        "CHG": change.ravel(),
    })
    return frame.dropna(subset=["CHG"]).reset_index(drop=True)


def timed(function, *args, repeats: int = 1, **kwargs):
    """Result and the best (wall, CPU) seconds over ``repeats`` runs."""
    best_wall = best_cpu = np.inf
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*args, **kwargs)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return result, best_wall, best_cpu


def report(label: str, wall: float, cpu: float, target: float | None = None) -> None:
    goal = "" if target is None else f"   (target {target * 1000:.0f} ms)"
    print(f"{label:<58s} wall {wall * 1000:8.1f} ms   CPU {cpu * 1000:8.1f} ms{goal}")


def engine_with_kr(table: pd.DataFrame) -> pd.DataFrame:
    return mmrm_ard(fit_formula(table, FORMULA, reference=REFERENCE), df_method="kenward-roger", lsmeans="ARM*AVISIT")


def arrays_with_kr(design, contrast: np.ndarray) -> dict:
    return fit_mmrm_arrays(design.y, design.x, "us").contrast(contrast, "kenward-roger")


def primary_contrast(design) -> np.ndarray:
    """TRT - PBO at the last visit: ``ARM=TRT`` plus its interaction with the last visit."""
    contrast = np.zeros(len(design.columns))
    contrast[design.columns.index("ARM=TRT")] = 1.0
    contrast[design.columns.index(f"ARM=TRT:AVISIT={VISITS[-1]}")] = 1.0
    return contrast


def statsmodels_random_intercept(long: pd.DataFrame):
    import statsmodels.formula.api as smf

    model = smf.mixedlm("CHG ~ BASE + ARM * C(AVISIT, levels=VISITS)", long, groups=long["USUBJID"])
    return model.fit(reml=True, method="lbfgs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20240901)
    parser.add_argument("--no-statsmodels", action="store_true")
    args = parser.parse_args()
    large, small = simulate(args.subjects, args.seed), simulate(200, args.seed + 1)
    print(f"{args.subjects} subjects x {len(VISITS)} visits: {len(large)} rows; 200 subjects: {len(small)} rows")
    print(f"formula: {FORMULA}")

    ard, wall, cpu = timed(engine_with_kr, large, repeats=3)
    report(f"engine, {args.subjects} subjects, table -> ARD (KR, LS means)", wall, cpu, 1.0)
    last = ard.loc[(ard["method"] == "mmrm_lsmean_diff") & (ard["visit"] == VISITS[-1])].iloc[0]
    print(f"    {last['term']}: {last['estimate']:.4f} (SE {last['std_error']:.4f}, df {last['df']:.1f}); true 20")

    _, wall, cpu = timed(engine_with_kr, small, repeats=args.repeats)
    report("engine, 200 subjects, table -> ARD (KR, LS means)", wall, cpu, 0.02)
    design = mmrm_design(small, FORMULA, reference=REFERENCE)
    contrast = primary_contrast(design)
    result, wall, cpu = timed(arrays_with_kr, design, contrast, repeats=args.repeats)
    report("engine, 200 subjects, arrays -> fit + one KR contrast", wall, cpu, 0.02)
    print(f"    TRT-PBO at {VISITS[-1]}: {result['estimate']:.4f} "
          f"(SE {result['std_error']:.4f}, df {result['df']:.1f})")

    pipeline_long = large.rename(columns={"USUBJID": "subject", "AVISIT": "visit", "CHG": "value"})
    _, wall, cpu = timed(fit_lmm, pipeline_long, subject="subject", visit="visit", value="value",
                         baseline=VISITS[0], visit_order=VISITS)
    report(f"pipeline fit_lmm (random intercept, Satt. + KR), {args.subjects}", wall, cpu)
    _, wall, cpu = timed(fit_mmrm, large, subject="USUBJID", visit="AVISIT", change="CHG", base="BASE",
                         visit_order=VISITS)
    report(f"pipeline fit_mmrm (CHG ~ visit + BASE + BASE:visit), {args.subjects}", wall, cpu)

    if args.no_statsmodels:
        return
    cs, wall, cpu = timed(fit_formula, large, FORMULA.replace("us(", "cs("), reference=REFERENCE)
    report(f"engine cs structure (= random intercept), {args.subjects}", wall, cpu)
    sm, wall, cpu = timed(statsmodels_random_intercept, large)
    report(f"statsmodels MixedLM random intercept (REML, lbfgs), {args.subjects}", wall, cpu)
    covariance, residual = cs.fit.theta
    print(f"    subject variance: engine {covariance:.6f}, statsmodels {float(sm.cov_re.iloc[0, 0]):.6f}")
    print(f"    residual variance: engine {residual:.6f}, statsmodels {sm.scale:.6f}")
    trt = cs.design.columns.index("ARM=TRT")
    print(f"    ARM=TRT: engine {cs.fit.beta[trt]:.6f}, statsmodels {sm.fe_params['ARM[T.TRT]']:.6f}")


if __name__ == "__main__":
    main()
