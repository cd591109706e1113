"""Benchmark of the whole pipeline: a baseline revision and this checkout, measured in one run.

Each revision runs Snakemake in throw-away working directories with its own Snakefile and
its own ``src/`` (on ``PYTHONPATH``), in this virtual environment, and the table gives the
median wall time over ``--repeats`` runs and its ratio to the floor measured in the same run
(``snakemake -n`` on the up-to-date workflow of that revision):

(a) cold full run on the shipped 20-subject study, reports included, from empty results;
(b) no-op re-run;
(c) re-run after one new monitor file arrives;
(d) re-run after a config change that only the DSMB report reads (a stopping-rule threshold);
(e) cold run on a generated study of ``--large-subjects`` subjects, with the peak memory
    (max RSS) of its largest job from the rules' ``benchmark:`` files.

``--scaling 200,2000,10000`` times cold runs of this checkout at those study sizes instead and
writes ``bench/scaling.csv`` and the log-log figure ``bench/scaling.png`` (time per subject
flat or falling means linear or better).

Usage (from the repository root; nothing else heavy should run on the machine)::

    .venv/bin/python bench/bench_pipeline.py [--baseline REV] [--repeats 3] [--large-subjects 2000]
    .venv/bin/python bench/bench_pipeline.py --scaling 200,2000,10000
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SHIPPED = ROOT / "data" / "raw"
#: The revision the speed issue was measured against: main before the speed work.
DEFAULT_BASELINE = "47a6bab"
# A config overlay (merged over config/config.yaml) that only the DSMB report depends on.
DSMB_ONLY_CHANGE = """stopping_rules:
  - {id: neutropenia_g3, label: "Grade >= 3 neutropenia (subjects)", threshold: 4}
  - {id: serious_infection, label: "Serious infections (subjects)", threshold: 2}
  - {id: related_death, label: "Deaths possibly related to study drug", threshold: 1}
"""
SCENARIOS = {
    "a": ("cold run, shipped study, all reports", "<= 4 x floor"),
    "b": ("no-op", "<= 1.1 x floor"),
    "c": ("one new monitor file", "<= 2.5 x floor"),
    "d": ("DSMB-only config change", "<= 2 x floor"),
}


@contextmanager
def checkout(revision: str | None):
    """The repository at ``revision`` (a temporary git worktree), or this checkout for None."""
    if revision is None:
        yield ROOT
        return
    with tempfile.TemporaryDirectory(prefix="aidheart-bench-rev-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), revision], check=True)
        try:
            yield tree
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)


def timed(command: list[str], cwd: Path, tree: Path) -> float:
    """Wall seconds of ``command``; the benchmark stops, with its error, if the command fails.

    Both revisions run with ``workflow/cluster/no-controller`` first on PATH: where SLURM's
    clients are installed and no controller runs, every Snakemake start would otherwise wait
    about 9 s for the SLURM plugin's ``scontrol`` probe (README, "Speed"), a cost of the
    machine, not of the pipeline.
    """
    path = os.pathsep.join([str(ROOT / "workflow" / "cluster" / "no-controller"), os.environ.get("PATH", "")])
    env = dict(os.environ, PYTHONPATH=str(tree / "src"), PATH=path)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    return elapsed


def snakemake(tree: Path, workdir: Path, data_dir: Path, *extra: str) -> list[str]:
    return [str(BIN / "snakemake"), "-s", str(tree / "Snakefile"), "--directory", str(workdir), "--cores", "2",
            "--quiet", *extra, "--config", f"data_dir={data_dir}"]


def peak_rss_mb(workdir: Path) -> tuple[float, str]:
    """The largest ``max_rss`` (MB) in the run's benchmark files, and the file it is in."""
    peak, job = 0.0, ""
    for path in sorted(workdir.rglob("benchmarks/**/*.tsv")):
        with open(path, newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                value = row.get("max_rss", "NA")
                if value not in ("NA", "-", "") and float(value) > peak:
                    peak, job = float(value), path.name
    return peak, job


def bench_small(tree: Path, repeats: int) -> dict[str, list[float]]:
    """Scenarios (a)-(d) and the floor on copies of the shipped study."""
    times = {key: [] for key in (*SCENARIOS, "floor")}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="aidheart-bench-") as tmp:
            tmp = Path(tmp)
            data = tmp / "raw"
            shutil.copytree(SHIPPED, data)
            held_back = sorted((data / "monitor").glob("*.csv"))[-1]
            parked = tmp / held_back.name
            held_back.rename(parked)
            work = tmp / "work"
            work.mkdir()
            times["a"].append(timed(snakemake(tree, work, data), tmp, tree))
            times["b"].append(timed(snakemake(tree, work, data), tmp, tree))
            times["floor"].append(timed(snakemake(tree, work, data, "-n"), tmp, tree))
            parked.rename(held_back)
            times["c"].append(timed(snakemake(tree, work, data), tmp, tree))
            overlay = tmp / "dsmb_only_change.yaml"
            overlay.write_text(DSMB_ONLY_CHANGE)
            times["d"].append(timed(snakemake(tree, work, data, "--configfile", str(overlay)), tmp, tree))
    return times


