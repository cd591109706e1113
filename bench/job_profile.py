"""Where a pipeline run's time goes: per rule, the jobs' wall time from Snakemake's benchmark files,
and the share of it that is the rule script's imports.

For each rule with a ``benchmark:`` file under ``WORKDIR/logs/benchmarks``: its jobs, their summed and
largest wall time, the largest peak memory (max RSS), and the wall time of a fresh Python importing
what the rule's script imports (``scripts/<script>.py``'s top-level ``import``/``from`` lines, or those of
the module a ``shell: "{params.python:q} -m ..."`` rule runs; median of ``--repeats``), which every job of the rule
pays before it works; and what a ``script:`` job pays on top, Snakemake's preamble importing
``snakemake.script`` to unpickle the job's arguments. Run it after a pipeline run, alone on
the machine::

    .venv/bin/python bench/job_profile.py WORKDIR [--repeats 3]
"""

from __future__ import annotations

import argparse
import ast
import csv
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = re.compile(r'^rule (\w+):.*?script:\s*\n\s*"\.\./\.\./scripts/(\w+)\.py"', re.S | re.M)
# The command rules run ``{params.python:q} -m <module>`` (Snakemake's interpreter, common.smk: PYTHON).
MODULE = re.compile(r'^rule (\w+):.*?shell:\s*\n\s*"\{params\.python:q\} -m ([\w.]+)', re.S | re.M)


def rule_scripts() -> dict[str, Path]:
    """Rule name -> its script (``script:``) or module (``shell: "{params.python:q} -m ..."``), from the rule files."""
    found = {}
    for path in sorted((ROOT / "workflow" / "rules").glob("*.smk")):
        for block in re.split(r"(?m)^(?=rule )", path.read_text()):
            if match := SCRIPT.match(block):
                found[match.group(1)] = ROOT / "scripts" / f"{match.group(2)}.py"
            elif match := MODULE.match(block):
                found[match.group(1)] = ROOT / "src" / Path(*match.group(2).split(".")).with_suffix(".py")
    return found


def imports_of(script: Path) -> str:
    """The script's top-level import statements, as one Python source."""
    tree = ast.parse(script.read_text())
    return "\n".join(ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom)))


def import_seconds(source: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", source], check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def benchmarks(workdir: Path) -> dict[str, list[dict]]:
    """Rule -> the rows of its jobs' benchmark files (a folder of files is one rule's fan-out)."""
    rows: dict[str, list[dict]] = {}
    for path in sorted((workdir / "logs" / "benchmarks").rglob("*.tsv")):
        relative = path.relative_to(workdir / "logs" / "benchmarks")
        rule = relative.parts[0] if len(relative.parts) > 1 else path.stem
        with open(path, newline="") as handle:
            rows.setdefault(rule, []).extend(csv.DictReader(handle, delimiter="\t"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    scripts = rule_scripts()
    aliases = {"power": "power_endpoint"}  # the endpoint jobs benchmark into one folder
    print("| rule | jobs | wall, sum | wall, largest job | peak RSS | imports per job |")
    print("|---|---|---|---|---|---|")
    total = 0.0
    for rule, rows in sorted(benchmarks(args.workdir).items(), key=lambda item: -sum(float(r["s"]) for r in item[1])):
        walls = [float(row["s"]) for row in rows]
        rss = max(float(row["max_rss"]) for row in rows if row["max_rss"] not in ("", "NA", "-"))
        total += sum(walls)
        script = scripts.get(aliases.get(rule, rule))
        imports = f"{import_seconds(imports_of(script), args.repeats):.2f} s" if script else "–"
        print(f"| {rule} | {len(rows)} | {sum(walls):.1f} s | {max(walls):.1f} s | {rss:.0f} MB | {imports} |")
    print(f"\nSum of the benchmarked jobs' wall time: {total:.1f} s (2 cores run two at a time).")
    floor = import_seconds("pass", args.repeats)
    print(f"A bare Python start: {floor:.2f} s.")
    preamble = import_seconds("import snakemake.script", args.repeats)
    print(f"A script: job's preamble (import snakemake.script), on top of its imports: {preamble:.2f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
