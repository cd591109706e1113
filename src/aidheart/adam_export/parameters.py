"""The parameters of each BDS dataset and how each one's ``AVAL`` is derived (value-level metadata).

The lists come from where the derivations take them: ADEFF's from the study's endpoints
(configuration), ADLB's from the safety labs (configuration ``safety.labs``), ADEX's from
:mod:`aidheart.derive.adex`. A parameter the text below does not describe stops the export
with an error naming it, so a new kind of endpoint cannot go out undocumented.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aidheart.derive import adex, adlb
from aidheart.derive.ctcae import SafetyLab
from aidheart.derive.records import ZERO_IMPUTED
from aidheart.derive.variables import DERIVED, PREDECESSOR
from aidheart.study import Endpoint, Study


class ParameterError(ValueError):
    """A parameter whose derivation has no description."""


@dataclass(frozen=True)
class Parameter:
    """A BDS parameter: ``PARAMCD``, ``PARAM``, how its ``AVAL`` is derived (or, for a predecessor, its source)
    and the origin of that ``AVAL``."""

    paramcd: str
    param: str
    derivation: str
    origin: str = DERIVED


#: Endpoint ``source`` key -> how the endpoint's AVAL is derived (``{arg}``: the source's argument).
ENDPOINT_DERIVATIONS = {
    "challenge_slope": "OLS slope of ADSTEP.{arg} on VIS over the session's usable steps (USABLFL = Y), when they "
                       "have at least challenge.min_distinct_doses distinct VIS; else missing with REASND",
    "challenge_maintenance": "ADSTEP.{arg} of the session's step 1 (the maintenance dose); missing with step 1's "
                             "REASND when it is not usable",
    "walk": "walks.{arg} of a walk done; a walk not done has AVAL missing and its reason in REASND",
    "labs": "labs.value of the param {arg}, as cleaned (missing where it failed validation)",
    "clinical": "clinical.value of the param {arg}, as cleaned (missing where it failed validation)",
    "log_of": "Natural logarithm of AVAL of {arg}; missing where that is not positive",
    "inotrope_log": "Time-weighted mean VIS of the inotrope_log entries in force over the visit interval "
                    "[ASTDY, AENDY] (a log entry holds until the next one)",
}
def endpoint_parameter(endpoint: Endpoint) -> Parameter:
    """The ADEFF parameter of an endpoint (its ``zero_if_not_done`` reasons named in the derivation)."""
    text = ENDPOINT_DERIVATIONS[endpoint.derivation].format(arg=endpoint.source[endpoint.derivation])
    if endpoint.zero_if_not_done:
        text += (f"; a walk not done for {', '.join(endpoint.zero_if_not_done)} also gives a record AVAL = 0 "
                 f"with DTYPE = {ZERO_IMPUTED}")
    return Parameter(endpoint.paramcd, endpoint.param, text)


def lab_parameters(labs: Sequence[SafetyLab]) -> tuple[Parameter, ...]:
    """The ADLB parameters in ``PARAMN`` order: each safety lab (config ``safety.labs``), then its CTCAE grade
    (:func:`aidheart.derive.adlb.derive_param_grade`), the grading stated from the lab's configuration."""
    parameters = []
    for lab in labs:
        (code, label), = adlb.lab_params([lab]).values()
        parameters.append(Parameter(code, label, ENDPOINT_DERIVATIONS["labs"].format(arg=lab.param)))
        parameters.append(Parameter(lab.grade_paramcd, adlb.grade_param(lab),
                                    f"CTCAE v5 grade of the {code} record of the same visit: {lab.grading}"))
    return tuple(parameters)


def exposure_parameters() -> tuple[Parameter, ...]:
    """The ADEX parameters in ``PARAMN`` order: each the ADSL variable of the same value."""
    return tuple(Parameter(code, label, f"ADSL.{variable}", PREDECESSOR)
                 for code, (variable, label) in adex.EXPOSURE_PARAMS.items())


def dataset_parameters(study: Study, labs: Sequence[SafetyLab]) -> dict[str, tuple[Parameter, ...]]:
    """Dataset name -> its parameters in ``PARAMN`` order (the datasets with ``PARAMCD``); ``labs``: the
    safety labs of config ``safety.labs`` (:func:`aidheart.derive.ctcae.safety_labs`).

    Raises
    ------
    ParameterError
        An endpoint whose ``source`` has no description.
    """
    unknown = sorted({endpoint.derivation for endpoint in study.endpoints} - set(ENDPOINT_DERIVATIONS))
    if unknown:
        raise ParameterError(f"endpoint source(s) {', '.join(unknown)} have no derivation text "
                             "(aidheart.adam_export.parameters)")
    return {"ADEFF": tuple(endpoint_parameter(endpoint) for endpoint in study.endpoints),
            "ADLB": lab_parameters(labs), "ADEX": exposure_parameters()}
