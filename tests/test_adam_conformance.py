"""The shipped study's ADaM datasets follow the ADaM IG 1.3 rules a reviewer checks, and their metadata is theirs.

Every rule is checked on every dataset of ``shipped_run`` (the session's full pipeline
run), against the specification (``aidheart.derive.variables``), the controlled terms
(``aidheart.adam_export.codelists``), the clean tables the values come from and the
Define-XML 2.1 schema as CDISC publishes it (shipped in the odmlib package). Each check
returns the problems it finds, naming dataset, variable and values; the tests at the end
feed each check a broken table to show it fails. (CDISC's own rules engine does not
install here and needs CDISC Library rules, so this module is the conformance check.)

Required variables (ADaMIG 1.3; the study days stand for ADaM's dates, the pipeline's
de-identification rule: ``TRTSDY``/``TRTEDY`` for ``TRTSDT``/``TRTEDT``, and no calendar
date in any dataset). ``AVALC`` is required where a parameter has character results;
every parameter here is numeric (``AVAL``), which the specification's type says and the
data confirm, so no ``AVALC`` is needed. ``CHG`` is derived on post-baseline records
(``ADY > 1``) only: there it must equal ``AVAL - BASE`` wherever both exist, and it is
missing wherever one of them is.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xmlschema
import yaml
from study_model import CONFIG, STUDY

from aidheart.adam_export.codelists import codelist_of, study_codelists
from aidheart.adam_export.metadata import read_dataset
from aidheart.adam_export.parameters import dataset_parameters
from aidheart.derive.ctcae import safety_labs
from aidheart.derive.variables import (
    ASSIGNED,
    DATASETS,
    DERIVED,
    FLOAT,
    INTEGER,
    PREDECESSOR,
    TEXT,
    Dataset,
    dataset_spec,
)
from aidheart.io import read_table

CONFIG_VALUES = yaml.safe_load(CONFIG.read_text())
VIS_WEIGHTS = CONFIG_VALUES["vis_weights"]
LABS = safety_labs(CONFIG_VALUES["safety"]["labs"])
NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,7}$")
MAX_LABEL, MAX_TEXT_BYTES = 40, 200
REQUIRED = {
    "ADSL": ("STUDYID", "USUBJID", "SUBJID", "SITEID", "AGE", "AGEU", "SEX", "RACE", "ARM", "ACTARM", "TRT01P",
             "TRT01A", "TRTSDY", "TRTEDY", "SAFFL", "EFFFL"),
    "ADEFF": ("STUDYID", "USUBJID", "PARAMCD", "PARAM", "PARAMN", "AVAL", "ADY", "AVISIT", "AVISITN", "ABLFL",
              "BASE", "CHG", "PCHG", "DTYPE", "TRTP", "TRTA", "ANL03FL"),
    "ADLB": ("STUDYID", "USUBJID", "PARAMCD", "PARAM", "PARAMN", "AVAL", "ADY", "AVISIT", "AVISITN", "ABLFL", "BASE",
             "CHG", "PCHG", "DTYPE", "TRTP", "TRTA"),
    # Exposure summarised over the treatment period: one record per subject and parameter, so
    # there is no visit, baseline or change; the BDS core variables remain.
    "ADEX": ("STUDYID", "USUBJID", "PARAMCD", "PARAM", "PARAMN", "AVAL", "AVISIT", "TRTA"),
    "ADAE": ("STUDYID", "USUBJID", "AEDECOD", "AEBODSYS", "AESER", "AREL", "ASTDY", "AENDY", "TRTEMFL", "AETOXGR",
             "AEACN", "TRTA"),
    "ADSTEP": ("STUDYID", "USUBJID", "TRTA"),
}
ANALYSIS_FLAG = re.compile(r"^ANL\d{2}FL$")
CALENDAR_DATE = re.compile(r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b")
#: ADSL flags that are "Y" or missing (the others are population flags, "Y" or "N" for every subject).
RECORD_FLAGS = ("DTHFL",)
#: Clean tables with one row per subject (joined to a dataset by SUBJID = record_id).
SUBJECT_TABLES = ("subjects", "completion")


@pytest.fixture(scope="module")
def adam(shipped_run) -> dict[str, pd.DataFrame]:
    return {spec.name: read_dataset(shipped_run / f"results/adam/{spec.name.lower()}.csv", spec) for spec in DATASETS}


@pytest.fixture(scope="module")
def clean(shipped_run) -> dict[str, pd.DataFrame]:
    return {path.stem: read_table(path) for path in sorted((shipped_run / "results/clean").glob("*.csv"))}


@pytest.fixture(scope="module")
def codelists():
    return study_codelists(STUDY, VIS_WEIGHTS, dataset_parameters(STUDY, LABS))


# --- checks: each returns the problems it finds ------------------------------------------------


def spec_problems(spec: Dataset) -> list[str]:
    """Names, labels, origins and sources of the specification itself."""
    problems = []
    if not NAME.match(spec.name) or len(spec.label) > MAX_LABEL:
        problems.append(f"{spec.name}: dataset name, or label {spec.label!r} over {MAX_LABEL} characters")
    names = spec.names
    problems += [f"{spec.name}: {name} twice" for name in sorted({n for n in names if names.count(n) > 1})]
    for variable in spec.variables:
        where = f"{spec.name}.{variable.name}"
        if not NAME.match(variable.name):
            problems.append(f"{where}: not an ADaM name (<= 8 upper-case letters, digits, _; no leading digit)")
        if not 0 < len(variable.label) <= MAX_LABEL:
            problems.append(f"{where}: label {variable.label!r} has {len(variable.label)} characters")
        if variable.type not in (TEXT, INTEGER, FLOAT) or variable.origin not in (PREDECESSOR, ASSIGNED, DERIVED):
            problems.append(f"{where}: type {variable.type!r} / origin {variable.origin!r}")
        if variable.origin == PREDECESSOR and "." not in variable.source:
            problems.append(f"{where}: a predecessor without its source table.column")
        if variable.origin != PREDECESSOR and not variable.derivation:
            problems.append(f"{where}: {variable.origin} without a derivation text")
    return problems


def column_problems(columns, spec: Dataset) -> list[str]:
    """A built dataset's columns are its specification's variables, in order."""
    problems = [f"{spec.name}.{column}: built but has no metadata (add it to aidheart.derive.variables)"
                for column in columns if column not in spec.names]
    problems += [f"{spec.name}.{name}: in the specification, not built" for name in spec.names if name not in columns]
    if not problems and list(columns) != list(spec.names):
        problems.append(f"{spec.name}: columns out of the specification's order")
    return problems


def value_problems(data: pd.DataFrame, spec: Dataset, codelists) -> list[str]:
    """Types, flags, codelists, lengths, mandatory values, keys and calendar dates of one dataset."""
    problems = []
    for variable in spec.variables:
        where, values = f"{spec.name}.{variable.name}", data[variable.name].dropna()
        if variable.mandatory and data[variable.name].isna().any():
            problems.append(f"{where}: mandatory but missing on {int(data[variable.name].isna().sum())} records")
        if variable.type == TEXT:
            text = values.astype(str)
            long = text[text.map(lambda value: len(value.encode("utf-8"))) > MAX_TEXT_BYTES]
            problems += [f"{where}: value over {MAX_TEXT_BYTES} bytes: {long.iloc[0][:40]}..."] if len(long) else []
            problems += [f"{where}: non-ASCII value {value!r}" for value in text[~text.map(str.isascii)].unique()[:3]]
            problems += [f"{where}: calendar date in {value!r}" for value in text[text.str.contains(CALENDAR_DATE)]
                         .unique()[:3]]
        else:
            numbers = pd.to_numeric(values, errors="coerce")
            if numbers.isna().any():
                problems.append(f"{where}: non-numeric value {values[numbers.isna()].iloc[0]!r}")
            elif variable.type == INTEGER and (numbers != np.round(numbers)).any():
                problems.append(f"{where}: integer variable with value {numbers[numbers != np.round(numbers)].iloc[0]}")
        if variable.name.endswith("FL"):
            bad = sorted(set(values.astype(str)) - {"Y", "N"})
            problems += [f"{where}: flag values {bad} (only Y, N or missing)"] if bad else []
            if spec.name == "ADSL" and variable.name not in RECORD_FLAGS and len(values) < len(data):
                problems.append(f"{where}: population flag missing on {len(data) - len(values)} subjects (Y or N)")
        codelist = codelist_of(codelists, spec, variable)
        if codelist is not None:
            allowed = set(codelist.values)
            found = {f"{value:g}" if isinstance(value, float) else str(value) for value in values}
            outside = sorted(found - allowed)
            problems += [f"{where}: values {outside} not in codelist {codelist.oid}"] if outside else []
    duplicated = data[data.duplicated(list(spec.keys), keep=False)]
    if len(duplicated):
        problems.append(f"{spec.name}: {len(duplicated)} records share keys {spec.keys}")
    return problems


def required_problems(spec: Dataset) -> list[str]:
    """The dataset has the variables ADaMIG requires of its kind, a treatment and traceability variables."""
    problems = [f"{spec.name}: required variable {name} missing"
                for name in REQUIRED[spec.name] if name not in spec.names]
    if spec.adam_class == "BASIC DATA STRUCTURE" and spec.name != "ADEX":
        if not any(ANALYSIS_FLAG.match(name) for name in spec.names):
            problems.append(f"{spec.name}: no ANLzzFL")
    if "PARAMCD" in spec.names and spec.variable("AVAL").type == TEXT:
        problems.append(f"{spec.name}: character AVAL (character results go in AVALC)")
    if spec.name != "ADSL" and not ("SRCDOM" in spec.names and ({"SRCVAR", "SRCSEQ"} & set(spec.names))):
        problems.append(f"{spec.name}: no traceability (SRCDOM with SRCVAR or SRCSEQ)")
    return problems


def parameter_problems(data: pd.DataFrame, spec: Dataset, codelists) -> list[str]:
    """One PARAM and one PARAMN per PARAMCD, the pair in the PARAMCD codelist."""
    if "PARAMCD" not in spec.names:
        return []
    problems = []
    decode = dict(codelist_of(codelists, spec, spec.variable("PARAMCD")).items)
    for code, rows in data.groupby("PARAMCD"):
        params, numbers = rows["PARAM"].unique(), rows["PARAMN"].unique()
        if len(params) != 1 or len(numbers) != 1:
            problems.append(f"{spec.name}: PARAMCD {code} has PARAM {list(params)} and PARAMN {list(numbers)}")
        elif decode.get(code) != params[0]:
            problems.append(f"{spec.name}: PARAMCD {code} with PARAM {params[0]!r}, codelist says {decode.get(code)!r}")
    return problems


def baseline_problems(data: pd.DataFrame, spec: Dataset) -> list[str]:
    """BASE constant within subject and parameter and equal to the ABLFL record's AVAL; CHG and PCHG follow."""
    if "BASE" not in spec.names:
        return []
    problems = []
    by = data.groupby(["USUBJID", "PARAMCD"])
    varying = by["BASE"].nunique(dropna=False)
    problems += [f"{spec.name}: BASE varies within {key}" for key in varying[varying > 1].index[:3]]
    baseline = data[data["ABLFL"] == "Y"]
    if baseline.duplicated(["USUBJID", "PARAMCD"]).any():
        problems.append(f"{spec.name}: two ABLFL records for one subject and parameter")
    wrong_base = baseline[baseline["AVAL"] != baseline["BASE"]]
    problems += [f"{spec.name}: ABLFL record with BASE != AVAL ({key})" for key in
                 wrong_base[["USUBJID", "PARAMCD"]].itertuples(index=False, name=None)][:3]
    # The CSV holds each double's shortest round-trip text, so AVAL - BASE computed here is the
    # same double the derivation computed: compared exactly.
    both = data["AVAL"].notna() & data["BASE"].notna()
    post = both & (data["ADY"] > 1)
    change = data["AVAL"] - data["BASE"]
    if (data.loc[post, "CHG"] != change[post]).any():
        problems.append(f"{spec.name}: CHG != AVAL - BASE on {int((data.loc[post, 'CHG'] != change[post]).sum())} "
                        "post-baseline records")
    if data.loc[~both, "CHG"].notna().any():
        problems.append(f"{spec.name}: CHG present where AVAL or BASE is missing")
    with_pchg = data["CHG"].notna() & (data["BASE"] != 0)
    if (data.loc[with_pchg, "PCHG"] != 100.0 * data.loc[with_pchg, "CHG"] / data.loc[with_pchg, "BASE"]).any():
        problems.append(f"{spec.name}: PCHG != 100 * CHG / BASE")
    return problems


