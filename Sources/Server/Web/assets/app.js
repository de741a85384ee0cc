// Pipsight web page: upload, see, ask, download. Talks only to this server's /v1 API; sends
// `Authorization: Bearer <key>` when a key was saved under Settings (kept in localStorage).
"use strict";
(function () {
  const KEY_STORAGE = "pipsight.apiKey";
  const $ = (id) => document.getElementById(id);
  const state = { backtests: [], current: null, cbot: null };

  // ---- API ---------------------------------------------------------------------------------------------------
  function apiKey() {
    try { return localStorage.getItem(KEY_STORAGE) || ""; } catch (_) { return ""; }
  }

  function authHeaders(extra) {
    const headers = Object.assign({}, extra || {});
    const key = apiKey();
    if (key) headers["Authorization"] = `Bearer ${key}`;
    return headers;
  }

  /// `file: line 12: [3].time: field` from an error's location.
  function where(location, knownFile) {
    if (!location) return "";
    const parts = [];
    if (location.file && location.file !== knownFile) parts.push(location.file);
    if (location.line != null) parts.push(`line ${location.line}`);
    if (location.path) parts.push(location.path);
    if (location.field) parts.push(location.field);
    return parts.join(": ");
  }

  function errorText(error, status, knownFile) {
    if (status === 401 || (error && error.code === "unauthorized")) {
      return "The server asks for an API key: enter it under Settings.";
    }
    if (!error) return `The server answered ${status}.`;
    const place = where(error.location, knownFile);
    return `${place ? place + ": " : ""}${error.message}${error.code ? ` [${error.code}]` : ""}`;
  }

  async function failure(response) {
    let body = null;
    try { body = await response.json(); } catch (_) { /* not JSON */ }
    const error = new Error(errorText(body && body.error, response.status));
    error.status = response.status;
    return error;
  }

  async function api(path, options) {
    const opts = Object.assign({}, options || {});
    opts.headers = authHeaders(Object.assign({ Accept: "application/json" }, opts.headers || {}));
    const response = await fetch(path, opts);
    if (!response.ok) throw await failure(response);
    return response.json();
  }

  function postJSON(path, body) {
    return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  }

  // ---- helpers -----------------------------------------------------------------------------------------------
  function say(message) { $("status").textContent = message || ""; }

  function node(tag, attrs, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value == null || value === false) continue;
      if (key === "class") element.className = value;
      else if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
      else element.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child == null) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  function money(value) {
    if (value == null) return "–";
    return Number(value).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  function percent(value, digits) {
    return value == null ? "–" : `${(value * 100).toFixed(digits == null ? 1 : digits)} %`;
  }
  function ratio(value) { return value == null ? "–" : Number(value).toFixed(2); }
  function signClass(value) { return value == null ? null : Number(value) >= 0 ? "pos" : "neg"; }

  function download(name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type: type || "text/plain" }));
    const link = node("a", { href: url, download: name });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // ---- settings ----------------------------------------------------------------------------------------------
  function setUpSettings() {
    $("api-key").value = apiKey();
    $("settings-form").addEventListener("submit", (event) => {
      event.preventDefault();
      try { localStorage.setItem(KEY_STORAGE, $("api-key").value.trim()); } catch (_) { /* private mode */ }
      say("API key saved in this browser.");
      loadBacktests();
    });
    $("clear-key").addEventListener("click", () => {
      try { localStorage.removeItem(KEY_STORAGE); } catch (_) { /* private mode */ }
      $("api-key").value = "";
      say("API key forgotten.");
    });
  }

  // ---- upload ------------------------------------------------------------------------------------------------
  function setUpUpload() {
    const zone = $("drop-zone"), input = $("file-input");
    input.addEventListener("change", () => {
      if (input.files.length) upload(Array.from(input.files));
      input.value = "";
    });
    zone.addEventListener("keydown", (event) => {
      if (event.target === zone && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); input.click(); }
    });
    for (const name of ["dragenter", "dragover"]) {
      zone.addEventListener(name, (event) => { event.preventDefault(); zone.classList.add("dragging"); });
    }
    for (const name of ["dragleave", "drop"]) {
      zone.addEventListener(name, () => zone.classList.remove("dragging"));
    }
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      const files = Array.from((event.dataTransfer && event.dataTransfer.files) || []);
      if (files.length) upload(files);
    });
  }

  /// Multipart upload with progress (XMLHttpRequest: fetch reports no upload progress).
  function upload(files) {
    const progress = $("upload-progress"), results = $("upload-results");
    const form = new FormData();
    for (const file of files) form.append("file", file, file.name);
    progress.hidden = false;
    progress.value = 0;
    results.replaceChildren(node("li", {}, `Uploading ${files.map((f) => f.name).join(", ")}…`));
    const request = new XMLHttpRequest();
    request.open("POST", "/v1/backtests");
    for (const [name, value] of Object.entries(authHeaders({ Accept: "application/json" }))) request.setRequestHeader(name, value);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
    });
    request.addEventListener("load", () => {
      progress.value = 100;
      let body = null;
      try { body = JSON.parse(request.responseText); } catch (_) { /* not JSON */ }
      results.replaceChildren();
      if (body && Array.isArray(body.files)) {
        for (const file of body.files) results.append(uploadResult(file));
        for (const status of body.indexing || []) followIndexing(status);
        const stored = body.files.find((f) => f.id && f.status !== "failed");
        loadBacktests(stored ? stored.id : null);
      } else {
        results.append(node("li", { class: "failed" }, node("strong", {}, files.length === 1 ? files[0].name : "Upload"),
          " failed: ", errorText(body && body.error, request.status, files.length === 1 ? files[0].name : null)));
      }
      setTimeout(() => { progress.hidden = true; }, 800);
    });
    request.addEventListener("error", () => {
      results.replaceChildren(node("li", { class: "failed" }, "The upload did not reach the server."));
      progress.hidden = true;
    });
    request.send(form);
  }

  /// Shows where the background indexing of an uploaded backtest stands (questions use its documents once
  /// indexed), polling until it is final.
  async function followIndexing(status) {
    const item = document.querySelector(`#upload-results li[data-id="${status.backtestId.toLowerCase()}"]`);
    if (!item) return;
    const label = item.querySelector(".indexing") || item.appendChild(node("span", { class: "indexing hint" }));
    for (let attempt = 0; attempt < 600; attempt++) {
      item.dataset.indexing = status.state;
      label.textContent = {
        pending: " · queued for indexing",
        indexing: " · indexing for questions…",
        indexed: ` · indexed for questions (${status.documents} documents)`,
        failed: ` · indexing failed: ${status.error || "see the server log"}`,
        untracked: "",
      }[status.state] || "";
      if (status.state !== "pending" && status.state !== "indexing") return;
      await new Promise((resolve) => setTimeout(resolve, 500));
      try {
        status = await api(`/v1/backtests/${status.backtestId}/indexing`);
      } catch (error) {
        label.textContent = "";
        return;
      }
    }
  }

  function uploadResult(file) {
    if (file.status === "failed") {
      return node("li", { class: "failed", "data-status": "failed" }, node("strong", {}, file.file), " failed: ",
        errorText(file.error, 422, file.file));
    }
    const what = file.status === "ingested"
      ? `stored as ${file.format}: ${file.trades} trades, ${file.events} events, ${file.parameters} parameters, ${file.passes} passes`
      : "already stored";
    return node("li", { "data-status": file.status, "data-id": file.id.toLowerCase() }, node("strong", {}, file.file), ` ${what} `,
      node("a", { href: `#backtest/${file.id}`, onclick: (event) => { event.preventDefault(); select(file.id); } }, "show"));
  }

  // ---- backtests ---------------------------------------------------------------------------------------------
  async function loadBacktests(preferred) {
    let list;
    try {
      list = (await api("/v1/backtests")).backtests;
    } catch (error) {
      say(error.message);
      return;
    }
    state.backtests = list;
    const picker = $("backtest-select");
    picker.replaceChildren(...list.map((b) => node("option", { value: b.id },
      `${b.sourceName}${b.symbol ? " · " + b.symbol : ""} · ${b.tradeCount} trades · ${b.id.slice(0, 8)}`)));
    $("empty-hint").hidden = list.length > 0;
    const fromHash = (location.hash.match(/^#backtest\/([0-9a-fA-F-]{36})$/) || [])[1];
    const wanted = [preferred, fromHash, state.current].map((id) => id && id.toLowerCase())
      .find((id) => id && list.some((b) => b.id.toLowerCase() === id));
    const withTrades = list.filter((b) => b.tradeCount > 0);
    const chosen = wanted || (withTrades.length ? withTrades[withTrades.length - 1].id : list.length ? list[0].id : null);
    if (chosen) await select(chosen);
  }

  async function select(id) {
    const match = state.backtests.find((b) => b.id.toLowerCase() === id.toLowerCase());
    if (!match) return;
    state.current = match.id;
    $("backtest-select").value = match.id;
    await showBacktest(match.id);
  }

  async function showBacktest(id) {
    const zone = encodeURIComponent($("time-zone").value.trim() || "UTC");
    document.body.setAttribute("data-loading", "backtest");
    try {
      const [stats, curve, heat] = await Promise.all([
        api(`/v1/backtests/${id}/stats?by=month&timeZone=${zone}`),
        api(`/v1/backtests/${id}/equity`),
        api(`/v1/backtests/${id}/heatmap?timeZone=${zone}`),
      ]);
      if (state.current !== id) return;
      say("");
      showMetrics(stats.statistics);
      $("metrics").dataset.backtest = id;
      window.PipsightCharts.equity($("equity-chart"), curve);
      window.PipsightCharts.heatmap($("heatmap"), heat);
      window.PipsightCharts.monthly($("monthly"), stats.breakdowns.month || []);
      if (state.cbotFor !== id) {
        state.cbot = null;
        $("cbot-rules-box").hidden = true;
        $("cbot-report").replaceChildren();
      }
    } catch (error) {
      say(error.message);
    } finally {
      document.body.removeAttribute("data-loading");
    }
  }

  function showMetrics(s) {
    const all = s.all;
    const pf = all.profitFactorInfinite ? "∞" : ratio(all.profitFactor);
    const items = [
      ["Net profit", money(all.netProfit), signClass(all.netProfit)],
      ["Trades", String(all.tradeCount)],
      ["Win rate", percent(all.winRate)],
      ["Profit factor", pf],
      ["Max balance drawdown", `${money(s.maxBalanceDrawdown)}${s.maxBalanceDrawdownPercent != null ? ` (${s.maxBalanceDrawdownPercent.toFixed(2)} %)` : ""}`],
      ["Average trade", money(all.averageTrade), signClass(all.averageTrade)],
      ["Sharpe (daily)", ratio(s.sharpeRatio)],
      ["Sortino (daily)", ratio(s.sortinoRatio)],
      ["Recovery factor", ratio(s.recoveryFactor)],
      ["Balance", `${money(s.startingBalance)} → ${money(s.endingBalance)}`],
    ];
    $("metrics").replaceChildren(...items.map(([name, value, cls]) =>
      node("div", { "data-metric": name }, node("dt", {}, name), node("dd", { class: cls }, value))));
  }

  function setUpBacktests() {
    $("backtest-select").addEventListener("change", (event) => select(event.target.value));
    $("pick-form").addEventListener("submit", (event) => {
      event.preventDefault();
      if ($("backtest-select").value) select($("backtest-select").value);
    });
  }

  // ---- ask ---------------------------------------------------------------------------------------------------
  function setUpAsk() {
    $("ask-form").addEventListener("submit", (event) => { event.preventDefault(); ask(); });
    $("question").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); ask(); }
    });
  }

  /// Reads Server-Sent Events from a fetch body (fetch, unlike EventSource, can send the API key).
  async function* events(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = "message", data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data += line.slice(5).trimStart();
        }
        yield { name, data };
      }
    }
  }

  async function ask() {
    const question = $("question").value.trim();
    if (!question) { $("question").focus(); return; }
    const body = { question };
    if ($("ask-scope").checked && state.current) body.backtestIds = [state.current];
    const answer = $("answer"), button = $("ask-button");
    answer.replaceChildren();
    answer.setAttribute("aria-busy", "true");
    $("answer-meta").textContent = "";
    $("citations").replaceChildren();
    button.disabled = true;
    let text = "";
    try {
      const response = await fetch("/v1/query", {
        method: "POST",
        headers: authHeaders({ "Content-Type": "application/json", Accept: "text/event-stream" }),
        body: JSON.stringify(body),
      });
      if (!response.ok) throw await failure(response);
      for await (const event of events(response)) {
        if (event.name === "token") {
          text += JSON.parse(event.data);
          answer.textContent = text;
        } else if (event.name === "done") {
          showAnswer(JSON.parse(event.data));
        } else if (event.name === "error") {
          throw new Error(errorText(JSON.parse(event.data), 500));
        }
      }
    } catch (error) {
      answer.append(node("p", { class: "neg" }, error.message));
    } finally {
      answer.setAttribute("aria-busy", "false");
      button.disabled = false;
    }
  }

  function showAnswer(response) {
    const answer = $("answer");
    answer.replaceChildren();
    if (response.notice) answer.append(node("p", { class: "hint" }, response.notice));
    // [F1] and [D2] in the text link to the citation they name.
    const parts = response.answer.split(/(\[[FD]\d+\])/);
    answer.append(...parts.map((part) => {
      const ref = part.match(/^\[([FD]\d+)\]$/);
      return ref ? node("a", { href: `#cite-${ref[1]}` }, part) : document.createTextNode(part);
    }));
    const t = response.timings || {};
    $("answer-meta").textContent = `mode: ${response.mode} · chat model: ${response.models.chat || "none"} · embedding: ${response.models.embedding} · ${Math.round(t.totalMs || 0)} ms`;
    showCitations(response.citations);
  }

  function tradeLinks(backtestId, ids) {
    if (!ids || ids.length === 0) return null;
    const shown = ids.slice(0, 12);
    const links = shown.map((id) => node("a", {
      href: `#trade/${backtestId}/${encodeURIComponent(id)}`, class: "trade-link",
      onclick: (event) => { event.preventDefault(); openTrade(backtestId, id); },
    }, `trade ${id}`));
    const out = [" — "];
    links.forEach((link, i) => { if (i) out.push(", "); out.push(link); });
    if (ids.length > shown.length) out.push(` and ${ids.length - shown.length} more`);
    return out;
  }

  function showCitations(citations) {
    const box = $("citations");
    box.replaceChildren();
    if (citations.facts.length) {
      box.append(node("h3", {}, "Figures computed from your trades"), node("ul", { id: "cited-facts" },
        citations.facts.map((fact) => node("li", { id: `cite-${fact.id}` }, node("span", { class: "tag" }, fact.id), " ",
          `${fact.label}: ${fact.value}${fact.detail ? ` (${fact.detail})` : ""}`, " ",
          node("span", { class: "hint" }, `from ${fact.source}`), tradeLinks(fact.backtestID, fact.tradeIDs)))));
    }
    if (citations.documents.length) {
      box.append(node("h3", {}, "Documents retrieved"), node("ul", { id: "cited-documents" },
        citations.documents.map((doc) => node("li", { id: `cite-${doc.ref}` }, node("span", { class: "tag" }, doc.ref), " ",
          node("a", {
            href: `#document/${encodeURIComponent(doc.id)}`, class: "document-link",
            onclick: (event) => { event.preventDefault(); openDocument(doc.id); },
          }, doc.title),
          doc.cited ? [" ", node("span", { class: "tag" }, "cited")] : null, tradeLinks(doc.backtestId, doc.tradeIds)))));
    }
    if (!citations.facts.length && !citations.documents.length) {
      box.append(node("p", { class: "hint" }, "Nothing was cited."));
    }
  }

  // ---- details dialog ----------------------------------------------------------------------------------------
  function openDialog(title, content) {
    $("detail-title").textContent = title;
    $("detail-body").replaceChildren(content);
    const dialog = $("detail");
    if (!dialog.open) dialog.showModal();
    $("detail-close").focus();
  }

  async function openDocument(id) {
    try {
      const doc = await api(`/v1/documents?id=${encodeURIComponent(id)}`);
      openDialog(doc.title, node("div", {}, node("p", { class: "hint" }, `${doc.kind} · backtest ${doc.backtestId.slice(0, 8)}`),
        node("pre", { class: "doc" }, doc.body), tradeLinks(doc.backtestId, doc.tradeIds)));
    } catch (error) {
      say(error.message);
    }
  }

  async function openTrade(backtestId, positionId) {
    try {
      const result = await api(`/v1/backtests/${backtestId}/trades?positionIds=${encodeURIComponent(positionId)}`);
      const trade = result.trades[0];
      if (!trade) { say(`Trade ${positionId} is not in backtest ${backtestId.slice(0, 8)}.`); return; }
      const rows = [
        ["Position", trade.positionId], ["Symbol", trade.symbol || "–"], ["Direction", trade.direction],
        ["Opened", trade.openTime], ["Closed", trade.closeTime], ["Entry price", trade.entryPrice],
        ["Close price", trade.closePrice], ["Volume", trade.volume], ["Net profit", money(trade.netProfit)],
        ["Pips", trade.pips], ["Balance after", money(trade.balance)], ["Closed by", trade.closeReason],
      ];
      openDialog(`Trade ${trade.positionId}`, node("table", {}, node("tbody", {},
        rows.map(([name, value]) => node("tr", {}, node("th", { scope: "row" }, name), node("td", {}, value == null ? "–" : value))))));
    } catch (error) {
      say(error.message);
    }
  }

  // ---- cBot --------------------------------------------------------------------------------------------------
  function rulesOf(spec) {
    const rules = [];
    (spec.blockedWeekdays || []).forEach((rule, i) => rules.push({
      title: `Open nothing on ${rule.weekday[0].toUpperCase()}${rule.weekday.slice(1)}`, evidence: rule.evidence,
      remove: (s) => { s.blockedWeekdays = s.blockedWeekdays.filter((r) => r.weekday !== rule.weekday); },
      key: `weekday-${i}`,
    }));
    (spec.blockedHours || []).forEach((rule, i) => rules.push({
      title: `Open nothing from ${String(rule.hour).padStart(2, "0")}:00 to ${String(rule.hour).padStart(2, "0")}:59 UTC`,
      evidence: rule.evidence, key: `hour-${i}`,
      remove: (s) => { s.blockedHours = s.blockedHours.filter((r) => r.hour !== rule.hour); },
    }));
    const single = [
      ["direction", (r) => `Trade ${r.allowed.replace("_", " ")}`],
      ["stopLoss", (r) => `Stop loss ${r.pips} pips (optimise ${r.minimum}–${r.maximum}, step ${r.step})`],
      ["takeProfit", (r) => `Take profit ${r.pips} pips (optimise ${r.minimum}–${r.maximum}, step ${r.step})`],
      ["maxHolding", (r) => `Close after ${r.hours} hours`],
      ["optimisation", (r) => `Parameters of the best optimisation pass (${r.parameters.length} parameters)`],
    ];
    for (const [field, title] of single) {
      const rule = spec[field];
      if (rule) rules.push({ title: title(rule), evidence: rule.evidence, key: field, remove: (s) => { s[field] = null; } });
    }
    return rules;
  }

  function showCBot(result, id) {
    state.cbot = result;
    state.cbotFor = id;
    const rules = rulesOf(result.spec);
    const list = $("cbot-rules");
    list.replaceChildren(...rules.map((rule, i) => node("li", { "data-rule": rule.key },
      node("input", { type: "checkbox", id: `rule-${i}`, checked: true, "data-index": i }),
      node("label", { for: `rule-${i}` }, rule.title),
      node("span", { class: "evidence" }, rule.evidence ? rule.evidence.summary : ""))));
    if (rules.length === 0) list.append(node("li", { class: "hint" }, "No rule was found that the trades support."));
    state.cbotRules = rules;
    $("cbot-rules-box").hidden = false;
    $("cbot-report").textContent = result.reportMarkdown;
  }

  async function generate(spec) {
    if (!state.current) { say("Choose a backtest first."); return; }
    const body = { template: $("cbot-template").value };
    const split = $("cbot-split").value;
    if (split) body.splitDate = split;
    if (spec) body.spec = spec;
    const buttons = [$("cbot-detect"), $("cbot-regenerate")];
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const id = state.current;
      showCBot(await postJSON(`/v1/backtests/${id}/cbot`, body), id);
      say("");
    } catch (error) {
      say(error.message);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  function setUpCBot() {
    $("cbot-form").addEventListener("submit", (event) => { event.preventDefault(); generate(null); });
    $("cbot-regenerate").addEventListener("click", () => {
      if (!state.cbot) return;
      const spec = JSON.parse(JSON.stringify(state.cbot.spec));
      spec.template = $("cbot-template").value;
      state.cbotRules.forEach((rule, i) => { if (!$(`rule-${i}`).checked) rule.remove(spec); });
      generate(spec);
    });
    const name = () => ((state.cbot && state.cbot.spec.name) || "PipsightBot").replace(/[^A-Za-z0-9_-]/g, "");
    $("cbot-download-cs").addEventListener("click", () => state.cbot && download(`${name()}.cs`, state.cbot.source, "text/x-csharp"));
    $("cbot-download-report").addEventListener("click", () => state.cbot && download(`${name()}-what-if.md`, state.cbot.reportMarkdown, "text/markdown"));
    $("cbot-download-spec").addEventListener("click", () => state.cbot && download(`${name()}-spec.json`, JSON.stringify(state.cbot.spec, null, 2), "application/json"));
  }

  // ---- start -------------------------------------------------------------------------------------------------
  function start() {
    setUpSettings();
    setUpUpload();
    setUpBacktests();
    setUpAsk();
    setUpCBot();
    $("detail-close").addEventListener("click", () => $("detail").close());
    loadBacktests().finally(() => document.body.setAttribute("data-ready", "true"));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
