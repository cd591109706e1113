"""Adverse events against time on study drug (DSMB): exposure-adjusted rates and cumulative incidence.

The categories are those of the AE overview (:data:`aidheart.tables.adverse_events.TEAE_CATEGORIES`)
that a rate describes; time at risk and the estimates: :mod:`aidheart.analysis.safety_rates`.
"""

from __future__ import annotations

import pandas as pd

from aidheart.analysis.safety_rates import cumulative_incidence, exposure_adjusted_rates
from aidheart.stats.ard import ci_label
from aidheart.tables.adverse_events import TEAE_CATEGORIES, treatment_emergent
from aidheart.tables.formatting import fmt_count, fmt_estimate_ci, fmt_number

#: Overview category -> the shorter label of the rate table and the figure.
RATE_CATEGORIES = {
    "Any treatment-emergent AE (TEAE)": "Any TEAE",
    "Related TEAE (possibly, probably, definitely)": "Related TEAE",
    "TEAE of CTCAE grade 3 or higher": "TEAE of grade ≥ 3",
    "Serious TEAE": "Serious TEAE",
    "Injection-site reaction (TEAE)": "Injection-site reaction",
    "Infection (TEAE)": "Infection",
}


def _categories(labels: dict[str, str]) -> dict:
    return {short: TEAE_CATEGORIES[long] for long, short in labels.items()}


def exposure_rate_table(adsl: pd.DataFrame, adae: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """Events, subjects, patient-years at risk and events per patient-year with the exact Poisson CI.

    Returns
    -------
    DataFrame
        Columns ``Category``, ``Events``, ``Subjects``, ``Patient-years``, ``Events per patient-year (95% CI)``.
    """
    rates = exposure_adjusted_rates(adsl, treatment_emergent(adae), _categories(RATE_CATEGORIES), window_days)
    return pd.DataFrame({
        "Category": rates["category"], "Events": rates["events"].map(fmt_count),
        "Subjects": rates["subjects"].map(fmt_count), "Patient-years": rates["patient_years"].map(
            lambda years: fmt_number(years, 2)),
        f"Events per patient-year ({ci_label()})": [fmt_estimate_ci(e, lo, hi, 2) for e, lo, hi in
                                                     zip(rates["estimate"], rates["ci_low"], rates["ci_high"])]})


def incidence_curves(adsl: pd.DataFrame, adae: pd.DataFrame, window_days: int,
                     categories: tuple[str, ...] = ("Any TEAE", "TEAE of grade ≥ 3", "Serious TEAE",
                                                    "Injection-site reaction", "Infection")) -> pd.DataFrame:
    """Kaplan–Meier cumulative incidence of a first TEAE by study day for each of ``categories``."""
    chosen = {long: short for long, short in RATE_CATEGORIES.items() if short in categories}
    return cumulative_incidence(adsl, treatment_emergent(adae), _categories(chosen), window_days)
