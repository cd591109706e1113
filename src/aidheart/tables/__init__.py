"""The tables of every report (analysis, DSMB, data quality): rows of the ARD and of the ADaM
datasets, counted and formatted. One stack: each population count comes from the ADSL flags
(:mod:`~aidheart.tables.populations`), each number is rounded by :mod:`~aidheart.tables.formatting`,
and nothing is recomputed that the ARD holds. Each function returns text, ready for
:func:`~aidheart.tables.markdown.show_table`.
"""
