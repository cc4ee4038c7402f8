// Import page: send each file, show its preview (a dry run on the server), let the user settle
// what is ambiguous, then import or cancel it. Sessions live on the server: a reload resumes.
"use strict";
(function () {
  var app = document.getElementById("import-app");
  if (!app) return;
  var book = app.dataset.book;
  var base = "/api/v1/books/" + encodeURIComponent(book) + "/imports";
  var list = document.getElementById("import-list");
  var input = document.getElementById("import-files");
  var drop = document.getElementById("import-drop");
  var status = document.getElementById("import-status");
  var cards = {};
  var known = {};
  var again = {};
  var totals = document.getElementById("import-totals");
  var allBar = document.getElementById("import-all-bar");
  var allButton = document.getElementById("import-all");
  var committingAll = false;

  // "Imported here so far: Files: 2 · New: 35 · Already in the ledger: 3 · Filtered: 1"
  function showTotals() {
    var files = 0, fresh = 0, dup = 0, filtered = 0;
    Object.keys(known).forEach(function (id) {
      var c = known[id].committed;
      if (!c) return;
      files += 1; fresh += c["new"]; dup += c.duplicates; filtered += c.filtered.length;
    });
    totals.hidden = files === 0;
    totals.textContent = t("totals") + " " + [["files", files], ["new", fresh], ["duplicates", dup], ["filtered", filtered]]
      .map(function (p) { return t(p[0]) + ": " + p[1]; }).join(" · ");
  }
  var busy = { reading: true, committing: true };

  function t(key) { return app.dataset["t" + key.charAt(0).toUpperCase() + key.slice(1)] || key; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function announce(text) { status.textContent = text; }

  function card(id, name) {
    if (cards[id]) return cards[id];
    var c = el("section", "card import-card");
    c.setAttribute("aria-label", name);
    list.insertBefore(c, list.firstChild);
    cards[id] = c;
    return c;
  }

  // `stacked`: on a phone each row becomes a block (where above, what below) instead of a table
  // scrolled sideways with the message out of sight; explicit roles keep it a table for screen
  // readers, whose browsers drop the table semantics of cells displayed as blocks.
  function table(caption, headers, rows, stacked) {
    var box = el("div", stacked ? "table-scroll stacked" : "table-scroll");
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", caption);
    var tb = el("table");
    function role(node, r) { if (stacked) node.setAttribute("role", r); return node; }
    role(tb, "table");
    tb.appendChild(el("caption", null, caption));
    var tr = role(el("tr"), "row");
    headers.forEach(function (h) { var th = role(el("th", null, h), "columnheader"); th.setAttribute("scope", "col"); tr.appendChild(th); });
    var thead = role(el("thead"), "rowgroup"); thead.appendChild(tr); tb.appendChild(thead);
    var tbody = role(el("tbody"), "rowgroup");
    rows.forEach(function (r) {
      var row = role(el("tr"), "row");
      r.forEach(function (v) { row.appendChild(role(el("td", null, v), "cell")); });
      tbody.appendChild(row);
    });
    tb.appendChild(tbody);
    box.appendChild(tb);
    return box;
  }

  // The first rows the import writes (a preview: would write), as the server read them: when,
  // what, how much, for whom, and whether the ledger already holds each; then how many more.
  // A table on a wide screen; on a phone each row is a small card (date and amount, what, who and
  // whether it is new), with table roles kept for screen readers.
  function firstRows(summary, written) {
    var wrap = el("div", "first-rows");
    var caption = t(written ? "rowsCommitted" : "rowsPreview");
    var box = el("div", "table-scroll");
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", caption);
    var tb = el("table");
    tb.setAttribute("role", "table");
    tb.appendChild(el("caption", null, caption));
    var head = el("tr");
    head.setAttribute("role", "row");
    [["date", "colDate"], ["description", "colDescription"], ["amount", "colAmount"], ["who", "colWho"], ["status", "colStatus"]]
      .forEach(function (h) {
        var th = el("th", h[0], t(h[1]));
        th.setAttribute("scope", "col"); th.setAttribute("role", "columnheader");
        head.appendChild(th);
      });
    var thead = el("thead"); thead.setAttribute("role", "rowgroup"); thead.appendChild(head); tb.appendChild(thead);
    var tbody = el("tbody"); tbody.setAttribute("role", "rowgroup");
    summary.first_rows.forEach(function (r) {
      var tr = el("tr", r.status === "duplicate" ? "row-duplicate" : null);
      tr.setAttribute("role", "row");
      function cell(cls, text) { var td = el("td", cls, text); td.setAttribute("role", "cell"); tr.appendChild(td); return td; }
      var date = cell("date");
      var time = el("time", null, r.date_text || r.date);
      time.setAttribute("datetime", r.date);
      date.appendChild(time);
      var what = cell("description", r.description_text || r.description);
      if (r.counterparty && r.counterparty !== r.description) what.appendChild(el("span", "counterparty", r.counterparty));
      cell("amount" + (r.amount && r.amount.charAt(0) === "-" ? " negative" : ""), r.amount_text || "");
      var who = [];
      [r.platform, r.client].forEach(function (n) { if (n && who.indexOf(n) < 0) who.push(n); });
      cell("who", who.join(" · "));
      cell("status" + (r.status ? " status-" + r.status : ""), r.status === "new" ? t("statusNew") : r.status === "duplicate" ? t("statusDuplicate") : "");
      tbody.appendChild(tr);
    });
    tb.appendChild(tbody);
    box.appendChild(tb);
    wrap.appendChild(box);
    if (summary.more_rows_text) wrap.appendChild(el("p", "hint more-rows", summary.more_rows_text));
    return wrap;
  }

  function radios(name, legend, options, chosen) {
    var fs = el("fieldset", "choice");
    fs.appendChild(el("legend", null, legend));
    options.forEach(function (o) {
      var label = el("label");
      var r = document.createElement("input");
      r.type = "radio"; r.name = name; r.value = o.value;
      if (o.value === chosen) r.checked = true;
      label.appendChild(r);
      label.appendChild(document.createTextNode(" " + o.label));
      fs.appendChild(label);
    });
    return fs;
  }

  // The uploads ready to import, oldest first (cards are listed newest first).
  function readyIds() {
    return Array.prototype.slice.call(list.children).reverse()
      .filter(function (c) { return c.dataset.state === "previewed" && c.dataset.id; })
      .map(function (c) { return c.dataset.id; });
  }
  // "Import all 4 ready files": shown when two or more wait, hidden while they are imported.
  function showAll() {
    var n = readyIds().length;
    allBar.hidden = committingAll || n < 2;
    allButton.textContent = t("importAll").replace("{count}", n);
  }
  // One file after another, oldest first, each its own transaction, as its own Import button
  // would; a file that fails says so on its card and the next one is still imported.
  // The button hides while the files are imported: focus moves to the first file's card (which
  // stays the same element while it changes), then to the totals, so the keyboard does not start
  // again from the top of the page.
  function commitAll() {
    var ids = readyIds();
    if (!ids.length) return;
    committingAll = true;
    var first = cards[ids[0]];
    if (first) { first.setAttribute("tabindex", "-1"); first.focus(); }
    showAll();
    ids.reduce(function (previous, id) {
      return previous.then(function () {
        var s = known[id];
        return s && s.state === "previewed" ? commitSession(s) : null;
      });
    }, Promise.resolve()).then(function () {
      committingAll = false;
      showAll();
      // The committed states arrive by polling: focus the totals once they show.
      setTimeout(function () {
        if (!totals.hidden) { totals.setAttribute("tabindex", "-1"); totals.focus(); }
      }, 800);
    });
  }

  function render(s) {
    known[s.id] = s;
    showTotals();
    var c = card(s.id, s.name);
    c.textContent = "";
    c.dataset.state = s.state;
    c.dataset.id = s.id;
    c.appendChild(el("h2", null, s.name));
    var state = el("p", "import-state state-" + s.state, t(s.state) + (s.progress ? " · " + s.progress : ""));
    c.appendChild(state);
    if (again[s.id] && !s.committed) c.appendChild(el("p", "hint already-listed", t("alreadyListed")));
    var summary = s.committed || s.preview;
    if (s.failure) c.appendChild(el("p", "problem", s.failure_text || s.failure));
    if (summary) {
      if (summary.profile) {
        c.appendChild(el("p", "import-profile", t("profile") + ": " + summary.profile));
      }
      if (s.profile_check && s.profile_check.explanation.length) {
        var why = el("details");
        why.appendChild(el("summary", null, t("why")));
        var ul = el("ul");
        // The explanation in the page's language (explanation_text); the neutral lines otherwise.
        (s.profile_check.explanation_text || s.profile_check.explanation).forEach(function (line) { ul.appendChild(el("li", null, line)); });
        why.appendChild(ul);
        c.appendChild(why);
      }
      var dl = el("dl", "import-counts");
      [["rows", summary.rows], ["new", summary["new"]], ["duplicates", summary.duplicates], ["filtered", summary.filtered.length],
       ["problems", summary.problems.length]].forEach(function (p) {
        var item = el("div");
        item.appendChild(el("dd", null, p[1])); item.appendChild(el("dt", null, t(p[0])));
        dl.appendChild(item);
      });
      c.appendChild(dl);
      c.appendChild(el("p", "hint", s.committed ? t("written") : t("dryRun")));
      if (summary.first_rows && summary.first_rows.length) c.appendChild(firstRows(summary, !!s.committed));
      var bc = summary.balance_checks;
      if (bc && bc.checked > 0) {
        c.appendChild(el("p", bc.ledger_agrees ? "status-ok" : "problem",
          t("balancesChecked") + ": " + bc.checked + " · " + (bc.ledger_agrees ? t("balancesOk") : bc.broken + " " + t(bc.broken === 1 ? "balancesBrokenOne" : "balancesBroken"))));
        if (bc.currencies && bc.currencies.length) {
          c.appendChild(table(t("balances"), [t("currency"), t("opening"), t("closing"), t("ledgerChange")],
            bc.currencies.map(function (x, i) {
              // The amounts as the page's language writes them, when the server sent them so.
              var shown = (summary.balances_text || [])[i] || x;
              return [x.currency, shown.opening, shown.closing, shown.ledger_change];
            })));
        }
      }
      if (summary.problems.length) {
        c.appendChild(table(t("problems"), [t("where"), t("message")], (summary.problems_text || summary.problems).slice(0, 200).map(function (p) {
          return [p.location || "", p.message + (p.hint ? " (" + p.hint + ")" : "")];
        }), true));
      }
      if (summary.filtered.length) {
        var reasons = summary.filtered_text || [], rows = summary.filtered_rows_text || [];
        c.appendChild(table(t("filtered"), [t("where"), t("reason"), t("row")], summary.filtered.slice(0, 200).map(function (f, i) {
          return [f.location, reasons[i] || f.reason, rows[i] || f.row];
        }), true));
      }
      if (!s.committed && (s.state === "previewed" || s.state === "failed")) c.appendChild(decisions(s, summary));
    }
    var actions = el("div", "import-actions");
    if (s.state === "previewed") {
      var commit = el("button", null, t("commit"));
      commit.type = "button";
      commit.addEventListener("click", function () { commitSession(s); });
      actions.appendChild(commit);
    }
    if (s.state === "previewed" || s.state === "failed") {
      var cancel = el("button", "secondary", t("cancel"));
      cancel.type = "button";
      cancel.addEventListener("click", function () { cancelSession(s); });
      actions.appendChild(cancel);
    }
    if (actions.childNodes.length) c.appendChild(actions);
    if (busy[s.state]) setTimeout(function () { poll(s.id); }, 500);
    showAll();
  }

  // The date order and decimal mark (when Saldo inferred them), and the profile, as questions.
  function decisions(s, summary) {
    var form = el("form", "import-decisions");
    var d = summary.date_order, m = summary.decimal_mark;
    var inferred = { writing: true, language: true, rowOrder: true, runningBalances: true };
    // Asked when Saldo inferred how to read the file, or when it could not read it as it is
    // (a statement whose dates, amounts or profile are in doubt; not an invoice).
    var unsure = s.state === "failed" && summary.problems.some(function (p) { return !/^xml\./.test(p.code) && /date|decimal|profile|unknown/.test(p.code); });
    var ask = unsure || (d && inferred[d.basis]) || (m && inferred[m.basis]) || s.decisions.dateFormat || s.decisions.decimalMark || s.decisions.profile;
    if (!ask) return form;
    var n = s.id;
    var dates = ["dd/mm/yyyy", "mm/dd/yyyy", "yyyy-mm-dd"];
    var fs1 = radios("date-" + n, t("dateOrder"), dates.map(function (v) { return { value: v, label: v }; }),
      s.decisions.dateFormat || (d ? d.value : null));
    var why = summary.evidence_text || {};
    if (d) fs1.appendChild(el("p", "hint", t("inferred") + ": " + (why.date_order || d.evidence)));
    form.appendChild(fs1);
    var fs2 = radios("mark-" + n, t("decimalMark"), [{ value: ".", label: t("point") }, { value: ",", label: t("comma") }],
      s.decisions.decimalMark || (m ? m.value : null));
    if (m) fs2.appendChild(el("p", "hint", t("inferred") + ": " + (why.decimal_mark || m.evidence)));
    form.appendChild(fs2);
    var label = el("label", null, t("useProfile") + " ");
    var profile = document.createElement("input");
    profile.name = "profile"; profile.value = s.decisions.profile || "";
    profile.setAttribute("autocomplete", "off");
    label.appendChild(profile);
    form.appendChild(label);
    var go = el("button", "secondary", t("reread"));
    go.type = "submit";
    form.appendChild(go);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = {};
      var date = form.querySelector("input[name='date-" + n + "']:checked");
      var mark = form.querySelector("input[name='mark-" + n + "']:checked");
      if (date) body.dateFormat = date.value;
      if (mark) body.decimalMark = mark.value;
      body.profile = profile.value.trim() || null;
      Saldo.send("PATCH", base + "/" + s.id, body).then(render).catch(function (e) { showError(s.id, s.name, e); });
    });
    return form;
  }

  function showError(id, name, error) {
    var c = card(id, name);
    var box = el("div");
    c.appendChild(box);
    Saldo.showProblem(box, error);
    announce(error.message);
  }

  function poll(id) {
    fetch(base + "/" + id, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) { render(s); if (!busy[s.state]) announce(s.name + ": " + t(s.state)); } });
  }

  // Answers a promise settled once the commit has answered (Import all waits for it).
  function commitSession(s) {
    var c = card(s.id, s.name);
    c.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    setTimeout(function () { poll(s.id); }, 500);
    return Saldo.send("POST", base + "/" + s.id + "/commit").then(function () { poll(s.id); })
      .catch(function (e) { showError(s.id, s.name, e); poll(s.id); });
  }

  function cancelSession(s) {
    Saldo.send("DELETE", base + "/" + s.id).then(render).catch(function (e) { showError(s.id, s.name, e); });
  }

  // An upload the server did not take (an empty file, one too large, a refused request): its card
  // says so in the page's language, as a failed file's does, and Cancel takes it away. Nothing is
  // kept on the server for it, so there is nothing to cancel there.
  function uploadFailed(temp, name, message, error) {
    var c = card(temp, name);
    c.textContent = "";
    c.dataset.state = "failed";
    c.appendChild(el("h2", null, name));
    c.appendChild(el("p", "import-state state-failed", t("failed")));
    var box = el("div");
    c.appendChild(box);
    if (error && !message) Saldo.showProblem(box, error);
    else {
      var p = el("div", "problem", message);
      p.setAttribute("role", "alert");
      box.appendChild(p);
    }
    var actions = el("div", "import-actions");
    var dismiss = el("button", "secondary", t("cancel"));
    dismiss.type = "button";
    dismiss.addEventListener("click", function () {
      if (c.parentNode) c.parentNode.removeChild(c);
      delete cards[temp];
      drop.focus();
      showAll();
    });
    actions.appendChild(dismiss);
    c.appendChild(actions);
    announce(name + ": " + t("failed") + ". " + (message || (error && error.message) || ""));
  }

  // What the page says, in its own words, for the problems an upload can meet before it is read.
  function uploadMessage(error) {
    var code = error && error.problem && error.problem.code;
    if (code === "empty-upload") return t("emptyFile");
    if (code === "too-large" || (error && error.status === 413)) return t("tooLarge") + " (" + app.dataset.maxMb + " MB)";
    return null;
  }

  function upload(file) {
    var temp = "upload-" + Math.random().toString(36).slice(2);
    var c = card(temp, file.name);
    // An empty file has nothing to read: said at once, without sending it.
    if (file.size === 0) { uploadFailed(temp, file.name, t("emptyFile")); return; }
    c.appendChild(el("h2", null, file.name));
    c.appendChild(el("p", "import-state", t("reading")));
    fetch(base, {
      method: "POST", body: file, credentials: "same-origin",
      headers: { "X-CSRF-Token": Saldo.csrf(), "X-File-Name": encodeURIComponent(file.name), "Content-Type": "application/octet-stream", "Accept": "application/json" }
    }).then(function (r) {
      return r.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = { detail: text }; }
        if (!r.ok) { var err = new Error((data && data.detail) || t("uploadFailed")); err.problem = data; err.status = r.status; throw err; }
        return data;
      });
    }).then(function (s) {
      list.removeChild(c);
      delete cards[temp];
      // The same file was already waiting here: the server answered that upload, so its card
      // moves to the top and says so instead of a second card appearing.
      if (cards[s.id]) {
        again[s.id] = true;
        list.insertBefore(cards[s.id], list.firstChild);
        announce(s.name + ": " + t("alreadyListed"));
      }
      render(s);
    }).catch(function (e) { uploadFailed(temp, file.name, uploadMessage(e), e); });
  }

  function send(files) { Array.prototype.forEach.call(files, upload); }

  allButton.addEventListener("click", commitAll);

  input.addEventListener("change", function () { send(input.files); input.value = ""; });
  drop.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); input.click(); }
  });
  ["dragenter", "dragover"].forEach(function (type) {
    drop.addEventListener(type, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    drop.addEventListener(type, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files) send(event.dataTransfer.files);
  });

  // Resume: the uploads this server already holds.
  fetch(base, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : { imports: [] }; })
    .then(function (data) { data.imports.forEach(render); });
})();
