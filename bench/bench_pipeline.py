"""Benchmark of the whole pipeline on this machine (the speed targets in the README).

Runs Snakemake in throw-away working directories against this checkout's Snakefile and
prints a Markdown table of median wall times over ``--repeats`` runs:

(a) cold full run on the shipped 20-subject study, reports included, from empty results;
(b) no-op re-run;
(c) re-run after one new monitor file arrives;
(d) re-run after a config change that affects one report only (a DSMB stopping-rule threshold);
(e) cold run on a generated 2,000-subject study;
(f) peak memory (max RSS) of the largest job of (e), from the rules' ``benchmark:`` files;
and, for comparison, the floors: ``snakemake -n`` on the up-to-date workflow and
``python -c "import pandas, statsmodels.api"``.

Usage (from the repository root)::

    .venv/bin/python bench/bench_pipeline.py [--repeats 3] [--large-subjects 2000] [--skip-large]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SNAKEMAKE = str(BIN / "snakemake")
SHIPPED = ROOT / "data" / "raw"
# A config overlay (merged over config/config.yaml) that only the DSMB report depends on.
DSMB_ONLY_CHANGE = """stopping_rules:
  - {id: neutropenia_g3, label: "Grade >= 3 neutropenia (subjects)", threshold: 4}
  - {id: serious_infection, label: "Serious infections (subjects)", threshold: 2}
  - {id: related_death, label: "Deaths possibly related to study drug", threshold: 1}
"""

TARGETS = {
    "a": "cold run, 20 subjects, reports included",
    "b": "no-op re-run",
    "c": "re-run after one new monitor file",
    "d": "re-run after a DSMB-only config change",
    "e": "cold run, large study",
    "f": "peak memory of the largest job (large study)",
}
LIMITS = {"a": "<= 25 s", "b": "<= 1.3 x snakemake -n", "c": "<= 12 s", "d": "", "e": "<= 180 s", "f": "<= 4 GB"}


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    return elapsed


def _snakemake(workdir: Path, data_dir: Path, *extra: str) -> list[str]:
    return [SNAKEMAKE, "-s", str(ROOT / "Snakefile"), "--directory", str(workdir), "--cores", "2",
            "--quiet", *extra, "--config", f"data_dir={data_dir}"]


def _study_copy(source: Path, into: Path) -> Path:
    target = into / "raw"
    shutil.copytree(source, target)
    return target


def _peak_rss_mb(workdir: Path) -> tuple[float, str]:
    peak, job = 0.0, ""
    for path in sorted((workdir / "logs" / "benchmarks").rglob("*.tsv")):
        with open(path, newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                value = row.get("max_rss", "NA")
                if value not in ("NA", "-", "") and float(value) > peak:
                    peak, job = float(value), str(path.relative_to(workdir))
    return peak, job


def bench_small(repeats: int) -> dict[str, list[float]]:
    """Scenarios (a)-(d) and the snakemake -n floor on copies of the shipped study."""
    times = {"a": [], "b": [], "c": [], "d": [], "floor_dry_run": []}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="aidheart-bench-") as tmp:
            tmp = Path(tmp)
            data = _study_copy(SHIPPED, tmp)
            held_back = sorted((data / "monitor").glob("*.csv"))[-1]
            parked = tmp / held_back.name
            held_back.rename(parked)
            work = tmp / "work"
            work.mkdir()
            times["a"].append(_timed(_snakemake(work, data), tmp))
            times["b"].append(_timed(_snakemake(work, data), tmp))
            times["floor_dry_run"].append(_timed(_snakemake(work, data, "-n"), tmp))
            parked.rename(held_back)
            times["c"].append(_timed(_snakemake(work, data), tmp))
            overlay = tmp / "dsmb_only_change.yaml"
            overlay.write_text(DSMB_ONLY_CHANGE)
            times["d"].append(_timed(_snakemake(work, data, "--configfile", str(overlay)), tmp))
    return times


def bench_large(subjects: int, repeats: int) -> tuple[list[float], float, str]:
    """Scenario (e) and (f) on a generated study of ``subjects`` subjects."""
    times, peak, job = [], 0.0, ""
    with tempfile.TemporaryDirectory(prefix="aidheart-bench-large-") as tmp:
        tmp = Path(tmp)
        data = tmp / "raw"
        subprocess.run([str(BIN / "aidheart"), "simulate", "--subjects", str(subjects), "--out", str(data)],
                       check=True, capture_output=True)
        for run in range(repeats):
            work = tmp / f"work{run}"
            work.mkdir()
            times.append(_timed(_snakemake(work, data), tmp))
            run_peak, run_job = _peak_rss_mb(work)
            if run_peak > peak:
                peak, job = run_peak, run_job
    return times, peak, job


def bench_import_floor(repeats: int) -> list[float]:
    command = [sys.executable, "-c", "import pandas, statsmodels.api"]
    return [_timed(command, ROOT) for _ in range(repeats)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per scenario (median reported)")
    parser.add_argument("--large-subjects", type=int, default=2000)
    parser.add_argument("--large-repeats", type=int, default=1)
    parser.add_argument("--skip-large", action="store_true", help="leave out (e) and (f)")
    args = parser.parse_args(argv)

    small = bench_small(args.repeats)
    imports = bench_import_floor(args.repeats)
    floor = statistics.median(small["floor_dry_run"])
    rows = [(key, TARGETS[key], f"{statistics.median(small[key]):.1f} s", LIMITS[key]) for key in "abcd"]
    rows[1] = ("b", TARGETS["b"], f"{statistics.median(small['b']):.1f} s "
               f"({statistics.median(small['b']) / floor:.2f} x floor)", LIMITS["b"])
    if not args.skip_large:
        large, peak_mb, job = bench_large(args.large_subjects, args.large_repeats)
        rows.append(("e", f"{TARGETS['e']} ({args.large_subjects} subjects)",
                     f"{statistics.median(large):.1f} s", LIMITS["e"]))
        rows.append(("f", TARGETS["f"], f"{peak_mb / 1024:.2f} GB ({job})", LIMITS["f"]))
    rows.append(("floor", "snakemake -n, up to date", f"{floor:.1f} s", ""))
    rows.append(("floor", 'python -c "import pandas, statsmodels.api"', f"{statistics.median(imports):.1f} s", ""))

    print(f"| | scenario (median of {args.repeats}) | measured | target |")
    print("|---|---|---|---|")
    for key, label, value, limit in rows:
        print(f"| {key} | {label} | {value} | {limit} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
