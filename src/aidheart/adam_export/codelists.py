"""The controlled terms of the analysis variables, from the study model and the derivations' own constants.

A variable's ``codelist`` in the specification (:mod:`aidheart.derive.variables`) names one
of these; a dataset-specific list (``PARAMCD`` of ADEFF, ``AVISIT`` of ADEX) takes precedence
over the shared one of that name. The values are the ones the derivations can write, so a
value in a dataset outside its list means the code and the metadata disagree
(tests/test_adam_conformance.py checks every value).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aidheart.adam_export.parameters import Parameter
from aidheart.derive import adae, adex, adsl
from aidheart.derive.records import ZERO_IMPUTED
from aidheart.derive.variables import FLOAT, INTEGER, TEXT, Dataset, Variable
from aidheart.derive.visits import ADYF_VISIT_DAY
from aidheart.study import Study

#: CTCAE v5 grades and their general descriptions (AETOXGR).
CTCAE_GRADES = ((1, "Mild"), (2, "Moderate"), (3, "Severe or medically significant"), (4, "Life-threatening"),
                (5, "Death related to adverse event"))


class CodelistError(KeyError):
    """A variable names a codelist that does not exist."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Codelist:
    """Controlled terms: ``oid``, ``name``, Define-XML ``data_type`` and ``(coded value, decode)`` items.

    A decode of ``""`` means the value decodes to itself (an enumerated item).
    """

    oid: str
    name: str
    data_type: str
    items: tuple[tuple[str, str], ...]

    @property
    def values(self) -> tuple[str, ...]:
        """The coded values, in order."""
        return tuple(value for value, _ in self.items)

    @property
    def has_decodes(self) -> bool:
        """Whether any item has a decode (Define-XML ``CodeListItem`` rather than ``EnumeratedItem``)."""
        return any(decode for _, decode in self.items)


def _number(value: float) -> str:
    return f"{value:g}"


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _shared(name: str, label: str, data_type: str, items) -> Codelist:
    return Codelist(f"CL.{name}", label, data_type, tuple(items))


def _of_dataset(dataset: str, name: str, label: str, data_type: str, items) -> Codelist:
    return Codelist(f"CL.{dataset}.{name}", f"{label} ({dataset})", data_type, tuple(items))


def study_codelists(study: Study, vis_weights: Mapping[str, float],
                    parameters: Mapping[str, tuple[Parameter, ...]]) -> dict[tuple[str, str], Codelist]:
    """Every codelist, keyed ``(dataset name, codelist id)``; shared lists have dataset ``""``.

    Parameters
    ----------
    study : Study
        Treatment and visit schedule.
    vis_weights : mapping
        Config ``vis_weights`` (its drugs are the terms of ``DRUG``).
    parameters : mapping
        :func:`aidheart.adam_export.parameters.dataset_parameters`.
    """
    visits = study.schedule.visits
    eosstt = _unique([*adsl.EOSSTT_BY_STATUS.values(), adsl.SCREEN_FAILURE[0], adsl.EOSSTT_NO_FORM])
    arms = (study.treatment, adsl.SCREEN_FAILURE_ARM, adsl.NOT_ASSIGNED_ARM, adsl.NOT_TREATED_ARM)
    shared = [
        _shared("NY", "No Yes Response", TEXT, [("N", "No"), ("Y", "Yes")]),
        _shared("AGEU", "Age Unit", TEXT, [(adsl.AGE_UNIT, "")]),
        _shared("ARM", "Arm", TEXT, [(arm, "") for arm in arms]),
        _shared("TRT", "Treatment", TEXT, [(study.treatment, "")]),
        _shared("DRUG", "Inotrope", TEXT, [(drug, "") for drug in vis_weights]),
        _shared("EOSSTT", "End of Study Status", TEXT, [(status, "") for status in eosstt]),
        _shared("EOTSTT", "End of Treatment Status", TEXT, [(status, "") for status in adsl.EOTSTT_TERMS]),
        _shared("AREL", "Analysis Causality", TEXT, [(adae.AREL_RELATED, ""), (adae.AREL_NOT_RELATED, "")]),
        _shared("AETOXGR", "CTCAE Grade", INTEGER, [(str(grade), text) for grade, text in CTCAE_GRADES]),
        _shared("AVISIT", "Analysis Visit", TEXT, [(visit.avisit, "") for visit in visits]),
        _shared("AVISITN", "Analysis Visit (N)", FLOAT, [(_number(visit.avisitn), visit.avisit) for visit in visits]),
        _shared("ADYF", "Analysis Day Imputation", TEXT, [(ADYF_VISIT_DAY, "")]),
        _shared("DTYPE", "Derivation Type", TEXT, [(ZERO_IMPUTED, "")]),
    ]
    lists = {("", codelist.oid.removeprefix("CL.")): codelist for codelist in shared}
    for dataset, params in parameters.items():
        lists[(dataset, "PARAMCD")] = _of_dataset(dataset, "PARAMCD", "Parameter Code", TEXT,
                                                  [(p.paramcd, p.param) for p in params])
        lists[(dataset, "PARAM")] = _of_dataset(dataset, "PARAM", "Parameter", TEXT, [(p.param, "") for p in params])
    lists[("ADEX", "AVISIT")] = _of_dataset("ADEX", "AVISIT", "Analysis Visit", TEXT, [(adex.AVISIT, "")])
    return lists


def codelist_of(codelists: Mapping[tuple[str, str], Codelist], dataset: Dataset, variable: Variable) -> Codelist | None:
    """The codelist of ``variable`` in ``dataset`` (the dataset's own, else the shared one), or None.

    Raises
    ------
    CodelistError
        The variable names a codelist that does not exist (the message names both).
    """
    if not variable.codelist:
        return None
    found = codelists.get((dataset.name, variable.codelist)) or codelists.get(("", variable.codelist))
    if found is None:
        raise CodelistError(f"{dataset.name}.{variable.name}: no codelist {variable.codelist!r}")
    return found
