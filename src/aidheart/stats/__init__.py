"""Statistics on long tables, written as an analysis results dataset (:mod:`aidheart.stats.ard`).

Paired analyses of complete (baseline, visit) pairs — :mod:`~aidheart.stats.paired`,
:mod:`~aidheart.stats.nonparametric`, :mod:`~aidheart.stats.signed_rank_pratt`,
:mod:`~aidheart.stats.effect_size`, :mod:`~aidheart.stats.resampling` — ordinal
endpoints (:mod:`~aidheart.stats.ordinal`), informative missingness
(:mod:`~aidheart.stats.worst_rank`, :mod:`~aidheart.stats.tipping_point`), proportions
and rates (:mod:`~aidheart.stats.proportions`), next-trial sizing (:mod:`~aidheart.stats.sizing`),
the longitudinal models of one endpoint through the MMRM engine below
(:mod:`~aidheart.stats.longitudinal`: MMRMs of the change and the cLDA), and
the runner that applies them all to one endpoint (:mod:`~aidheart.stats.long_table`,
used by the ``aidheart stats`` command in :mod:`~aidheart.stats.command`).

The general MMRM engine (``aidheart mmrm``, :mod:`~aidheart.stats.mmrm_command`):
formulas (:mod:`~aidheart.stats.model_formula`) and design matrices
(:mod:`~aidheart.stats.model_matrix`); the table-level fit
(:mod:`~aidheart.stats.mmrm_model`) on the array-level one (:mod:`~aidheart.stats.mmrm_fit`)
with its covariance structures (:mod:`~aidheart.stats.covariance`), pattern sums
(:mod:`~aidheart.stats.reml_data`), REML/ML (:mod:`~aidheart.stats.reml`) and small-sample
inference (:mod:`~aidheart.stats.satterthwaite`, :mod:`~aidheart.stats.kenward_roger`);
LS means (:mod:`~aidheart.stats.mmrm_lsmeans`) and ARD rows (:mod:`~aidheart.stats.mmrm_ard`).

Nothing is imported here, so importing one module does not pay for the others.
"""
