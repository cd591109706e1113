"""The variables of every analysis dataset, in dataset order: the one place their names are written.

Each ``build_*`` returns exactly these columns, in this order, so the dataset metadata
(labels, types, origins, Define-XML) can be written from these tuples. Names follow
ADaM: at most 8 characters, upper case; flags end in ``FL`` ("Y"/"N", or "Y"/missing
for record-level flags); study days end in ``DY``.

Study days stand in for ADaM's dates (``TRTSDY`` for ``TRTSDT``...): calendar dates
leave the cleaning step only as study days (day 1 = first dose, no day 0), the
de-identification rule of the pipeline, so no date of an individual reaches a dataset.
"""

from __future__ import annotations

#: Subject-level dataset: one record per screened subject.
ADSL = (
    "STUDYID", "USUBJID", "SUBJID", "SITEID", "AGE", "AGEU", "SEX", "RACE", "ETHNIC",
    "ARM", "ACTARM", "TRT01P", "TRT01A",
    "RFICDY", "RFICMON", "TRTSMON", "TRTSDY", "TRTEDY", "TRTDURD", "DCUTDY",
    "SCRCRP", "SCRLVEF", "INOBLDRG", "INOBLDOS", "INOBLVIS", "SCRFREAS",
    "EOSSTT", "DCSREAS", "EOSDY", "DTHFL", "DTHDY",
    "DOSEXP", "DOSTKN", "ADHPCT", "MAJDVFL",
    "ENRLFL", "SAFFL", "EFFFL", "COMPLFL", "PPROTFL",
)
#: Basic data structure shared by ADEFF and ADLB.
BDS = (
    "STUDYID", "USUBJID", "SUBJID", "TRTP", "TRTA", "PARAMCD", "PARAM", "PARAMN", "AVISIT", "AVISITN",
    "ADY", "ADYF", "AVAL", "ABLFL", "BASE", "CHG", "PCHG", "DTYPE", "ANL01FL", "ANL02FL", "REASND",
    "SRCDOM", "SRCVAR", "SRCSEQ",
)
#: Efficacy parameters by visit: BDS plus the efficacy-record flag and the interval of VISMAINT.
ADEFF = (*BDS[:BDS.index("ANL02FL") + 1], "ANL03FL", *BDS[BDS.index("ANL02FL") + 1:], "ASTDY", "AENDY")
#: Safety laboratory parameters by visit.
ADLB = BDS
#: One record per inotrope-challenge dose step.
ADSTEP = (
    "STUDYID", "USUBJID", "SUBJID", "TRTA", "AVISIT", "AVISITN", "ADY", "STEP", "DRUG", "DOSE", "VIS",
    "ASTTM", "AENTM", "WSTTM", "WENTM", "WREADN", "WVALIDN", "CISS", "HRSS", "USABLFL", "REASND",
    "MONFILE", "MONFILFL", "SRCDOM", "SRCSEQ",
)
#: Adverse events (occurrence data).
ADAE = (
    "STUDYID", "USUBJID", "SUBJID", "TRTA", "AESEQ", "AETERM", "AEDECOD", "AEBODSYS", "ASTDY", "AENDY",
    "AEONGO", "AESER", "AEREL", "AREL", "AETOXGR", "AEINJFL", "AEINFFL", "AEACN", "AEOUT",
    "TRTSDY", "TRTEDY", "SAFFL", "TRTEMFL", "SRCDOM", "SRCSEQ",
)
#: Exposure and adherence, one record per treated subject and parameter.
ADEX = ("STUDYID", "USUBJID", "SUBJID", "TRTA", "PARAMCD", "PARAM", "PARAMN", "AVISIT", "AVAL", "SRCDOM",
        "SRCVAR")
