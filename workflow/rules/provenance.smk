# Provenance: what the results were computed from (for the reproducibility appendix).
from aidheart.provenance import git_state

# Light bookkeeping (hash the inputs, note the code revision): on a cluster these run on
# the submit host instead of waiting for an allocation.
localrules:
    input_manifest,
    run_info,


rule input_manifest:
    input:
        raw_input_files(),
    output:
        f"{RESULTS}/provenance/input_files.csv",
    log:
        f"{LOGS}/provenance/input_manifest.log",
    # First: while it waits, every scheduling round reads the size of each of its inputs (every raw file).
    priority: CRITICAL_PATH_PRIORITY + 1
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/input_manifest.py"

# Revision and dirty flag of the code: a param of run_info, so a new commit or edit re-runs it.
CODE_STATE = git_state(workflow.basedir)


rule run_info:
    output:
        f"{RESULTS}/provenance/run_info.json",
    log:
        f"{LOGS}/provenance/run_info.log",
    params:
        config=run_record_config(),
        git=CODE_STATE,
        cutoff=CUTOFF,
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/run_info.py"