def subject_problems(data: pd.DataFrame, spec: Dataset, adsl: pd.DataFrame) -> list[str]:
    """USUBJID unique in ADSL; every other dataset's subjects in ADSL, with ADSL's values for ADSL predecessors."""
    if spec.name == "ADSL":
        return [f"ADSL: USUBJID {value} twice" for value in adsl["USUBJID"][adsl["USUBJID"].duplicated()]]
    unknown = sorted(set(data["USUBJID"]) - set(adsl["USUBJID"]))
    problems = [f"{spec.name}: USUBJID {unknown[:3]} not in ADSL"] if unknown else []
    subjects = adsl.set_index("USUBJID", drop=False)
    for name, column in spec.predecessors("ADSL").items():
        expected = data["USUBJID"].map(subjects[column])
        differs = ~((data[name] == expected) | (data[name].isna() & expected.isna())).fillna(False)
        if differs.any():
            problems.append(f"{spec.name}.{name}: differs from its predecessor ADSL.{column} on {int(differs.sum())} "
                            "records")
    return problems


def _same(left: pd.Series, right: pd.Series) -> pd.Series:
    """Equal values (numbers compared as numbers, missing equals missing)."""
    left_number, right_number = pd.to_numeric(left, errors="coerce"), pd.to_numeric(right, errors="coerce")
    numeric = left_number.notna() & right_number.notna()
    equal = np.where(numeric, left_number == right_number, left.astype("string") == right.astype("string"))
    return pd.Series(equal, index=left.index).fillna(False) | (left.isna() & right.isna())


