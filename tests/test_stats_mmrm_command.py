"""``aidheart mmrm``: the command line around the engine — an ARD out, or one line and exit 2."""

from __future__ import annotations

import pandas as pd
import pytest

from aidheart.cli import main
from reference_values import REFERENCE

FEV = str(REFERENCE / "data" / "fev_data.csv")


def run(tmp_path, *options):
    out = tmp_path / "ard.csv"
    code = main(["mmrm", "--input", FEV, "--out", str(out), *options])
    return code, out


def test_sas_model_through_the_command_line_gives_sas_numbers(tmp_path):
    """SAS PROC MIXED, ddfm=kr (tests/reference/sas/sas_kr_us.csv): TRT - PBO."""
    code, out = run(tmp_path, "--formula", "FEV1 ~ ARMCD + us(AVISIT | USUBJID)", "--reference", "ARMCD=PBO",
                    "--lsmeans", "ARMCD", "--criterion", "sas", "--paramcd", "FEV1", "--population", "ITT")
    assert code == 0
    ard = pd.read_csv(out, keep_default_na=False, na_values=[""])
    sas = pd.read_csv(REFERENCE / "sas" / "sas_kr_us.csv").iloc[0]
    row = ard.loc[(ard["method"] == "mmrm_lsmean_diff") & (ard["term"] == "ARMCD=TRT-PBO")].iloc[0]
    assert row["estimate"] == pytest.approx(sas["Estimate"], rel=1e-6)
    assert row["std_error"] == pytest.approx(sas["StdErr"], rel=1e-6)
    assert row["df"] == pytest.approx(sas["DF"], rel=1e-4)
    assert set(ard["method"]) == {"mmrm_coef", "mmrm_lsmean", "mmrm_lsmean_diff", "mmrm_cov", "mmrm_fit"}
    assert (ard["paramcd"] == "FEV1").all() and (ard["population"] == "ITT").all()
    assert ard["note"].str.contains("Kenward-Roger").sum() == 5  # coefficients, LS means, difference


def test_fallback_structures_are_tried_in_order_and_named(tmp_path):
    data = pd.read_csv(FEV)
    small = data.loc[data["USUBJID"].isin([f"PT{i}" for i in range(1, 11)])]  # us and toeph fail on 10
    path = tmp_path / "small.csv"
    small.to_csv(path, index=False)
    out = tmp_path / "ard.csv"
    code = main(["mmrm", "--input", str(path), "--out", str(out), "--formula",
                 "FEV1 ~ AVISIT + us(AVISIT | USUBJID)", "--fallback", "toeph,csh,cs", "--df", "satterthwaite"])
    assert code == 0
    note = pd.read_csv(out)["note"].iloc[0]
    assert note.startswith("csh covariance, REML (not converged first: us: singular covariance")
    assert "; toeph: " in note


@pytest.mark.parametrize(("options", "message"), [
    (["--formula", "FEV1 ~ ARMCD + us(AVISIT | PATIENT)"], "column 'PATIENT' not found"),
    (["--formula", "FEV1 ~ ARMCD + us(AVISIT | USUBJID"], "expected ) but found the end"),
    (["--formula", "FEV1 ~ ARMCD + us(AVISIT | USUBJID)", "--visit-order", "VIS1,VIS2,VIS3,VIS4,VIS5"],
     "visit 'VIS5' is in no row"),
    (["--formula", "FEV1 ~ ARMCD + us(AVISIT | USUBJID)", "--reference", "ARMCD"], "write FACTOR=LEVEL"),
    (["--formula", "FEV1 ~ ARMCD + us(AVISIT | USUBJID)", "--ml"], "kenward-roger needs REML"),
    (["--formula", "FEV1 ~ ARMCD + us(AVISIT | USUBJID)", "--lsmeans", "FEV1_BL"], "not a factor"),
    (["--formula", "FEV1 ~ ARMCD:RACE + RACE:ARMCD:SEX + us(AVISIT | USUBJID)"], "singular design"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, options, message):
    code, out = run(tmp_path, *options)
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"aidheart mmrm: {FEV}: ")


def test_unreadable_file_is_one_line(tmp_path, capsys):
    code = main(["mmrm", "--input", str(tmp_path / "absent.csv"), "--out", str(tmp_path / "o.csv"),
                 "--formula", "y ~ x + us(v | s)"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("aidheart mmrm: cannot read") and err.count("\n") == 1
