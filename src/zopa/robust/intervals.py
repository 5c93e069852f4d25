"""How sure is a share of samples? Binomial confidence intervals for Monte Carlo probabilities.

A robustness probability is a share of ``n`` samples, ``p̂ = k / n``. Its uncertainty from the
finite sample is given by the Wilson score interval (Wilson, E. B. (1927). "Probable inference,
the law of succession, and statistical inference". *Journal of the American Statistical
Association* 22(158), 209-212): unlike the textbook ``p̂ ± z √(p̂(1−p̂)/n)`` it stays inside
[0, 1], is not empty at ``p̂ = 0`` or ``1``, and keeps close to its nominal coverage for small
``n`` (Brown, Cai & DasGupta (2001). "Interval estimation for a binomial proportion".
*Statistical Science* 16(2), 101-133).

The interval covers the Monte Carlo error only, not the analyst's uncertainty about the ranges
themselves. For Latin hypercube samples it is conservative (they vary less than independent
draws).
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054
"""The standard normal quantile of a two-sided 95% interval."""


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Return the Wilson score interval of a binomial proportion.

    Parameters
    ----------
    successes
        ``k``, the samples in which the conclusion holds (``0 <= k <= n``).
    n
        The number of samples.
    z
        The normal quantile of the interval's level (default: 95%, two-sided).

    Returns
    -------
    low, high
        ``(p̂ + z²/2n ∓ z √(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)``, within [0, 1] and containing
        ``p̂ = k/n``; ``(0, 1)`` when ``n`` is 0 (nothing is known).

    Raises
    ------
    ValueError
        When ``k`` is not between 0 and ``n``, or ``n`` or ``z`` is negative.
    """
    if n < 0 or z < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and z >= 0, got {successes}, {n}, {z}")
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    # the exact ends at k = 0 and k = n (rounding could put them a hair inside p̂)
    low = 0.0 if successes == 0 else max(0.0, min(p, centre - half))
    high = 1.0 if successes == n else min(1.0, max(p, centre + half))
    return low, high
