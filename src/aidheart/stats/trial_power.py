"""Simulated power of a two-arm trial analysed by an MMRM of change from baseline.

Generating model (one endpoint, baseline and ``K`` post-baseline visits)::

    Y_i = (Y_i0, Y_i1, ..., Y_iK) ~ N(mu_i, Sigma)
    control:   mu_ik = mu_0                      (no change from baseline)
    treatment: mu_ik = mu_0 + delta f_k          (f_primary = 1: delta is the effect there)

``Sigma`` and ``mu_0`` come from the pilot (:mod:`aidheart.analysis.power`), ``f`` is
the stated shape of the effect over the visits. Dropout is monotone: subject ``i`` is
seen at post-baseline visits ``1..L_i`` with ``P(L_i >= k) = retention_k``
(non-increasing), drawn as ``L_i = #{k : U_i < retention_k}``, ``U_i ~ U(0, 1)``; a
subject seen at no post-baseline visit has no change and drops out of the analysis.
``BASE = Y_i0``, ``CHG_ik = Y_ik - Y_i0``. Each arm has ``n`` subjects (1:1), control
first.

Analysis of every simulated trial: ``CHG ~ BASE + ARM * AVISIT + us(AVISIT | USUBJID)``
by REML, the Kenward-Roger estimate, SE and df of treatment minus control at the primary
visit (the contrast ``ARM + ARM:AVISIT=primary``; its two-sided t test and CI are
:mod:`aidheart.stats.power_summary`'s), fitted to all replicates at once
(:mod:`aidheart.stats.mmrm_batch`); replicates the batch leaves unsettled are refitted
one by one (:func:`aidheart.stats.mmrm_fit.fit_mmrm_arrays`), and those that do not
converge there either are kept with ``converged = False`` and the reason.

Random numbers: one PCG64 generator per scenario, seeded by
``SeedSequence([seed, h])`` with ``h`` the first 8 bytes (little-endian) of the SHA-256
of the scenario's name, so a scenario gives the same replicates wherever and in
whatever order it runs; draws in order: standard normals ``(R, 2n, K + 1)``, then
uniforms ``(R, 2n)``.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

from aidheart.stats.mmrm_batch import batch_contrast, factored_pattern_sums, fit_us_batch

#: At most this many floats of pattern sums at once (160 MB): replicates are fitted in chunks below it.
CHUNK_FLOATS = 20_000_000
RESULT_FIELDS = ("estimate", "std_error", "df")
#: The key of a generating-model record the pilot cannot give yet (aidheart.analysis.power); its value says why.
NOT_ESTIMABLE = "not_estimable"
NO_VARIANCE = "Kenward-Roger variance of the contrast not positive"


@dataclass(frozen=True)
class GeneratingModel:
    """One endpoint's generating model (module notes).

    ``visits`` are the post-baseline visits in order; ``mean_baseline`` is ``mu_0``;
    ``sigma`` the ``(K + 1) x (K + 1)`` covariance over baseline and ``visits``;
    ``shape`` the share ``f_k`` of the effect at each visit; ``retention`` the share
    still seen at each visit; ``primary`` the index of the primary visit in ``visits``.
    """

    visits: tuple[str, ...]
    mean_baseline: float
    sigma: np.ndarray
    shape: np.ndarray
    retention: np.ndarray
    primary: int

    def __post_init__(self):
        k = len(self.visits)
        if np.shape(self.sigma) != (k + 1, k + 1) or len(self.shape) != k or len(self.retention) != k:
            raise ValueError(f"sigma must be {k + 1} x {k + 1}, shape and retention of length {k}")
        if np.any(np.diff(self.retention) > 0) or not np.all((self.retention > 0) & (self.retention <= 1)):
            raise ValueError(f"retention must be in (0, 1] and non-increasing, got {list(self.retention)}")

    def to_record(self) -> dict:
        """The model as plain lists and numbers (for JSON)."""
        return {"visits": list(self.visits), "mean_baseline": float(self.mean_baseline),
                "sigma": np.asarray(self.sigma, dtype=float).tolist(), "shape": [float(v) for v in self.shape],
                "retention": [float(v) for v in self.retention], "primary": int(self.primary)}

    @classmethod
    def from_record(cls, record: dict) -> GeneratingModel:
        """The model written by :meth:`to_record`."""
        return cls(visits=tuple(record["visits"]), mean_baseline=float(record["mean_baseline"]),
                   sigma=np.array(record["sigma"], dtype=float), shape=np.array(record["shape"], dtype=float),
                   retention=np.array(record["retention"], dtype=float), primary=int(record["primary"]))

    @property
    def residual_sd(self) -> float:
        """SD of the primary visit given baseline: ``sqrt(S_jj - S_0j^2 / S_00)``, ``j`` the primary visit."""
        j = self.primary + 1
        return math.sqrt(self.sigma[j, j] - self.sigma[0, j] ** 2 / self.sigma[0, 0])


def analysis_design(n_visits: int, primary: int) -> tuple[np.ndarray, np.ndarray]:
    """The visit maps and the contrast of ``CHG ~ BASE + ARM * AVISIT`` for ``z = (1, BASE, ARM)``.

    Columns in R's ``model.matrix`` order: ``(Intercept)``, ``BASE``, ``ARM=TRT``,
    ``AVISIT=v`` and ``ARM=TRT:AVISIT=v`` for the visits after the first. Returns
    ``maps`` (``K x q x 3``, :func:`aidheart.stats.mmrm_batch.factored_pattern_sums`) and the
    contrast ``l`` of treatment minus control at visit ``primary``.
    """
    q = 3 + 2 * (n_visits - 1)
    maps = np.zeros((n_visits, q, 3))
    maps[:, 0, 0] = maps[:, 1, 1] = maps[:, 2, 2] = 1.0
    for s in range(1, n_visits):
        maps[s, 2 + s, 0] = 1.0
        maps[s, 1 + n_visits + s, 2] = 1.0
    contrast = np.zeros(q)
    contrast[2] = 1.0
    if primary > 0:
        contrast[1 + n_visits + primary] = 1.0
    return maps, contrast


def scenario_rng(name: str, seed: int) -> np.random.Generator:
    """The scenario's generator (module notes)."""
    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, digest])))


