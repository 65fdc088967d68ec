// Procedure catalog: print button, "select all" on participant lists, bulk-add fields by mode.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      box.closest("form").querySelectorAll("input[name=schools]").forEach(function (item) { item.checked = box.checked; });
    });
  });
  var modes = document.querySelectorAll(".bulk-form input[name=mode]");
  var needs = { municipality: "municipality", level: "level", codes: "codes" };
  function showFields() {
    var checked = document.querySelector(".bulk-form input[name=mode]:checked");
    var mode = checked ? checked.value : "";
    ["municipality", "level", "codes"].forEach(function (name) {
      var field = document.querySelector('[data-bulk-field="' + name + '"]');
      if (field) { field.hidden = needs[mode] !== name; }
    });
  }
  modes.forEach(function (radio) { radio.addEventListener("change", showFields); });
  if (modes.length) { showFields(); }
})();
