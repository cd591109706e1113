"""Statistics on long tables, written as an analysis results dataset (:mod:`aidheart.stats.ard`).

Paired analyses of complete (baseline, visit) pairs — :mod:`~aidheart.stats.paired`,
:mod:`~aidheart.stats.nonparametric`, :mod:`~aidheart.stats.signed_rank_pratt`,
:mod:`~aidheart.stats.effect_size`, :mod:`~aidheart.stats.resampling` — ordinal
endpoints (:mod:`~aidheart.stats.ordinal`), informative missingness
(:mod:`~aidheart.stats.worst_rank`, :mod:`~aidheart.stats.tipping_point`), proportions
and rates (:mod:`~aidheart.stats.proportions`), next-trial sizing (:mod:`~aidheart.stats.sizing`),
the longitudinal models (:mod:`~aidheart.stats.lmm`, :mod:`~aidheart.stats.mmrm`), and
the runner that applies them all to one endpoint (:mod:`~aidheart.stats.long_table`,
used by the ``aidheart stats`` command in :mod:`~aidheart.stats.command`).

Nothing is imported here, so importing one module does not pay for the others.
"""
