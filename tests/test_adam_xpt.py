"""The SAS transport files read back with two independent readers equal the CSV datasets value by value.

The files are written by pyreadstat (ReadStat). They are read with pandas' reader
(``pandas.read_sas(..., format="xport")``) and with ``tests/xpt_reader.py``, written here
from the format's description; neither shares code with the writer. (The ``xport`` package
does not install beside pandas 3.) pandas reads an IBM zero (eight zero bytes) as 16**-65,
the smallest IBM magnitude (pandas issue 50670, open): that value is accepted from pandas
only where the CSV holds 0 and the bytes hold IBM zero, which the second reader checks.
Tolerance for numbers: none, equality. XPORT stores 8-byte IBM hexadecimal floats
with 56 fraction bits; hex normalisation leaves at least 53 of them significant, as many as
an IEEE double has, so every double between about 5.4e-79 and 7.2e75 in magnitude (all the
values here; the writer refuses others) is stored exactly, and the reader's conversion back
is exact too. The CSV holds each double's shortest round-trip text, so both sides are the
same doubles. Text: the format has no missing character value, so a missing CSV cell reads
back as ``""``.
"""

from __future__ import annotations

import shutil
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
import yaml
from study_model import CONFIG, STUDY

from aidheart.adam_export.export import ExportError, export_adam, export_files
from aidheart.adam_export.metadata import read_dataset, xpt_name
from aidheart.adam_export.xpt import XptError, check_xpt_limits, set_stamps
from aidheart.derive.variables import DATASETS, TEXT, dataset_spec
from aidheart.cutoff import effective_cutoff
from aidheart.derive.ctcae import safety_labs
from conftest import SHIPPED_DATA
from xpt_reader import read_member

CONFIG_VALUES = yaml.safe_load(CONFIG.read_text())
LABS = safety_labs(CONFIG_VALUES["safety"]["labs"])
DATA_DATE = effective_cutoff(CONFIG_VALUES, (SHIPPED_DATA / "redcap").glob("*.csv"))[0]


def read_xpt(path) -> tuple[pd.DataFrame, pd.io.sas.sas_xport.XportReader]:
    with pd.read_sas(path, format="xport", encoding="utf-8", iterator=True) as reader:
        return reader.read(), reader


#: What pandas makes of an IBM zero (module notes).
PANDAS_ZERO = 16.0 ** -65


def same_numbers(got: np.ndarray, expected: np.ndarray) -> np.ndarray:
    return (got == expected) | (np.isnan(got) & np.isnan(expected))


@pytest.mark.parametrize("spec", DATASETS, ids=lambda spec: spec.name)
def test_transport_file_reads_back_equal_to_the_csv(shipped_run, spec):
    adam = shipped_run / "results/adam"
    csv = read_dataset(adam / f"{spec.name.lower()}.csv", spec)
    by_pandas, _ = read_xpt(adam / xpt_name(spec))
    member = read_member(adam / xpt_name(spec))
    by_bytes = pd.DataFrame(member.rows, columns=[field.name for field in member.fields])
    assert list(by_pandas.columns) == list(by_bytes.columns) == list(spec.names)
    assert len(by_pandas) == len(by_bytes) == len(csv)
    for variable in spec.variables:
        expected = csv[variable.name]
        if variable.type == TEXT:
            text = expected.astype("string").fillna("").tolist()
            assert by_pandas[variable.name].tolist() == text, variable.name
            assert by_bytes[variable.name].tolist() == text, variable.name
            continue
        expected = expected.astype("float64").to_numpy()
        from_bytes = by_bytes[variable.name].to_numpy(dtype=float)
        same = same_numbers(from_bytes, expected)
        assert same.all(), f"{spec.name}.{variable.name}: {expected[~same][:3]} stored as {from_bytes[~same][:3]}"
        from_pandas = by_pandas[variable.name].to_numpy()
        same = same_numbers(from_pandas, expected) | ((expected == 0) & (from_pandas == PANDAS_ZERO))
        assert same.all(), f"{spec.name}.{variable.name}: {expected[~same][:3]} read as {from_pandas[~same][:3]}"


