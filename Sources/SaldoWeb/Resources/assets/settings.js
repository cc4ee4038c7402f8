// Settings page: sends only the settings that changed (an emptied field removes the setting),
// loads a tax profile file into its text box, and uploads a rate file.
"use strict";
(function () {
  function say(element, text) {
    element.textContent = "";
    var p = document.createElement("p");
    p.className = "done";
    p.setAttribute("role", "status");
    p.textContent = text;
    element.appendChild(p);
  }
  var form = document.getElementById("settings");
  if (form) {
    var result = document.getElementById("settings-result");
    var profileFile = document.getElementById("s-profile-file");
    profileFile.addEventListener("change", function () {
      var file = profileFile.files[0];
      if (!file) return;
      file.text().then(function (text) { document.getElementById("s-tax-profile").value = text; });
    });
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      var changes = {};
      var count = 0;
      form.querySelectorAll("[data-initial]").forEach(function (field) {
        var value = field.value;
        if (value === field.getAttribute("data-initial")) return;
        changes[field.name] = value.trim() === "" ? null : value;
        count += 1;
      });
      if (!count) { say(result, form.getAttribute("data-unchanged")); return; }
      try {
        var saved = await Saldo.send("PUT", form.getAttribute("data-api") + "/settings", changes);
        Object.keys(changes).forEach(function (key) {
          var field = form.querySelector('[name="' + key + '"]');
          var value = saved.settings[key];
          field.value = value === null ? "" : value;
          field.setAttribute("data-initial", field.value);
        });
        // Each saved setting by its label, as the page names it (not its key).
        say(result, form.getAttribute("data-saved") + ": " + Object.keys(changes).map(function (key) {
          var label = form.querySelector('label[for="s-' + key + '"]');
          return label ? label.textContent : key;
        }).join(", "));
      } catch (error) { Saldo.showProblem(result, error); }
    });
  }
  var rates = document.getElementById("rates");
  if (rates) {
    var ratesResult = document.getElementById("rates-result");
    rates.addEventListener("submit", async function (event) {
      event.preventDefault();
      var file = document.getElementById("r-file").files[0];
      if (!file) return;
      var source = document.getElementById("r-source").value;
      var url = rates.getAttribute("data-api") + "/rates?name=" + encodeURIComponent(file.name) + (source ? "&source=" + encodeURIComponent(source) : "");
      try {
        var done = await Saldo.send("POST", url, file);
        say(ratesResult, rates.getAttribute("data-added").replace("{added}", done.added).replace("{read}", done.read).replace("{file}", done.file));
      } catch (error) { Saldo.showProblem(ratesResult, error); }
    });
  }
})();