def cold_large(tree: Path, subjects: int) -> tuple[float, float, str]:
    """Wall seconds and peak job memory of a cold run on a generated study of ``subjects`` subjects."""
    with tempfile.TemporaryDirectory(prefix="aidheart-bench-large-") as tmp:
        tmp = Path(tmp)
        data = tmp / "raw"
        subprocess.run([str(BIN / "aidheart"), "simulate", "--subjects", str(subjects), "--out", str(data)],
                       check=True, capture_output=True)
        work = tmp / "work"
        work.mkdir()
        seconds = timed(snakemake(tree, work, data), tmp, tree)
        peak, job = peak_rss_mb(work)
    return seconds, peak, job


def compare(baseline: str, repeats: int, large_subjects: int) -> None:
    """Print the table of (a)-(e) for ``baseline`` and this checkout."""
    results = {}
    for name, revision in (("baseline", baseline), ("new", None)):
        with checkout(revision) as tree:
            small = bench_small(tree, repeats)
            large = cold_large(tree, large_subjects) if large_subjects else None
        results[name] = ({key: statistics.median(values) for key, values in small.items()}, large)
    print(f"Baseline {baseline}, new {git_revision()}; median of {repeats} runs; 2 cores.\n")
    print("| scenario | baseline | new | target |")
    print("|---|---|---|---|")
    for key, (label, target) in SCENARIOS.items():
        cells = [f"{small[key]:.1f} s = {small[key] / small['floor']:.2f} x floor" for small, _ in results.values()]
        print(f"| ({key}) {label} | {' | '.join(cells)} | {target} |")
    if large_subjects:
        cells = [f"{large[0]:.1f} s, peak {large[1]:.0f} MB ({large[2]})" for _, large in results.values()]
        print(f"| (e) {large_subjects:,} subjects cold | {' | '.join(cells)} | <= 90 s, <= 2 GB |")
    cells = [f"{small['floor']:.2f} s" for small, _ in results.values()]
    print(f"| floor: snakemake -n, up to date | {' | '.join(cells)} | |")


def scaling(sizes: list[int]) -> None:
    """Cold runs of this checkout at each size: bench/scaling.csv and bench/scaling.png."""
    rows = []
    for subjects in sizes:
        seconds, peak, job = cold_large(ROOT, subjects)
        rows.append({"subjects": subjects, "seconds": round(seconds, 1), "seconds_per_subject": round(seconds / subjects, 4),
                     "peak_rss_mb": round(peak), "peak_job": job})
        print(rows[-1], flush=True)
    with open(ROOT / "bench/scaling.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(5, 3.5))
    axis.loglog([row["subjects"] for row in rows], [row["seconds"] for row in rows], "o-", label="measured")
    first = rows[0]
    line = [first["seconds"] * row["subjects"] / first["subjects"] for row in rows]
    axis.loglog([row["subjects"] for row in rows], line, "--", color="grey", label="linear from the first point")
    axis.set_xlabel("Subjects in the study")
    axis.set_ylabel("Cold run, wall time (s)")
    axis.set_title(f"AID-HEART pipeline at {git_revision()}, 2 cores")
    axis.legend()
    figure.tight_layout()
    figure.savefig(ROOT / "bench/scaling.png", dpi=120, metadata={"Software": None})
    print("| subjects | cold run | per subject | peak job memory |")
    print("|---|---|---|---|")
    for row in rows:
        print(f"| {row['subjects']:,} | {row['seconds']:.1f} s | {1000 * row['seconds_per_subject']:.1f} ms | "
              f"{row['peak_rss_mb']} MB ({row['peak_job']}) |")


def git_revision() -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="revision to compare with (git rev)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per scenario (median reported)")
    parser.add_argument("--large-subjects", type=int, default=2000, help="study size of (e); 0 leaves (e) out")
    parser.add_argument("--scaling", help="comma-separated study sizes: the scaling table and figure instead")
    args = parser.parse_args(argv)
    if args.scaling:
        scaling([int(size) for size in args.scaling.split(",")])
    else:
        compare(args.baseline, args.repeats, args.large_subjects)
    return 0


if __name__ == "__main__":
    sys.exit(main())
