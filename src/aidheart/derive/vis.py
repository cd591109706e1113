"""The vasoactive-inotropic score (VIS) of an inotrope dose."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from aidheart.derive.checks import DerivationError


def compute_vis(dose: pd.Series, drug: pd.Series, weights: Mapping[str, float]) -> pd.Series:
    """VIS of each dose: ``dose * weights[drug]``.

    Parameters
    ----------
    dose : Series
        Dose in mcg/kg/min.
    drug : Series
        Drug label (``"Dobutamine"``, ``"Milrinone"``), aligned with ``dose``.
    weights : mapping
        VIS units per mcg/kg/min by drug (config ``vis_weights``; Gaies 2010:
        dobutamine 1, milrinone 10).

    Returns
    -------
    Series
        VIS (float), missing where the dose or the drug is missing.

    Raises
    ------
    DerivationError
        If a drug has no weight.
    """
    unknown = sorted(set(drug.dropna()) - set(weights))
    if unknown:
        raise DerivationError(f"no VIS weight for drug(s) {', '.join(unknown)} (config vis_weights)")
    weight = drug.map(dict(weights)).astype("Float64")
    return (pd.to_numeric(dose).astype("Float64") * weight).astype(float)
