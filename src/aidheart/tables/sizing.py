"""Next-trial sizing (the ARD's next_trial_size rows) as display tables."""

from __future__ import annotations

import pandas as pd

from aidheart.study import Endpoint, Study
from aidheart.tables.ard_rows import display_label, one
from aidheart.tables.formatting import MISSING, fmt_count, fmt_number

#: Grid term of each SD assumption -> its column.
SD_COLUMNS = {"n_per_arm_sd_change": "n per arm (observed SD)", "n_per_arm_sd_ucl80": "n per arm (80% UCL of SD)"}


def sd_table(ard: pd.DataFrame, study: Study) -> pd.DataFrame:
    """Per sized endpoint: visit, pairs, SD of change and its Browne 80 % and 95 % upper confidence limits.

    Returns
    -------
    DataFrame
        Columns ``Endpoint``, ``Visit``, ``n``, ``SD of change``, ``80% UCL``, ``95% UCL``.
    """
    sized = ard[ard["method"] == "next_trial_size"]
    table = []
    for (paramcd, population, visit), _ in sized.groupby(["paramcd", "population", "visit"], sort=False):
        endpoint = study.endpoint(paramcd)
        get = lambda term: one(sized, paramcd=paramcd, population=population, visit=visit, term=term)  # noqa: E731
        sd = get("sd_change")
        table.append({"Endpoint": display_label(endpoint.param), "Visit": visit, "n": fmt_count(sd["n"]),
                      "SD of change": fmt_number(sd["estimate"], endpoint.digits),
                      "80% UCL": fmt_number(get("sd_ucl80")["estimate"], endpoint.digits),
                      "95% UCL": fmt_number(get("sd_ucl95")["estimate"], endpoint.digits)})
    return pd.DataFrame(table, columns=["Endpoint", "Visit", "n", "SD of change", "80% UCL", "95% UCL"])


def sample_size_table(ard: pd.DataFrame, endpoint: Endpoint) -> pd.DataFrame:
    """Per-arm n of a two-arm trial over the grid of differences and powers, for each SD assumption.

    The ARD's ``statistic`` holds the n rounded up to whole subjects; a grid point whose
    power cannot be reached shows the missing mark. The row of the endpoint's MCID is
    labelled "(MCID)".

    Returns
    -------
    DataFrame
        Columns ``Difference to detect``, ``Power``, and one ``n per arm (...)`` column per SD assumption.
    """
    grid = ard[(ard["method"] == "next_trial_size") & (ard["paramcd"] == endpoint.paramcd)
               & ard["term"].isin(list(SD_COLUMNS))]
    if grid.empty:
        return pd.DataFrame(columns=["Difference to detect", "Power"])
    table = {}
    for _, point in grid.iterrows():
        key = (float(point["threshold"]), float(point["power"]))
        label = f"{key[0]:g}" + (f" {display_label(endpoint.unit)}" if endpoint.unit else "")
        if endpoint.mcid is not None and key[0] == float(endpoint.mcid):
            label += " (MCID)"
        entry = table.setdefault(key, {"Difference to detect": label, "Power": f"{100 * key[1]:.0f}%"})
        entry[SD_COLUMNS[point["term"]]] = fmt_count(point["statistic"]) if pd.notna(point["statistic"]) else MISSING
    return pd.DataFrame([table[key] for key in sorted(table)])