@pytest.mark.parametrize("spec", DATASETS, ids=lambda spec: spec.name)
def test_transport_file_is_version_5_with_labels_and_the_data_date(shipped_run, spec):
    path = shipped_run / "results/adam" / xpt_name(spec)
    _, reader = read_xpt(path)
    member = read_member(path)  # asserts the version 5 headers (version 8 starts "LIBV8")
    labels = [variable.label for variable in spec.variables]
    assert reader.member_info["set_name"] == member.name == spec.name
    assert reader.member_info["label"] == member.label == spec.label
    assert [field["label"].decode() for field in reader.fields] == [field.label for field in member.fields] == labels
    assert all(field.length <= 200 and (field.length == 8 or not field.numeric) for field in member.fields)
    midnight = datetime.fromisoformat(DATA_DATE)
    assert (reader.file_info["created"], reader.member_info["modified"]) == (midnight, midnight)
    assert member.created == member.modified == midnight.strftime("%d%b%y:00:00:00").upper()


def test_the_byte_reader_decodes_ibm_floats():
    """IBM forms worked out by hand: 1 = 41 10 00..., -118.625 = C2 76 A0 00..., 0.1 = 40 19 99 ... 9A."""
    from xpt_reader import ibm_to_float

    assert ibm_to_float(bytes.fromhex("4110000000000000")) == 1.0
    assert ibm_to_float(bytes.fromhex("C276A00000000000")) == -118.625
    assert ibm_to_float(bytes.fromhex("0000000000000000")) == 0.0
    assert np.isnan(ibm_to_float(bytes.fromhex("2E00000000000000")))
    assert ibm_to_float(bytes.fromhex("401999999999999A")) == 0.1  # the double 0.1 is 0x1.999999999999Ap-4


def _dataset_files(folder):
    return {spec.name.lower(): folder / f"{spec.name.lower()}.csv" for spec in DATASETS}


def test_export_gives_the_same_bytes_as_the_pipeline_twice(shipped_run, tmp_path):
    adam = shipped_run / "results/adam"
    for run in ("first", "second"):
        export_adam(_dataset_files(adam), tmp_path / run, study=STUDY, safety_labs=LABS, vis_weights=CONFIG_VALUES["vis_weights"],
                    data_date=DATA_DATE)
    for name, path in export_files(adam).items():
        relative = path.relative_to(adam)
        assert (tmp_path / "first" / relative).read_bytes() == path.read_bytes(), name
        assert (tmp_path / "second" / relative).read_bytes() == path.read_bytes(), name


def test_a_column_without_metadata_stops_the_export_naming_it(shipped_run, tmp_path):
    for name in _dataset_files(shipped_run):
        shutil.copy(shipped_run / f"results/adam/{name}.csv", tmp_path / f"{name}.csv")
    adlb = pd.read_csv(tmp_path / "adlb.csv")
    adlb.assign(ATOXGR=0).to_csv(tmp_path / "adlb.csv", index=False)
    with pytest.raises(ExportError, match=r"ADLB: column\(s\) ATOXGR have no entry in the dataset specification"):
        export_adam(_dataset_files(tmp_path), tmp_path / "out", study=STUDY, safety_labs=LABS,
                    vis_weights=CONFIG_VALUES["vis_weights"], data_date=DATA_DATE)
    assert not (tmp_path / "out" / "define.xml").exists()


def test_values_the_format_cannot_hold_are_refused_naming_the_variable(tmp_path):
    adex = dataset_spec("ADEX")
    row = {"STUDYID": "S", "USUBJID": "S-1", "SUBJID": "1", "TRTA": "T", "PARAMCD": "DOSEXP", "PARAM": "Doses",
           "PARAMN": 1, "AVISIT": "Overall", "AVAL": 1.0, "SRCDOM": "ADSL", "SRCVAR": "DOSEXP"}
    check_xpt_limits(pd.DataFrame([row]), adex)
    with pytest.raises(XptError, match=r"ADEX\.PARAM: a value of 201 bytes"):
        check_xpt_limits(pd.DataFrame([row | {"PARAM": "x" * 201}]), adex)
    with pytest.raises(XptError, match=r"ADEX\.AVAL: 1e-80 is outside the range of an IBM float"):
        check_xpt_limits(pd.DataFrame([row | {"AVAL": 1e-80}]), adex)
    not_xpt = tmp_path / "x.xpt"
    not_xpt.write_bytes(b"not a transport file")
    with pytest.raises(XptError, match="0 time stamps"):
        set_stamps(not_xpt, datetime(2025, 1, 1).date())
