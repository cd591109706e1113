# Small named helpers shared by the rules: paths and target lists.
from aidheart.jobenv import export_package_path

export_package_path(str(Path(workflow.basedir) / "src"))

DATA_DIR = Path(config["data_dir"])
RESULTS = "results"
LOGS = "logs"


def raw_input_files():
    """Every file under data_dir that the pipeline reads, sorted (REDCap export, dictionary, monitor files)."""
    patterns = ("redcap/*.csv", "monitor/*.csv")
    return sorted(str(path) for pattern in patterns for path in DATA_DIR.glob(pattern))


def all_targets():
    """What `snakemake` builds by default."""
    return [f"{RESULTS}/provenance/input_files.csv"]
