"""The analysis and data-quality reports as the pipeline renders them (session run on the shipped study)."""

import hashlib
import re
import subprocess
from html.parser import HTMLParser

import pytest
import yaml

from conftest import SHIPPED_DATA, run_workflow
from study_model import CONFIG, STUDY

from aidheart.cutoff import cutoff_statement, effective_cutoff
from aidheart.io import read_ard
from aidheart.study import read_config
from aidheart.tables.formatting import fmt_estimate_ci, fmt_number, fmt_p

REPORTS = ("analysis", "data_quality")
PRIMARY, TRAJECTORY = STUDY.primary_endpoint, STUDY.with_role("trajectory")
#: Every table and figure the specification names for the analysis report, by its caption text: the
#: per-endpoint ones for every endpoint of the study followed over time, and sized for the next trial.
ANALYSIS_CAPTIONS = (
    "Participant flow", "Analysis populations", "Baseline characteristics of the safety set (Table 1)",
    "Primary endpoint: change from baseline by visit", "Per-subject dose–response",
    *[f"{endpoint.short_label} by visit: individual subjects" for endpoint in TRAJECTORY],
    *[f"Change in {endpoint.short_label} from baseline" for endpoint in TRAJECTORY],
    "Secondary endpoints: primary visit against baseline", "Geometric mean ratios",
    "Forest plot of standardised mean changes",
    *[f"Longitudinal models of {endpoint.short_label}" for endpoint in TRAJECTORY],
    *[f"Sensitivity analyses: {endpoint.short_label}" for endpoint in TRAJECTORY],
    "Responders:", "Feasibility outcomes",
    "Treatment-emergent adverse events and deaths", "Worst post-baseline CTCAE grade",
    "SDs for sizing at the primary visit",
    "Primary endpoint at the primary visit, efficacy set: the other analyses of the plan",
    *[f"Subjects per arm: {endpoint.short_label}" for endpoint in STUDY.endpoints if endpoint.sizing_effects],
    "Code revision and data cut-off", "Package versions", "Configuration of the run",
    "Input files and their SHA-256 digests",
)
DATA_QUALITY_CAPTIONS = ("Actionable queries by severity", "Actionable queries by the form that owns them",
                         "Actionable queries by subject", "Device and derivation notes by rule",
                         "Raw rows read = kept + excluded", "Form records of the kept export rows",
                         "Query listing: actionable queries", "Notes listing: device and derivation notes")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").replace("&amp;", "&").split())


class _Table(HTMLParser):
    """Rows of the table whose caption contains ``caption`` (cells as stripped text)."""

    def __init__(self, caption):
        super().__init__()
        self.caption, self.rows, self.cell = caption, [], None
        self.in_caption, self.buffer, self.active = False, "", False

    def handle_starttag(self, tag, attrs):
        if tag == "caption" or (tag == "figcaption"):
            self.in_caption, self.buffer = True, ""
        elif tag == "tr" and self.active:
            self.rows.append([])
        elif tag in ("td", "th") and self.active:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("caption", "figcaption"):
            self.in_caption = False
            self.active = self.caption in " ".join(self.buffer.split()) if not self.rows else self.active
        elif tag in ("td", "th") and self.active and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.replace("\u2019", "'").split()))  # pandoc's smart quotes
            self.cell = None
        elif tag == "table" and self.rows:
            self.active = False

    def handle_data(self, data):
        if self.in_caption:
            self.buffer += data
        elif self.cell is not None:
            self.cell += data


def table_rows(html: str, caption: str) -> list[list[str]]:
    parser = _Table(caption)
    parser.feed(html)
    return parser.rows


@pytest.fixture(scope="module")
def reports(shipped_run):
    return {name: shipped_run / "results" / "reports" for name in REPORTS}


@pytest.fixture(scope="module")
def analysis_html(shipped_run):
    return (shipped_run / "results" / "reports" / "analysis.html").read_text(encoding="utf-8")


def test_pipeline_makes_the_reports(shipped_run):
    for name in ("analysis.html", "analysis.pdf", "data_quality.html", "data_quality.pdf"):
        assert (shipped_run / "results" / "reports" / name).stat().st_size > 10_000, name


def test_every_table_and_figure_of_the_spec_is_in_the_analysis_report(analysis_html):
    text = _text(analysis_html)
    missing = [caption for caption in ANALYSIS_CAPTIONS if caption not in text]
    assert not missing
    assert "@tbl-" not in text and "@fig-" not in text  # every cross-reference resolved
    assert "pilot" in text and "descriptive" in text


def test_data_quality_report_has_its_tables(shipped_run):
    text = _text((shipped_run / "results" / "reports" / "data_quality.html").read_text(encoding="utf-8"))
    assert [caption for caption in DATA_QUALITY_CAPTIONS if caption not in text] == []


def test_reports_show_the_cutoff_not_the_wall_clock(shipped_run):
    # no cut-off configured: the export date, said so
    statement = cutoff_statement(*effective_cutoff(read_config(CONFIG), (SHIPPED_DATA / "redcap").glob("*.csv")))
    assert statement.endswith("the export date (no cut-off configured)")
    for name in REPORTS:
        text = _text((shipped_run / "results" / "reports" / f"{name}.html").read_text(encoding="utf-8"))
        assert f"Data cut-off: {statement}" in text
        assert not re.search(r"\b20\d\d-\d\d-\d\d[ T]\d\d:\d\d", text)


