# Derivation: clean tables -> ADaM analysis datasets. ADSL first (from the clean
# tables alone), then the datasets that take their subjects from it: ADSTEP (per
# challenge step) -> ADEFF (efficacy BDS); ADLB (safety labs BDS), ADAE, ADEX; plus
# the derivation queries (challenge steps and sessions that give no value).

# The analysis datasets and derivation queries (targets of `snakemake`, see all_targets()).
DERIVE_OUTPUTS = [f"{ADAM}/{name}.csv" for name in ("adsl", "adstep", "adeff", "adlb", "adae", "adex")] + [
    f"{QC}/derive_queries.csv"
]


rule derive_adsl:
    input:
        subjects=f"{CLEAN}/subjects.csv",
        completion=f"{CLEAN}/completion.csv",
        diary=f"{CLEAN}/diary.csv",
        deviations=f"{CLEAN}/deviations.csv",
        visits=f"{CLEAN}/visits.csv",
    output:
        adsl=f"{ADAM}/adsl.csv",
    log:
        f"{LOGS}/derive/adsl.log",
    params:
        study=STUDY_CONFIG,
        vis_weights=config["vis_weights"],
        adherence_min_pct=config["populations"]["adherence_min_pct"],
    priority: CRITICAL_PATH_PRIORITY
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/derive_adsl.py"


rule derive_adstep:
    input:
        sessions=f"{CLEAN}/challenge_sessions.csv",
        steps=f"{CLEAN}/challenge_steps.csv",
        readings=f"{CLEAN}/monitor_readings.csv",
        adsl=f"{ADAM}/adsl.csv",
    output:
        adstep=f"{ADAM}/adstep.csv",
    log:
        f"{LOGS}/derive/adstep.log",
    benchmark:
        f"{LOGS}/benchmarks/derive_adstep.tsv"
    params:
        study=STUDY_CONFIG,
        vis_weights=config["vis_weights"],
        challenge=config["challenge"],
    priority: CRITICAL_PATH_PRIORITY
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/derive_adstep.py"


rule derive_adeff:
    input:
        adsl=f"{ADAM}/adsl.csv",
        adstep=f"{ADAM}/adstep.csv",
        walks=f"{CLEAN}/walks.csv",
        labs=f"{CLEAN}/labs.csv",
        clinical=f"{CLEAN}/clinical.csv",
        inotrope_log=f"{CLEAN}/inotrope_log.csv",
        visits=f"{CLEAN}/visits.csv",
    output:
        adeff=f"{ADAM}/adeff.csv",
    log:
        f"{LOGS}/derive/adeff.log",
    benchmark:
        f"{LOGS}/benchmarks/derive_adeff.tsv"
    params:
        study=STUDY_CONFIG,
        vis_weights=config["vis_weights"],
        min_distinct_doses=config["challenge"]["min_distinct_doses"],
    priority: CRITICAL_PATH_PRIORITY
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/derive_adeff.py"


rule derive_adlb:
    input:
        labs=f"{CLEAN}/labs.csv",
        visits=f"{CLEAN}/visits.csv",
        adsl=f"{ADAM}/adsl.csv",
    output:
        adlb=f"{ADAM}/adlb.csv",
    log:
        f"{LOGS}/derive/adlb.log",
    params:
        study=STUDY_CONFIG,
        anc_lln=config["safety"]["anc_lln"],
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/derive_adlb.py"


rule derive_adae:
    input:
        adverse_events=f"{CLEAN}/adverse_events.csv",
        adsl=f"{ADAM}/adsl.csv",
    output:
        adae=f"{ADAM}/adae.csv",
    log:
        f"{LOGS}/derive/adae.log",
    params:
        teae_window_days=config["safety"]["teae_window_days"],
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/derive_adae.py"


rule derive_adex:
    input:
        adsl=f"{ADAM}/adsl.csv",
    output:
        adex=f"{ADAM}/adex.csv",
    log:
        f"{LOGS}/derive/adex.log",
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/derive_adex.py"


rule derive_queries:
    input:
        adstep=f"{ADAM}/adstep.csv",
        adeff=f"{ADAM}/adeff.csv",
    output:
        queries=f"{QC}/derive_queries.csv",
    log:
        f"{LOGS}/derive/queries.log",
    params:
        study=STUDY_CONFIG,
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/derive_queries.py"
