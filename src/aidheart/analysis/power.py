"""The pilot's generating models for the next trial's power simulation, from ADSL and ADEFF.

For each endpoint of config ``next_trial``, the efficacy set's records
(:func:`aidheart.analysis.analysis_sets.select_records`, set ``EFF``) at baseline and
at the scheduled visits where the pilot measured the endpoint are fitted by the MMRM
``AVAL ~ AVISIT + us(AVISIT | USUBJID)`` (REML, all available data): its visit means
and its unstructured covariance over baseline and those visits are the generating
model of :mod:`aidheart.stats.trial_power`. The pilot's mean change at the primary
visit is the difference of the fitted means there and at baseline.

Retention (``next_trial.retention: pilot``): at each visit, the share of subjects with
a baseline value whose last value is at that visit or later (a missed visit followed
by a later one is not dropout).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from aidheart.analysis.analysis_sets import select_records
from aidheart.analysis.build import PRIMARY_SET
from aidheart.analysis.power_plan import effect_label
from aidheart.stats.mmrm_model import fit_formula
from aidheart.stats.power_summary import summarise_replicates
from aidheart.stats.sizing import two_sample_power
from aidheart.stats.trial_power import NOT_ESTIMABLE, GeneratingModel
from aidheart.study import Endpoint, Schedule, Study

GENERATING_FORMULA = "AVAL ~ AVISIT + us(AVISIT | USUBJID)"


class PowerSetupError(ValueError):
    """The configuration and the pilot data cannot make a generating model; one line says why."""


class NotEstimableYet(ValueError):
    """The pilot has no data to make the generating model from yet (none at the primary visit), or too
    little to fit it: the endpoint's power is not simulated, and the report says why."""



def pilot_retention(records: pd.DataFrame, visits: list[str], *, baseline: str) -> np.ndarray:
    """Share of subjects with a ``baseline`` record whose last record is at or after each of ``visits``."""
    subjects = records.loc[records["AVISIT"] == baseline, "USUBJID"].unique()
    position = {visit: k for k, visit in enumerate(visits)}
    post = records.loc[records["USUBJID"].isin(subjects) & records["AVISIT"].isin(visits)]
    last = post["AVISIT"].map(position).groupby(post["USUBJID"]).max().reindex(subjects, fill_value=-1)
    return np.array([(last >= k).mean() for k in range(len(visits))])


def _per_visit(setting: dict, visits: list[str], key: str, paramcd: str) -> np.ndarray:
    missing = [visit for visit in visits if visit not in setting]
    if missing:
        raise PowerSetupError(f"config key 'next_trial.{key}': no value for visit {missing[0]!r}, "
                              f"where the pilot measured {paramcd}")
    return np.array([float(setting[visit]) for visit in visits])


def generating_model(adsl: pd.DataFrame, adeff: pd.DataFrame, endpoint: Endpoint, *, schedule: Schedule,
                     next_trial: dict) -> tuple[GeneratingModel, dict]:
    """The generating model of ``endpoint`` and what it was made from.

    Parameters
    ----------
    adsl, adeff : DataFrame
        The subject-level and efficacy datasets.
    endpoint : Endpoint
        The endpoint simulated.
    schedule : Schedule
        The visit schedule (baseline and the scheduled post-baseline visits).
    next_trial : dict
        Config ``next_trial`` (primary visit, effect shape, retention).

    Returns
    -------
    (GeneratingModel, dict)
        The model over the visits where the pilot has the endpoint, and ``baseline_visit``,
        ``visit_means`` (baseline first), ``pilot_change`` (fitted mean at the primary visit
        minus baseline), ``n_subjects``, ``retention_source`` (``pilot`` or ``config``).

    Raises
    ------
    PowerSetupError
        A visit missing from the effect shape or the retention (one line).
    NotEstimableYet
        The primary visit without data, or a model that cannot be fitted yet.
    """
    baseline = schedule.baseline.avisit
    visits = [visit.avisit for visit in schedule.post_baseline]
    paramcd = endpoint.paramcd
    records = select_records(adsl, adeff, paramcd, PRIMARY_SET, baseline=baseline, visits=visits)
    measured = [visit for visit in visits if (records["AVISIT"] == visit).any()]
    primary = next_trial["primary_visit"]
    if primary not in measured:
        raise NotEstimableYet(f"the pilot has no {paramcd} at {primary} yet")
    try:
        model = fit_formula(records, GENERATING_FORMULA, visit_order=[baseline, *measured])
    except ValueError as error:
        raise NotEstimableYet(f"the pilot's model of {paramcd} ({GENERATING_FORMULA}) cannot be fitted yet: "
                              f"{error}") from None
    coefficient = dict(zip(model.design.columns, model.fit.beta))
    intercept = coefficient["(Intercept)"]  # treatment contrasts: the intercept is baseline's mean
    means = np.array([intercept] + [intercept + coefficient[f"AVISIT={visit}"] for visit in measured])
    retention = next_trial["retention"]
    source = "pilot" if retention == "pilot" else "config"
    retained = pilot_retention(records, measured, baseline=baseline) if source == "pilot" else _per_visit(
        retention, measured, "retention", paramcd)
    shape = _per_visit(next_trial["effect_shape"], measured, "effect_shape", paramcd)
    j = measured.index(primary)
    generating = GeneratingModel(visits=tuple(measured), mean_baseline=float(means[0]), sigma=model.fit.sigma,
                                 shape=shape, retention=retained, primary=j)
    info = {"baseline_visit": baseline, "visit_means": means.tolist(),
            "pilot_change": float(means[j + 1] - means[0]), "n_subjects": int(model.fit.data.n_subjects),
            "retention_source": source}
    return generating, info