def test_primary_endpoint_numbers_equal_the_ard_after_rounding(shipped_run, analysis_html):
    ard = read_ard(shipped_run / "results" / "stats" / "ard.csv")
    keys = ((ard["paramcd"] == PRIMARY.paramcd) & (ard["population"] == "EFF")
            & (ard["visit"] == STUDY.schedule.primary.avisit))
    pick = lambda method, term: ard[keys & (ard["method"] == method) & (ard["term"] == term)].iloc[0]  # noqa: E731
    by_visit = table_rows(analysis_html, "Primary endpoint: change from baseline by visit")
    rows = {row[0]: row[1:] for row in table_rows(analysis_html, "Primary endpoint at the primary visit, efficacy "
                                                                 "set: the other analyses")}
    t = pick("paired_t", "mean_change")
    primary_row = next(row for row in by_visit if row[0].endswith("(primary)"))
    assert primary_row[1] == str(int(t["n"]))
    assert primary_row[-1] == fmt_estimate_ci(t["estimate"], t["ci_low"], t["ci_high"], PRIMARY.digits)
    assert rows["Complete pairs, n"][0] == str(int(t["n"]))
    digits = PRIMARY.digits
    assert rows["Mean change, paired t"] == [fmt_estimate_ci(t["estimate"], t["ci_low"], t["ci_high"], digits),
                                             f"t = {fmt_number(t['statistic'])}, df = {fmt_number(t['df'], 0)}",
                                             fmt_p(t["p_value"])]
    for method, marker in (("wilcoxon_pratt_exact", "(pre-specified)"), ("wilcoxon_signed_rank", "wilcox.test")):
        wilcoxon = pick(method, "V")
        label = next(name for name in rows if name.startswith("Wilcoxon") and marker in name)
        assert rows[label][1:] == [f"V = {fmt_number(wilcoxon['statistic'], 1)}", fmt_p(wilcoxon["p_value"])]
    hl = pick("hodges_lehmann", "pseudomedian")
    assert rows["Hodges–Lehmann estimate"][0] == fmt_estimate_ci(hl["estimate"], hl["ci_low"], hl["ci_high"], digits)
    for name, (method, term) in {"Cohen's dz": ("cohen_dz", "dz"), "Hedges' gz": ("hedges_gz", "gz")}.items():
        row = pick(method, term)
        assert rows[name][0] == fmt_estimate_ci(row["estimate"], row["ci_low"], row["ci_high"], 2)
    boot = pick("bootstrap_mean_change", "mean_change")
    label = next(name for name in rows if name.startswith("Bootstrap"))
    assert rows[label][0] == fmt_estimate_ci(boot["estimate"], boot["ci_low"], boot["ci_high"], digits)
    label = next(name for name in rows if name.startswith("Sign-flip"))
    assert rows[label][-1] == fmt_p(pick("sign_flip_permutation", "mean_change")["p_value"])


def test_html_is_self_contained(shipped_run):
    for name in REPORTS:
        html = (shipped_run / "results" / "reports" / f"{name}.html").read_text(encoding="utf-8")
        assert not re.search(r"""<[^>]+\bsrc\s*=\s*["']?\s*(https?:)?//""", html, re.I)
        assert not re.search(r"""<link[^>]+href\s*=\s*["']?\s*(https?:)?//""", html, re.I)
        assert not re.search(r"""@import\s+(url\()?["']?https?://""", html, re.I)


def test_pdf_pages_rasterise(shipped_run, tmp_path):
    for name in REPORTS:
        pdf = shipped_run / "results" / "reports" / f"{name}.pdf"
        done = subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / name)], capture_output=True)
        assert done.returncode == 0, done.stderr
        pages = int(re.search(rb"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True).stdout)[1])
        assert len(list(tmp_path.glob(f"{name}-*.png"))) == pages > 1


def test_pdf_keeps_the_tables_and_the_cutoff_on_every_page(shipped_run):
    pdf = shipped_run / "results" / "reports" / "analysis.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    assert all("Data cut-off" in page for page in pages)
    assert "Complete pairs, n" in text and "Hodges–Lehmann estimate" in text


def test_reproducibility_appendix_lists_every_input_hash(shipped_run, analysis_html):
    # REDCap files one by one; the monitor files as the digest of their manifest lines, what
    # `grep '^monitor/' input_files.csv | LC_ALL=C sort | sha256sum` gives (computed here from the raw lines)
    lines = (shipped_run / "results" / "provenance" / "input_files.csv").read_text().splitlines(keepends=True)[1:]
    redcap = [line for line in lines if line.startswith("redcap/")]
    monitor = sorted(line for line in lines if line.startswith("monitor/"))
    assert redcap and monitor and len(redcap) + len(monitor) == len(lines)
    assert all(line.rstrip("\n").split(",")[2] in analysis_html for line in redcap)
    assert hashlib.sha256("".join(monitor).encode()).hexdigest() in analysis_html
    assert f"monitor/ ({len(monitor)} files)" in analysis_html
    info = (shipped_run / "results" / "provenance" / "run_info.json").read_text()
    assert '"code_revision"' in info and '"code_dirty"' in info
    assert not re.search(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d", info)  # no wall-clock time stamp


def test_a_stopping_rule_change_re_renders_only_the_dsmb_report(shipped_run, tmp_path):
    """The stopping rules are the DSMB report's alone: the run record and the analysis report stay as they are."""
    rules = read_config(CONFIG)["stopping_rules"]
    rules[0]["threshold"] += 1
    overlay = tmp_path / "stopping_rules.yaml"
    overlay.write_text(yaml.safe_dump({"stopping_rules": rules}))
    planned = run_workflow(shipped_run, SHIPPED_DATA, "--dry-run", "--configfile", str(overlay)).stdout
    assert set(re.findall(r"^(?:local)?rule (\w+):", planned, flags=re.MULTILINE)) - {"all"} == {"render_dsmb"}
