"""Black-Scholes prices and greeks of European options (no dividends), vectorised with numpy/scipy.

With spot ``S``, strike ``K``, time to expiry ``T`` in years, volatility ``sigma``
and continuously compounded rate ``r``::

    d1 = (ln(S/K) + (r + sigma**2 / 2) T) / (sigma sqrt(T)),   d2 = d1 - sigma sqrt(T)
    call = S N(d1) - K exp(-rT) N(d2)
    put  = K exp(-rT) N(-d2) - S N(-d1)

At ``T = 0`` the value is the payoff, ``max(S - K, 0)`` or ``max(K - S, 0)``.
``N`` is ``scipy.special.ndtr``, the standard normal distribution function.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr  # type: ignore[import-untyped]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Greeks:
    """Sensitivities of one option on one unit of the underlying.

    ``delta`` = dV/dS, ``gamma`` = d2V/dS2, ``vega`` = dV/dsigma (per 1.00 of
    volatility), ``theta`` = dV/dt (per year of calendar time passing, i.e. -dV/dT).
    """

    delta: float
    gamma: float
    vega: float
    theta: float


def _normal_cdf(x: FloatArray) -> FloatArray:
    result: FloatArray = np.asarray(ndtr(x), dtype=np.float64)
    return result


def price(
    is_call: bool,
    spot: npt.ArrayLike,
    strike: float,
    years: float,
    vol: npt.ArrayLike,
    rate: float = 0.0,
) -> FloatArray:
    """Option value per unit of underlying, broadcast over ``spot`` and ``vol`` arrays."""
    s = np.asarray(spot, dtype=np.float64)
    sigma = np.asarray(vol, dtype=np.float64)
    if years <= 0.0:
        payoff = np.maximum(s - strike, 0.0) if is_call else np.maximum(strike - s, 0.0)
        shaped: FloatArray = payoff + np.zeros_like(sigma)
        return shaped
    spread = sigma * math.sqrt(years)
    d1 = (np.log(s / strike) + (rate + 0.5 * sigma * sigma) * years) / spread
    d2 = d1 - spread
    discounted = strike * math.exp(-rate * years)
    if is_call:
        value: FloatArray = s * _normal_cdf(d1) - discounted * _normal_cdf(d2)
    else:
        value = discounted * _normal_cdf(-d2) - s * _normal_cdf(-d1)
    return value


def greeks(is_call: bool, spot: float, strike: float, years: float, vol: float, rate: float = 0.0) -> Greeks:
    """Closed-form greeks; at or after expiry only delta is non-zero (the payoff's slope)."""
    if years <= 0.0:
        in_money = spot > strike if is_call else spot < strike
        return Greeks(delta=(1.0 if is_call else -1.0) if in_money else 0.0, gamma=0.0, vega=0.0, theta=0.0)
    root = math.sqrt(years)
    d1 = (math.log(spot / strike) + (rate + 0.5 * vol * vol) * years) / (vol * root)
    d2 = d1 - vol * root
    density = math.exp(-0.5 * d1 * d1) / math.sqrt(2.0 * math.pi)
    discounted = strike * math.exp(-rate * years)
    cdf = _normal_cdf(np.array([d1, d2, -d1, -d2]))
    n_d1, n_d2, n_md1, n_md2 = (float(x) for x in cdf)
    decay = -spot * density * vol / (2.0 * root)
    if is_call:
        delta, theta = n_d1, decay - rate * discounted * n_d2
    else:
        delta, theta = -n_md1, decay + rate * discounted * n_md2
    return Greeks(
        delta=delta,
        gamma=density / (spot * vol * root),
        vega=spot * density * root,
        theta=theta,
    )
