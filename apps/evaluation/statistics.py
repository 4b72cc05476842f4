"""The statistics of the effectiveness view, as pure functions of numbers (no database).

Each is tested against examples worked by hand (apps/evaluation/tests/test_statistics.py). The
numerical work is statsmodels' (a mixed linear model, Wilson intervals, Poisson rate ratios):
Systeemi chooses the model and says what it means, it does not re-implement the estimators.

- **Pre-post effect size** (Becker 1988; the form used in PCOMS/ORS benchmarking): the mean of the
  latest totals minus the mean of the first, divided by the standard deviation of the first
  totals (n - 1). Positive means better on the ORS (higher is better).
- **Rates per 1,000 child clients** and the **rate ratio** of systemic to comparison teams with a
  95 % score interval for two independent Poisson rates (children as exposure).
- **The adjusted difference** (`fit_team_model`): families within teams, a linear mixed model with
  a random intercept per team and fixed effects for the family's baseline (centred) and the team
  kind (systemic = 1): latest = b0 + b1 * baseline + b2 * systemic + u_team + e. b2 is the
  difference in the latest ORS total between a family of a systemic and a family of a comparison
  team with the same baseline, with its 95 % Wald interval. Fitted by REML (statsmodels MixedLM).
  The teams were not randomised to the model and there are few of them: the interval is about
  this data, not proof of cause — the page says so in words.
"""

import math
import statistics
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

# Below these the model is not fitted: a team-level effect needs teams on both sides, and a
# handful of families says nothing about a difference between kinds of team.
MIN_TEAMS_PER_KIND = 2
MIN_FAMILIES_PER_KIND = 10
CONFIDENCE = 0.95


def mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def pre_post_effect_size(baselines: Sequence[float], latests: Sequence[float]) -> float | None:
    """(mean latest - mean baseline) / SD of the baselines; None without two baselines that differ."""
    if len(baselines) != len(latests):
        raise ValueError("one latest total for every baseline")
    if len(baselines) < 2:
        return None
    spread = statistics.stdev(baselines)
    if spread == 0:
        return None
    return (statistics.fmean(latests) - statistics.fmean(baselines)) / spread


def per_thousand(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return 1000 * count / population


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


def proportion_interval(count: int, n: int) -> Interval | None:
    """A share with its 95 % Wilson score interval."""
    if not n:
        return None
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(count, n, alpha=1 - CONFIDENCE, method="wilson")
    return Interval(count / n, float(low), float(high))


def rate_ratio(count1: int, exposure1: int, count2: int, exposure2: int) -> Interval | None:
    """Rate 1 / rate 2 with a 95 % score interval (two independent Poisson rates); None when a
    rate is zero (no ratio) or an exposure is missing."""
    if not (count1 and count2 and exposure1 and exposure2):
        return None
    from statsmodels.stats.rates import confint_poisson_2indep

    low, high = confint_poisson_2indep(count1, exposure1, count2, exposure2, method="score", compare="ratio", alpha=1 - CONFIDENCE)
    return Interval((count1 / exposure1) / (count2 / exposure2), float(low), float(high))


class Verdict(StrEnum):
    BETTER = "better"  # the whole interval on the better side
    WORSE = "worse"  # the whole interval on the worse side
    UNCLEAR = "unclear"  # the interval holds no difference: the data fit "no difference" as well
    NOT_ESTIMATED = "not_estimated"


@dataclass(frozen=True)
class FamilyRow:
    """One family in the model: its team, whether the team is systemic, its mean first and mean
    latest ORS total over its raters in the period."""

    team: int
    systemic: bool
    baseline: float
    latest: float


@dataclass(frozen=True)
class ModelResult:
    verdict: Verdict
    effect: float | None = None  # adjusted difference, systemic minus comparison, ORS points
    low: float | None = None
    high: float | None = None
    p_value: float | None = None
    baseline_slope: float | None = None
    team_sd: float | None = None  # between-team standard deviation of the intercept
    residual_sd: float | None = None
    families: tuple[int, int] = (0, 0)  # (systemic, comparison)
    teams: tuple[int, int] = (0, 0)
    reason: str = ""  # why not estimated: "teams", "families", "failed"
    boundary: bool = False  # the team variance was estimated at zero

    @property
    def size(self) -> float | None:
        """The difference without its sign, for sentences that say "better" or "worse" in words."""
        return None if self.effect is None else abs(self.effect)


def fit_team_model(rows: Sequence[FamilyRow]) -> ModelResult:
    """The adjusted difference between systemic and comparison teams (see the module docstring)."""
    systemic = [r for r in rows if r.systemic]
    comparison = [r for r in rows if not r.systemic]
    families = (len(systemic), len(comparison))
    teams = (len({r.team for r in systemic}), len({r.team for r in comparison}))
    if min(teams) < MIN_TEAMS_PER_KIND:
        return ModelResult(Verdict.NOT_ESTIMATED, families=families, teams=teams, reason="teams")
    if min(families) < MIN_FAMILIES_PER_KIND:
        return ModelResult(Verdict.NOT_ESTIMATED, families=families, teams=teams, reason="families")

    import numpy as np
    from statsmodels.regression.mixed_linear_model import MixedLM
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    rows = sorted(rows, key=lambda r: r.team)
    baseline = np.array([r.baseline for r in rows], dtype=float)
    exog = np.column_stack([np.ones(len(rows)), baseline - baseline.mean(), np.array([r.systemic for r in rows], dtype=float)])
    endog = np.array([r.latest for r in rows], dtype=float)
    groups = np.array([r.team for r in rows])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = MixedLM(endog, exog, groups=groups)
            # Powell's method: statsmodels' default (BFGS) stalled on a flat likelihood in one
            # synthetic data set in three here, and took ten times longer doing it.
            fit = model.fit(reml=True, method=["powell"])
            if not fit.converged:
                fit = model.fit(reml=True, method=["nm", "bfgs"], maxiter=1000)
        except (np.linalg.LinAlgError, ValueError):
            return ModelResult(Verdict.NOT_ESTIMATED, families=families, teams=teams, reason="failed")
    low, high = (float(v) for v in fit.conf_int(alpha=1 - CONFIDENCE)[2])
    effect = float(fit.fe_params[2])
    if not (fit.converged and all(math.isfinite(v) for v in (effect, low, high))):
        return ModelResult(Verdict.NOT_ESTIMATED, families=families, teams=teams, reason="failed")
    team_variance = float(np.asarray(fit.cov_re).ravel()[0])
    boundary = team_variance <= 1e-8 or any(issubclass(w.category, ConvergenceWarning) for w in caught)
    verdict = Verdict.BETTER if low > 0 else Verdict.WORSE if high < 0 else Verdict.UNCLEAR
    return ModelResult(
        verdict,
        effect=effect,
        low=low,
        high=high,
        p_value=float(fit.pvalues[2]),
        baseline_slope=float(fit.fe_params[1]),
        team_sd=math.sqrt(max(team_variance, 0.0)),
        residual_sd=math.sqrt(float(fit.scale)),
        families=families,
        teams=teams,
        boundary=boundary,
    )
