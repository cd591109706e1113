"""Readers of the raw AID-HEART formats: REDCap export, data dictionary, monitor files.

Readers turn bytes into tables of strings and raise
:class:`~aidheart.ingest.errors.InputStructureError` when a file is so broken
that no analysis could use it. They judge no value: validation is
:mod:`aidheart.clean`'s job. This package's ``__init__`` imports nothing, so the
per-session monitor job (:mod:`aidheart.ingest.monitor_job`) starts with the
standard library only.
"""
