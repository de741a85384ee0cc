#!/usr/bin/env python3
"""Reference for scripts/bench/stats: the same aggregates as `pipsight stats ID --by all` in pandas.

Reads the trades and deals that Pipsight stored (CSV exported from PostgreSQL before timing, so loading is not
timed), computes per-side totals, consecutive runs, the balance drawdown over every closing deal, the daily
Sharpe/Sortino, exposure, the balance reconciliation and the seven breakdowns, and times that against the
Pipsight command (wall clock of the whole process), best of REPEATS runs each. Checks that the figures agree
and prints the ratio. Money is float64 here (pandas has no fast decimal); Pipsight sums exact numerics.
"""
import argparse
import json
import math
import shlex
import subprocess
import sys
import time

import numpy as np
import pandas as pd

HOLDING_BOUNDS = [60, 300, 900, 3600, 14400, 86400, 604800]
HOLDING_KEYS = ["0-1m", "1m-5m", "5m-15m", "15m-1h", "1h-4h", "4h-1d", "1d-1w", "1w+"]


def load(trades_csv, deals_csv):
    trades = pd.read_csv(trades_csv)
    for column in ("open_time", "close_time"):
        trades[column] = pd.to_datetime(trades[column], utc=True, format="ISO8601")
    deals = pd.read_csv(deals_csv)
    deals["close_time"] = pd.to_datetime(deals["close_time"], utc=True, format="ISO8601")
    for frame in (trades, deals):
        frame["net_profit"] = frame["net_profit"].fillna(0.0)
    return trades, deals


def max_run(signs, wanted):
    change = (signs != signs.shift()).cumsum()
    lengths = signs[signs == wanted].groupby(change[signs == wanted]).size()
    return int(lengths.max()) if len(lengths) else 0


def sides(t):
    out = {}
    for name, part in (("all", t), ("long", t[t.direction == "buy"]), ("short", t[t.direction == "sell"])):
        n = part.net_profit
        signs = np.sign(n)
        out[name] = {
            "tradeCount": int(len(part)), "winningTrades": int((n > 0).sum()), "losingTrades": int((n < 0).sum()),
            "netProfit": float(n.sum()), "grossProfit": float(n[n > 0].sum()), "grossLoss": float(n[n < 0].sum()),
            "commissions": float(part.commissions.sum()), "swaps": float(part.swaps.sum()),
            "largestWin": float(n[n > 0].max()) if (n > 0).any() else 0.0,
            "largestLoss": float(n[n < 0].min()) if (n < 0).any() else 0.0,
            "averageHoldingSeconds": float((part.close_time - part.open_time).dt.total_seconds().mean()),
            "maxConsecutiveWins": max_run(signs, 1), "maxConsecutiveLosses": max_run(signs, -1),
        }
    return out


def compute(trades, deals, start):
    t = trades.sort_values(["close_time", "seq"], kind="stable")
    result = {"sides": sides(t)}
    # Balance over every closing deal.
    single = t[t.deal_count <= 1][["close_time", "seq", "net_profit"]].assign(d=0)
    parts = deals.rename(columns={"trade_seq": "seq", "seq": "d"})[["close_time", "seq", "d", "net_profit"]]
    changes = pd.concat([single, parts]).sort_values(["close_time", "seq", "d"], kind="stable")
    balance = start + changes.net_profit.cumsum()
    peak = np.maximum(balance.cummax(), start)
    fall = peak - balance
    result["maxBalanceDrawdown"] = float(fall.max()) if len(fall) else 0.0
    # Daily returns (UTC days, empty days included), Sharpe and Sortino ×√365.
    days = t.groupby(t.close_time.dt.floor("D")).net_profit.sum()
    days = days.reindex(pd.date_range(days.index.min(), days.index.max(), freq="D"), fill_value=0.0)
    closing = start + days.cumsum()
    returns = days / (closing - days)
    result["sharpeRatio"] = float(returns.mean() / returns.std(ddof=1) * math.sqrt(365))
    result["sortinoRatio"] = float(returns.mean() / math.sqrt((np.minimum(returns, 0) ** 2).mean()) * math.sqrt(365))
    # Exposure: union of open intervals.
    o = t.sort_values(["open_time", "seq"], kind="stable")
    previous_end = o.close_time.cummax().shift()
    island = (previous_end.isna() | (o.open_time > previous_end)).cumsum()
    spans = o.groupby(island).agg(s=("open_time", "min"), e=("close_time", "max"))
    result["exposureSeconds"] = float((spans.e - spans.s).dt.total_seconds().sum())
    # Reconciliation: exported balance against the running balance.
    running = start + t.net_profit.cumsum()
    result["balanceDifferences"] = int(((t.balance - running).abs() > 0.005).sum())
    # Breakdowns (UTC).
    keys = {
        "weekday": t.open_time.dt.day_of_week + 1,
        "hour": t.open_time.dt.hour,
        "month": t.close_time.dt.strftime("%Y-%m"),
        "symbol": t.symbol.fillna("(none)"),
        "direction": t.direction,
        "holdingTime": pd.cut((t.close_time - t.open_time).dt.total_seconds(), [-np.inf] + HOLDING_BOUNDS + [np.inf],
                              right=False, labels=HOLDING_KEYS),
        "exitReason": t.close_reason,
    }
    n = t.net_profit
    frame = pd.DataFrame({"n": n, "win": n > 0, "loss": n < 0, "gp": n.where(n > 0, 0.0), "gl": n.where(n < 0, 0.0)})
    result["breakdowns"] = {}
    for name, key in keys.items():
        grouped = frame.groupby(key, observed=True).agg(
            tradeCount=("n", "size"), winningTrades=("win", "sum"), losingTrades=("loss", "sum"),
            netProfit=("n", "sum"), grossProfit=("gp", "sum"), grossLoss=("gl", "sum"))
        result["breakdowns"][name] = grouped
    return result


