#!/usr/bin/python3
"""Reference numbers for ShopSight's forecasting unit tests, produced with statsmodels.

Run with Debian's interpreter (python3-statsmodels 0.13.5, numpy 1.24, scipy 1.10):

    /usr/bin/python3 docs/reference/forecast_reference.py            # unit-test fixtures
    /usr/bin/python3 docs/reference/forecast_reference.py superstore # dataset quality bar

The first form writes src/lib/ml/forecast/forecast-reference.json (committed beside the tests):
the classic airline passenger series (Box & Jenkins 1976, typed in below), a seeded synthetic
series, and statsmodels' ETSModel / SARIMAX fits on them plus metric values. The second form
reads ../shared/datasets/superstore_daily_sales_train.csv (never committed: no licence) and
writes only derived metrics to src/lib/ml/forecast/superstore-reference.json.
"""
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd
import statsmodels
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.holtwinters import ExponentialSmoothing
from statsmodels.tsa.statespace.sarimax import SARIMAX
from statsmodels.tools import eval_measures

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "..", "..", "src", "lib", "ml", "forecast")

AIRLINE = [
    112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118,
    115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140,
    145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166,
    171, 180, 193, 181, 183, 218, 230, 242, 209, 191, 172, 194,
    196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201,
    204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229,
    242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278,
    284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306,
    315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336,
    340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337,
    360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405,
    417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432,
]
assert sum(AIRLINE) == 40363 and len(AIRLINE) == 144


def synthetic():
    """Seeded daily-like series: level + weekly pattern + AR(1) noise, 6 weeks x 8 = 336 points."""
    rng = np.random.default_rng(20240607)
    n = 336
    week = np.array([0.0, 4.0, 6.0, 5.0, 3.0, -8.0, -10.0])
    e = rng.normal(0, 2.0, n)
    ar = np.zeros(n)
    for t in range(1, n):
        ar[t] = 0.6 * ar[t - 1] + e[t]
    y = 100 + 0.02 * np.arange(n) + week[np.arange(n) % 7] + ar
    return np.round(y, 4)


def ets_case(y, h, **kw):
    # A pandas Series: get_prediction in 0.13.5 fails on a bare ndarray.
    model = ETSModel(pd.Series(np.asarray(y, dtype=float)), **kw)
    res = model.fit(disp=False, maxiter=10000)
    pred = res.get_prediction(start=len(y), end=len(y) + h - 1)
    frame = pred.summary_frame(alpha=0.2)
    out = {
        "spec": {k: v for k, v in kw.items()},
        "params": dict(zip(model.param_names, map(float, res.params))),
        "initialLevel": float(res.initial_level),
        "initialTrend": float(res.initial_trend) if kw.get("trend") else None,
        "initialSeasonal": np.asarray(res.initial_seasonal).tolist() if kw.get("seasonal") else None,
        "llf": float(res.llf),
        "aic": float(res.aic),
        "dfModel": int(res.df_model),
        "sse": float(np.sum(res.resid ** 2)),
        "fitted": np.asarray(res.fittedvalues).tolist(),
        "forecast": np.asarray(res.forecast(h)).tolist(),
    }
    # Analytic intervals exist only for the linear (all-additive) models; others are simulated.
    if kw.get("seasonal") != "mul":
        out["lower80"] = frame["pi_lower"].tolist()
        out["upper80"] = frame["pi_upper"].tolist()
    return out


def sarimax_case(y, h, order, seasonal_order=(0, 0, 0, 0), trend=None):
    y = np.asarray(y, dtype=float)
    out = {"order": list(order), "seasonalOrder": list(seasonal_order), "trend": trend}
    # simple_differencing=True: the exact Gaussian likelihood of the differenced series, which is
    # what ShopSight maximises; its llf/aic are comparable one-to-one.
    m1 = SARIMAX(y, order=order, seasonal_order=seasonal_order, trend=trend, simple_differencing=True)
    r1 = m1.fit(disp=False, maxiter=1000)
    out["params"] = dict(zip(m1.param_names, map(float, r1.params)))
    out["llf"] = float(r1.llf)
    out["aic"] = float(r1.aic)
    out["nobs"] = int(r1.nobs)
    # Level forecasts and 80% intervals from the default (diffuse-initialised) model with the same
    # parameters, so the numbers are in the units of y.
    m2 = SARIMAX(y, order=order, seasonal_order=seasonal_order, trend=trend)
    r2 = m2.smooth(r1.params)
    fc = r2.get_forecast(h)
    ci = fc.conf_int(alpha=0.2)
    out["forecast"] = fc.predicted_mean.tolist()
    out["lower80"] = ci[:, 0].tolist()
    out["upper80"] = ci[:, 1].tolist()
    out["llfFixedAtParams"] = float(m1.loglike(r1.params))
    return out