def source_rows(data: pd.DataFrame, spec: Dataset, table: str, clean: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    """The row of clean ``table`` each record of ``data`` comes from (aligned to ``data``), where it is known."""
    source = clean[table]
    if "SRCSEQ" in spec.names and "SRCDOM" in spec.names:
        mine = data[(data["SRCDOM"] == table) & data["SRCSEQ"].notna()]
        return source.iloc[(mine["SRCSEQ"].astype(int) - 1).to_numpy()].set_axis(mine.index)
    if table in SUBJECT_TABLES:
        keyed = source.set_index("record_id", drop=False)
        return keyed.reindex(data["SUBJID"].to_numpy()).set_axis(data.index)
    return None


def predecessor_problems(data: pd.DataFrame, spec: Dataset, clean: dict[str, pd.DataFrame]) -> list[str]:
    """Each value copied from a clean table equals that table's value on the record's source row."""
    problems = []
    tables = {variable.source_table for variable in spec.variables if variable.origin == PREDECESSOR} - {"ADSL"}
    for table in sorted(tables):
        rows = source_rows(data, spec, table, clean)
        if rows is None:
            continue
        for name, column in spec.predecessors(table).items():
            differs = ~_same(data.loc[rows.index, name], rows[column])
            if differs.any():
                first = differs.idxmax()
                problems.append(f"{spec.name}.{name}: {int(differs.sum())} record(s) differ from {table}.{column} "
                                f"(first: {data.loc[first, name]!r} vs {rows.loc[first, column]!r})")
    return problems


def traceability_problems(data: pd.DataFrame, spec: Dataset, clean: dict[str, pd.DataFrame],
                          adam: dict[str, pd.DataFrame]) -> list[str]:
    """SRCDOM names a clean table or dataset, SRCSEQ one of its rows, SRCVAR one of its columns or params."""
    if "SRCDOM" not in spec.names:
        return []
    problems = []
    for domain, rows in data.groupby("SRCDOM"):
        source = clean.get(domain, adam.get(domain))
        if source is None:
            problems.append(f"{spec.name}: SRCDOM {domain!r} is no clean table or dataset")
            continue
        if "SRCSEQ" in spec.names:
            seq = rows["SRCSEQ"].dropna()
            if ((seq < 1) | (seq > len(source))).any():
                problems.append(f"{spec.name}: SRCSEQ outside the {len(source)} rows of {domain}")
        if "SRCVAR" in spec.names:
            named = set(source.columns) | (set(source["param"]) if "param" in source else set())
            unknown = sorted(set(rows["SRCVAR"].dropna()) - named)
            problems += [f"{spec.name}: SRCVAR {unknown} not in {domain}"] if unknown else []
    return problems


# --- the rules, on every dataset of the shipped study ---------------------------------------


@pytest.mark.parametrize("spec", DATASETS, ids=lambda spec: spec.name)
def test_specification_follows_adam_naming(spec):
    assert spec_problems(spec) == []
    assert required_problems(spec) == []


@pytest.mark.parametrize("spec", DATASETS, ids=lambda spec: spec.name)
def test_built_dataset_has_exactly_its_specified_columns(shipped_run, spec):
    header = pd.read_csv(shipped_run / f"results/adam/{spec.name.lower()}.csv", nrows=0).columns
    assert column_problems(header, spec) == []


@pytest.mark.parametrize("spec", DATASETS, ids=lambda spec: spec.name)
def test_values_follow_types_flags_codelists_and_keys(adam, codelists, spec):
    assert value_problems(adam[spec.name], spec, codelists) == []


@pytest.mark.parametrize("spec", DATASETS, ids=lambda spec: spec.name)
def test_parameters_baseline_and_change(adam, codelists, spec):
    data = adam[spec.name]
    assert parameter_problems(data, spec, codelists) + baseline_problems(data, spec) == []


@pytest.mark.parametrize("spec", DATASETS, ids=lambda spec: spec.name)
def test_subjects_and_predecessors_trace_back_to_their_sources(adam, clean, spec):
    data = adam[spec.name]
    problems = subject_problems(data, spec, adam["ADSL"]) + predecessor_problems(data, spec, clean)
    assert problems + traceability_problems(data, spec, clean, adam) == []


def test_adsl_rows_are_the_clean_subjects_in_order(adam, clean):
    """ADSL has no SRCSEQ: its rows are the clean subjects table's, in order, so its predecessors compare row by row."""
    assert adam["ADSL"]["SUBJID"].tolist() == clean["subjects"]["record_id"].tolist()


def test_every_bds_parameter_is_numeric(adam):
    for name in ("ADEFF", "ADLB", "ADEX"):
        assert pd.api.types.is_numeric_dtype(adam[name]["AVAL"]), name


def test_metadata_files_describe_the_datasets(shipped_run, adam):
    folder = shipped_run / "results/adam/metadata"
    for spec in DATASETS:
        table = read_table(folder / f"{spec.name.lower()}.csv")
        assert table["VARIABLE"].tolist() == list(spec.names)
        assert table["LABEL"].tolist() == [variable.label for variable in spec.variables]
        assert table["ORIGIN"].tolist() == [variable.origin for variable in spec.variables]
        text = [v.name for v in spec.variables if v.type == TEXT]
        lengths = table.set_index("VARIABLE").loc[text, "LENGTH"]
        measured = adam[spec.name][text].apply(lambda column: column.dropna().map(lambda v: len(v.encode())).max())
        measured = measured.fillna(1)
        assert lengths.tolist() == measured.astype(int).tolist(), spec.name
    datasets = read_table(folder / "datasets.csv")
    assert datasets["RECORDS"].tolist() == [len(adam[spec.name]) for spec in DATASETS]


# --- Define-XML and the HTML specification ----------------------------------------------------


@pytest.fixture(scope="module")
def define_schema():
    import odmlib

    return xmlschema.XMLSchema(str(Path(odmlib.__file__).parent / "schemas/define/2.1/define2-1-0.xsd"))


NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3", "def": "http://www.cdisc.org/ns/def/v2.1",
      "xlink": "http://www.w3.org/1999/xlink"}


