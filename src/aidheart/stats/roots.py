"""Root finding as R's ``uniroot`` does it, so results can match R step for step.

:func:`zeroin` follows the algorithm of R's ``R_zeroin2`` (Brent 1973, as
implemented in R's ``src/library/stats/src/zeroin.c``): the same bisection /
secant / inverse-quadratic steps and the same stopping rule, so a step function
such as the Wilcoxon statistic in ``wilcox.test(conf.int = TRUE)`` lands on the
same root as in R. :func:`bracket` widens a starting interval until the function
changes sign.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

_EPSILON = sys.float_info.epsilon


def zeroin(
    f: Callable[[float], float],
    lower: float,
    upper: float,
    *,
    f_lower: float | None = None,
    f_upper: float | None = None,
    tol: float = _EPSILON**0.25,
    maxiter: int = 1000,
) -> float:
    """A root of ``f`` in ``[lower, upper]``, as ``uniroot(f, c(lower, upper), tol = tol)$root``.

    Parameters
    ----------
    f : callable
        Function of one float; ``f(lower)`` and ``f(upper)`` must not have the same sign.
    lower, upper : float
        The bracketing interval.
    f_lower, f_upper : float, optional
        ``f`` at the end points when already known (R's ``f.lower``/``f.upper``).
    tol : float
        R's ``tol``: the root is returned once the bracket is within about ``tol``.
    maxiter : int
        Iteration limit; exceeding it returns the current best value, as R does
        (R also warns).

    Returns
    -------
    float
        The root estimate.
    """
    a, b = float(lower), float(upper)
    fa = f(a) if f_lower is None else float(f_lower)
    fb = f(b) if f_upper is None else float(f_upper)
    if fa * fb > 0:
        raise ValueError("f() values at end points not of opposite sign")
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    c, fc = a, fa
    for _ in range(maxiter + 1):
        previous_step = b - a
        if abs(fc) < abs(fb):  # make b the best approximation
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * _EPSILON * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(previous_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:  # two distinct points: secant step
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:  # inverse quadratic interpolation
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2) and p < abs(previous_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b


def bracket(f: Callable[[float], float], start: float, step: float = 1.0) -> tuple[float, float]:
    """An interval ``(lo, hi)`` around ``start`` on which ``f`` changes sign.

    ``f`` must be monotone. The interval grows by doubling steps away from
    ``start`` in the direction in which ``|f|`` falls, up to 200 doublings.
    """
    f_start = f(start)
    if f_start == 0:
        return start, start
    f_next = f(start + step)
    direction = 1.0 if f_next * f_start <= 0 or abs(f_next) < abs(f_start) else -1.0
    lo = start
    for _ in range(200):
        hi = lo + direction * step
        if f(hi) * f_start <= 0:
            return (lo, hi) if lo < hi else (hi, lo)
        lo, step = hi, step * 2
    raise ValueError("no sign change found")
