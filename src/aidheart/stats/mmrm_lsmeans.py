"""Least-squares means of an MMRM and the differences of the first factor's levels from its reference.

For ``lsmeans = ("ARMCD", "AVISIT")`` the LS mean of the cell ``ARMCD=a, AVISIT=v`` is
``l' beta`` with ``l`` the mean of the design rows of the *reference grid* points in
that cell: every combination of the levels of the model's other factors, with equal
weights, and each numeric covariate at its mean over the rows used in the fit (the
definition of SAS LSMEANS and of R's emmeans). Differences: each level of the first
factor minus its reference level, within each combination of the other named factors
(``ARMCD=TRT-PBO,AVISIT=VIS2``).

Cells are listed with the first factor varying fastest (as emmeans), the visit factor in
visit order, other factors in coding order (reference first). ``n`` of a cell is the
number of subjects with a row used in it; of a difference, in either of its cells.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np

from aidheart.stats.model_matrix import design_matrix


@dataclass(frozen=True)
class Cell:
    """One LS mean or difference: its label, levels (of the minuend for a difference), contrast ``l``, ``n``."""

    label: str
    levels: dict
    contrast: np.ndarray
    n: int


def parse_lsmeans(spec: str) -> tuple[str, ...]:
    """``"ARMCD*AVISIT"`` (or ``ARMCD:AVISIT``) -> ``("ARMCD", "AVISIT")``."""
    names = tuple(part.strip() for part in re.split(r"[*:]", spec))
    if not all(names):
        raise ValueError(f"LS means {spec!r}: name factors joined by '*', e.g. ARMCD*AVISIT")
    return names


def _display_order(design, name: str) -> list[str]:
    if name == design.formula.covariance.visit:
        return list(design.visits)
    return list(design.variables[name].levels)


def _grid_rows(design, factors: list[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Design rows of the reference grid over ``factors`` (codes per factor beside them)."""
    levels = [range(len(design.variables[name].levels)) for name in factors]
    grid = np.array(list(itertools.product(*levels)), dtype=int).reshape(-1, len(factors))
    values = {name: grid[:, k] for k, name in enumerate(factors)}
    for name, mean in design.means.items():
        values[name] = np.full(len(grid), mean)
    matrix, _ = design_matrix(design.codings, design.formula.intercept, design.variables, values)
    return matrix, values


def _subjects(design, levels: dict) -> set:
    rows = np.ones(design.n_obs, dtype=bool)
    for name, level in levels.items():
        rows &= design.row_codes[name] == design.variables[name].levels.index(level)
    return set(design.row_subject[rows].tolist())


def _label(levels: dict) -> str:
    return ",".join(f"{name}={level}" for name, level in levels.items())


def lsmean_cells(design, factors: tuple[str, ...]) -> list[Cell]:
    """The LS mean of every combination of ``factors`` (module notes)."""
    model_factors = [name for name, variable in design.variables.items() if variable.is_factor]
    for name in factors:
        if name not in model_factors:
            raise ValueError(f"LS means: {name!r} is not a factor of the fixed effects "
                             f"(factors: {', '.join(model_factors) or 'none'})")
    matrix, values = _grid_rows(design, model_factors)
    cells = []
    orders = [_display_order(design, name) for name in factors]
    for combination in itertools.product(*reversed(orders)):
        levels = dict(zip(factors, reversed(combination)))
        rows = np.ones(len(matrix), dtype=bool)
        for name, level in levels.items():
            rows &= values[name] == design.variables[name].levels.index(level)
        contrast = matrix[rows].mean(axis=0)
        cells.append(Cell(_label(levels), levels, contrast, len(_subjects(design, levels))))
    return cells


def difference_cells(design, factors: tuple[str, ...], cells: list[Cell]) -> list[Cell]:
    """Each level of ``factors[0]`` minus its reference, within each combination of the others."""
    first = factors[0]
    reference = design.variables[first].levels[0]
    by_levels = {tuple(cell.levels.items()): cell for cell in cells}
    out = []
    for cell in cells:
        if cell.levels[first] == reference:
            continue
        base = by_levels[tuple({**cell.levels, first: reference}.items())]
        label = _label({**cell.levels, first: f"{cell.levels[first]}-{reference}"})
        n = len(_subjects(design, cell.levels) | _subjects(design, base.levels))
        out.append(Cell(label, cell.levels, cell.contrast - base.contrast, n))
    return out
