"""The statistical analysis plan's own settings, loaded once from config ``analysis``.

The endpoints and visits are the study model (:mod:`aidheart.study`); this holds how
they are analysed: the resampling seed, the treatment window of the on-treatment
sensitivity analysis, the pre-specified signed-rank test, and the longitudinal models
with their covariance fallback order and df method. ``config/README.md`` states each
rule as the SAP does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


class PlanError(ValueError):
    """Config ``analysis`` describes an impossible plan; the message names the key."""


#: The variables a model formula may use: the visit and the baseline value of the endpoint's ADEFF records.
MODEL_VARIABLES = ("AVISIT", "BASE")


@dataclass(frozen=True)
class PlannedModel:
    """A longitudinal model of the plan: ARD method ``id``, ``role`` (primary or sensitivity), ``label``,
    fixed-effects ``formula`` over ADaM names."""

    id: str
    role: str
    label: str
    formula: str

    def model(self):
        """The :class:`aidheart.stats.longitudinal.LongitudinalModel` the engine fits."""
        from aidheart.stats.longitudinal import LongitudinalModel  # the engine only where a model is fitted

        return LongitudinalModel(self.id, self.formula, self.label)


@dataclass(frozen=True)
class AnalysisPlan:
    """Config ``analysis`` (see ``config/README.md``).

    Attributes
    ----------
    seed, resamples : the seed and number of resamples of the bootstrap and Monte Carlo sign-flip.
    on_treatment_days : a post-baseline value is on treatment from the first dose to the
        last dose + this many days (ADEFF ``ONTRTFL``).
    signed_rank_test : the pre-specified signed-rank method (an ARD method).
    models : the longitudinal models in order, exactly one with role ``primary``.
    covariance : covariance structures tried in order; the first that converges is used.
    model_df : denominator df of the model contrasts.
    """

    seed: int
    resamples: int
    on_treatment_days: int
    signed_rank_test: str
    models: tuple[PlannedModel, ...]
    covariance: tuple[str, ...]
    model_df: str

    @classmethod
    def from_config(cls, analysis: Mapping) -> AnalysisPlan:
        """The plan from config ``analysis`` (already schema-validated).

        Raises
        ------
        PlanError
            The models do not have exactly one primary, or repeat an id; one line naming the key.
        """
        models = tuple(PlannedModel(id=item["id"], role=item["role"], label=item["label"], formula=item["formula"])
                       for item in analysis["models"])
        primary = [model.id for model in models if model.role == "primary"]
        if len(primary) != 1:
            raise PlanError(f"config key 'analysis.models': exactly one model needs the role 'primary', found {primary}")
        ids = [model.id for model in models]
        if len(set(ids)) != len(ids):
            raise PlanError(f"config key 'analysis.models': a model id is used twice: {ids}")
        for model in models:
            _check_formula(model)
        return cls(seed=int(analysis["seed"]), resamples=int(analysis["bootstrap_resamples"]),
                   on_treatment_days=int(analysis["on_treatment_days"]),
                   signed_rank_test=analysis["signed_rank_test"], models=models,
                   covariance=tuple(analysis["covariance"]), model_df=analysis["model_df"])

    @property
    def primary_model(self) -> PlannedModel:
        """The model with role ``primary``."""
        return next(model for model in self.models if model.role == "primary")


def _check_formula(model: PlannedModel) -> None:
    """The formula parses (engine syntax) and uses only :data:`MODEL_VARIABLES`, the visit among them."""
    from aidheart.stats.model_formula import FormulaError, parse_formula

    key = f"config key 'analysis.models' ({model.id})"
    try:
        parsed = parse_formula(f"{model.formula} + us(AVISIT | USUBJID)")
    except FormulaError as error:
        raise PlanError(f"{key}: formula {model.formula!r}: {error}") from None
    unknown = [name for name in parsed.variables if name not in MODEL_VARIABLES]
    if unknown or "AVISIT" not in parsed.variables:
        raise PlanError(f"{key}: formula {model.formula!r} may use only {', '.join(MODEL_VARIABLES)}, "
                        "and the visit AVISIT")
