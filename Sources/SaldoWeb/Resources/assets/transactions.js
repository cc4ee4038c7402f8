// Transactions page: empty filter fields are left out of the address, so links stay short and
// shareable (the server ignores empty parameters either way; this only tidies the URL).
"use strict";
(function () {
  var form = document.querySelector("form.tx-filters");
  if (!form) return;
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.querySelectorAll("input, select"), function (field) {
      if (field.value === "") field.disabled = true;
    });
  });
})();
