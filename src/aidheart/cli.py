"""Command line: ``aidheart simulate`` and ``aidheart stats``.

Each subcommand imports its implementation only when it runs, so
``aidheart --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aidheart", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    simulate = commands.add_parser(
        "simulate", help="write a synthetic AID-HEART study (REDCap export, monitor files, truth)"
    )
    simulate.add_argument("--subjects", type=int, default=20, help="number of enrolled subjects")
    simulate.add_argument("--seed", type=int, default=20240901, help="random seed")
    simulate.add_argument("--out", required=True, help="output folder (created)")
    simulate.add_argument(
        "--clean", action="store_true", help="plant no data faults (a study with no mess)"
    )

    stats = commands.add_parser(
        "stats", help="paired and longitudinal analyses of any long table, written as an ARD"
    )
    stats.add_argument("--input", required=True, help="long table (CSV)")
    stats.add_argument("--subject", required=True, help="subject column")
    stats.add_argument("--visit", required=True, help="visit column")
    stats.add_argument("--value", required=True, help="value column")
    stats.add_argument("--baseline", required=True, help="level of the visit column that is baseline")
    stats.add_argument("--visit-order", default=None, help="comma-separated visit levels in order")
    stats.add_argument("--paramcd", default="VALUE", help="endpoint code written to the ARD")
    stats.add_argument("--population", default="ALL", help="population label written to the ARD")
    stats.add_argument("--seed", type=int, default=20240901, help="seed for resampling methods")
    stats.add_argument("--out", required=True, help="output ARD (CSV)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    if args.command == "simulate":
        if args.subjects < 1:
            # The generator screens until this many are enrolled, so 0 would be an export with no
            # rows, which REDCap never writes; an empty study is a cut-off before the first consent.
            print(f"aidheart simulate: --subjects {args.subjects}: at least 1 enrolled subject is needed; for a "
                  "study with no one enrolled yet, set cutoff_date before the first consent", file=sys.stderr)
            return 2
        from aidheart.simulate import write_study

        write_study(args.out, n_subjects=args.subjects, seed=args.seed, mess=not args.clean)
        return 0
    if args.command == "stats":
        from aidheart.stats.command import run_stats_command

        return run_stats_command(args)
    raise AssertionError(args.command)  # argparse rejects unknown commands first


if __name__ == "__main__":
    sys.exit(main())
