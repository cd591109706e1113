"""``aidheart mmrm``: a general MMRM on any long CSV table, written as an ARD."""

from __future__ import annotations

import sys

import pandas as pd

from aidheart.stats.command import write_command_ard
from aidheart.stats.mmrm_ard import mmrm_ard
from aidheart.stats.mmrm_fit import MmrmFitError
from aidheart.stats.mmrm_model import MmrmInputError, fit_formula
from aidheart.stats.model_formula import FormulaError, parse_formula


def _references(pairs: list[str]) -> dict:
    references = {}
    for pair in pairs:
        factor, sep, level = pair.partition("=")
        if not sep or not factor or not level:
            raise MmrmInputError(f"--reference {pair!r}: write FACTOR=LEVEL")
        references[factor.strip()] = level.strip()
    return references


def _split(text: str | None) -> list[str] | None:
    return None if text is None else [part.strip() for part in text.split(",") if part.strip()]


def run_mmrm_command(args) -> int:
    """Read ``args.input``, fit ``args.formula`` (:func:`aidheart.stats.mmrm_model.fit_formula`),
    write the ARD (:func:`aidheart.stats.mmrm_ard.mmrm_ard`) to ``args.out``.

    Returns 0 on success. An unreadable file, a formula that cannot be read, bad data
    or options (unknown column, a factor with one level, a visit in no row, a singular
    design, ...) or a model that does not converge print one line naming the problem to
    stderr and return 2.
    """
    try:
        formula = parse_formula(args.formula)
        covariance = formula.covariance
        data = pd.read_csv(args.input, dtype={covariance.subject: "string", covariance.visit: "string"})
        structures = [covariance.structure, *(_split(args.fallback) or [])]
        model = fit_formula(data, formula, structures=structures, reference=_references(args.reference),
                            visit_order=_split(args.visit_order), reml=not args.ml, criterion=args.criterion)
        ard = mmrm_ard(model, df_method=args.df, lsmeans=args.lsmeans)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        print(f"aidheart mmrm: cannot read {args.input}: {error}", file=sys.stderr)
        return 2
    except (FormulaError, MmrmInputError, MmrmFitError) as error:
        print(f"aidheart mmrm: {args.input}: {error}", file=sys.stderr)
        return 2
    return write_command_ard(ard, args, "aidheart mmrm")
