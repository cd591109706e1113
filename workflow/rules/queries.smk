# The study team's one query listing: the cleaning's and the derivations' queries with a
# stable ID, a category (actionable, or a device or derivation note) and the form that
# owns each, marked new / still open / resolved against the previous run's listing when
# config queries.previous_listing names one.


rule query_listing:
    input:
        clean=f"{QUERY_PARTS}/clean.csv",
        derive=f"{QUERY_PARTS}/derive.csv",
        previous=previous_listing(),
    output:
        queries=report(f"{QC}/queries.csv", caption=caption("queries"), category="Data quality"),
    log:
        f"{LOGS}/qc/query_listing.log",
    params:
        previous_name=config["queries"]["previous_listing"],
    conda:
        "../envs/python.yaml"
    script:
        "../../scripts/query_listing.py"