def test_define_xml_is_valid_define_xml_2_1(shipped_run, define_schema, tmp_path):
    define = shipped_run / "results/adam/define.xml"
    assert [error.reason for error in define_schema.iter_errors(str(define))][:3] == []
    # The schema check can fail: the same document without a required attribute does not pass.
    broken = tmp_path / "define.xml"
    broken.write_text(re.sub(r' def:Structure="[^"]*"', "", define.read_text(encoding="utf-8"), count=1),
                      encoding="utf-8")
    assert not define_schema.is_valid(str(broken))


def test_define_xml_references_resolve_and_match_the_specification(shipped_run):
    root = ET.parse(shipped_run / "results/adam/define.xml").getroot()
    version = root.find("odm:Study/odm:MetaDataVersion", NS)
    oids = {tag: {element.get("OID") for element in version.iter(f"{{{NS[prefix]}}}{tag}")}
            for prefix, tag in (("odm", "ItemDef"), ("odm", "CodeList"), ("odm", "MethodDef"),
                                ("def", "ValueListDef"), ("def", "WhereClauseDef"))}
    for group in version.findall("odm:ItemGroupDef", NS):
        spec = dataset_spec(group.get("Name"))
        refs = group.findall("odm:ItemRef", NS)
        assert [ref.get("ItemOID") for ref in refs] == [f"IT.{spec.name}.{name}" for name in spec.names]
        derived = [f"MT.{spec.name}.{v.name}" for v in spec.variables if v.origin == DERIVED]
        assert [ref.get("MethodOID") for ref in refs if ref.get("MethodOID")] == derived
        assert (shipped_run / "results/adam" / group.find("def:leaf", NS).get(f"{{{NS['xlink']}}}href")).is_file()
        assert group.find("odm:Description/odm:TranslatedText", NS).text == spec.label
    for item in version.findall("odm:ItemDef", NS):
        value_level = item.get("OID").count(".") == 3  # IT.<dataset>.AVAL.<PARAMCD>: described by its PARAM
        assert value_level or len(item.find("odm:Description/odm:TranslatedText", NS).text) <= MAX_LABEL
        for ref in item.findall("odm:CodeListRef", NS):
            assert ref.get("CodeListOID") in oids["CodeList"]
        for ref in item.findall("def:ValueListRef", NS):
            assert ref.get("ValueListOID") in oids["ValueListDef"]
    for ref in version.iter(f"{{{NS['odm']}}}ItemRef"):
        assert ref.get("ItemOID") in oids["ItemDef"]
        assert ref.get("MethodOID") is None or ref.get("MethodOID") in oids["MethodDef"]
    for ref in version.iter(f"{{{NS['def']}}}WhereClauseRef"):
        assert ref.get("WhereClauseOID") in oids["WhereClauseDef"]
    value_items = {oid.split(".")[3] for oid in oids["ItemDef"] if oid.startswith("IT.ADEFF.AVAL.")}
    assert value_items == set(STUDY.paramcds)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.links, self.sources, self.ids = [], [], [], set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.links += [attributes["href"]] if "href" in attributes else []
        self.sources += [attributes[key] for key in ("src",) if key in attributes] + (["link"] if tag == "link" else [])
        self.ids |= {attributes["id"]} if "id" in attributes else set()

    def handle_data(self, data):
        self.text.append(data)


