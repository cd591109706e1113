"""Worst-rank composite of a change from baseline: intercurrent events ranked below every observed change.

Death, LVAD implantation and a walk not done for heart-failure symptoms are the
most informative reasons for a missing 6-minute walk; a complete-case analysis
drops them as if they were missing at random. The composite keeps every such
subject, ranked worse than any observed change (Lachin 1999), worst event first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aidheart.stats.ard import result_row, results_frame
from aidheart.stats.signed_rank_pratt import pratt_signed_rank


def worst_rank_scores(change, event, *, event_order) -> tuple[np.ndarray, dict[str, int], int]:
    """Composite scores: the observed change, or a value below every observed change for an event.

    Parameters
    ----------
    change : array_like
        Change from baseline at the visit per subject; NaN when not observed.
    event : array_like of str
        Per subject, the intercurrent event that explains the missing value (a label
        in ``event_order``), or anything else ("" or another reason) when none applies.
    event_order : sequence of str
        Ranked events, worst first (e.g. ``("death", "lvad", "hf_not_done")``).

    Returns
    -------
    scores : numpy.ndarray
        Scores of the ranked subjects, in input order.
    counts : dict
        Subjects per event label and ``"observed"``.
    left_out : int
        Subjects with neither an observed change nor a ranked event.

    Notes
    -----
    With M = max |observed change| (0 when none) and K = len(event_order), a subject
    with the k-th event (k = 0 worst) scores -(M + K - k); a subject without a ranked
    event scores the observed change. So death < LVAD < walk not done < every
    observed change, and every event has a larger |score| than any observed change.
    A ranked event wins over an observed value (the caller passes the event that
    prevented the visit's measurement). A subject with another reason for a missing
    value (withdrawal, lost to follow-up) is left out, as in a complete-case analysis.
    """
    change = np.asarray(change, dtype=float).ravel()
    event = np.asarray(event, dtype=object).ravel()
    if change.shape != event.shape:
        raise ValueError(f"change and event differ in length: {change.size} vs {event.size}")
    position = {label: k for k, label in enumerate(event_order)}
    ranked_event = np.array([label in position for label in event], dtype=bool)
    observed = ~ranked_event & np.isfinite(change)
    top = float(np.max(np.abs(change[observed]))) if observed.any() else 0.0
    scores = np.where(observed, change, 0.0)
    for label, k in position.items():
        scores[event == label] = -(top + len(event_order) - k)
    keep = observed | ranked_event
    counts = {label: int(np.count_nonzero(event == label)) for label in event_order}
    counts["observed"] = int(np.count_nonzero(observed))
    return scores[keep], counts, int(np.count_nonzero(~keep))


def worst_rank_composite(change, event, *, event_order) -> pd.DataFrame:
    """Exact signed-rank test of a worst-rank composite change (pre-specified analysis).

    Parameters
    ----------
    change, event, event_order
        As :func:`worst_rank_scores`.

    Returns
    -------
    pandas.DataFrame
        ``method = "worst_rank_composite"`` rows: ``term = "V"`` with ``statistic`` the
        Pratt signed-rank sum of the composite, ``p_value`` exact two-sided, ``n`` ranked
        subjects and a ``note``; then ``count[<event>]`` for each event in order and
        ``count[observed]``, ``estimate`` the number of subjects, ``n`` ranked subjects.
        No ranked subject: p NaN and a ``note``.

    Notes
    -----
    Pre-specified test: the exact conditional signed-rank test (Pratt's zeros, mid-ranks
    for ties; :func:`aidheart.stats.signed_rank_pratt.pratt_signed_rank`) of the
    composite scores; its null distribution is the sign-flip distribution of the
    signed mid-ranks, so "exact signed-rank" and "sign-flip of the ranks" are one test
    here. Ranks and not the scores themselves, because an event's score is only a
    place in the order: a sign-flip of the scores would depend on the arbitrary
    values -(M + K - k). Exact, because at n ≈ 16 with tied events the normal
    approximation is poor. Ties within a category: the subjects share the mid-rank
    of the category (no ordering by time to event). Every event is negative, so its
    order within the events cannot change V; only the null distribution sees the
    mid-ranks. Caveat: the test assumes the composite is symmetric about 0 under H0,
    while an event can only count against improvement; a single-arm worst-rank test is
    therefore conservative for showing improvement.
    Missing data: see :func:`worst_rank_scores` (unranked missing values are left out).
    """
    scores, counts, left_out = worst_rank_scores(change, event, event_order=event_order)
    order = ", ".join(event_order)
    note = ("exact signed-rank (Pratt) of the composite; events rank below every observed change, "
            f"worst first: {order}")
    if left_out:
        note += f"; {left_out} subject(s) without a value or a ranked event left out"
    if scores.size == 0:
        rows = [result_row("worst_rank_composite", "V", n=0, note="no ranked subjects")]
    else:
        v, p, _ = pratt_signed_rank(scores)
        rows = [result_row("worst_rank_composite", "V", n=scores.size, note=note, statistic=v, p_value=p)]
    rows += [result_row("worst_rank_composite", f"count[{label}]", n=scores.size, estimate=count)
             for label, count in counts.items()]
    return results_frame(rows)
