"""Command line: ``aidheart simulate``, ``aidheart stats`` and ``aidheart mmrm``.

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

    mmrm = commands.add_parser(
        "mmrm", help="a mixed model for repeated measures (R mmrm formula syntax) on a long table, as an ARD"
    )
    mmrm.add_argument("--input", required=True, help="long table (CSV), one row per subject and visit")
    mmrm.add_argument("--formula", required=True,
                      help='e.g. "FEV1 ~ RACE + SEX + ARMCD * AVISIT + us(AVISIT | USUBJID)"; '
                           "covariance us, cs, ar1, csh or toeph")
    mmrm.add_argument("--reference", action="append", default=[], metavar="FACTOR=LEVEL",
                      help="reference level of a factor (repeatable; default: first level in data order)")
    mmrm.add_argument("--visit-order", default=None, help="comma-separated visit levels in order")
    mmrm.add_argument("--df", default="kenward-roger",
                      choices=("satterthwaite", "kenward-roger", "kenward-roger-linear"),
                      help="degrees of freedom (and SE) method; default kenward-roger")
    mmrm.add_argument("--lsmeans", default=None, metavar="A*B",
                      help="LS means of these factors' cells, and the first factor's differences from its "
                           "reference within each level of the others")
    mmrm.add_argument("--fallback", default=None, metavar="S1,S2",
                      help="covariance structures to try in order if the formula's does not converge")
    mmrm.add_argument("--ml", action="store_true", help="maximum likelihood instead of REML")
    mmrm.add_argument("--criterion", default="tight", choices=("tight", "sas"),
                      help="convergence: tight (default) or where SAS PROC MIXED stops (reproduces its listings)")
    mmrm.add_argument("--paramcd", default="VALUE", help="endpoint code written to the ARD")
    mmrm.add_argument("--population", default="ALL", help="population label written to the ARD")
    mmrm.add_argument("--out", required=True, help="output ARD (CSV)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    if args.command == "simulate":
        from aidheart.simulate import write_study

        write_study(args.out, n_subjects=args.subjects, seed=args.seed, mess=not args.clean)
        return 0
    if args.command == "stats":
        from aidheart.stats.command import run_stats_command

        return run_stats_command(args)
    if args.command == "mmrm":
        from aidheart.stats.mmrm_command import run_mmrm_command

        return run_mmrm_command(args)
    raise AssertionError(args.command)  # argparse rejects unknown commands first


if __name__ == "__main__":
    sys.exit(main())
