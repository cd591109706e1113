"""``aidheart stats``: the analyses of one endpoint in any long CSV table, written as an ARD."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from aidheart.stats.ard import write_ard
from aidheart.stats.long_table import LongTableError, analyse_long_table


def run_stats_command(args) -> int:
    """Read ``args.input``, analyse it with :func:`analyse_long_table`, write the ARD to ``args.out``.

    Returns 0 on success. A missing or unreadable file, a missing column, an absent
    baseline level, a non-numeric value column or duplicate rows print one line
    naming the problem to stderr and return 2.
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
    ard = ard.assign(paramcd=args.paramcd, population=args.population)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_ard(ard, args.out)
    return 0
