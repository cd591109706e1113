"""Benchmark: ``fit_lmm`` and ``fit_mmrm`` with their df on a 20,000-subject x 4-visit table.

Not a test. Generates a seeded long table (baseline + 3 post-baseline visits, a subject
random effect plus AR(1)-like visit noise, about 15 % of post-baseline visits missing
at random), fits both models and prints, for each, the wall time of an untraced fit and its
memory (tracemalloc peak of a second, traced fit; growth of the process's maximum
RSS), then fits the same LMM with statsmodels ``MixedLM`` (random intercept, REML,
lbfgs) for comparison (time and RSS growth only: tracing would slow it several-fold).

Usage: ``python bench/bench_models.py [--subjects N] [--seed S] [--no-statsmodels]``
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np
import pandas as pd

from aidheart.stats.lmm import fit_lmm
from aidheart.stats.mmrm import fit_mmrm

VISITS = ["baseline", "week4", "week12", "week16"]


def simulate(n_subjects: int, seed: int) -> pd.DataFrame:
    """Long table ``subject, visit, value`` with missing post-baseline visits."""
    rng = np.random.default_rng(seed)
    means = np.array([300.0, 310.0, 318.0, 322.0])
    subject_effect = rng.normal(0, 60, n_subjects)
    noise = np.empty((n_subjects, len(VISITS)))
    noise[:, 0] = rng.normal(0, 30, n_subjects)
    for k in range(1, len(VISITS)):
        noise[:, k] = 0.5 * noise[:, k - 1] + rng.normal(0, 30 * np.sqrt(0.75), n_subjects)
    values = means + subject_effect[:, None] + noise
    missing = rng.random(values.shape) < np.array([0.0, 0.10, 0.15, 0.20])
    values[missing] = np.nan
    frame = pd.DataFrame(
        {
            "subject": np.repeat(np.arange(n_subjects), len(VISITS)),
            "visit": np.tile(VISITS, n_subjects),
            "value": values.ravel(),
        }
    )
    return frame.dropna(subset=["value"]).reset_index(drop=True)


def change_from_baseline(long: pd.DataFrame) -> pd.DataFrame:
    """Post-baseline rows with ``BASE`` and ``CHG``."""
    base = long.loc[long["visit"] == VISITS[0]].set_index("subject")["value"]
    post = long.loc[long["visit"] != VISITS[0]].copy()
    post["BASE"] = post["subject"].map(base)
    post["CHG"] = post["value"] - post["BASE"]
    return post


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(label: str, function, *args, traced: bool = True, **kwargs):
    """Wall time of one untraced run; then memory: the tracemalloc peak of a second run
    (``traced``), and the growth of the process's maximum RSS during the timed run."""
    rss_before = _max_rss_mib()
    start = time.perf_counter()
    result = function(*args, **kwargs)
    elapsed = time.perf_counter() - start
    rss_growth = _max_rss_mib() - rss_before
    peak = "n/a"
    if traced:
        tracemalloc.start()
        function(*args, **kwargs)
        peak = f"{tracemalloc.get_traced_memory()[1] / 2**20:.1f} MiB"
        tracemalloc.stop()
    print(f"{label:<36s} {elapsed:7.2f} s   tracemalloc peak {peak:>10s}   max-RSS growth {rss_growth:6.0f} MiB")
    return result


def statsmodels_lmm(long: pd.DataFrame):
    import statsmodels.formula.api as smf

    model = smf.mixedlm("value ~ C(visit, levels=VISITS)", long, groups=long["subject"])
    return model.fit(reml=True, method="lbfgs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20240901)
    parser.add_argument("--no-statsmodels", action="store_true")
    args = parser.parse_args()
    long = simulate(args.subjects, args.seed)
    post = change_from_baseline(long)
    print(f"{args.subjects} subjects, {len(long)} rows ({len(post)} post-baseline)")
    lmm = measure("aidheart fit_lmm (Satt. + KR df)", fit_lmm, long, subject="subject",
                  visit="visit", value="value", baseline=VISITS[0], visit_order=VISITS)
    mmrm = measure("aidheart fit_mmrm (UN, Satt. df)", fit_mmrm, post, subject="subject",
                   visit="visit", change="CHG", base="BASE", visit_order=VISITS[1:])
    print(lmm.loc[lmm["method"] == "lmm", ["visit", "term", "estimate", "std_error", "df"]].to_string(index=False))
    print(mmrm.loc[mmrm["visit"] != "", ["visit", "term", "estimate", "std_error", "df"]].to_string(index=False))
    if not args.no_statsmodels:
        result = measure("statsmodels MixedLM (REML, lbfgs)", statsmodels_lmm, long, traced=False)
        print(result.fe_params.to_string())
        print(f"statsmodels var_subject {float(result.cov_re.iloc[0, 0]):.6f} var_residual {result.scale:.6f}")
    print(f"process max RSS {_max_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
