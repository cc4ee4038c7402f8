// Saldo web app: a little plain JavaScript, no build step. Every change goes through
// Saldo.send, which adds the page's CSRF token; the server also checks Origin.
"use strict";
window.Saldo = (function () {
  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  // Sends a change (POST, PUT, PATCH, DELETE) and returns the parsed JSON, or throws the problem.
  async function send(method, url, body, contentType) {
    var headers = { "X-CSRF-Token": csrf(), "Accept": "application/json" };
    var payload = body;
    if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)) {
      headers["Content-Type"] = contentType || "application/json";
      payload = typeof body === "string" ? body : JSON.stringify(body);
    }
    var response = await fetch(url, { method: method, headers: headers, body: payload, credentials: "same-origin" });
    var text = await response.text();
    var data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = { detail: text }; }
    if (!response.ok) {
      var error = new Error((data && data.detail) || response.statusText);
      error.problem = data;
      error.status = response.status;
      throw error;
    }
    return data;
  }
  // Shows a problem (RFC 9457) in an element: message, hint and positions.
  function showProblem(element, error) {
    element.textContent = "";
    var box = document.createElement("div");
    box.className = "problem";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = error.message;
    box.appendChild(p);
    var problem = error.problem || {};
    if (problem.hint) {
      var h = document.createElement("p");
      h.className = "hint";
      h.textContent = problem.hint;
      box.appendChild(h);
    }
    (problem.errors || []).forEach(function (d) {
      var line = document.createElement("p");
      line.className = "diagnostic";
      line.textContent = (d.location ? d.location + ": " : "") + d.message + (d.hint ? " (" + d.hint + ")" : "");
      box.appendChild(line);
    });
    element.appendChild(box);
  }
  // Selects marked data-autosubmit submit their form when changed.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("select[data-autosubmit]") && target.form) target.form.submit();
  });
  return { send: send, csrf: csrf, showProblem: showProblem };
})();
