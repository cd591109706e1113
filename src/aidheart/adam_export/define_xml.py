"""A Define-XML 2.1 document of the analysis datasets, from their metadata tables.

Parts implemented (element names as in the CDISC Define-XML 2.1 schema, on ODM 1.3.2):
``def:Standards``; one ``ItemGroupDef`` per dataset (``def:Structure``, ``def:Class``, its
``ItemRef`` in order with ``KeySequence``, ``Mandatory`` and the ``MethodOID`` of a derived
variable, ``def:leaf`` pointing at the dataset's transport file); one ``ItemDef`` per
variable (``DataType``, ``Length``, label, ``CodeListRef``, ``def:Origin`` with the source
of a predecessor or the value of an assigned variable); ``def:ValueListDef`` and
``def:WhereClauseDef`` giving ``AVAL``'s label and derivation by ``PARAMCD``;
``CodeList`` (``CodeListItem`` with a decode, else ``EnumeratedItem``); ``MethodDef`` for
every derivation; ``def:CommentDef`` stating the de-identification rule on ADSL. Not
implemented: analysis results metadata, annotated CRF and supplemental document links.

The document is dated by the data cut-off (``CreationDateTime``), not the clock, so the
same data give the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd

from aidheart.adam_export.metadata import VALUE_VARIABLE, Metadata
from aidheart.derive.variables import ASSIGNED, DERIVED, PREDECESSOR

ODM_NS = "http://www.cdisc.org/ns/odm/v1.3"
DEF_NS = "http://www.cdisc.org/ns/def/v2.1"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Standards the datasets follow: (OID, Define-XML standard name, version); ADAE follows OCCDS.
STANDARDS = (("STD.ADAMIG.1.3", "ADaMIG", "1.3"), ("STD.ADAM-OCCDSIG.1.1", "ADaM-OCCDSIG", "1.1"))
OCCDS_CLASS = "OCCURRENCE DATA STRUCTURE"
#: The de-identification rule (study days for dates), stated on ADSL.
STUDY_DAY_COMMENT = ("Dates are study days: calendar dates leave the cleaning step only as study days "
                     "(day 1 = first dose, no day 0), so no date of an individual is in a dataset. The *DY "
                     "variables stand for ADaM's dates (TRTSDY for TRTSDT, TRTEDY for TRTEDT); RFICMON and "
                     "TRTSMON keep the month of consent and of the first dose.")
STUDY_DAY_COMMENT_OID = "COM.STUDYDAYS"

ET.register_namespace("", ODM_NS)
ET.register_namespace("def", DEF_NS)
ET.register_namespace("xlink", XLINK_NS)


def _odm(tag: str) -> str:
    return f"{{{ODM_NS}}}{tag}"


def _def(tag: str) -> str:
    return f"{{{DEF_NS}}}{tag}"


def _element(parent: ET.Element, tag: str, attributes: dict | None = None) -> ET.Element:
    """A child element with the attributes whose value is not None or empty (in the order given)."""
    present = {key: str(value) for key, value in (attributes or {}).items() if value is not None and value != ""}
    return ET.SubElement(parent, tag, present)


def _description(parent: ET.Element, text: str) -> None:
    translated = _element(_element(parent, _odm("Description")), _odm("TranslatedText"), {XML_LANG: "en"})
    translated.text = text


def item_oid(dataset: str, variable: str, paramcd: str = "") -> str:
    """``IT.<dataset>.<variable>`` (``.<PARAMCD>`` for value-level items)."""
    return f"IT.{dataset}.{variable}" + (f".{paramcd}" if paramcd else "")


def method_oid(dataset: str, variable: str, paramcd: str = "") -> str:
    """``MT.<dataset>.<variable>`` (``.<PARAMCD>`` for value-level items)."""
    return f"MT.{dataset}.{variable}" + (f".{paramcd}" if paramcd else "")


def _value_lists(version: ET.Element, values: pd.DataFrame) -> None:
    for (dataset, variable), rows in values.groupby(["DATASET", "VARIABLE"], sort=False):
        value_list = _element(version, _def("ValueListDef"), {"OID": f"VL.{dataset}.{variable}"})
        for order, row in enumerate(rows.itertuples(index=False), start=1):
            ref = _element(value_list, _odm("ItemRef"), {
                "ItemOID": item_oid(dataset, variable, row.PARAMCD), "OrderNumber": order, "Mandatory": "No",
                "MethodOID": method_oid(dataset, variable, row.PARAMCD) if row.ORIGIN == DERIVED else None})
            _element(ref, _def("WhereClauseRef"), {"WhereClauseOID": f"WC.{dataset}.PARAMCD.{row.PARAMCD}"})
    for row in values.itertuples(index=False):
        clause = _element(version, _def("WhereClauseDef"), {"OID": f"WC.{row.DATASET}.PARAMCD.{row.PARAMCD}"})
        check = _element(clause, _odm("RangeCheck"), {"Comparator": "EQ", "SoftHard": "Soft",
                                                      _def("ItemOID"): item_oid(row.DATASET, "PARAMCD")})
        _element(check, _odm("CheckValue")).text = row.PARAMCD


def _item_groups(version: ET.Element, metadata: Metadata) -> None:
    standards = {name: oid for oid, name, _ in STANDARDS}
    for dataset in metadata.datasets.itertuples(index=False):
        standard = standards["ADaM-OCCDSIG"] if dataset.CLASS == OCCDS_CLASS else standards["ADaMIG"]
        group = _element(version, _odm("ItemGroupDef"), {
            "OID": f"IG.{dataset.DATASET}", "Name": dataset.DATASET, "SASDatasetName": dataset.DATASET,
            "Repeating": "No" if dataset.DATASET == "ADSL" else "Yes", "IsReferenceData": "No",
            "Purpose": "Analysis", _def("Structure"): dataset.STRUCTURE, _def("StandardOID"): standard,
            _def("ArchiveLocationID"): f"LF.{dataset.DATASET}",
            _def("CommentOID"): STUDY_DAY_COMMENT_OID if dataset.DATASET == "ADSL" else None})
        _description(group, dataset.LABEL)
        for row in metadata.variables[metadata.variables["DATASET"] == dataset.DATASET].itertuples(index=False):
            _element(group, _odm("ItemRef"), {
                "ItemOID": item_oid(row.DATASET, row.VARIABLE), "OrderNumber": row.ORDER, "Mandatory": row.MANDATORY,
                "KeySequence": None if pd.isna(row.KEYSEQ) else int(row.KEYSEQ),
                "MethodOID": method_oid(row.DATASET, row.VARIABLE) if row.ORIGIN == DERIVED else None})
        _element(group, _def("Class"), {"Name": dataset.CLASS})
        leaf = _element(group, _def("leaf"), {"ID": f"LF.{dataset.DATASET}", f"{{{XLINK_NS}}}href": dataset.FILE})
        _element(leaf, _def("title")).text = dataset.FILE.split("/")[-1]


def _origin(item: ET.Element, origin: str, text: str) -> None:
    element = _element(item, _def("Origin"), {"Type": origin})
    if origin in (PREDECESSOR, ASSIGNED) and text:
        _description(element, text)


def _item_defs(version: ET.Element, metadata: Metadata) -> None:
    value_lists = set(zip(metadata.values["DATASET"], metadata.values["VARIABLE"]))
    for row in metadata.variables.itertuples(index=False):
        item = _element(version, _odm("ItemDef"), {
            "OID": item_oid(row.DATASET, row.VARIABLE), "Name": row.VARIABLE, "DataType": row.TYPE,
            "Length": None if pd.isna(row.LENGTH) else int(row.LENGTH), "SASFieldName": row.VARIABLE})
        _description(item, row.LABEL)
        if row.CODELIST:
            _element(item, _odm("CodeListRef"), {"CodeListOID": row.CODELIST})
        _origin(item, row.ORIGIN, row.SOURCE if row.ORIGIN == PREDECESSOR else row.DERIVATION)
        if (row.DATASET, row.VARIABLE) in value_lists:
            _element(item, _def("ValueListRef"), {"ValueListOID": f"VL.{row.DATASET}.{row.VARIABLE}"})
    for row in metadata.values.itertuples(index=False):
        item = _element(version, _odm("ItemDef"), {
            "OID": item_oid(row.DATASET, row.VARIABLE, row.PARAMCD), "Name": row.VARIABLE, "DataType": row.TYPE,
            "SASFieldName": row.VARIABLE})
        _description(item, row.PARAM)
        _origin(item, row.ORIGIN, row.DERIVATION)


def _codelists(version: ET.Element, codelists: pd.DataFrame) -> None:
    for oid, items in codelists.groupby("CODELIST", sort=False):
        first = items.iloc[0]
        codelist = _element(version, _odm("CodeList"), {"OID": oid, "Name": first["NAME"], "DataType": first["TYPE"]})
        decoded = (items["DECODE"] != "").any()
        for item in items.itertuples(index=False):
            if decoded:
                entry = _element(codelist, _odm("CodeListItem"), {"CodedValue": item.VALUE, "OrderNumber": item.ORDER})
                decode = _element(_element(entry, _odm("Decode")), _odm("TranslatedText"), {XML_LANG: "en"})
                decode.text = item.DECODE or item.VALUE
            else:
                _element(codelist, _odm("EnumeratedItem"), {"CodedValue": item.VALUE, "OrderNumber": item.ORDER})


def _methods(version: ET.Element, metadata: Metadata) -> None:
    derived = metadata.variables[metadata.variables["ORIGIN"] == DERIVED]
    for row in derived.itertuples(index=False):
        method = _element(version, _odm("MethodDef"), {"OID": method_oid(row.DATASET, row.VARIABLE),
                                                      "Name": f"Algorithm to derive {row.DATASET}.{row.VARIABLE}",
                                                      "Type": "Computation"})
        _description(method, row.DERIVATION)
    for row in metadata.values[metadata.values["ORIGIN"] == DERIVED].itertuples(index=False):
        method = _element(version, _odm("MethodDef"), {
            "OID": method_oid(row.DATASET, row.VARIABLE, row.PARAMCD),
            "Name": f"Algorithm to derive {row.DATASET}.{row.VARIABLE} where PARAMCD = {row.PARAMCD}",
            "Type": "Computation"})
        _description(method, row.DERIVATION)


def define_document(metadata: Metadata) -> ET.ElementTree:
    """The Define-XML 2.1 document of ``metadata`` (module notes list the parts implemented)."""
    root = ET.Element(_odm("ODM"), {
        "FileType": "Snapshot", "FileOID": f"DEFINE.{metadata.study_id}.ADAM", "ODMVersion": "1.3.2",
        "CreationDateTime": f"{metadata.date}T00:00:00", "Originator": metadata.study_id,
        "SourceSystem": "aidheart", _def("Context"): "Other"})
    study = _element(root, _odm("Study"), {"OID": f"ST.{metadata.study_id}"})
    global_variables = _element(study, _odm("GlobalVariables"))
    for tag, text in (("StudyName", metadata.study_id), ("StudyDescription", metadata.description),
                      ("ProtocolName", metadata.study_id)):
        _element(global_variables, _odm(tag)).text = text
    version = _element(study, _odm("MetaDataVersion"), {
        "OID": f"MDV.{metadata.study_id}.ADAM", "Name": f"{metadata.study_id} analysis datasets",
        _def("DefineVersion"): "2.1.0"})
    standards = _element(version, _def("Standards"))
    for oid, name, standard_version in STANDARDS:
        _element(standards, _def("Standard"), {"OID": oid, "Name": name, "Type": "IG", "Version": standard_version,
                                               "Status": "Final"})
    _value_lists(version, metadata.values)
    _item_groups(version, metadata)
    _item_defs(version, metadata)
    _codelists(version, metadata.codelists)
    _methods(version, metadata)
    comment = _element(version, _def("CommentDef"), {"OID": STUDY_DAY_COMMENT_OID})
    _description(comment, STUDY_DAY_COMMENT)
    tree = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    return tree


def define_xml(metadata: Metadata) -> str:
    """The Define-XML document as text (UTF-8 declaration, two-space indentation, ``\\n`` line ends)."""
    body = ET.tostring(define_document(metadata).getroot(), encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
