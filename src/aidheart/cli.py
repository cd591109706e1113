"""Command line: ``aidheart simulate``, ``aidheart stats``, ``aidheart mmrm`` and ``aidheart pull``.

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

    pull = commands.add_parser(
        "pull", help="export the records and data dictionary from REDCap's API into DIR/redcap/",
        description="Export the records (raw, flat, coded) and the data dictionary through REDCap's API "
                    "and write them under REDCap's file names into DIR/redcap/, ready for the pipeline.",
        epilog="The token is read from the environment variable named by --token-env only. Monitor files "
               "are not in REDCap: copy the monitor exports into DIR/monitor/ (one file per challenge "
               "session, named <record_id>_<event>.csv as the CRF field ch_monitor_file gives it), then "
               "run: snakemake --cores 2 --config data_dir=DIR")
    pull.add_argument("--url", required=True, help="REDCap's API address, ending in /api/")
    pull.add_argument("--token-env", required=True, metavar="VAR",
                      help="name of the environment variable holding the project's API token")
    pull.add_argument("--out", required=True, metavar="DIR", help="study folder (the files go to DIR/redcap/)")
    pull.add_argument("--export-time", metavar="'YYYY-MM-DD HH:MM'",
                      help="export time for the file names (default: now), for reproducible pulls; "
                           "the DSMB report takes its date as the cut-off when none is configured")
    pull.add_argument("--timeout", type=float, default=120, help="seconds to wait for each answer")
    pull.add_argument("--replace", action="store_true",
                      help="remove an earlier export and dictionary from DIR/redcap/")

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
    if args.command == "pull":
        from aidheart.pull.command import run_pull_command

        return run_pull_command(args)
    if args.command == "mmrm":
        from aidheart.stats.mmrm_command import run_mmrm_command

        return run_mmrm_command(args)
    raise AssertionError(args.command)  # argparse rejects unknown commands first


if __name__ == "__main__":
    sys.exit(main())
