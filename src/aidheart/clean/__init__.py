"""Cleaning: validation against the data dictionary, queries, de-identification,
study days, the data cut-off, the clean tables and the row reconciliation.

Entry point: :func:`aidheart.clean.study.clean_study`.
"""
