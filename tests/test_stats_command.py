"""``aidheart stats`` end to end: R's paired t on the sleep data, and one-line errors."""

import subprocess
import sys

import pandas as pd
import pytest
from reference_values import REFERENCE, assert_row_matches, reference_rows

SLEEP = REFERENCE / "data" / "sleep.csv"


def run(*arguments):
    return subprocess.run([sys.executable, "-m", "aidheart.cli", "stats", *arguments],
                          capture_output=True, text=True, check=False)


def sleep_arguments(out, **changes):
    options = {"--input": str(SLEEP), "--subject": "subject", "--visit": "visit", "--value": "value",
               "--baseline": "group1", "--paramcd": "SLEEP", "--population": "ALL", "--out": str(out)}
    options.update(changes)
    return [item for pair in options.items() for item in pair]


def test_sleep_paired_t_row_equals_r(tmp_path):
    out = tmp_path / "ard" / "ard.csv"
    result = run(*sleep_arguments(out))
    assert result.returncode == 0, result.stderr
    ard = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert list(ard.columns[:3]) == ["paramcd", "visit", "population"]
    assert set(ard["paramcd"]) == {"SLEEP"} and set(ard["population"]) == {"ALL"}
    row = ard[(ard["method"] == "paired_t") & (ard["visit"] == "group2")].iloc[0]
    (reference,) = [p.values[0] for p in reference_rows("paired_t") if p.values[0]["dataset"] == "sleep"]
    assert_row_matches(row, reference)  # R: t.test(x_visit, x_base, paired = TRUE)


@pytest.mark.parametrize(("changes", "named"), [
    ({"--input": "no/such/file.csv"}, "no/such/file.csv"),
    ({"--value": "extra"}, "extra"),
    ({"--baseline": "week0"}, "week0"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, changes, named):
    result = run(*sleep_arguments(tmp_path / "ard.csv", **changes))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "ard.csv").exists()


def test_non_numeric_value_column_is_named(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("subject,visit,value\n1,group1,0.7\n1,group2,n/a?\n")
    result = run(*sleep_arguments(tmp_path / "ard.csv", **{"--input": str(bad)}))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "'value' is not numeric" in result.stderr
