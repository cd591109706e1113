"""Rule adam_export: metadata tables, Define-XML, the HTML specification and transport files of the ADaM datasets."""

from pathlib import Path

from aidheart.adam_export.codelists import CodelistError
from aidheart.adam_export.export import ExportError, export_adam
from aidheart.adam_export.parameters import ParameterError
from aidheart.adam_export.xpt import XptError
from aidheart.derive.ctcae import safety_labs
from aidheart.io import WriteError
from aidheart.rulelog import configure_rule_logging, exit_on_error
from aidheart.study import Study

log = configure_rule_logging(snakemake.log[0], "adam_export")
with exit_on_error((ExportError, XptError, ParameterError, CodelistError, WriteError), log):
    metadata = export_adam(dict(snakemake.input.items()), Path(snakemake.output.define_xml).parent,
                           study=Study.from_config(snakemake.params.study),
                           safety_labs=safety_labs(snakemake.params.safety_labs), vis_weights=snakemake.params.vis_weights,
                           data_date=snakemake.params.data_date)
log.info("%d datasets, %d variables, %d parameters, %d codelists; dated %s", len(metadata.datasets),
         len(metadata.variables), len(metadata.values), metadata.codelists["CODELIST"].nunique(), metadata.date)
