"""Statistics the report tools share (standard library only): the sample std (n - 1), Student's t
quantile for any degrees of freedom, and the 95% interval of a mean.

    python3 tools/hstats.py            checks itself against tabulated t quantiles
"""
import math


def mean(xs):
    return sum(xs) / len(xs)


def sample_std(xs):
    """The std with n - 1 (0 for one value): what every tool reports as "std"."""
    if len(xs) < 2:
        return 0.0
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def _betacf(a, b, x):
    # Lentz's continued fraction for the incomplete beta function (Numerical Recipes' betacf).
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betai(a, b, x):
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    lbeta = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1.0 - x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(lbeta) * _betacf(a, b, x) / a
    return 1.0 - math.exp(lbeta) * _betacf(b, a, 1.0 - x) / b


def t_cdf(t, df):
    x = df / (df + t * t)
    tail = 0.5 * _betai(df / 2.0, 0.5, x)
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p, df):
    """Student's t quantile (bisection on the CDF), for any df >= 1."""
    lo, hi = -1e6, 1e6
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def ci95(xs):
    """Half-width of the 95% interval of the mean of xs (t with n - 1 degrees of freedom); nan for n < 2."""
    n = len(xs)
    if n < 2:
        return float("nan")
    return t_quantile(0.975, n - 1) * sample_std(xs) / math.sqrt(n)


def mean_ci(xs, digits=2, one=""):
    """"mean ± 95% half-width" of xs as the tables print it; a single value as itself followed by
    one (such as " (one seed)"), no values as "-"."""
    if not xs:
        return "-"
    if len(xs) == 1:
        return f"{xs[0]:.{digits}f}{one}"
    return f"{mean(xs):.{digits}f} ± {ci95(xs):.{digits}f}"


if __name__ == "__main__":
    table = {1: 12.706, 2: 4.303, 5: 2.571, 10: 2.228, 11: 2.201, 12: 2.179, 20: 2.086, 30: 2.042, 49: 2.010,
             100: 1.984, 1000: 1.962}
    for df, want in table.items():
        got = t_quantile(0.975, df)
        assert abs(got - want) < 1e-3, (df, got, want)
    assert abs(sample_std([1.0, 2.0, 3.0, 4.0]) - math.sqrt(5.0 / 3.0)) < 1e-12
    print("hstats: t quantiles and the sample std agree with the tables")