def effect_sizes(endpoint: Endpoint, effects, *, pilot_change: float) -> dict[str, float]:
    """Effect label -> between-arm difference at the primary visit (endpoint units).

    ``zero`` 0, ``pilot`` the pilot's mean change, ``half_pilot`` half of it, ``mcid`` the
    endpoint's MCID (config ``endpoints``), a number itself.
    """
    if "mcid" in effects and endpoint.mcid is None:
        raise PowerSetupError(f"config key 'next_trial.endpoints': effect 'mcid' of {endpoint.paramcd}, which has "
                              "no mcid in config endpoints")
    named = {"zero": 0.0, "pilot": pilot_change, "half_pilot": pilot_change / 2, "mcid": endpoint.mcid}
    return {effect_label(effect): float(named[effect] if isinstance(effect, str) else effect) for effect in effects}


def generating_models(adsl: pd.DataFrame, adeff: pd.DataFrame, *, study: Study, next_trial: dict) -> dict[str, dict]:
    """Per endpoint of ``next_trial``: the model record (:meth:`GeneratingModel.to_record`), what it was
    made from (:func:`generating_model`) and its ``effects`` (:func:`effect_sizes`), in config order; an
    endpoint the pilot cannot give a model for yet (:class:`NotEstimableYet`) has ``{NOT_ESTIMABLE: why}``."""
    out = {}
    for entry in next_trial["endpoints"]:
        endpoint = study.endpoint(entry["paramcd"])
        try:
            model, info = generating_model(adsl, adeff, endpoint, schedule=study.schedule, next_trial=next_trial)
        except NotEstimableYet as why:
            out[endpoint.paramcd] = {NOT_ESTIMABLE: str(why)}
            continue
        effects = effect_sizes(endpoint, entry["effects"], pilot_change=info["pilot_change"])
        out[endpoint.paramcd] = {**model.to_record(), **info, "residual_sd": model.residual_sd, "effects": effects}
    return out


def closed_form_power(model: GeneratingModel, n_per_arm: int, delta: float, alpha: float) -> float:
    """Power of the closed-form ANCOVA sizing at the primary visit.

    R's ``power.t.test(n = n r, delta = delta, sd = s)`` (:func:`aidheart.stats.sizing.two_sample_power`)
    with ``r`` the retention at the primary visit (subjects expected there per arm) and ``s``
    :attr:`aidheart.stats.trial_power.GeneratingModel.residual_sd`: the formula
    :func:`aidheart.stats.sizing.ancova_size` sizes with. It ignores the df of the baseline
    slope, the chance imbalance of baseline between arms and what the other visits add.
    """
    return two_sample_power(n_per_arm * float(model.retention[model.primary]), delta, model.residual_sd, alpha)


POWER_COLUMNS = ("scenario", "paramcd", "effect", "delta", "n_per_arm", "alpha", "replicates", "not_converged",
                 "power", "power_mcse", "type_i_error", "type_i_error_mcse", "power_closed_form", "mean_estimate",
                 "bias", "bias_mcse", "coverage", "coverage_mcse")


def power_table(replicates: pd.DataFrame, models: dict[str, dict], *, alpha: float) -> pd.DataFrame:
    """One row per scenario from the replicates of every scenario (rows of
    :func:`aidheart.stats.trial_power.replicate_rows`), in the order they come.

    Returns
    -------
    DataFrame
        :data:`POWER_COLUMNS`. ``power`` (effect not zero) or ``type_i_error`` (zero
        effect): share of converged replicates with ``p < alpha``, with its Monte Carlo SE;
        ``power_closed_form`` (effect not zero): :func:`closed_form_power`; ``mean_estimate``,
        ``bias`` (mean minus ``delta``) with its MC SE; ``coverage`` of the 95 % CI with its
        MC SE; ``not_converged`` replicates, which the rates leave out
        (:func:`aidheart.stats.power_summary.summarise_replicates`).
    """
    rows = []
    for name, group in replicates.groupby("scenario", sort=False):
        first = group.iloc[0]
        delta = float(first["delta"])
        arrays = {key: group[key].to_numpy(dtype=float) for key in ("estimate", "std_error", "df")}
        arrays["converged"] = group["converged"].to_numpy(dtype=bool)
        summary = summarise_replicates(arrays, delta, alpha)
        rate, mcse = summary.pop("rejection_rate"), summary.pop("rejection_mcse")
        model = GeneratingModel.from_record(models[first["paramcd"]])
        null = delta == 0
        rows.append({
            "scenario": name, "paramcd": first["paramcd"], "effect": first["effect"], "delta": delta,
            "n_per_arm": int(first["n_per_arm"]), "alpha": alpha, **summary,
            "power": math.nan if null else rate, "power_mcse": math.nan if null else mcse,
            "type_i_error": rate if null else math.nan, "type_i_error_mcse": mcse if null else math.nan,
            "power_closed_form": math.nan if null else closed_form_power(model, int(first["n_per_arm"]), delta, alpha),
        })
    return pd.DataFrame(rows, columns=list(POWER_COLUMNS))
