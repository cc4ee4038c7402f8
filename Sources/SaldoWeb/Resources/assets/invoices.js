// Invoices page: link and unlink payments, ask the matcher for its proposals (with explanations).
"use strict";
(function () {
  var section = document.querySelector("section.links");
  if (!section) return;
  var api = section.getAttribute("data-api");
  var form = document.getElementById("invoice-link");
  var result = document.getElementById("invoice-link-result");
  var list = document.getElementById("invoice-suggestions");
  function say(element, text) {
    element.textContent = "";
    var p = document.createElement("p");
    p.className = "done";
    p.setAttribute("role", "status");
    p.textContent = text;
    element.appendChild(p);
  }
  async function link(body, where) {
    var done = await Saldo.send("POST", api + "/invoices/links", body);
    say(where, list.getAttribute("data-linked") + ": " + done.invoice + " ← #" + done.transaction + " " + done.amount + " " + done.currency);
    setTimeout(function () { window.location.reload(); }, 1200);
  }
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var action = (event.submitter && event.submitter.value) || "link";
    var data = new FormData(form);
    var body = { invoice: data.get("invoice").trim() };
    var transaction = data.get("transaction").replace("#", "").trim();
    if (transaction) body.transaction = Number(transaction);
    if (data.get("seller").trim()) body.seller = data.get("seller").trim();
    try {
      if (action === "unlink") {
        var done = await Saldo.send("DELETE", api + "/invoices/links", body);
        say(result, list.getAttribute("data-unlinked") + ": " + done.invoice + " (" + done.removed + ")");
        setTimeout(function () { window.location.reload(); }, 1200);
      } else {
        // A decimal comma (848,00, as Spanish writes it) is the same amount: the API takes a point.
        var amount = data.get("amount").trim();
        if (amount) body.amount = /^[0-9]+,[0-9]+$/.test(amount) ? amount.replace(",", ".") : amount;
        await link(body, result);
      }
    } catch (error) { Saldo.showProblem(result, error); }
  });
  document.querySelectorAll("button[data-unlink-invoice]").forEach(function (button) {
    button.addEventListener("click", async function () {
      var item = button.parentElement;
      var body = { invoice: button.getAttribute("data-unlink-invoice"), seller: button.getAttribute("data-unlink-seller"),
                   transaction: Number(button.getAttribute("data-unlink-transaction")) };
      try {
        var done = await Saldo.send("DELETE", api + "/invoices/links", body);
        say(item, list.getAttribute("data-unlinked") + ": " + done.invoice + " ← #" + body.transaction);
        setTimeout(function () { window.location.reload(); }, 1200);
      } catch (error) { Saldo.showProblem(item, error); }
    });
  });
  document.getElementById("invoice-suggest").addEventListener("click", async function () {
    list.textContent = "";
    try {
      var response = await fetch(api + "/invoices/suggestions", { headers: { "Accept": "application/json" }, credentials: "same-origin" });
      var data = await response.json();
      if (!response.ok) { var e = new Error(data.detail); e.problem = data; throw e; }
      if (!data.suggestions.length) { say(list, list.getAttribute("data-none")); return; }
      var ul = document.createElement("ul");
      ul.className = "suggestions";
      data.suggestions.forEach(function (s) {
        var li = document.createElement("li");
        var what = document.createElement("p");
        var strong = document.createElement("strong");
        strong.textContent = s.invoice + " ← #" + s.transaction;
        what.appendChild(strong);
        what.appendChild(document.createTextNode(" " + s.date + " · " + s.amount + " " + s.currency + " · " + s.seller));
        var why = document.createElement("p");
        why.className = "hint";
        why.textContent = s.explanation;
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = list.getAttribute("data-link") + " " + s.invoice;
        button.addEventListener("click", function () {
          link({ invoice: s.invoice, seller: s.seller, transaction: s.transaction, amount: s.amount }, li).catch(function (error) { Saldo.showProblem(li, error); });
        });
        li.appendChild(what); li.appendChild(why); li.appendChild(button);
        ul.appendChild(li);
      });
      list.appendChild(ul);
    } catch (error) { Saldo.showProblem(list, error); }
  });
})();
