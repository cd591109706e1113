"""Write the reviewers' files of the analysis datasets together: metadata tables, Define-XML, HTML, transport files.

Every file is written to a temporary file beside it and all are renamed only when all
were written (:func:`aidheart.io.atomic_paths`): a failed export leaves the previous set
or none, never a mix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from aidheart.adam_export.codelists import study_codelists
from aidheart.adam_export.define_html import define_html
from aidheart.adam_export.define_xml import define_xml
from aidheart.adam_export.metadata import Metadata, build_metadata, read_dataset, xpt_name
from aidheart.adam_export.parameters import dataset_parameters
from aidheart.adam_export.xpt import write_xpt
from aidheart.derive.ctcae import SafetyLab
from aidheart.derive.variables import DATASETS
from aidheart.io import atomic_paths
from aidheart.study import Study

#: Metadata tables besides the one per dataset (``metadata/<dataset>.csv``).
TABLES = ("datasets", "values", "codelists")


class ExportError(ValueError):
    """Datasets the export cannot describe as they are (the message names the dataset and variables)."""


def export_files(adam_dir: str | Path) -> dict[str, Path]:
    """Every file the export writes under ``adam_dir``, by name (the workflow rule's outputs)."""
    adam_dir = Path(adam_dir)
    files = {f"metadata_{name}": adam_dir / "metadata" / f"{name}.csv" for name in TABLES}
    files |= {f"metadata_{spec.name.lower()}": adam_dir / "metadata" / f"{spec.name.lower()}.csv" for spec in DATASETS}
    files |= {"define_xml": adam_dir / "define.xml", "define_html": adam_dir / "define.html"}
    return files | {f"xpt_{spec.name.lower()}": adam_dir / xpt_name(spec) for spec in DATASETS}


def assert_columns_match(columns, spec) -> None:
    """Raise :class:`ExportError` unless ``columns`` are the specification's variables, in its order."""
    extra = [column for column in columns if column not in spec.names]
    missing = [name for name in spec.names if name not in columns]
    if extra:
        raise ExportError(f"{spec.name}: column(s) {', '.join(extra)} have no entry in the dataset specification "
                          "(aidheart.derive.variables): add each with its label")
    if missing:
        raise ExportError(f"{spec.name}: variable(s) {', '.join(missing)} of the specification are not in the dataset")
    if list(columns) != list(spec.names):
        raise ExportError(f"{spec.name}: columns are not in the specification's order")


def export_adam(dataset_files: Mapping[str, str | Path], adam_dir: str | Path, *, study: Study,
                safety_labs: Sequence[SafetyLab], vis_weights: Mapping[str, float], data_date: str) -> Metadata:
    """Describe and export the analysis datasets; return their metadata.

    Parameters
    ----------
    dataset_files : mapping
        Lower-case dataset name (``adsl``) -> its CSV, for every dataset of
        :data:`aidheart.derive.variables.DATASETS`.
    adam_dir : path
        The ADaM folder; the files of :func:`export_files` are written below it.
    study : Study
        Identifiers, treatment, visits and endpoints.
    safety_labs : sequence of SafetyLab
        The safety labs of ADLB (config ``safety.labs``).
    vis_weights : mapping
        Config ``vis_weights``.
    data_date : str
        The data cut-off, ``YYYY-MM-DD``: the date of the Define-XML document and the transport files.

    Raises
    ------
    ExportError
        No data date, or a dataset whose columns are not its specification's.
    """
    if not data_date:
        raise ExportError("no data date for the transport files (config cutoff_date, else the REDCap export's "
                          "file name)")
    data = {spec: read_dataset(dataset_files[spec.name.lower()], spec) for spec in DATASETS}
    for spec, frame in data.items():
        assert_columns_match(frame.columns, spec)
    parameters = dataset_parameters(study, safety_labs)
    metadata = build_metadata(data, study_codelists(study, vis_weights, parameters), parameters,
                              study_id=study.study_id, description=f"{study.study_id}: {study.treatment}",
                              date=data_date)
    files = export_files(adam_dir)
    tables = {"datasets": metadata.datasets, "values": metadata.values, "codelists": metadata.codelists}
    tables |= {spec.name.lower(): metadata.variables[metadata.variables["DATASET"] == spec.name] for spec in DATASETS}
    with atomic_paths(list(files.values())) as temporaries:
        written = dict(zip(files, temporaries))
        for name, table in tables.items():
            table.to_csv(written[f"metadata_{name}"], index=False, lineterminator="\n")
        written["define_xml"].write_text(define_xml(metadata), encoding="utf-8", newline="")
        written["define_html"].write_text(define_html(metadata), encoding="utf-8", newline="")
        for spec, frame in data.items():
            write_xpt(frame, spec, written[f"xpt_{spec.name.lower()}"], date.fromisoformat(data_date))
    return metadata
