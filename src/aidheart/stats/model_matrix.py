"""Fixed-effects design matrices with R's ``model.matrix`` coding and column order.

A variable is a *factor* (levels in a given order, the first the reference) or
*numeric*. Within a term a factor is coded by treatment contrasts (one 0/1 column per
level but the first) when the term without that factor is also in the model (the
empty term being the intercept), else by one indicator column per level: R's rule,
so ``AVISIT + BASE + AVISIT:BASE`` gives one ``BASE`` slope and its differences by
visit, and ``0 + AVISIT + AVISIT:BASE`` a slope per visit. A numeric variable enters as
its values. An interaction's columns are the products of its variables' columns,
the first variable varying fastest, named ``A=a:B=b`` (``BASE`` for a numeric).
Columns come term by term, after ``(Intercept)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INTERCEPT = "(Intercept)"


@dataclass(frozen=True)
class Variable:
    """A model variable: its ``levels`` (coding order, reference first), or ``None`` if numeric."""

    name: str
    levels: tuple[str, ...] | None = None

    @property
    def is_factor(self) -> bool:
        return self.levels is not None


@dataclass(frozen=True)
class TermCoding:
    """How each variable of one term is coded: ``"contrast"``, ``"indicator"`` or ``"numeric"``."""

    variables: tuple[str, ...]
    codings: tuple[str, ...]


def term_codings(terms, intercept: bool, variables: dict[str, Variable]) -> list[TermCoding]:
    """R's coding of every factor in every term (see the module notes)."""
    present = {frozenset(term) for term in terms}
    if intercept:
        present.add(frozenset())
    out = []
    for term in terms:
        codings = []
        for name in term:
            if not variables[name].is_factor:
                codings.append("numeric")
            else:
                rest = frozenset(term) - {name}
                codings.append("contrast" if rest in present else "indicator")
        out.append(TermCoding(tuple(term), tuple(codings)))
    return out


def _block(variable: Variable, coding: str, values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    if coding == "numeric":
        return values.astype(float)[:, None], [variable.name]
    first = 1 if coding == "contrast" else 0
    levels = np.arange(first, len(variable.levels))
    block = (values[:, None] == levels[None, :]).astype(float)
    return block, [f"{variable.name}={variable.levels[k]}" for k in levels]


def design_matrix(
    codings: list[TermCoding], intercept: bool, variables: dict[str, Variable], values: dict[str, np.ndarray]
) -> tuple[np.ndarray, list[str]]:
    """``X`` (rows x columns) and the column names.

    ``values[name]`` is, for a factor, the integer code of each row's level in
    ``variables[name].levels``; for a numeric variable, its values.
    """
    n_rows = len(next(iter(values.values()))) if values else 0
    blocks, names = [], []
    if intercept:
        blocks.append(np.ones((n_rows, 1)))
        names.append(INTERCEPT)
    for term in codings:
        block, labels = None, None
        for name, coding in zip(term.variables, term.codings):
            columns, column_labels = _block(variables[name], coding, values[name])
            if block is None:
                block, labels = columns, column_labels
                continue
            # first variable fastest: new[:, j * c1 + i] = block[:, i] * columns[:, j]
            block = (columns[:, :, None] * block[:, None, :]).reshape(n_rows, -1)
            labels = [f"{left}:{right}" for right in column_labels for left in labels]
        blocks.append(block)
        names += labels
    matrix = np.hstack(blocks) if blocks else np.zeros((n_rows, 0))
    return matrix, names


def aliased_columns(matrix: np.ndarray, names: list[str], tol: float = 1e-7) -> list[str]:
    """Columns that are linear combinations of earlier ones (R's ``lm`` would report them as NA).

    Column ``j`` is aliased when its residual on the earlier non-aliased columns has a
    norm below ``tol`` times its own norm (R's QR tolerance); an all-zero column is aliased.
    The residuals are those of the triangular factor ``R`` of ``X = QR`` (``Q`` keeps every
    inner product), so the work after one QR is ``p x p``.
    """
    triangular = np.linalg.qr(matrix, mode="r") if matrix.shape[0] > matrix.shape[1] else matrix
    aliased = []
    basis = np.zeros((triangular.shape[0], 0))
    for name, column in zip(names, triangular.T):
        norm = np.linalg.norm(column)
        if basis.shape[1]:
            column = column - basis @ (basis.T @ column)
            column = column - basis @ (basis.T @ column)  # second pass: orthogonality to rounding
        residual = np.linalg.norm(column)
        if norm == 0 or residual <= tol * norm:
            aliased.append(name)
            continue
        basis = np.column_stack([basis, column / residual])
    return aliased
