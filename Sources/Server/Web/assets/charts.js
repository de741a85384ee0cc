// Pipsight's own small SVG charts: the equity curve with drawdown shading, the weekday × hour heat map and
// per-month bars. No library; colours come from the page's CSS (classes), so both themes work.
"use strict";
(function () {
  const NS = "http://www.w3.org/2000/svg";
  const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (parent) parent.appendChild(node);
    return node;
  }

  function svg(width, height, label) {
    const root = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label });
    el("title", {}, root).textContent = label;
    return root;
  }

  function fmt(value) {
    return Number(value).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  /// Round tick values covering [min, max].
  function ticks(min, max, count) {
    if (!(max > min)) return [min];
    const raw = (max - min) / count;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) || raw;
    const out = [];
    for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
    return out;
  }

  function text(parent, x, y, content, anchor) {
    const node = el("text", { x, y, "text-anchor": anchor || "start" }, parent);
    node.textContent = content;
    return node;
  }

  /// Balance after each trade over time; the gap between the running peak and the balance is shaded.
  function equity(container, curve) {
    container.replaceChildren();
    let points = (curve.points || []).map((p) => ({ t: Date.parse(p.time), b: Number(p.balance), d: Number(p.drawdown) }));
    if (points.length === 0) {
      container.textContent = "No closed trades: there is no equity curve.";
      return;
    }
    if (curve.startingBalance != null) {
      points.unshift({ t: points[0].t, b: Number(curve.startingBalance), d: 0 });
    }
    if (points.length > 2000) {
      const step = Math.ceil(points.length / 2000);
      points = points.filter((_, i) => i % step === 0 || i === points.length - 1);
    }
    const W = 900, H = 220, L = 64, R = 12, T = 10, B = 26;
    const peaks = points.map((p) => p.b + Math.max(0, p.d));
    const minY = Math.min(...points.map((p) => p.b)), maxY = Math.max(...peaks);
    const t0 = points[0].t, t1 = points[points.length - 1].t;
    const x = (t) => L + (t1 > t0 ? ((t - t0) / (t1 - t0)) * (W - L - R) : (W - L - R) / 2);
    const y = (v) => T + (maxY > minY ? (1 - (v - minY) / (maxY - minY)) * (H - T - B) : (H - T - B) / 2);
    const maxDD = Math.max(...points.map((p) => p.d));
    const root = svg(W, H, `Equity curve: balance from ${fmt(points[0].b)} to ${fmt(points[points.length - 1].b)}, deepest drawdown ${fmt(maxDD)}`);
    for (const v of ticks(minY, maxY, 5)) {
      el("line", { class: "axis", x1: L, x2: W - R, y1: y(v), y2: y(v) }, root);
      text(root, L - 6, y(v) + 4, fmt(v).replace(/\.00$/, ""), "end");
    }
    const first = new Date(t0), last = new Date(t1);
    text(root, L, H - 8, first.toISOString().slice(0, 10));
    text(root, W - R, H - 8, last.toISOString().slice(0, 10), "end");
    const forward = points.map((p, i) => `${x(p.t).toFixed(1)},${y(peaks[i]).toFixed(1)}`);
    const back = points.map((p) => `${x(p.t).toFixed(1)},${y(p.b).toFixed(1)}`).reverse();
    el("polygon", { class: "shade", points: forward.concat(back).join(" ") }, root);
    el("polyline", { class: "line", points: back.slice().reverse().join(" ") }, root);
    container.appendChild(root);
  }

  /// 7 weekdays × 24 hours; colour by sign, strength by size of the net profit.
  function heatmap(container, data) {
    container.replaceChildren();
    const cells = data.cells || [];
    const W = 560, L = 34, T = 16, cw = (W - L - 4) / 24, ch = 28, H = T + ch * 7 + 4;
    const max = Math.max(1e-9, ...cells.map((c) => Math.abs(Number(c.netProfit))));
    const byKey = new Map(cells.map((c) => [`${c.weekday}-${c.hour}`, c]));
    let best = null, worst = null;
    for (const c of cells) {
      if (!best || Number(c.netProfit) > Number(best.netProfit)) best = c;
      if (!worst || Number(c.netProfit) < Number(worst.netProfit)) worst = c;
    }
    const name = (c) => `${WEEKDAYS[c.weekday - 1]} ${String(c.hour).padStart(2, "0")}:00 (${fmt(c.netProfit)})`;
    const label = cells.length === 0 ? "Heat map: no trades"
      : `Heat map of net profit by weekday and hour (${data.timeZone}): best ${name(best)}, worst ${name(worst)}`;
    const root = svg(W, H, label);
    for (let h = 0; h < 24; h += 3) text(root, L + h * cw + 1, 11, String(h).padStart(2, "0"));
    for (let d = 1; d <= 7; d++) {
      text(root, 0, T + (d - 1) * ch + ch / 2 + 4, WEEKDAYS[d - 1]);
      for (let h = 0; h < 24; h++) {
        const c = byKey.get(`${d}-${h}`);
        const attrs = { x: L + h * cw + 1, y: T + (d - 1) * ch + 1, width: cw - 2, height: ch - 2, rx: 3 };
        if (!c) {
          attrs.class = "cell-empty";
        } else {
          const net = Number(c.netProfit);
          attrs.class = net >= 0 ? "cell-pos" : "cell-neg";
          attrs["fill-opacity"] = (0.25 + 0.75 * Math.abs(net) / max).toFixed(3);
          attrs["data-weekday"] = d;
          attrs["data-hour"] = h;
        }
        const rect = el("rect", attrs, root);
        if (c) el("title", {}, rect).textContent = `${WEEKDAYS[d - 1]} ${String(h).padStart(2, "0")}:00–${String(h).padStart(2, "0")}:59: ${c.tradeCount} trades, net ${fmt(c.netProfit)}`;
      }
    }
    container.appendChild(root);
  }

  /// One bar per month of the close, up for profit, down for loss.
  function monthly(container, rows) {
    container.replaceChildren();
    if (!rows || rows.length === 0) {
      container.textContent = "No closed trades.";
      return;
    }
    const W = 560, H = 220, L = 60, R = 8, T = 10, B = 26;
    const values = rows.map((r) => Number(r.netProfit));
    const minY = Math.min(0, ...values), maxY = Math.max(0, ...values);
    const y = (v) => T + (maxY > minY ? (1 - (v - minY) / (maxY - minY)) * (H - T - B) : (H - T - B) / 2);
    const bw = (W - L - R) / rows.length;
    const root = svg(W, H, `Net profit by month: ${rows.map((r) => `${r.label} ${fmt(r.netProfit)}`).join("; ")}`);
    for (const v of ticks(minY, maxY, 5)) {
      el("line", { class: "axis", x1: L, x2: W - R, y1: y(v), y2: y(v) }, root);
      text(root, L - 6, y(v) + 4, fmt(v).replace(/\.00$/, ""), "end");
    }
    const every = Math.ceil(rows.length / 9);
    rows.forEach((r, i) => {
      const v = values[i];
      const top = y(Math.max(0, v)), bottom = y(Math.min(0, v));
      const bar = el("rect", {
        class: v >= 0 ? "bar-pos" : "bar-neg", x: L + i * bw + bw * 0.15, width: bw * 0.7,
        y: top, height: Math.max(1, bottom - top), "data-month": r.key,
      }, root);
      el("title", {}, bar).textContent = `${r.label}: ${r.tradeCount} trades, net ${fmt(v)}`;
      if (i % every === 0) {
        const [year, month] = r.key.split("-");
        text(root, L + i * bw + bw / 2, H - 10, `${MONTHS[Number(month) - 1] || month} ${year.slice(2)}`, "middle");
      }
    });
    el("line", { class: "axis", x1: L, x2: W - R, y1: y(0), y2: y(0) }, root);
    container.appendChild(root);
  }

  window.PipsightCharts = { equity, heatmap, monthly };
})();