def test_define_html_is_self_contained_and_names_every_variable(shipped_run):
    page = _Collector()
    page.feed((shipped_run / "results/adam/define.html").read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert page.sources == []
    for link in page.links:
        assert link.startswith("#") and link[1:] in page.ids or (shipped_run / "results/adam" / link).is_file(), link
    for spec in DATASETS:
        assert spec.name in page.ids
        for variable in spec.variables:
            assert variable.name in text and variable.label in text, f"{spec.name}.{variable.name}"


# --- the checks fail on broken input ---------------------------------------------------------


def _adlb_like() -> pd.DataFrame:
    return pd.DataFrame({"USUBJID": ["S-1", "S-1", "S-2"], "PARAMCD": ["ANC", "ANC", "ANC"],
                         "ABLFL": ["Y", pd.NA, "Y"], "AVAL": [2.0, 1.5, 3.0], "BASE": [2.0, 2.0, 3.0],
                         "ADY": [1, 15, 1], "CHG": [np.nan, -0.5, np.nan], "PCHG": [np.nan, -25.0, np.nan]})


def test_the_checks_find_broken_datasets(codelists):
    adlb = dataset_spec("ADLB")
    good = _adlb_like()
    assert baseline_problems(good, adlb) == []
    assert baseline_problems(good.assign(CHG=[np.nan, -0.4, np.nan]), adlb)
    assert baseline_problems(good.assign(BASE=[2.0, 2.1, 3.0]), adlb)
    assert baseline_problems(good.assign(PCHG=[np.nan, -20.0, np.nan]), adlb)
    adsl = pd.DataFrame({"USUBJID": ["S-1", "S-1"]})
    assert subject_problems(adsl, dataset_spec("ADSL"), adsl) == ["ADSL: USUBJID S-1 twice"]
    assert "ADLB.XYZ" in column_problems([*adlb.names, "XYZ"], adlb)[0]
    assert column_problems(list(reversed(adlb.names)), adlb)


def test_the_value_checks_name_the_variable(shipped_run, codelists):
    adae = dataset_spec("ADAE")
    data = read_dataset(shipped_run / "results/adam/adae.csv", adae)
    assert value_problems(data, adae, codelists) == []
    broken = data.assign(TRTEMFL="X", AETOXGR=6, AETERM="x" * 201, AEOUT="2025-03-01")
    problems = value_problems(broken, adae, codelists)
    for variable in ("TRTEMFL", "AETOXGR", "AETERM", "AEOUT"):
        assert any(problem.startswith(f"ADAE.{variable}:") for problem in problems), variable
    assert value_problems(data.assign(USUBJID=pd.NA), adae, codelists)


def test_a_spec_entry_with_a_long_label_or_bad_name_is_named():
    from dataclasses import replace

    adex = dataset_spec("ADEX")
    broken = replace(adex, variables=(*adex.variables, replace(adex.variables[-1], name="1SRC", label="x" * 41)))
    assert [problem.split(":")[0] for problem in spec_problems(broken)] == ["ADEX.1SRC", "ADEX.1SRC"]



def test_the_source_checks_find_a_changed_value(adam, clean):
    for name, variable, value in (("ADAE", "AETERM", "Other term"), ("ADSTEP", "DOSE", 99.0), ("ADSL", "AGE", 150),
                                  ("ADSL", "EOSDY", 999)):
        spec, data = dataset_spec(name), adam[name].copy()
        data.loc[0, variable] = value
        assert [problem.split(":")[0] for problem in predecessor_problems(data, spec, clean)] == [f"{name}.{variable}"]
    adex = adam["ADEX"].copy()
    adex.loc[0, "TRTA"] = "Placebo"
    assert [problem.split(":")[0] for problem in subject_problems(adex, dataset_spec("ADEX"), adam["ADSL"])] == \
        ["ADEX.TRTA"]
    adlb = adam["ADLB"].assign(SRCSEQ=10 ** 6, SRCVAR="no_such_param")
    assert len(traceability_problems(adlb, dataset_spec("ADLB"), clean, adam)) == 2


def test_a_new_visit_and_endpoint_reach_the_metadata_from_the_configuration_alone():
    from aidheart.study import Study

    config = yaml.safe_load(CONFIG.read_text())
    config["visits"].append({"event": "week_20_arm_1", "avisit": "Week 20", "avisitn": 20, "day": 141, "window": 7,
                             "forms": ["visit_info", "labs"]})
    config["endpoints"].append({"paramcd": "WBC", "label": "White blood cell count", "unit": "10^9/L", "digits": 2,
                                "source": {"labs": "wbc"}, "sets": ["EFF"]})
    study = Study.from_config(config)
    parameters = dataset_parameters(study, LABS)
    lists = study_codelists(study, config["vis_weights"], parameters)
    assert lists[("ADEFF", "PARAMCD")].items[-1] == ("WBC", "White blood cell count (10^9/L)")
    assert lists[("", "AVISIT")].values[-1] == "Week 20" and lists[("", "AVISITN")].items[-1] == ("20", "Week 20")
    assert parameters["ADEFF"][-1].derivation.startswith("labs.value of the param wbc")


def test_a_new_safety_lab_reaches_the_adlb_parameters_and_codelists_from_the_configuration_alone():
    config = yaml.safe_load(CONFIG.read_text())
    config["safety"]["labs"].append({"param": "alt", "paramcd": "ALT", "label": "Alanine aminotransferase",
                                     "unit": "U/L", "normal_range": [7, 56], "direction": "high",
                                     "term": "Alanine aminotransferase increased", "grade_limits": [168, 280, 1120]})
    parameters = dataset_parameters(STUDY, safety_labs(config["safety"]["labs"]))
    lists = study_codelists(STUDY, config["vis_weights"], parameters)
    assert lists[("ADLB", "PARAMCD")].items[-2:] == (
        ("ALT", "Alanine aminotransferase (U/L)"),
        ("ALTGR", "Alanine aminotransferase increased, CTCAE grade (0-4)"))
    grade = parameters["ADLB"][-1]
    # the grading as configured: ULN 56, then 168 (3 x ULN), 280 and 1120
    assert grade.derivation.startswith("CTCAE v5 grade of the ALT record")
    assert "grade 1 above ULN 56 to 168; grade 2 above 168 to 280" in grade.derivation
