"""``aidheart stats``: the analyses of one endpoint in any long CSV table, written as an ARD."""

from __future__ import annotations

import sys

import pandas as pd

from aidheart.io import WriteError, write_ard
from aidheart.stats.ard import ARD_COLUMNS
from aidheart.stats.long_table import LongTableError, analyse_long_table


def run_stats_command(args) -> int:
    """Read ``args.input``, analyse it with :func:`analyse_long_table`, write the ARD to ``args.out``.

    Returns 0 on success. A missing or unreadable file, a missing column, an absent
    baseline level, a non-numeric value column or duplicate rows print one line
    naming the problem to stderr and return 2; so does an output that cannot be written.
    The input is a table of the user's, so R's ``NA`` reads as missing there.
    """
    try:
        data = pd.read_csv(args.input, dtype={args.subject: "string", args.visit: "string"})
        order = None if args.visit_order is None else [level.strip() for level in args.visit_order.split(",")]
        ard = analyse_long_table(data, args.subject, args.visit, args.value, args.baseline,
                                 visit_order=order, seed=args.seed)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        print(f"aidheart stats: cannot read {args.input}: {error}", file=sys.stderr)
        return 2
    except LongTableError as error:
        print(f"aidheart stats: {args.input}: {error}", file=sys.stderr)
        return 2
    return write_command_ard(ard, args, "aidheart stats")


def write_command_ard(ard: pd.DataFrame, args, prog: str) -> int:
    """Label the rows with ``args.paramcd``/``args.population`` and write them to ``args.out``.

    Returns 0, or 2 after one line ``<prog>: cannot write <file>: <reason>`` on stderr
    when the output cannot be written.
    """
    ard = ard.assign(paramcd=args.paramcd, population=args.population)
    try:
        write_ard(ard.loc[:, list(ARD_COLUMNS)], args.out)
    except WriteError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2
    return 0
