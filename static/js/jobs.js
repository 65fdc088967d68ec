// Follows a background job: polls its status and moves the progress bar until it ends.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || box.dataset.finished === "1") { return; }
  var url = box.dataset.statusUrl;
  function show(state) {
    box.querySelector("[data-job-bar]").style.width = state.percent + "%";
    box.querySelector(".progress").setAttribute("aria-valuenow", state.percent);
    box.querySelector("[data-job-percent]").textContent = state.percent;
    // The badge already says «Готово» when the last stage has the same name.
    box.querySelector("[data-job-stage]").textContent = state.stage === state.status_display ? "" : state.stage;
    var badge = box.querySelector("[data-job-status]");
    badge.textContent = state.status_display;
    badge.className = "badge status-" + state.status;
    if (state.finished) {
      // The result is rendered by the server: reload once to show it in full.
      window.location.reload();
    }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) { show(state); if (!state.finished) { setTimeout(poll, 1000); } })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