def simulate_trials(model: GeneratingModel, n_per_arm: int, delta: float, replicates: int,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Simulated trials: change ``(R, 2n, K)`` (``NaN`` after dropout) and covariates ``z`` ``(R, 2n, 3)``."""
    k = len(model.visits)
    n = 2 * n_per_arm
    arm = np.repeat([0.0, 1.0], n_per_arm)
    means = np.full((n, k + 1), model.mean_baseline)
    means[:, 1:] += arm[:, None] * delta * model.shape[None, :]
    values = means + rng.standard_normal((replicates, n, k + 1)) @ np.linalg.cholesky(model.sigma).T
    last = (rng.random((replicates, n))[:, :, None] < model.retention[None, None, :]).sum(axis=2)
    change = values[:, :, 1:] - values[:, :, :1]
    change = np.where(np.arange(k)[None, None, :] < last[:, :, None], change, np.nan)
    z = np.stack([np.ones((replicates, n)), values[:, :, 0], np.broadcast_to(arm, (replicates, n))], axis=2)
    return change, z


def analyse_trials(change: np.ndarray, z: np.ndarray, primary: int) -> dict[str, np.ndarray]:
    """The primary-visit contrast of every simulated trial (module notes).

    Returns arrays of length ``R``: :data:`RESULT_FIELDS` (Kenward-Roger SE and df),
    ``converged`` (bool: a fit with a positive Kenward-Roger variance), ``refitted`` (bool:
    left to the single-fit engine) and ``message`` (why there is no result, else empty).
    """
    maps, contrast = analysis_design(change.shape[2], primary)
    k, q = maps.shape[:2]
    chunk = max(1, CHUNK_FLOATS // (k**3 * q**2))  # monotone dropout: at most K patterns of K x K x q x q
    parts = [_analyse_chunk(change[start:start + chunk], z[start:start + chunk], maps, contrast)
             for start in range(0, len(change), chunk)]
    return {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}


def _analyse_chunk(change, z, maps, contrast) -> dict[str, np.ndarray]:
    # The single-fit engine loads pandas (0.7 s), which a scenario whose replicates all
    # settle in the batch never needs: imported only for the first refit.
    fit = fit_us_batch(factored_pattern_sums(change, z, maps))
    out = batch_contrast(fit, contrast)
    out["converged"] = fit.settled & np.isfinite(out["std_error"])
    out["refitted"] = ~fit.settled
    out["message"] = np.where(fit.settled & ~out["converged"], NO_VARIANCE, "").astype(object)
    for r in np.flatnonzero(~fit.settled):
        from aidheart.stats.mmrm_fit import MmrmFitError, fit_mmrm_arrays

        x = np.einsum("sqa,na->nsq", maps, z[r])
        try:
            single = fit_mmrm_arrays(change[r], x, "us")
        except MmrmFitError as error:
            out["message"][r] = str(error)
            continue
        if not single.converged:
            out["message"][r] = single.message
            continue
        values = single.contrast(contrast, "kenward-roger")
        for key in RESULT_FIELDS:
            out[key][r] = values.get(key, math.nan)
        out["converged"][r] = math.isfinite(out["std_error"][r])
        out["message"][r] = "" if out["converged"][r] else NO_VARIANCE
    return out


def simulate_scenario(model: GeneratingModel, *, name: str, seed: int, n_per_arm: int, delta: float,
                      replicates: int) -> dict[str, np.ndarray]:
    """Simulate and analyse one scenario's replicates (:func:`analyse_trials`'s arrays)."""
    change, z = simulate_trials(model, n_per_arm, delta, replicates, scenario_rng(name, seed))
    return analyse_trials(change, z, model.primary)


def replicate_rows(results: dict[str, np.ndarray], identity: dict):
    """One dict per replicate: ``identity``'s items, ``replicate`` (1-based), :data:`RESULT_FIELDS`
    (``""`` where missing, else the shortest text that reads back as the same float), ``converged``,
    ``refitted`` and ``message``."""
    for r in range(len(results["converged"])):
        row = dict(identity, replicate=r + 1)
        for key in RESULT_FIELDS:
            value = float(results[key][r])
            row[key] = repr(value) if math.isfinite(value) else ""
        row.update(converged=bool(results["converged"][r]), refitted=bool(results["refitted"][r]),
                   message=results["message"][r])
        yield row
