# Small named helpers shared by the rules: paths, the study model and target lists.
import functools
import re
import sys
import zlib

from aidheart.analysis.power_plan import effect_label, power_scenarios
from aidheart.cutoff import effective_cutoff
from aidheart.figures.names import ENDPOINT_FIGURES, RESULT_FIGURES, SUBJECT_FIGURES, figure_stem
from aidheart.jobenv import export_package_path
from aidheart.study import Study, study_config

export_package_path(str(Path(workflow.basedir) / "src"))

# The interpreter of the command rules (monitor sessions, power scenarios): the one running
# Snakemake, whose environment holds the locked packages, not whatever `python` comes first
# on PATH (a system Python with another numpy gives other bytes, or no numpy at all); with
# --software-deployment-method conda, the rule's own environment's `python`.
PYTHON = "python" if workflow.deployment_settings.deployment_method else sys.executable
DATA_DIR = Path(workflow.basedir) / config["data_dir"]  # an absolute data_dir stays as it is
# The study model (visits, endpoints), loaded once; jobs get the config keys it is made of.
STUDY = Study.from_config(config)
STUDY_CONFIG = study_config(config)
# Captions of the outputs marked for `snakemake --report`, by absolute path: report() resolves a
# relative caption from the file that calls it, and these helpers are called from other rule files.
CAPTIONS = Path(workflow.basedir) / "workflow" / "report"
RESULTS = "results"
LOGS = "logs"
CLEAN = f"{RESULTS}/clean"
# Jobs on the longest chains (export -> ADaM -> ARD -> figures, and the power fan-out, -> analysis report) go
# first when both cores are asked for, so a re-run after new data ends sooner.
CRITICAL_PATH_PRIORITY = 10
QC = f"{RESULTS}/qc"
# Each stage's queries, before rule query_listing joins them into the study team's listing.
QUERY_PARTS = f"{RESULTS}/interim/queries"
# Output folders of the later stages (one place, so the include order does not matter).
ADAM = f"{RESULTS}/adam"
STATS = f"{RESULTS}/stats"
REPORTS = f"{RESULTS}/reports"
POWER = f"{RESULTS}/power"
MONITOR_PARTS = f"{RESULTS}/interim/monitor"
# Workflow constants, not study metadata: monitor files go to 8 stable crc32 hash shards of
# their stem, at any study size, so a new or changed file re-runs only its shard. More
# shards cost more than they save: in every scheduling round Snakemake reads the size of
# every input of every ready job, so the shard phase costs (files x shards) file lookups
# (128 shards of 8,000 files: 45 s of a 56-s phase; 8 shards: seconds), and a file costs
# its job about 1.5 ms against 0.2 s of Python start per job.
MONITOR_SHARDS = 8
CLEAN_TABLES = ("subjects", "visits", "challenge_sessions", "challenge_steps", "monitor_readings", "walks",
                "labs", "clinical", "adverse_events", "diary", "inotrope_log", "deviations", "completion")


@functools.cache
def csv_files(folder):
    """The CSV files in data_dir/<folder>/, sorted; the extension in any case (devices write .CSV).

    Listed once per Snakemake run (the input functions of every shard job ask again; at 8,000
    monitor files each listing costs tens of milliseconds)."""
    found = (path for path in (DATA_DIR / folder).glob("*") if path.suffix.lower() == ".csv" and path.is_file())
    return tuple(sorted(found))


def raw_input_files():
    """Every file under data_dir that the pipeline reads, sorted (REDCap export, dictionary, monitor files)."""
    return sorted(str(path) for folder in ("redcap", "monitor") for path in csv_files(folder))


def data_dir(wildcards):
    """The data folder (a function, so that --lint does not take it for a hard-coded path prefix)."""
    return str(DATA_DIR)


def redcap_files():
    """The files in data_dir/redcap/ (the cleaning job picks the export and the dictionary)."""
    return [str(path) for path in csv_files("redcap")]


# The run's one data cut-off (configured, else the export's date), for every stage and report.
CUTOFF_DATE, CUTOFF_SOURCE = effective_cutoff(config, redcap_files())
CUTOFF = {"cutoff_date": CUTOFF_DATE, "cutoff_source": CUTOFF_SOURCE}


def monitor_shard(stem):
    """The shard of a monitor file stem (x.csv and x.CSV share one): ``shardNNN``, the stem's crc32 modulo
    :data:`MONITOR_SHARDS`."""
    return f"shard{zlib.crc32(stem.encode()) % MONITOR_SHARDS:03d}"


@functools.cache
def monitor_shards():
    """Shard name -> its monitor files (:func:`monitor_shard`), computed once per run."""
    files = csv_files("monitor")
    shards = {}
    for path in files:
        shards.setdefault(monitor_shard(path.stem), []).append(str(path))
    return shards


def monitor_shard_files(wildcards):
    """Input function of monitor_session: the files of one shard."""
    return list(monitor_shards()[wildcards.shard])


def monitor_part_files(kind):
    """The per-shard outputs of one kind (readings, queries, sessions) that clean_tables reads."""
    return [f"{MONITOR_PARTS}/{shard}.{kind}.csv" for shard in sorted(monitor_shards())]