def best_of(repeats, body):
    best, first, value = math.inf, None, None
    for _ in range(repeats):
        started = time.perf_counter()
        value = body()
        elapsed = time.perf_counter() - started
        first = elapsed if first is None else first
        best = min(best, elapsed)
    return best, first, value


def check(report, ref):
    stats = report["statistics"]
    problems = []
    for side in ("all", "long", "short"):
        for key, value in ref["sides"][side].items():
            mine = stats[side][key]
            tolerance = 1e-6 * max(1, abs(value)) if "Seconds" in key else 0.01
            if mine is None or abs(mine - value) > tolerance:
                problems.append(f"{side}.{key}: pipsight {mine} pandas {value}")
    for key in ("maxBalanceDrawdown", "exposureSeconds"):
        if abs(stats[key] - ref[key]) > 0.01:
            problems.append(f"{key}: pipsight {stats[key]} pandas {ref[key]}")
    for key in ("sharpeRatio", "sortinoRatio"):
        if abs(stats[key] - ref[key]) > 1e-6 * max(1, abs(ref[key])):
            problems.append(f"{key}: pipsight {stats[key]} pandas {ref[key]}")
    if len(report["reconciliation"]["differences"]) != min(ref["balanceDifferences"], 100):
        problems.append("balance reconciliation differs")
    for name, grouped in ref["breakdowns"].items():
        rows = {str(row["key"]): row for row in report["breakdowns"][name]}
        for key, values in grouped.iterrows():
            label = f"{int(key):02d}" if name == "hour" else str(key)
            row = rows.get(label)
            if row is None or row["tradeCount"] != values.tradeCount or abs(row["netProfit"] - values.netProfit) > 0.01:
                problems.append(f"breakdown {name}/{label} differs")
        if len(rows) != len(grouped):
            problems.append(f"breakdown {name}: {len(rows)} groups against {len(grouped)}")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trades", required=True)
    parser.add_argument("--deals", required=True)
    parser.add_argument("--starting-balance", type=float, required=True)
    parser.add_argument("--pipsight", required=True, action="append",
                        help="LABEL=the pipsight stats command line (prints JSON); repeat for several engines")
    parser.add_argument("--before", action="append", default=[],
                        help="a shell command run (untimed) before the engine of the same position; '' for none")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    trades, deals = load(args.trades, args.deals)
    engines = []
    for position, spec in enumerate(args.pipsight):
        label, _, line = spec.partition("=")
        if position < len(args.before) and args.before[position]:
            subprocess.run(args.before[position], shell=True, check=True)
        command = shlex.split(line)
        seconds, first, output = best_of(
            args.repeats, lambda: subprocess.run(command, check=True, capture_output=True).stdout)
        engines.append((label, seconds, first, json.loads(output)))
    ref_seconds, _, ref = best_of(args.repeats, lambda: compute(trades, deals, args.starting_balance))

    problems = []
    for label, _, _, report in engines:
        problems += [f"{label}: {problem}" for problem in check(report, ref)]

    trades_count = engines[0][3]["statistics"]["all"]["tradeCount"]
    print(f"{'engine':<44} {'trades':>9} {'best s':>8} {'first s':>8} {'/pandas':>8}")
    for label, seconds, first, _ in engines:
        print(f"{'pipsight stats --by all (' + label + ')':<44} {trades_count:>9} {seconds:>8.3f} {first:>8.3f} "
              f"{seconds / ref_seconds:>7.2f}x")
    print(f"{'pandas, same aggregates':<44} {len(trades):>9} {ref_seconds:>8.3f}")
    best = engines[0][1]
    print(f"ratio pipsight ({engines[0][0]})/pandas: {best / ref_seconds:.2f}x   target pipsight < 1 s: "
          f"{'met' if best < 1 else 'NOT met'}")
    if problems:
        print("figures differ:\n  " + "\n  ".join(problems[:20]))
        sys.exit(1)
    print("figures agree (totals, runs, drawdown, Sharpe/Sortino, exposure, reconciliation, 7 breakdowns)")


if __name__ == "__main__":
    main()
