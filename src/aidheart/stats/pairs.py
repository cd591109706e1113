"""Complete (baseline, visit) pairs: the missing-data rule every paired method shares."""

from __future__ import annotations

import numpy as np


def complete_pairs(baseline, visit) -> tuple[np.ndarray, np.ndarray]:
    """Keep the pairs where both members are finite.

    Parameters
    ----------
    baseline, visit : array_like
        Values of the same subjects at baseline and at the visit, in the same order.

    Returns
    -------
    baseline, visit : numpy.ndarray
        Float arrays of the complete pairs, in the input order.

    Notes
    -----
    A pair with a missing (NaN) or infinite member is dropped as a whole, so every
    paired method analyses the same subjects (complete-case analysis).
    """
    baseline = np.asarray(baseline, dtype=float).ravel()
    visit = np.asarray(visit, dtype=float).ravel()
    if baseline.shape != visit.shape:
        raise ValueError(f"baseline and visit differ in length: {baseline.size} vs {visit.size}")
    keep = np.isfinite(baseline) & np.isfinite(visit)
    return baseline[keep], visit[keep]


def paired_differences(baseline, visit) -> np.ndarray:
    """Differences ``visit - baseline`` over the complete pairs (see :func:`complete_pairs`)."""
    baseline, visit = complete_pairs(baseline, visit)
    return visit - baseline
