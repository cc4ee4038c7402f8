// Overview page: a floor written with a decimal comma (1500,50) is sent with a point, as the
// server expects amounts.
"use strict";
(function () {
  var form = document.querySelector("form.ov-floor");
  if (!form) return;
  form.addEventListener("submit", function () {
    var input = form.querySelector('input[name="floor"]');
    if (!input) return;
    input.value = input.value.trim().replace(",", ".");
    if (input.value === "") input.disabled = true;
  });
})();
