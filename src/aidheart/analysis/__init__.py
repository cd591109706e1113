"""The statistical analysis plan applied to the ADaM datasets: which endpoint, in which
analysis set, by which methods. The statistics themselves are in :mod:`aidheart.stats`
and know nothing of ADaM; this package picks the records and labels the results.
"""
