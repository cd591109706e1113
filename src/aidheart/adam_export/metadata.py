"""The metadata tables of the analysis datasets: datasets, variables, values (by parameter), codelists.

Names, labels, types, origins and derivations come from the specification
(:mod:`aidheart.derive.variables`); lengths and record counts are measured on the datasets
as built. The Define-XML document, its HTML view and the metadata CSV files are all
written from these tables.

Lengths (Define-XML's ``Length``): text, the longest value in bytes (UTF-8), at least 1;
integer, the most characters a value takes (sign included), at least 1; float, not given
(the values keep full double precision, so there is no fixed number of digits).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from aidheart.adam_export.codelists import Codelist, codelist_of
from aidheart.adam_export.parameters import Parameter
from aidheart.derive.variables import FLOAT, INTEGER, TEXT, Dataset
from aidheart.io import read_table

DATASET_COLUMNS = ("DATASET", "LABEL", "CLASS", "STRUCTURE", "KEYS", "RECORDS", "FILE")
VARIABLE_COLUMNS = ("DATASET", "ORDER", "VARIABLE", "LABEL", "TYPE", "LENGTH", "ORIGIN", "SOURCE", "DERIVATION",
                    "CODELIST", "MANDATORY", "KEYSEQ")
VALUE_COLUMNS = ("DATASET", "VARIABLE", "PARAMCD", "PARAM", "TYPE", "ORIGIN", "DERIVATION", "RECORDS")
CODELIST_COLUMNS = ("CODELIST", "NAME", "TYPE", "ORDER", "VALUE", "DECODE")
#: The BDS variable whose metadata varies by parameter.
VALUE_VARIABLE = "AVAL"


@dataclass(frozen=True)
class Metadata:
    """The metadata of one set of analysis datasets (each table has the columns of its ``*_COLUMNS``).

    ``study_id`` and ``description`` name the study; ``date`` (``YYYY-MM-DD``) is the data
    cut-off the datasets describe, which dates the Define-XML document and the transport files.
    """

    study_id: str
    description: str
    date: str
    datasets: pd.DataFrame
    variables: pd.DataFrame
    values: pd.DataFrame
    codelists: pd.DataFrame


def read_dataset(path: str | Path, spec: Dataset) -> pd.DataFrame:
    """A dataset CSV with its text variables as text (``"01"`` stays ``"01"``) and the others as numbers."""
    return read_table(path, text_columns=[variable.name for variable in spec.variables if variable.type == TEXT])


def value_length(values: pd.Series, data_type: str) -> int | None:
    """Define-XML ``Length`` of a variable's values (module notes); None for floats."""
    present = values.dropna()
    if data_type == FLOAT:
        return None
    if data_type == INTEGER:
        return max([len(str(int(value))) for value in present], default=1)
    return max([len(str(value).encode("utf-8")) for value in present], default=1)


def xpt_name(spec: Dataset) -> str:
    """The transport file of a dataset, relative to the ADaM folder (``xpt/adsl.xpt``)."""
    return f"xpt/{spec.name.lower()}.xpt"


def dataset_row(spec: Dataset, data: pd.DataFrame) -> dict:
    """The datasets-table row of one dataset."""
    return {"DATASET": spec.name, "LABEL": spec.label, "CLASS": spec.adam_class, "STRUCTURE": spec.structure,
            "KEYS": " ".join(spec.keys), "RECORDS": len(data), "FILE": xpt_name(spec)}


def variable_rows(spec: Dataset, data: pd.DataFrame, codelists: Mapping[tuple[str, str], Codelist]) -> list[dict]:
    """One metadata row per variable of ``spec``, in dataset order."""
    rows = []
    for order, variable in enumerate(spec.variables, start=1):
        codelist = codelist_of(codelists, spec, variable)
        rows.append({
            "DATASET": spec.name, "ORDER": order, "VARIABLE": variable.name, "LABEL": variable.label,
            "TYPE": variable.type, "LENGTH": value_length(data[variable.name], variable.type),
            "ORIGIN": variable.origin, "SOURCE": variable.source, "DERIVATION": variable.derivation,
            "CODELIST": codelist.oid if codelist else "", "MANDATORY": "Yes" if variable.mandatory else "No",
            "KEYSEQ": spec.keys.index(variable.name) + 1 if variable.name in spec.keys else None,
        })
    return rows


def value_rows(spec: Dataset, data: pd.DataFrame, parameters: tuple[Parameter, ...]) -> list[dict]:
    """One row per parameter of a BDS dataset: ``AVAL``'s label (``PARAM``) and derivation for that ``PARAMCD``."""
    counts = data["PARAMCD"].value_counts()
    return [{"DATASET": spec.name, "VARIABLE": VALUE_VARIABLE, "PARAMCD": parameter.paramcd, "PARAM": parameter.param,
             "TYPE": spec.variable(VALUE_VARIABLE).type, "ORIGIN": parameter.origin,
             "DERIVATION": parameter.derivation, "RECORDS": int(counts.get(parameter.paramcd, 0))}
            for parameter in parameters]


def codelist_rows(codelists: Mapping[tuple[str, str], Codelist], used: set[str]) -> list[dict]:
    """One row per item of each codelist whose OID is in ``used``, codelists in order of first definition."""
    return [{"CODELIST": codelist.oid, "NAME": codelist.name, "TYPE": codelist.data_type, "ORDER": order,
             "VALUE": value, "DECODE": decode}
            for codelist in codelists.values() if codelist.oid in used
            for order, (value, decode) in enumerate(codelist.items, start=1)]


def build_metadata(datasets: Mapping[Dataset, pd.DataFrame], codelists: Mapping[tuple[str, str], Codelist],
                   parameters: Mapping[str, tuple[Parameter, ...]], *, study_id: str, description: str,
                   date: str) -> Metadata:
    """The metadata of ``datasets`` (spec -> data as built, with every variable of the spec), with the
    codelists and parameters they use."""
    variables = pd.DataFrame([row for spec, data in datasets.items() for row in variable_rows(spec, data, codelists)],
                             columns=list(VARIABLE_COLUMNS)).astype({"LENGTH": "Int64", "KEYSEQ": "Int64"})
    values = pd.DataFrame([row for spec, data in datasets.items() if spec.name in parameters
                           for row in value_rows(spec, data, parameters[spec.name])], columns=list(VALUE_COLUMNS))
    return Metadata(
        study_id=study_id, description=description, date=date,
        datasets=pd.DataFrame([dataset_row(spec, data) for spec, data in datasets.items()],
                              columns=list(DATASET_COLUMNS)),
        variables=variables, values=values,
        codelists=pd.DataFrame(codelist_rows(codelists, set(variables["CODELIST"]) - {""}),
                               columns=list(CODELIST_COLUMNS)),
    )