def run_record_config():
    """The configuration the run record (provenance/run_info.json, the analysis report's appendix) holds: all of
    it but what only the DSMB report (stopping rules, its texts) and the query listing (the previous listing) read,
    which those reports show themselves; so changing them re-renders only the report that reads them. Keys are
    sorted at every level: a --configfile overlay puts its keys first, and Snakemake compares params in order."""
    record = {key: value for key, value in config.items() if key not in ("stopping_rules", "dsmb")}
    record["queries"] = {key: value for key, value in config["queries"].items() if key != "previous_listing"}
    return _sorted_keys(record)


def _sorted_keys(value):
    """``value`` with every mapping's keys in sorted order (lists keep theirs)."""
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def analysis_report_config():
    """The configuration keys the analysis report reads: the study model, the analysis plan, the safety
    settings, the progression criteria and the recorded reason the trial ended (other keys do not re-render
    it)."""
    keys = ("analysis", "safety", "progression_criteria", "trial_end_reason")
    return {**STUDY_CONFIG, **{key: config[key] for key in keys}}


def cleaning_settings():
    """The config keys the cleaning job uses (so that other keys, the previous listing's among them, do not re-run
    it)."""
    keys = ("visits", "inotrope_dose_range", "free_text_safe", "challenge")
    grace = {"ae_action_grace_days": config["queries"]["ae_action_grace_days"]}
    return {**{key: config[key] for key in keys}, "cutoff_date": CUTOFF_DATE, "queries": grace}


def previous_listing():
    """The previous run's query listing (config queries.previous_listing) as a one-file list, or [] when unset.

    A relative path is taken from the repository folder, as data_dir is. A file that does not exist, or that is
    this run's own listing, stops the workflow with one line.
    """
    name = config["queries"]["previous_listing"]
    if not name:
        return []
    path = Path(workflow.basedir) / name
    if not path.is_file():
        sys.exit(f"AID-HEART: config key 'queries.previous_listing': {name} is not a file")
    if path.resolve() == Path(f"{QC}/queries.csv").resolve():
        sys.exit(f"AID-HEART: config key 'queries.previous_listing': {name} is this run's own listing; "
                 "copy it outside results/ and name the copy")
    return [str(path)]


def clean_outputs():
    return {name: f"{CLEAN}/{name}.csv" for name in CLEAN_TABLES}


def all_targets():
    """What `snakemake` builds by default."""
    return [f"{RESULTS}/provenance/input_files.csv", *clean_outputs().values(), f"{QC}/queries.csv",
            f"{QC}/reconciliation.csv", *DERIVE_OUTPUTS, *ADAM_EXPORT_OUTPUTS.values(), f"{STATS}/ard.csv",
            *figure_outputs().values(), f"{POWER}/power.csv", *power_figure_outputs().values(),
            *REPORT_OUTPUTS.values(), *DSMB_OUTPUTS]


def caption(name):
    """The caption file ``workflow/report/<name>.rst`` of an output marked for the report."""
    return str(CAPTIONS / f"{name}.rst")


# Figures of the analysis report (workflow/rules/figures.smk).
FIGURES = f"{RESULTS}/figures"


def _figure(kind, paramcd=None):
    """One figure's outputs: the PNG (marked for the report) and its SVG twin (``<name>_svg``)."""
    stem = figure_stem(kind, paramcd)
    return {stem: report(f"{FIGURES}/{stem}.png", caption=caption(kind), category="Figures"),
            f"{stem}_svg": f"{FIGURES}/{stem}.svg"}


def subject_figure_outputs():
    """Figures drawn from ADaM alone (flow, dose-response): they need not wait for the ARD."""
    return {name: path for kind in SUBJECT_FIGURES for name, path in _figure(kind).items()}


def result_figure_outputs():
    """Figures that show results from the ARD: the forest plot, and spaghetti and waterfall plots of each
    endpoint with the role ``trajectory``."""
    outputs = {name: path for kind in RESULT_FIGURES for name, path in _figure(kind).items()}
    for endpoint in STUDY.with_role("trajectory"):
        for kind in ENDPOINT_FIGURES:
            outputs.update(_figure(kind, endpoint.paramcd))
    return outputs


def figure_outputs():
    """Every figure file (PNG and SVG) by name, the PNGs marked for `snakemake --report`."""
    return {**subject_figure_outputs(), **result_figure_outputs()}


# Power of the next trial (workflow/rules/power.smk): one job per endpoint, its scenarios in
# config order (n per arm, then effect).
POWER_SCENARIOS = power_scenarios(config["next_trial"])
POWER_ENDPOINTS = tuple(dict.fromkeys(scenario.paramcd for scenario in POWER_SCENARIOS))


def power_figure_outputs():
    """The power curves (PNG, marked for the report, and its SVG twin), drawn by the gather job."""
    return _figure("power")


def power_replicate_files():
    """Every endpoint's replicates, in config order."""
    return [f"{POWER}/replicates/{paramcd}.csv" for paramcd in POWER_ENDPOINTS]


def power_endpoint_scenarios(wildcards):
    """``--scenario NAME N EFFECT`` for each scenario of the endpoint: only its own settings, so a
    new grid point of one endpoint re-runs nothing of the others."""
    return [str(item) for scenario in POWER_SCENARIOS if scenario.paramcd == wildcards.paramcd
            for item in ("--scenario", scenario.name, scenario.n_per_arm, effect_label(scenario.effect))]
