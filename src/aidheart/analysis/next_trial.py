"""Sizing of the next trial from the pilot: on the SD of change (pre-post) and on the ANCOVA's residual SD."""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.analysis_sets import baseline_values
from aidheart.analysis.responders import changes_at
from aidheart.stats.sizing import ancova_size, next_trial_size
from aidheart.study import Endpoint, Schedule


def size_next_trial(adsl: pd.DataFrame, bds: pd.DataFrame, endpoint: Endpoint, set_id: str, *, schedule: Schedule,
                    powers, alpha: float) -> pd.DataFrame:
    """Both sizings of the endpoint's ``sizing_effects`` at the primary visit.

    Returns
    -------
    DataFrame
        ARD rows labelled with ``paramcd``, ``population`` and ``visit``:

        * :func:`aidheart.stats.sizing.next_trial_size` (``next_trial_size``): the SD
          of change with Browne's upper limits and the per-arm n of a trial comparing
          mean changes (``n_per_arm_sd_change``, ``n_per_arm_sd_ucl80``);
        * :func:`aidheart.stats.sizing.ancova_size` (``next_trial_size_ancova``): the
          baseline–visit correlation with its CI, the ANCOVA SD sd_visit·sqrt(1 - r²)
          with Browne's upper limits, the pilot's dropout, and the per-arm n of a
          trial analysed by ANCOVA (``n_per_arm_sd_ancova``,
          ``n_per_arm_sd_ancova_ucl80``) with the n to enrol for that dropout
          (``n_enrol_per_arm_...``).

        A grid row holds the difference to detect in ``threshold`` and the power in
        ``power``.

    Notes
    -----
    Missing data: the SDs and the correlation use the complete pairs of ``set_id``
    (ADaM ``BASE`` and ``AVAL`` where ``CHG`` is derived). The dropout is counted over
    the treated subjects (ADSL ``SAFFL``) with a baseline value of the endpoint: the
    share without a value of ``set_id`` at the primary visit (a treated subject who
    left before any later visit is outside the efficacy set, yet a dropout).
    """
    visit = schedule.primary.avisit
    changes = changes_at(adsl, bds, endpoint.paramcd, set_id, schedule=schedule, visit=visit)
    pre_post = next_trial_size(changes["BASE"].to_numpy(), changes["AVAL"].to_numpy(),
                               effect_sizes=endpoint.sizing_effects, powers=powers, alpha=alpha)
    baseline = baseline_values(adsl, bds, endpoint.paramcd)
    at_visit = baseline.index.map(changes.set_index("USUBJID")["AVAL"]).astype(float)
    ancova = ancova_size(baseline.to_numpy(), at_visit.to_numpy(), effect_sizes=endpoint.sizing_effects,
                         powers=powers, alpha=alpha)
    rows = pd.concat([pre_post, ancova], ignore_index=True)
    return rows.assign(visit=visit, paramcd=endpoint.paramcd, population=set_id)
