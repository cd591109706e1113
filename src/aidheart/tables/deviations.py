"""Protocol deviations reported by the cut-off, by category (clean ``deviations`` table)."""

from __future__ import annotations

import pandas as pd

from aidheart.tables.formatting import fmt_count, fmt_n_pct


def deviation_table(deviations: pd.DataFrame, n_treated: int) -> pd.DataFrame:
    """Events, major events and subjects n (% of the treated) per category, most events first; last row
    ``Any deviation``.

    Returns
    -------
    DataFrame
        Columns ``Category``, ``Events``, ``Major``, ``Subjects, n (%) of N = <n_treated>``.
    """
    data = deviations.assign(category=deviations["category"].astype("string").fillna("Not recorded"),
                             major=deviations["major"].astype("string").eq("Y").fillna(False))
    groups = sorted(data.groupby("category"), key=lambda item: (-len(item[1]), item[0]))
    rows = [(category, part) for category, part in groups] + [("Any deviation", data)]
    return pd.DataFrame([(category, fmt_count(len(part)), fmt_count(int(part["major"].sum())),
                          fmt_n_pct(part["record_id"].nunique(), n_treated)) for category, part in rows],
                        columns=["Category", "Events", "Major", f"Subjects, n (%) of N = {n_treated}"])
