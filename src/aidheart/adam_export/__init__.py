"""The ADaM datasets for reviewers: metadata files, a Define-XML 2.1 document, its HTML view, SAS transport files.

Everything is written from the dataset specification (:mod:`aidheart.derive.variables`:
names, labels, types, origins, derivations) and the datasets as built, so the metadata
describes exactly what the derivations wrote:

- :mod:`~aidheart.adam_export.parameters`: the parameters (``PARAMCD``/``PARAM``) of each
  BDS dataset and how each parameter's ``AVAL`` is derived (value-level metadata);
- :mod:`~aidheart.adam_export.codelists`: the controlled terms of the variables that have them,
  taken from the study model and the constants the derivations use;
- :mod:`~aidheart.adam_export.metadata`: the metadata tables (datasets, variables, values,
  codelists), lengths measured on the data;
- :mod:`~aidheart.adam_export.define_xml`, :mod:`~aidheart.adam_export.define_html`: the
  Define-XML document and the dataset specification for reviewers, from those tables;
- :mod:`~aidheart.adam_export.xpt`: SAS transport files, version 5, with labels;
- :mod:`~aidheart.adam_export.export`: all of them written together, atomically.
"""
