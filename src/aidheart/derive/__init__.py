"""ADaM analysis datasets derived from the clean tables.

One small function per derivation, named as in pharmaverse admiral:

- ``derive_var_*`` adds one variable to a dataset (``derive_var_base``);
- ``derive_vars_*`` adds a few variables that belong together;
- ``derive_param_*`` builds the records of one parameter (``derive_param_slope``);
- ``compute_*`` maps vectors to a vector (``compute_vis``);
- ``assert_*`` checks an input and raises :class:`~aidheart.derive.checks.DerivationError`.

Every function takes the dataset first, then the keys, then options; none changes
its input in place or reorders its rows (the dataset builders sort once, openly).

Datasets (``results/adam/``; one module each, reading like the specification; their
variables, in order, in :mod:`~aidheart.derive.variables`). ADSL is built first, from
the clean tables alone; every other dataset takes its subjects, identifiers and
treatment from it:

- ``adsl`` (:mod:`~aidheart.derive.adsl`): one row per screened subject: site, arm
  and treatment, ``TRTSDY``/``TRTEDY`` (study days of the first and last dose),
  disposition, adherence and the population flags ``ENRLFL``, ``SAFFL``,
  ``EFFFL``, ``COMPLFL``, ``PPROTFL``.
- ``adstep`` (:mod:`~aidheart.derive.adstep`): one row per inotrope-challenge
  dose step: dose, VIS, steady-state CI and HR, valid readings, usable flag and
  the reason a step is not usable. The dose-response panels read it.
- ``adeff`` (:mod:`~aidheart.derive.adeff`): every endpoint of the configuration by
  visit in one long BDS dataset, so that each flows through the same statistics.
- ``adlb`` (:mod:`~aidheart.derive.adlb`): the safety labs (neutrophil count and
  its CTCAE grade as the parameter ``ANCGR``; a shift table is ``BASE`` x ``AVAL``).
- ``adae`` (:mod:`~aidheart.derive.adae`): adverse events with ``TRTEMFL`` and ``AREL``.
- ``adex`` (:mod:`~aidheart.derive.adex`): exposure days and adherence (BDS).

Rules shared by the BDS datasets (:mod:`~aidheart.derive.bds`):

- study days follow the clean tables: day 1 is the first dose and there is no
  day 0, so "on or before first dose" is ``ADY <= 1`` and post-baseline ``ADY > 1``;
  an assessment whose own date failed validation takes its visit's day
  (``ADYF = "VISIT DAY"``);
- ``AVISIT`` is the visit the record was entered under (the schedule's visits),
  also when it fell outside its window;
- baseline (``ABLFL``) is the last observed non-missing value on or before day 1;
  two candidates on that day stop the run with an error naming the keys;
- ``CHG``/``PCHG`` are set on post-baseline records only; ``PCHG`` is missing
  when ``BASE`` is 0;
- ``DTYPE`` marks derived records (``ZERO-IMPUTED`` 6MWD); ``ANL01FL`` flags the
  observed value per subject, parameter and visit, ``ANL02FL`` the same with an
  imputed record where no value was observed (the 0 m sensitivity analysis), and in
  ADEFF ``ANL03FL`` the ``ANL01FL`` records of a subject and parameter with a
  baseline and a later value (an endpoint's efficacy analysis set is ADSL ``EFFFL``
  with these records);
- a record whose value cannot be derived keeps ``AVAL`` missing and says why in
  ``REASND``; ``SRCDOM``/``SRCVAR``/``SRCSEQ`` name the source table, its column and
  the 1-based row the value came from (``SRCSEQ`` missing when it comes from several
  rows: a slope from a session's usable steps, VISMAINT from the log entries in force).
"""
