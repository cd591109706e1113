"""The MMRM from a long table and a formula: checks, design arrays, the fit (or a fallback order).

:func:`mmrm_design` turns a long table (one row per subject and visit) and a formula
(:mod:`aidheart.stats.model_formula`) into the arrays of :mod:`aidheart.stats.mmrm_fit`;
:func:`fit_formula` fits it with the formula's covariance structure, or with the first
of a pre-specified list of structures that converges.

Data rules
----------
- Rows used: response, visit, subject and every fixed-effect variable present
  (R's ``na.omit``). Subjects with no row used drop out.
- A column is numeric if its dtype is numeric (not boolean); otherwise it is a factor
  of its values as text. The visit and subject columns are always factors.
- Factor levels in order of first appearance in the whole table, levels with no row
  used dropped; the reference (``reference={"ARMCD": "PBO"}``, else the first level)
  is moved first. Visits: ``visit_order`` if given, else order of first appearance.
- Numeric variables' means (for LS means) are over the rows used.

Bad input raises :class:`MmrmInputError` with one line naming the problem: unknown
column, non-numeric response or covariate, a contrast-coded factor with one level, a
visit in no row used, two rows for a subject at a visit, a visit outside
``visit_order``, a reference level not in the data, a singular design (naming the
aliased columns), too few visits for the structure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from aidheart.stats.columns import numeric_column
from aidheart.stats.covariance import covariance_structure
from aidheart.stats.mmrm_fit import MmrmFit, MmrmFitError, fit_first_converging
from aidheart.stats.model_formula import ModelFormula, parse_formula
from aidheart.stats.model_matrix import Variable, aliased_columns, design_matrix, term_codings
from aidheart.stats.reml_data import PatternData, group_by_pattern


class MmrmInputError(ValueError):
    """The table or the options cannot make the model asked for; one line says why."""


@dataclass(frozen=True)
class MmrmDesign:
    """Everything the fit and the LS means need from the table.

    ``y`` is subjects x visits (``NaN`` = no row used), ``x`` subjects x visits x columns;
    ``row_subject`` and ``row_codes`` describe the rows used (subject index, factor codes).
    """

    formula: ModelFormula
    variables: dict[str, Variable]
    columns: tuple[str, ...]
    means: dict[str, float]
    visits: tuple[str, ...]
    subjects: tuple[str, ...]
    y: np.ndarray
    x: np.ndarray
    row_subject: np.ndarray
    row_codes: dict[str, np.ndarray]

    @cached_property
    def patterns(self) -> PatternData:
        return group_by_pattern(self.y, self.x)

    @property
    def codings(self):
        return term_codings(self.formula.terms, self.formula.intercept, self.variables)

    @property
    def n_obs(self) -> int:
        return len(self.row_subject)


def _levels_in_order(values: pd.Series) -> list[str]:
    return [str(level) for level in pd.unique(values.dropna().astype("string"))]


def _check_columns(data: pd.DataFrame, formula: ModelFormula) -> None:
    c = formula.covariance
    for name in [formula.response, c.visit, c.subject, *formula.variables]:
        if name not in data.columns:
            raise MmrmInputError(f"column {name!r} not found; columns are {', '.join(map(str, data.columns))}")


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _visit_levels(data: pd.DataFrame, visit: str, visit_order) -> list[str]:
    present = _levels_in_order(data[visit])
    if visit_order is None:
        return present
    order = [str(level) for level in visit_order]
    duplicated = [level for level in dict.fromkeys(order) if order.count(level) > 1]
    if duplicated:
        raise MmrmInputError(f"visit order lists {duplicated[0]!r} twice")
    unlisted = [level for level in present if level not in order]
    if unlisted:
        raise MmrmInputError(f"visit level {unlisted[0]!r} is not in the visit order {','.join(order)}")
    return order


def _reference_first(levels: list[str], name: str, reference: dict) -> list[str]:
    if name not in reference:
        return levels
    level = str(reference[name])
    if level not in levels:
        raise MmrmInputError(f"reference {name}={level}: level {level!r} not in the rows used "
                             f"(levels: {', '.join(levels)})")
    return [level] + [other for other in levels if other != level]


MAX_PATTERN_FLOATS = 50_000_000  # 400 MB of pattern sums


def _check_size(n_visits: int, variables: dict, codings, intercept: bool) -> None:
    """The pattern sums hold up to ``2^K x K^2 x q^2`` numbers; refuse designs that would not fit."""
    width = int(intercept)
    for term in codings:
        size = 1
        for name, coding in zip(term.variables, term.codings):
            levels = variables[name].levels
            size *= 1 if coding == "numeric" else len(levels) - (coding == "contrast")
        width += size
    patterns = min(2 ** n_visits, 10 ** 6)
    if patterns * n_visits**2 * width**2 > MAX_PATTERN_FLOATS:
        factor = max((v for v in variables.values() if v.is_factor), key=lambda v: len(v.levels), default=None)
        hint = "" if factor is None else (
            f"; factor {factor.name!r} has {len(factor.levels)} levels (a numeric column read as text?)")
        raise MmrmInputError(f"the design has {width} columns over {n_visits} visits: too large{hint}")


def mmrm_design(data: pd.DataFrame, formula: str | ModelFormula, *, reference: dict | None = None,
                visit_order=None) -> MmrmDesign:
    """Check the table against the formula and build the design arrays (see the module notes)."""
    formula = parse_formula(formula) if isinstance(formula, str) else formula
    reference = dict(reference or {})
    _check_columns(data, formula)
    c = formula.covariance
    visits = _visit_levels(data, c.visit, visit_order)
    kinds = {name: "numeric" if name != c.visit and _is_numeric(data[name]) else "factor"
             for name in formula.variables}
    unknown = [name for name in reference if kinds.get(name) != "factor"]
    if unknown:
        raise MmrmInputError(f"reference names {unknown[0]!r}, which is not a factor of the fixed effects")
    table = pd.DataFrame({"subject": data[c.subject].astype("string"), "visit": data[c.visit].astype("string"),
                          "response": numeric_column(data, formula.response, MmrmInputError)})
    for name, kind in kinds.items():
        table[name] = numeric_column(data, name, MmrmInputError) if kind == "numeric" else data[name].astype("string")
    used = table.dropna()
    if used.empty:
        raise MmrmInputError(f"no row has {formula.response} and every model variable observed")
    visit_index = pd.Categorical(used["visit"], categories=visits).codes.astype(int)
    counts = np.bincount(visit_index, minlength=len(visits))
    if not counts.all():
        empty = visits[int(np.argmin(counts > 0))]
        raise MmrmInputError(f"visit {empty!r} is in no row with {formula.response} and the covariates observed")
    subject_index, subjects = pd.factorize(used["subject"])
    duplicated = pd.Series(subject_index * len(visits) + visit_index).duplicated().to_numpy()
    if duplicated.any():
        row = used.iloc[int(np.argmax(duplicated))]
        raise MmrmInputError(f"subject {row['subject']!r} has more than one row at visit {row['visit']!r}")
    variables, codes, means = {}, {}, {}
    for name, kind in kinds.items():
        if kind == "numeric":
            variables[name] = Variable(name)
            means[name] = float(used[name].mean())
            codes[name] = used[name].to_numpy(dtype=float)
            continue
        in_use = set(pd.unique(used[name]))
        levels = visits if name == c.visit else [v for v in _levels_in_order(table[name]) if v in in_use]
        levels = _reference_first(levels, name, reference)
        variables[name] = Variable(name, tuple(levels))
        codes[name] = pd.Categorical(used[name], categories=levels).codes.astype(int)
    codings = term_codings(formula.terms, formula.intercept, variables)
    for term in codings:
        for name, coding in zip(term.variables, term.codings):
            if coding == "contrast" and len(variables[name].levels) < 2:
                raise MmrmInputError(f"factor {name!r} has one level ({variables[name].levels[0]!r}) in the rows used")
    _check_size(len(visits), variables, codings, formula.intercept)
    matrix, columns = design_matrix(codings, formula.intercept, variables, codes)
    aliased = aliased_columns(matrix, columns)
    if aliased:
        raise MmrmInputError(f"singular design: column(s) {', '.join(aliased)} are linear combinations of the "
                             "others (an empty cell of an interaction, or an interaction without its main effects?)")
    y = np.full((len(subjects), len(visits)), np.nan)
    x = np.zeros((len(subjects), len(visits), len(columns)))
    y[subject_index, visit_index] = used["response"].to_numpy(dtype=float)
    x[subject_index, visit_index] = matrix
    return MmrmDesign(formula=formula, variables=variables, columns=tuple(columns), means=means,
                      visits=tuple(visits), subjects=tuple(str(s) for s in subjects), y=y, x=x,
                      row_subject=subject_index, row_codes={k: v for k, v in codes.items() if kinds[k] == "factor"})


@dataclass(frozen=True)
class MmrmModel:
    """A converged fit of a design, and the structures that failed before it (``attempts``)."""

    design: MmrmDesign
    fit: MmrmFit
    attempts: tuple[str, ...] = ()

    @property
    def structure(self) -> str:
        return self.fit.structure.name

    @property
    def note(self) -> str:
        """``us covariance, REML``; after a fallback, why the earlier structures were not used."""
        text = f"{self.structure} covariance, {'REML' if self.fit.reml else 'ML'}"
        if self.attempts:
            text += " (not converged first: " + "; ".join(self.attempts) + ")"
        return text


def fit_formula(
    data: pd.DataFrame | MmrmDesign,
    formula: str | ModelFormula | None = None,
    *,
    structures=None,
    reference: dict | None = None,
    visit_order=None,
    reml: bool = True,
    criterion: str = "tight",
) -> MmrmModel:
    """Fit the MMRM of ``formula`` to a long table (or to a design already built).

    Parameters
    ----------
    data : long table (one row per subject and visit) or an :class:`MmrmDesign`
    formula : R mmrm syntax, e.g. ``"FEV1 ~ ARMCD * AVISIT + us(AVISIT | USUBJID)"``
        (not needed with a design)
    structures : covariance structures to try in order, e.g. ``("us", "toeph", "csh", "cs")``;
        the first that converges is used (the formula's own structure is then ignored).
        Default: the formula's structure only.
    reference : ``{factor: reference level}``; default the first level in data order
    visit_order : visit levels in order (default: order of first appearance)
    reml : REML (default) or ML
    criterion : ``"tight"`` (default) or ``"sas"`` to stop where SAS PROC MIXED stops
        (:func:`aidheart.stats.reml.fit_reml`)

    Raises
    ------
    MmrmInputError
        Bad table or options (module notes).
    MmrmFitError
        No structure converged; the message lists why each failed.
    """
    design = data if isinstance(data, MmrmDesign) else mmrm_design(
        data, formula, reference=reference, visit_order=visit_order)
    names = tuple(structures) if structures else (design.formula.covariance.structure,)
    if len(names) == 1:
        try:
            covariance_structure(names[0], len(design.visits))
        except ValueError as error:
            raise MmrmInputError(str(error)) from None
    fit, attempts = fit_first_converging(design.patterns, names, reml=reml, criterion=criterion)
    if fit is None and len(names) == 1:
        reason = attempts[0].split(": ", 1)[1]
        raise MmrmFitError(f"{'REML' if reml else 'ML'} with {names[0]} covariance did not converge: {reason}")
    if fit is None:
        raise MmrmFitError("no covariance structure converged (" + "; ".join(attempts) + ")")
    return MmrmModel(design=design, fit=fit, attempts=tuple(attempts))

