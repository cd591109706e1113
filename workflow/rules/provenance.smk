# Provenance: what the results were computed from (for the reproducibility appendix).


rule input_manifest:
    input:
        raw_input_files(),
    output:
        f"{RESULTS}/provenance/input_files.csv",
    log:
        f"{LOGS}/provenance/input_manifest.log",
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/input_manifest.py"
