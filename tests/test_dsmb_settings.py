"""What the DSMB rule takes from the configuration: the cut-off and the title-page metadata."""

from __future__ import annotations

import yaml
from study_model import CONFIG as CONFIG_FILE

from aidheart.dsmb import report_cutoff, report_metadata, report_parameters
from aidheart.study import Study

EXPORTS = ["data/raw/redcap/AIDHEART_DataDictionary_2026-05-24.csv", "data/raw/redcap/AIDHEART_DATA_2026-05-24_1048.csv"]
CONFIG = {**yaml.safe_load(CONFIG_FILE.read_text()), "cutoff_date": ""}


def test_configured_cutoff_wins():
    assert report_cutoff({**CONFIG, "cutoff_date": "2025-09-24"}, EXPORTS) == ("2025-09-24", "config")


def test_without_a_cutoff_the_export_date_is_used():
    assert report_cutoff(CONFIG, EXPORTS) == ("2026-05-24", "export")


def test_without_cutoff_or_dated_export_the_cutoff_is_empty():
    assert report_cutoff(CONFIG, ["elsewhere.csv"]) == ("", "none")


def test_parameters_carry_the_study_model_and_stopping_rules_and_metadata_the_report_date():
    parameters = report_parameters({**CONFIG, "cutoff_date": "2025-09-24"}, EXPORTS)
    assert parameters["config"]["stopping_rules"] == CONFIG["stopping_rules"]
    assert Study.from_config(parameters["config"]) == Study.from_config(CONFIG)
    assert "renderer" not in parameters["config"]  # only what the report reads, so other keys do not re-render it
    metadata = report_metadata({**CONFIG, "cutoff_date": "2025-09-24"}, EXPORTS)
    assert metadata["subtitle"] == "OPEN SESSION REPORT"
    assert metadata["date"] == "2025-09-24"  # an ISO date Quarto parses; the front matter labels it
