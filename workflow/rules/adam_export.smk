# The ADaM datasets for reviewers: metadata tables, Define-XML 2.1, an HTML specification and
# SAS transport files (version 5), written together from the dataset specification and the
# datasets as derived, dated by the data cut-off (not the clock: the same data, the same bytes).
from aidheart.adam_export.export import export_files
from aidheart.derive.variables import DATASETS

ADAM_EXPORT_OUTPUTS = {name: str(path) for name, path in export_files(ADAM).items()}


rule adam_export:
    input:
        **{spec.name.lower(): f"{ADAM}/{spec.name.lower()}.csv" for spec in DATASETS},
    output:
        **ADAM_EXPORT_OUTPUTS,
    log:
        f"{LOGS}/derive/adam_export.log",
    benchmark:
        f"{LOGS}/benchmarks/adam_export.tsv"
    params:
        study=STUDY_CONFIG,
        safety_labs=config["safety"]["labs"],
        vis_weights=config["vis_weights"],
        data_date=CUTOFF_DATE,
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/adam_export.py"
