/* mockvoso dashboard: plain DOM + fetch over the /_mockvoso control plane (no build step).
 * Every value from the server is put in the page as text (textContent), never as HTML. */
(function () {
  "use strict";

  var ROOT = document.body.getAttribute("data-root") || "";
  var CONTROL = ROOT + "/_mockvoso";
  var TOKEN_KEY = "mockvoso-admin-token";
  var ADMIN_HEADER = "X-Mockvoso-Admin-Token";
  var POLL_MS = 1000;
  var CHART_SECONDS = 300;
  var LATENCY_BUCKET = 10;
  var JOURNAL_POLL_LIMIT = 200;
  var TABLE_ROWS = 100;

  // Filter inputs of the data browser, per resource: the /v1 search action's own names.
  var FILTERS = {
    leads: ["lead_id", "list_id", "status", "phone_number", "email", "first_name", "last_name",
      "user_id", "created_at_start_date", "created_at_end_date"],
    lists: ["id", "campaign_id", "status"],
    campaigns: [],
    log: ["lead_id", "list_id", "campaign_id", "user_id", "status", "phone_number", "call_type",
      "start_time", "end_time", "order"],
    recordings: ["user", "start_time", "end_time"]
  };
  var COLUMNS = {
    leads: ["id", "list_id", "status", "first_name", "last_name", "phone_number", "email",
      "created_at"],
    lists: ["id", "name", "status", "campaign_id", "last_called_at"],
    campaigns: ["id", "name", "status"],
    log: ["id", "call_date", "lead_id", "list_id", "user", "status", "phone_number", "call_type",
      "call_length"],
    recordings: ["recording_id", "lead_id", "start_time", "end_time", "seconds", "url"]
  };

  var state = {
    offices: [],
    needToken: false,
    journal: new Map(), // id -> entry, every entry seen in the last CHART_SECONDS
    lastId: 0,
    selectedRequest: null,
    data: {offset: 0, total: 0, limit: 25},
    charts: null
  };

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "text") node.textContent = String(value);
        else if (key === "className") node.className = value;
        else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? "" : String(value));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function notice(text, isError) {
    var box = $("notice");
    box.textContent = text;
    box.className = "notice" + (isError ? " is-error" : " is-ok");
  }

  function maskToken(token) {
    return token.length > 4 ? token.slice(0, 4) + "****" : "****";
  }

  // --- the control plane -------------------------------------------------------------

  function ApiError(status, body) {
    this.status = status;
    this.body = body || {};
    this.message = (body && (body.error || body.text)) || ("HTTP " + status);
    this.field = body && body.field;
  }

  function adminToken() {
    try { return window.sessionStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
  }

  function api(method, path, body, raw) {
    var headers = {"Accept": "application/json"};
    var token = adminToken();
    if (token) headers[ADMIN_HEADER] = token;
    var init = {method: method, headers: headers, credentials: "same-origin"};
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = raw ? body : JSON.stringify(body);
    }
    if (state.needToken) return Promise.reject(new ApiError(401, {error: "admin token needed"}));
    return fetch(CONTROL + path, init).then(function (response) {
      return response.text().then(function (text) {
        var parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
        if (response.status === 401) askForToken(token ? "That token was refused." : "");
        if (!response.ok) throw new ApiError(response.status, parsed);
        return parsed;
      });
    });
  }

  function askForToken(message) {
    state.needToken = true;
    $("auth").hidden = false;
    $("auth-error").textContent = message || "";
    $("conn").textContent = "waiting for the admin token";
    $("auth-token").focus();
  }

  $("auth-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var value = $("auth-token").value.trim();
    if (!value) {
      $("auth-error").textContent = "Enter the admin token.";
      return;
    }
    try { window.sessionStorage.setItem(TOKEN_KEY, value); } catch (e) { /* private mode */ }
    state.needToken = false;
    $("auth").hidden = true;
    $("auth-token").value = "";
    loadAll();
  });

  function showError(target, error) {
    target.textContent = error instanceof ApiError ? error.message : String(error);
  }

  // --- views -------------------------------------------------------------------------

  var VIEWS = ["offices", "data", "journal", "faults", "clock"];

  function showView() {
    var wanted = (window.location.hash || "#offices").slice(1);
    if (VIEWS.indexOf(wanted) < 0) wanted = "offices";
    document.querySelectorAll("section.view").forEach(function (section) {
      section.hidden = section.getAttribute("data-view") !== wanted;
    });
    document.querySelectorAll("nav a[data-view]").forEach(function (link) {
      if (link.getAttribute("data-view") === wanted) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
    if (wanted === "journal") resizeCharts();
    if (wanted === "clock" && state.offices.length) loadClockView().catch(function () { /* polled again */ });
  }
  window.addEventListener("hashchange", function () {
    showView();
    // Keyboard and screen-reader users land on the view they chose, not back in the nav.
    var heading = document.querySelector("section.view:not([hidden]) h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });

  // --- offices -------------------------------------------------------------------------

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return Promise.resolve(fallbackCopy(text));
  }

  function fallbackCopy(text) {
    var area = el("textarea", {"aria-hidden": "true", className: "offscreen"});
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing else to try */ }
    document.body.removeChild(area);
  }

  function renderOffices() {
    var box = $("offices");
    clear(box);
    $("api-base").textContent = window.location.origin + ROOT + "/v1";
    state.offices.forEach(function (office) {
      var counts = el("dl", {className: "counts", "data-office": office.acronym});
      var tokens = el("tbody");
      office.tokens.forEach(function (spec) {
        tokens.appendChild(el("tr", null,
          el("td", null, el("button", {
            type: "button", className: "token", "data-token-mask": maskToken(spec.token),
            "aria-label": "Copy token " + maskToken(spec.token),
            onclick: function () {
              copyText(spec.token).then(function () {
                notice("Token " + maskToken(spec.token) + " copied to the clipboard.");
              });
            }
          }, maskToken(spec.token))),
          el("td", {text: spec.sections.join(", ")})));
      });
      var users = el("tbody");
      office.users.forEach(function (user) {
        users.appendChild(el("tr", null, el("td", {text: user.user_id}),
          el("td", {text: user.first_name + " " + user.last_name}), el("td", {text: user.email})));
      });
      box.appendChild(el("article", {className: "office", "data-office": office.acronym,
        "aria-labelledby": "office-" + office.acronym},
        el("h3", {id: "office-" + office.acronym}, office.acronym + " — " + office.name),
        counts,
        el("table", {className: "tokens"}, el("caption", {text: "Tokens"}),
          el("thead", null, el("tr", null, el("th", {scope: "col", text: "Token"}),
            el("th", {scope: "col", text: "Sections"}))), tokens),
        el("details", null, el("summary", {text: "Agents (" + office.users.length + ")"}),
          el("table", {className: "users"}, el("caption", {className: "sr-only", text: "Agents"}),
            el("thead", null, el("tr", null, el("th", {scope: "col", text: "User id"}),
              el("th", {scope: "col", text: "Name"}), el("th", {scope: "col", text: "E-mail"}))),
            users))));
      loadCounts(office.acronym, counts);
    });
  }

  function loadCounts(acronym, target) {
    return api("GET", "/offices/" + encodeURIComponent(acronym) + "/data").then(function (body) {
      clear(target);
      Object.keys(body.resources).forEach(function (name) {
        target.appendChild(el("div", null, el("dt", {text: name}),
          el("dd", {text: String(body.resources[name])})));
      });
    }).catch(function () { /* the 401 prompt says why */ });
  }

  function fillOfficeSelects() {
    ["data-office", "journal-office", "fault-office", "reset-office", "simulate-office",
      "webhook-office"].forEach(function (id) {
      var select = $(id);
      var keep = select.value;
      Array.prototype.slice.call(select.options).forEach(function (option) {
        if (option.value) select.removeChild(option);
      });
      state.offices.forEach(function (office) {
        select.appendChild(el("option", {value: office.acronym, text: office.acronym}));
      });
      if (keep) select.value = keep;
    });
  }

  function loadOffices() {
    return api("GET", "/offices").then(function (body) {
      state.offices = body.offices;
      renderOffices();
      fillOfficeSelects();
    });
  }

  // --- data browser --------------------------------------------------------------------

  function renderFilterFields() {
    var box = $("data-filters");
    clear(box);
    FILTERS[$("data-resource").value].forEach(function (name) {
      box.appendChild(el("div", {className: "field"},
        el("label", {"for": "data-filter-" + name, text: name}),
        el("input", {id: "data-filter-" + name, name: name, type: "text",
          "aria-describedby": "data-error-" + name}),
        el("p", {id: "data-error-" + name, className: "field-error"})));
    });
  }

  function clearFieldErrors(form) {
    form.querySelectorAll(".field-error, .form-error").forEach(function (p) { p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
    });
  }

  // The server's message next to the field it names, else under the form.
  // A nested field ("fields.phone") is shown next to its input ("fields").
  function fieldError(prefix, form, error) {
    var name = error.field && error.field.split(".")[0];
    var target = name && $(prefix + "-error-" + name);
    var input = name && form.querySelector("[name='" + CSS.escape(name) + "']");
    if (target) {
      target.textContent = error.message;
      if (input) input.setAttribute("aria-invalid", "true");
    } else {
      $(prefix + "-error").textContent = error.message;
    }
  }

  function searchData(offset) {
    var form = $("data-form");
    clearFieldErrors(form);
    var office = $("data-office").value;
    var resource = $("data-resource").value;
    if (!office) return Promise.resolve();
    var query = new URLSearchParams($("data-more").value.trim().replace(/^\?/, ""));
    FILTERS[resource].forEach(function (name) {
      var value = $("data-filter-" + name).value.trim();
      if (value) query.set(name, value);
    });
    var limit = $("data-limit").value.trim();
    if (limit) query.set("limit", limit);
    if (offset) query.set("offset", String(offset));
    var path = "/offices/" + encodeURIComponent(office) + "/data/" + encodeURIComponent(resource);
    return api("GET", path + "?" + query.toString()).then(function (body) {
      state.data = {offset: body.offset, total: body.total, limit: body.limit};
      renderDataTable(resource, body.entries);
      var last = Math.min(body.offset + body.entries.length, body.total);
      $("data-summary").textContent = body.total ? (resource + " " + (body.offset + 1) + " to " +
        last + " of " + body.total) : "No " + resource + " match.";
      $("data-prev").disabled = body.offset <= 0;
      $("data-next").disabled = last >= body.total;
    }).catch(function (error) {
      if (error instanceof ApiError) fieldError("data", form, error);
      else showError($("data-error"), error);
    });
  }

  function renderDataTable(resource, rows) {
    var table = $("data-table");
    var columns = COLUMNS[resource];
    var head = table.tHead;
    clear(head);
    head.appendChild(el("tr", null, columns.map(function (name) {
      return el("th", {scope: "col", text: name});
    }).reduce(function (row, th) { row.appendChild(th); return row; }, document.createDocumentFragment())));
    var body = table.tBodies[0];
    clear(body);
    rows.forEach(function (row) {
      var tr = el("tr");
      columns.forEach(function (name, index) {
        var value = row[name];
        var text = value === null || value === undefined ? "" : String(value);
        if (index === 0) {
          tr.appendChild(el("td", null, el("button", {type: "button", className: "link",
            "aria-label": "Show " + resource + " " + text,
            onclick: function () { $("data-record").textContent = JSON.stringify(row, null, 2); }
          }, text)));
        } else {
          tr.appendChild(el("td", {text: text}));
        }
      });
      body.appendChild(tr);
    });
  }

  $("data-resource").addEventListener("change", function () {
    renderFilterFields();
    searchData(0);
  });
  $("data-office").addEventListener("change", function () { searchData(0); });
  $("data-form").addEventListener("submit", function (event) {
    event.preventDefault();
    searchData(0);
  });
  $("data-prev").addEventListener("click", function () {
    searchData(Math.max(0, state.data.offset - state.data.limit));
  });
  $("data-next").addEventListener("click", function () {
    searchData(state.data.offset + state.data.limit);
  });

  // --- journal -------------------------------------------------------------------------

  function entrySeconds(entry) { return Date.parse(entry.time) / 1000; }

  function statusClass(status) {
    if (status === null || status === undefined) return "dropped";
    return Math.floor(status / 100) + "xx";
  }

  function journalFilters() {
    var filters = {};
    var endpoint = $("journal-endpoint").value;
    var status = $("journal-status").value.trim();
    var office = $("journal-office").value;
    if (endpoint) filters.endpoint = endpoint;
    if (status) filters.status = status;
    if (office) filters.office = office;
    return filters;
  }

  function pollJournal() {
    if (state.needToken || $("journal-pause").checked) return Promise.resolve();
    return api("GET", "/requests?limit=" + JOURNAL_POLL_LIMIT).then(function (body) {
      var entries = body.requests;
      var newest = entries.length ? entries[entries.length - 1].id : 0;
      if (newest < state.lastId) state.journal.clear(); // cleared or reset meanwhile
      state.lastId = newest;
      entries.forEach(function (entry) { state.journal.set(entry.id, entry); });
      var horizon = Date.now() / 1000 - CHART_SECONDS - LATENCY_BUCKET;
      state.journal.forEach(function (entry, id) {
        if (entrySeconds(entry) < horizon) state.journal.delete(id);
      });
      $("conn").textContent = "live · " + body.dropped + " evicted";
      updateCharts();
      var filters = journalFilters();
      if (!Object.keys(filters).length) return entries.slice(-TABLE_ROWS);
      filters.limit = String(TABLE_ROWS);
      return api("GET", "/requests?" + new URLSearchParams(filters).toString()).then(function (b) {
        return b.requests;
      });
    }).then(function (rows) {
      $("journal-error-status").textContent = "";
      renderJournal(rows.slice().reverse());
    }).catch(function (error) {
      if (error instanceof ApiError && error.field === "status") {
        $("journal-error-status").textContent = error.message;
      } else if (!(error instanceof ApiError && error.status === 401)) {
        $("conn").textContent = "server unreachable";
      }
    });
  }

  var journalSignature = null;

  function renderJournal(rows) {
    var signature = rows.map(function (r) { return r.id; }).join(",");
    if (signature === journalSignature) return;
    journalSignature = signature;
    var body = $("journal-table").tBodies[0];
    // Rows are rebuilt: a keyboard user's focus stays on the same request's button.
    var focused = body.contains(document.activeElement) ?
      document.activeElement.closest("tr").getAttribute("data-id") : null;
    clear(body);
    rows.forEach(function (entry) {
      var cls = statusClass(entry.status);
      var flagged = cls !== "2xx"; // an error or a dropped connection, faulted or not
      var tr = el("tr", {"data-id": entry.id, "data-endpoint": entry.endpoint,
        className: (entry.fault ? "is-fault " : "") + (flagged ? "is-error" : ""),
        "aria-selected": state.selectedRequest === entry.id ? "true" : "false"},
        el("td", null, el("button", {type: "button", className: "link",
          "aria-label": "Show request " + entry.id,
          onclick: function () { showRequest(entry); }}, String(entry.id))),
        el("td", {text: entry.time.slice(11, 23)}),
        el("td", {text: entry.method}),
        el("td", {text: entry.endpoint}),
        el("td", {text: entry.office || "—"}),
        el("td", {className: "status", text: entry.status === null ? "dropped" : String(entry.status)}),
        el("td", {className: "fault", text: entry.fault ? "⚠ " + entry.fault : ""}),
        el("td", {className: "num", text: entry.duration_ms === null ? "" : entry.duration_ms.toFixed(1)}));
      body.appendChild(tr);
    });
    if (focused !== null) {
      var again = body.querySelector("tr[data-id='" + focused + "'] button");
      if (again) again.focus();
    }
    $("journal-summary").textContent = rows.length ? "Newest first; " + rows.length + " shown." :
      "No requests yet: call the API and they appear here.";
  }

  function showRequest(entry) {
    state.selectedRequest = entry.id;
    $("journal-params").textContent = entry.method + " " + entry.path + "\n" +
      JSON.stringify(entry.params, null, 2);
    var response = entry.response || {body: "", bytes: 0, truncated: false};
    var text = response.body;
    try { text = JSON.stringify(JSON.parse(response.body), null, 2); } catch (e) { /* as is */ }
    $("journal-response").textContent = "HTTP " + (entry.status === null ? "— (connection dropped)" :
      entry.status) + (entry.fault ? "  fault " + entry.fault : "") + "  " + response.bytes +
      " bytes" + (response.truncated ? " (first part shown)" : "") + "\n" + text;
    journalSignature = null;
  }

  $("journal-clear").addEventListener("click", function () {
    api("DELETE", "/requests").then(function () {
      state.journal.clear();
      state.lastId = 0;
      notice("Journal cleared.");
      pollJournal();
    }).catch(function (error) { notice(error.message, true); });
  });
  ["journal-endpoint", "journal-office", "journal-status"].forEach(function (id) {
    $(id).addEventListener("change", function () { journalSignature = null; pollJournal(); });
  });
  $("journal-form").addEventListener("submit", function (event) { event.preventDefault(); });

  // --- charts --------------------------------------------------------------------------

  var CLASSES = [
    {key: "2xx", label: "2xx", stroke: "#2e7d32"},
    {key: "4xx", label: "4xx", stroke: "#e0a100"},
    {key: "5xx", label: "5xx", stroke: "#c62828"},
    {key: "dropped", label: "dropped", stroke: "#6a1b9a"}
  ];
  var PERCENTILES = [
    {p: 0.5, label: "p50", stroke: "#1565c0"},
    {p: 0.95, label: "p95", stroke: "#ef6c00"},
    {p: 0.99, label: "p99", stroke: "#ad1457"}
  ];

  // UTC clock times, as the journal's own timestamps are shown.
  function utcTime(seconds) { return new Date(seconds * 1000).toISOString().slice(11, 19); }
  var TIME_AXIS = {
    space: 70,
    values: function (u, splits) { return splits.map(utcTime); }
  };
  var TIME_SERIES = {
    label: "UTC",
    value: function (u, v) { return v === null || v === undefined ? "--" : utcTime(v); }
  };

  function chartWidth(id) {
    var width = $(id).clientWidth;
    return Math.max(260, width || 600);
  }

  function makeCharts() {
    if (typeof window.uPlot !== "function") return null;
    var rate = new window.uPlot({
      width: chartWidth("chart-rate"), height: 180, padding: [10, 30, 0, 0],
      scales: {x: {time: true}},
      axes: [TIME_AXIS, {label: "req/s"}],
      series: [TIME_SERIES].concat(CLASSES.map(function (c) {
        return {label: c.label, stroke: c.stroke, width: 1.5};
      }))
    }, [[]].concat(CLASSES.map(function () { return []; })), $("chart-rate"));
    var latency = new window.uPlot({
      width: chartWidth("chart-latency"), height: 180, padding: [10, 30, 0, 0],
      scales: {x: {time: true}},
      axes: [TIME_AXIS, {label: "ms"}],
      series: [TIME_SERIES].concat(PERCENTILES.map(function (p) {
        return {label: p.label, stroke: p.stroke, width: 1.5, spanGaps: true};
      }))
    }, [[]].concat(PERCENTILES.map(function () { return []; })), $("chart-latency"));
    return {rate: rate, latency: latency};
  }

  function resizeCharts() {
    if (!state.charts) return;
    state.charts.rate.setSize({width: chartWidth("chart-rate"), height: 180});
    state.charts.latency.setSize({width: chartWidth("chart-latency"), height: 180});
  }
  window.addEventListener("resize", resizeCharts);

  function percentile(sorted, p) {
    if (!sorted.length) return null;
    var index = Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, index)];
  }

  function updateCharts() {
    var now = Math.floor(Date.now() / 1000);
    var start = now - CHART_SECONDS + 1;
    var xs = [];
    var perClass = {};
    CLASSES.forEach(function (c) { perClass[c.key] = []; });
    for (var t = start; t <= now; t++) {
      xs.push(t);
      CLASSES.forEach(function (c) { perClass[c.key].push(0); });
    }
    var bucketStart = Math.floor(start / LATENCY_BUCKET) * LATENCY_BUCKET;
    var buckets = {};
    var lastMinute = {count: 0, errors: 0, durations: []};
    state.journal.forEach(function (entry) {
      var second = Math.floor(entrySeconds(entry));
      if (second < start || second > now) return;
      var cls = statusClass(entry.status);
      var series = perClass[cls] || perClass["4xx"];
      if (cls === "3xx" || cls === "1xx") series = perClass["2xx"];
      series[second - start] += 1;
      if (entry.duration_ms !== null) {
        var b = Math.floor(second / LATENCY_BUCKET) * LATENCY_BUCKET;
        (buckets[b] = buckets[b] || []).push(entry.duration_ms);
      }
      if (second > now - 60) {
        lastMinute.count += 1;
        if (cls !== "2xx") lastMinute.errors += 1;
        if (entry.duration_ms !== null) lastMinute.durations.push(entry.duration_ms);
      }
    });
    var bx = [];
    var bys = PERCENTILES.map(function () { return []; });
    for (var b = bucketStart; b <= now; b += LATENCY_BUCKET) {
      bx.push(b);
      var sorted = (buckets[b] || []).slice().sort(function (x, y) { return x - y; });
      PERCENTILES.forEach(function (p, i) { bys[i].push(percentile(sorted, p.p)); });
    }
    if (state.charts) {
      state.charts.rate.setData([xs].concat(CLASSES.map(function (c) { return perClass[c.key]; })));
      state.charts.latency.setData([bx].concat(bys));
    }
    var d = lastMinute.durations.sort(function (x, y) { return x - y; });
    $("chart-summary").textContent = "Last minute: " + lastMinute.count + " requests, " +
      lastMinute.errors + " not 2xx" + (d.length ? ", latency p50 " + percentile(d, 0.5).toFixed(1) +
      " ms, p95 " + percentile(d, 0.95).toFixed(1) + " ms, p99 " + percentile(d, 0.99).toFixed(1) +
      " ms." : ".");
  }

  // --- faults, rate limit, reset, snapshot ----------------------------------------------

  function effect(rule) {
    var parts = [];
    if (rule.status !== null) parts.push("HTTP " + rule.status);
    if (rule.error_code !== null) parts.push("error " + rule.error_code);
    if (rule.fault !== null) parts.push(rule.fault + (rule.hang_ms ? " " + rule.hang_ms + " ms" : ""));
    if (rule.latency_ms) parts.push("+" + rule.latency_ms + (rule.jitter_ms ? "±" + rule.jitter_ms : "") + " ms");
    return parts.join(", ") || "none";
  }

  function loadFaults() {
    return api("GET", "/faults").then(function (body) {
      var tbody = $("faults-table").tBodies[0];
      clear(tbody);
      if (!body.faults.length) {
        tbody.appendChild(el("tr", null, el("td", {colspan: "9", text: "No fault rules."})));
      }
      body.faults.forEach(function (rule) {
        tbody.appendChild(el("tr", {"data-rule": rule.id},
          el("td", {text: rule.id}), el("td", {text: rule.endpoint}),
          el("td", {text: rule.method || "any"}), el("td", {text: rule.office || "any"}),
          el("td", {text: effect(rule)}), el("td", {className: "num", text: String(rule.probability)}),
          el("td", {className: "num", text: rule.remaining === null ? "∞" : String(rule.remaining)}),
          el("td", {text: rule.source}),
          el("td", null, el("button", {type: "button", "aria-label": "Delete rule " + rule.id,
            onclick: function () {
              api("DELETE", "/faults/" + encodeURIComponent(rule.id)).then(function () {
                notice("Rule " + rule.id + " deleted.");
                return loadFaults();
              }).catch(function (error) { notice(error.message, true); loadFaults(); });
            }}, "Delete"))));
      });
    });
  }

  var NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)$/;

  // Form text to the JSON a client would send: numbers as numbers, anything else verbatim
  // so the control plane (not this page) judges it and names the field.
  function formJson(form) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || input.type === "submit" || input.type === "button") return;
      var value = input.value.trim();
      if (value === "") return;
      body[input.name] = NUMERIC.test(value) && input.tagName !== "SELECT" &&
        input.name !== "endpoint" ? Number(value) : value;
    });
    return body;
  }

  $("fault-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    clearFieldErrors(form);
    api("POST", "/faults", formJson(form)).then(function (body) {
      notice("Rule " + body.fault.id + " added: " + body.fault.endpoint + " → " + effect(body.fault) + ".");
      form.reset();
      return loadFaults();
    }).catch(function (error) {
      if (error instanceof ApiError) fieldError("fault", form, error);
      else showError($("fault-error"), error);
    });
  });
  document.querySelectorAll("[data-preset]").forEach(function (button) {
    button.addEventListener("click", function () {
      var form = $("fault-form");
      form.reset();
      clearFieldErrors(form);
      var preset = JSON.parse(button.getAttribute("data-preset"));
      Object.keys(preset).forEach(function (name) { form.elements[name].value = preset[name]; });
      form.querySelector("button[type=submit]").focus();
    });
  });
  $("faults-clear").addEventListener("click", function () {
    api("DELETE", "/faults").then(function () {
      notice("Every fault rule deleted.");
      return loadFaults();
    }).catch(function (error) { notice(error.message, true); });
  });

  function showRateLimit(limit) {
    $("rate-current").textContent = limit ? "In force: " + limit.requests + " requests per " +
      limit.per_seconds + " s per " + limit.scope + "." : "No rate limit.";
  }

  function loadRateLimit() {
    return api("GET", "/rate-limit").then(function (body) { showRateLimit(body.rate_limit); });
  }

  $("rate-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    clearFieldErrors(form);
    api("PUT", "/rate-limit", formJson(form)).then(function (body) {
      showRateLimit(body.rate_limit);
      notice("Rate limit set.");
    }).catch(function (error) {
      if (error instanceof ApiError) fieldError("rate", form, error);
      else showError($("rate-error"), error);
    });
  });
  $("rate-clear").addEventListener("click", function () {
    api("DELETE", "/rate-limit").then(function () {
      showRateLimit(null);
      notice("Rate limit removed.");
    }).catch(function (error) { notice(error.message, true); });
  });

  $("reset-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var office = $("reset-office").value;
    $("reset-error").textContent = "";
    api("POST", "/reset", office ? {office: office} : {}).then(function () {
      notice(office ? "Office " + office + " reset to its seed." : "Everything reset to the seed.");
      state.journal.clear();
      state.lastId = 0;
      return loadAll();
    }).catch(function (error) { showError($("reset-error"), error); });
  });

  $("snapshot-download").addEventListener("click", function () {
    var headers = {"Accept": "application/json"};
    var token = adminToken();
    if (token) headers[ADMIN_HEADER] = token;
    fetch(CONTROL + "/snapshot", {headers: headers}).then(function (response) {
      if (!response.ok) throw new ApiError(response.status, null);
      return response.blob();
    }).then(function (blob) {
      var link = el("a", {href: URL.createObjectURL(blob), className: "offscreen",
        download: "mockvoso-snapshot-" + new Date().toISOString().replace(/[:.]/g, "-") + ".json"});
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
      notice("Snapshot downloaded.");
    }).catch(function (error) { showError($("snapshot-error"), error); });
  });

  $("snapshot-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var file = $("snapshot-file").files[0];
    $("snapshot-error").textContent = "";
    if (!file) {
      $("snapshot-error").textContent = "Choose a snapshot file first.";
      return;
    }
    file.text().then(function (text) {
      return api("POST", "/snapshot", text, true);
    }).then(function (body) {
      notice("Snapshot restored: " + body.restored.join(", ") + ".");
      return loadAll();
    }).catch(function (error) { showError($("snapshot-error"), error); });
  });

  // --- clock, dialer, webhooks ---------------------------------------------------------

  var WEBHOOK_ROWS = 100; // newest deliveries and received posts shown
  var CALL_IDS_SHOWN = 20;
  var FIELDS_SHOWN = 160; // characters of a received post's fields in its row
  var signatures = {};

  // Rebuild a table body only when its rows changed, so the 1 s polls neither flicker nor
  // take a keyboard user's focus away from the row they were on.
  function renderRows(tableId, rows, makeRow, emptyText, columns) {
    var signature = JSON.stringify(rows);
    if (signatures[tableId] === signature) return;
    signatures[tableId] = signature;
    var body = $(tableId).tBodies[0];
    var focusedRow = body.contains(document.activeElement) ?
      document.activeElement.closest("tr").getAttribute("data-id") : null;
    clear(body);
    if (!rows.length) {
      body.appendChild(el("tr", null, el("td", {colspan: String(columns), text: emptyText})));
    }
    rows.forEach(function (row) { body.appendChild(makeRow(row)); });
    if (focusedRow !== null) {
      var again = body.querySelector("tr[data-id='" + CSS.escape(focusedRow) + "'] button");
      if (again) again.focus();
    }
  }

  function formFailed(prefix, form) {
    return function (error) {
      if (error instanceof ApiError) fieldError(prefix, form, error);
      else showError($(prefix + "-error"), error);
    };
  }

  // A number typed as one is sent as one; anything else as typed, for the server to name.
  function numberOrText(value) { return NUMERIC.test(value) ? Number(value) : value; }

  var clockFrozen = false;

  function showClock(clock) {
    clockFrozen = clock.frozen;
    $("clock-now").textContent = clock.now;
    $("clock-state").textContent = clock.frozen ? "(frozen)" : "(running)";
    $("clock-freeze").textContent = clock.frozen ? "Unfreeze clock" : "Freeze clock";
  }

  function loadClock() { return api("GET", "/clock").then(showClock); }

  $("clock-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    clearFieldErrors(form);
    var body = {};
    var set = $("clock-set").value.trim();
    var advance = $("clock-advance").value.trim();
    if (set) body.set = set;
    if (advance) body.advance = numberOrText(advance);
    if ($("clock-dial").checked) body.dial = true;
    if (!set && !advance) {
      $("clock-error").textContent = "Enter a time to set or seconds to advance.";
      return;
    }
    api("POST", "/clock", body).then(function (clock) {
      showClock(clock);
      $("clock-set").value = "";
      $("clock-advance").value = "";
      notice("Clock now " + clock.now + (body.dial ? "; the dialer worked through the time skipped." : "."));
      // Calls dialled meanwhile change the offices' counts.
      if (body.dial) return loadOffices();
      return null;
    }).catch(formFailed("clock", form));
  });

  $("clock-freeze").addEventListener("click", function () {
    clearFieldErrors($("clock-form"));
    api("POST", "/clock", {freeze: !clockFrozen}).then(function (clock) {
      showClock(clock);
      notice(clock.frozen ? "Clock frozen at " + clock.now + "." : "Clock running from " + clock.now + ".");
    }).catch(formFailed("clock", $("clock-form")));
  });

  var lastSimulation = null;

  function showSimulation(result) {
    lastSimulation = result;
    $("simulate-result").hidden = false;
    $("simulate-summary").textContent = result.calls ?
      result.office + ": " + result.calls + (result.calls === 1 ? " call" : " calls") + " made, " +
      result.recordings + (result.recordings === 1 ? " recording." : " recordings.") :
      result.office + ": no call made; nothing is left to dial (active campaigns, active " +
      "lists, leads not in a final status and not on DNC).";
    var tbody = $("simulate-table").tBodies[0];
    clear(tbody);
    Object.keys(result.dispositions).forEach(function (status) {
      tbody.appendChild(el("tr", {"data-status": status}, el("td", {text: status}),
        el("td", {className: "num", text: String(result.dispositions[status])})));
    });
    var ids = result.call_log_ids;
    $("simulate-ids").textContent = ids.length ? "Call-log ids: " +
      ids.slice(0, CALL_IDS_SHOWN).join(", ") +
      (ids.length > CALL_IDS_SHOWN ? " and " + (ids.length - CALL_IDS_SHOWN) + " more." : ".") : "";
    $("simulate-show").hidden = !ids.length;
  }

  $("simulate-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    clearFieldErrors(form);
    var body = {office: $("simulate-office").value};
    var calls = $("simulate-calls").value.trim();
    if (calls) body.calls = numberOrText(calls);
    api("POST", "/simulate", body).then(function (result) {
      showSimulation(result);
      notice("Simulated " + result.calls + " calls for " + result.office + ".");
      return Promise.all([loadClock(), loadOffices()]);
    }).catch(formFailed("simulate", form));
  });

  $("simulate-show").addEventListener("click", function () {
    if (!lastSimulation) return;
    // The call log answers newest first: the calls just made are the first rows.
    $("data-office").value = lastSimulation.office;
    $("data-resource").value = "log";
    renderFilterFields();
    window.location.hash = "#data";
    searchData(0);
  });

  function webhookRow(hook) {
    var mapped = Object.keys(hook.fields).map(function (name) {
      return name + "=" + hook.fields[name];
    }).join(", ");
    return el("tr", {"data-id": hook.id},
      el("td", {text: hook.id}), el("td", {text: hook.office}), el("td", {text: hook.url}),
      el("td", {text: hook.events.join(", ")}), el("td", {text: hook.format}),
      el("td", {text: mapped || "whole catalogue"}),
      el("td", null, el("button", {type: "button", "aria-label": "Delete receiver " + hook.id,
        onclick: function () {
          api("DELETE", "/webhooks/" + encodeURIComponent(hook.id)).then(function () {
            notice("Receiver " + hook.id + " deleted.");
          }).catch(function (error) { notice(error.message, true); }).then(loadWebhooks);
        }}, "Delete")));
  }

  function loadWebhooks() {
    return api("GET", "/webhooks").then(function (body) {
      renderRows("webhooks-table", body.webhooks, webhookRow, "No receivers.", 7);
      var select = $("deliveries-webhook");
      var keep = select.value;
      Array.prototype.slice.call(select.options).forEach(function (option) {
        if (option.value) select.removeChild(option);
      });
      body.webhooks.forEach(function (hook) {
        select.appendChild(el("option", {value: hook.id, text: hook.id + " " + hook.url}));
      });
      select.value = keep && select.querySelector("option[value='" + CSS.escape(keep) + "']") ? keep : "";
    });
  }

  // `sent=catalogue` lines to the registration's `fields` object; a line without `=` is
  // refused here (the server would only see an object).
  function fieldLines(text) {
    var fields = {};
    var lines = text.split(/\r?\n/);
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].trim();
      if (!line) continue;
      var at = line.indexOf("=");
      if (at <= 0) {
        throw new ApiError(400, {field: "fields",
          error: "fields: line " + (i + 1) + ": expected sent=catalogue, got " + JSON.stringify(line)});
      }
      fields[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    return fields;
  }

  $("webhook-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    clearFieldErrors(form);
    var body = {office: $("webhook-office").value, format: $("webhook-format").value};
    var url = $("webhook-url").value.trim();
    if (url) body.url = url;
    body.events = Array.prototype.map.call(
      form.querySelectorAll("input[name=events]:checked"), function (box) { return box.value; });
    Promise.resolve().then(function () {
      var fields = fieldLines($("webhook-fields").value);
      if (Object.keys(fields).length) body.fields = fields;
      return api("POST", "/webhooks", body);
    }).then(function (answer) {
      notice("Receiver " + answer.webhook.id + " registered: " + answer.webhook.url + ".");
      var office = $("webhook-office").value;
      form.reset();
      $("webhook-office").value = office;
      return loadWebhooks();
    }).catch(formFailed("webhook", form));
  });

  $("webhook-use-sink").addEventListener("click", function () {
    $("webhook-url").value = $("webhook-sink-url").textContent;
    $("webhook-url").focus();
  });

  function showJson(target, value) { $(target).textContent = JSON.stringify(value, null, 2); }

  function deliveryRow(delivery) {
    var failed = delivery.status === "failed" || delivery.status === "dropped";
    return el("tr", {"data-id": delivery.id, "data-status": delivery.status,
      className: (failed ? "is-error " : "") + (delivery.fault ? "is-fault" : "")},
      el("td", null, el("button", {type: "button", className: "link",
        "aria-label": "Show delivery " + delivery.id,
        onclick: function () { showJson("webhooks-detail", delivery); }}, delivery.id)),
      el("td", {text: delivery.webhook}), el("td", {text: delivery.event}),
      el("td", {className: "status", text: delivery.status}),
      el("td", {className: "num", text: String(delivery.attempt)}),
      el("td", {text: delivery.response_status === null ? "" : String(delivery.response_status)}),
      el("td", {text: delivery.error || ""}),
      el("td", {className: "fault", text: delivery.fault ? "⚠ " + delivery.fault : ""}),
      el("td", {text: delivery.sent_at || ""}));
  }

  function loadDeliveries() {
    var webhook = $("deliveries-webhook").value;
    var path = "/webhooks/deliveries" + (webhook ? "?webhook=" + encodeURIComponent(webhook) : "");
    return api("GET", path).then(function (body) {
      var all = body.deliveries;
      var rows = all.slice(-WEBHOOK_ROWS).reverse();
      $("deliveries-summary").textContent = all.length ? "Newest first; " + rows.length + " of " +
        all.length + " shown." : "No deliveries yet: register a receiver, then write a lead or simulate calls.";
      renderRows("deliveries-table", rows, deliveryRow, "No deliveries.", 9);
    });
  }

  function receivedRow(post) {
    var event = post.headers["X-Mockvoso-Event"] || "";
    var fields = JSON.stringify(post.fields);
    return el("tr", {"data-id": post.id},
      el("td", null, el("button", {type: "button", className: "link",
        "aria-label": "Show post " + post.id,
        onclick: function () { showJson("webhooks-detail", post); }}, post.id)),
      el("td", {text: post.received_at}), el("td", {text: event}), el("td", {text: post.parsed_as}),
      el("td", {className: "mono", text: fields.length > FIELDS_SHOWN ?
        fields.slice(0, FIELDS_SHOWN) + "…" : fields}));
  }

  function loadReceived() {
    return api("GET", "/webhooks/received").then(function (body) {
      var all = body.received;
      var rows = all.slice(-WEBHOOK_ROWS).reverse();
      $("received-summary").textContent = all.length ? "Newest first; " + rows.length + " of " +
        all.length + " shown." : "Nothing received yet.";
      renderRows("received-table", rows, receivedRow, "Nothing received.", 5);
    });
  }

  $("deliveries-webhook").addEventListener("change", function () { loadDeliveries(); });
  $("deliveries-form").addEventListener("submit", function (event) { event.preventDefault(); });

  function loadClockView() {
    $("webhook-sink-url").textContent = window.location.origin + ROOT + "/convoso-webhook";
    return Promise.all([loadClock(), loadWebhooks().then(loadDeliveries), loadReceived()]);
  }

  // --- start ---------------------------------------------------------------------------

  function loadAll() {
    return loadOffices().then(function () {
      $("conn").textContent = "live";
      return Promise.all([loadFaults(), loadRateLimit(), searchData(0), pollJournal(),
        loadClockView()]);
    }).catch(function (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        notice("Could not reach the control plane: " + error.message, true);
      }
    });
  }

  function tick() {
    pollJournal().then(function () {
      if (!state.needToken && !$("view-faults").hidden) return loadFaults();
      if (!state.needToken && !$("view-clock").hidden) return loadClockView();
      return null;
    }).catch(function () { /* shown by the pollers */ }).then(function () {
      window.setTimeout(tick, POLL_MS);
    });
  }

  renderFilterFields();
  showView();
  state.charts = makeCharts();
  loadAll().then(function () { window.setTimeout(tick, POLL_MS); });
}());
