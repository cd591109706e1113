"""AID-HEART analysis pipeline: readers, cleaning, derivations, statistics, reports.

Imports run one way: ``formats`` -> ``ingest`` -> ``clean`` -> ``derive`` ->
``stats`` -> ``figures`` / ``render``. The synthetic-study generator
(``simulate``) shares nothing with the readers but :mod:`aidheart.formats`.
"""

__version__ = "0.1.0"