def metric_case():
    rng = np.random.default_rng(7)
    train = np.round(rng.normal(50, 10, 40), 3)
    actual = np.round(rng.normal(50, 10, 10), 3)
    pred = np.round(actual + rng.normal(0, 5, 10), 3)
    lower = pred - 6.0
    upper = pred + 6.0
    m = 7
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    q = 0.9
    diff = actual - pred
    return {
        "train": train.tolist(), "actual": actual.tolist(), "predicted": pred.tolist(),
        "lower": lower.tolist(), "upper": upper.tolist(), "seasonPeriod": m,
        "mae": float(eval_measures.meanabs(actual, pred)),
        "rmse": float(eval_measures.rmse(actual, pred)),
        # sMAPE in percent, Hyndman & Koehler (2006) / M4 definition.
        "smape": float(np.mean(200 * np.abs(diff) / (np.abs(actual) + np.abs(pred)))),
        "mase": float(np.mean(np.abs(diff)) / scale),
        "coverage": float(np.mean((actual >= lower) & (actual <= upper))),
        "pinball90": float(np.mean(np.maximum(q * diff, (q - 1) * diff))),
    }


def unit_fixtures():
    syn = synthetic()
    air = np.array(AIRLINE, dtype=float)
    ref = {
        "producedBy": f"docs/reference/forecast_reference.py with statsmodels {statsmodels.__version__}, "
        f"numpy {np.__version__}",
        "airline": AIRLINE,
        "synthetic": syn.tolist(),
        "ets": {
            "ann_synthetic": ets_case(syn, 14, error="add"),
            "aada_synthetic": ets_case(syn, 14, error="add", trend="add", damped_trend=True,
                                       seasonal="add", seasonal_periods=7),
            "aada_airline": ets_case(air, 12, error="add", trend="add", damped_trend=True,
                                     seasonal="add", seasonal_periods=12),
            "aam_airline": ets_case(air, 12, error="add", trend="add", seasonal="mul",
                                    seasonal_periods=12),
        },
        "arima": {
            "airline_log_011_011": sarimax_case(np.log(air), 12, (0, 1, 1), (0, 1, 1, 12)),
            "synthetic_ar2_const": sarimax_case(syn, 14, (2, 0, 0), trend="c"),
            "synthetic_101_101_7": sarimax_case(syn, 14, (1, 0, 1), (1, 0, 1, 7), trend="c"),
            "synthetic_110_011_7": sarimax_case(syn, 14, (1, 1, 0), (0, 1, 1, 7)),
        },
        "metrics": metric_case(),
    }
    path = os.path.join(OUT_DIR, "forecast-reference.json")
    with open(path, "w") as f:
        json.dump(ref, f, indent=1)
    print("wrote", path)


def mase(actual, pred, train, m):
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    return float(np.mean(np.abs(actual - pred)) / scale)


def superstore():
    datasets = os.environ.get("SHOPSIGHT_DATASETS", os.path.join(HERE, "..", "..", "..", "shared", "datasets"))
    df = pd.read_csv(os.path.join(datasets, "superstore_daily_sales_train.csv"), parse_dates=["date"])
    full = pd.date_range(df["date"].min(), df["date"].max(), freq="D")
    missing = len(full) - len(df)
    s = df.set_index("date")["sales"].reindex(full, fill_value=0.0).astype(float)
    y = s.values
    h, m = 90, 7
    train, test = y[:-h], y[-h:]
    out = {"producedBy": f"statsmodels {statsmodels.__version__}", "n": len(y), "missingDaysFilled": missing,
           "horizon": h, "seasonPeriod": m, "models": {}}
    snaive = np.array([train[len(train) - m + (i % m)] for i in range(h)])
    out["models"]["seasonal_naive"] = {"mase": mase(test, snaive, train, m),
                                       "mae": float(np.mean(np.abs(test - snaive)))}
    for name, kw in {
        "sm_hw_add_damped": dict(trend="add", damped_trend=True, seasonal="add", seasonal_periods=m),
        "sm_hw_add": dict(trend="add", seasonal="add", seasonal_periods=m),
        "sm_hw_seasonal_only": dict(seasonal="add", seasonal_periods=m),
    }.items():
        res = ExponentialSmoothing(train, initialization_method="estimated", **kw).fit()
        fc = res.forecast(h)
        out["models"][name] = {"mase": mase(test, fc, train, m), "mae": float(np.mean(np.abs(test - fc))),
                               "params": {k: (float(v) if v is not None and np.isfinite(float(v)) else None)
                                          for k, v in res.params.items() if np.isscalar(v)}}
    res = ETSModel(train, error="add", trend="add", damped_trend=True, seasonal="add", seasonal_periods=m).fit(
        disp=False, maxiter=10000)
    fc = res.forecast(h)
    out["models"]["sm_ets_aada"] = {"mase": mase(test, fc, train, m), "mae": float(np.mean(np.abs(test - fc))),
                                    "aic": float(res.aic)}
    path = os.path.join(OUT_DIR, "superstore-reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "superstore":
        superstore()
    else:
        unit_fixtures()
