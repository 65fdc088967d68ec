// Pupil-level tables of the procedure page: each <details data-pupil-table> loads its rows when first opened
// and pages through them in place. Without JS the link inside the <details> opens the same table as a page.
(function () {
  "use strict";
  var FRAGMENT_HEADER = "X-Fragment";  // the server then answers with the table alone (assessments/stats/views.py)

  function setStatus(body, text) {
    var status = body.querySelector("[data-pupil-status]");
    if (!status) { return false; }
    var note = status.querySelector("[data-pupil-note]");
    if (!note) {
      note = document.createElement("span");
      note.setAttribute("data-pupil-note", "");
      status.insertBefore(note, status.firstChild);
    }
    note.textContent = text + " ";
    return true;
  }

  function load(box, url) {
    var body = box.querySelector("[data-pupil-body]");
    body.setAttribute("aria-busy", "true");
    setStatus(body, "Загрузка…");  // the first time only: a loaded page stays visible while the next one comes
    var headers = {};
    headers[FRAGMENT_HEADER] = "1";
    fetch(url, { credentials: "same-origin", headers: headers })
      .then(function (response) {
        // A redirect here is the sign-in page (the session ended): it must not land inside the table.
        if (!response.ok || response.redirected) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        body.innerHTML = html;
        box.setAttribute("data-loaded", url);
        if (box.getBoundingClientRect().top < 0) { box.scrollIntoView(); }
      })
      .catch(function () {
        // Before the first load the link to the table's own page is still there: say what happened beside it.
        // Later (a pager link) the address is that page itself: go there, and the server says what is wrong.
        if (!setStatus(body, "Не удалось загрузить таблицу.")) { window.location.assign(url); }
      })
      .then(function () { body.removeAttribute("aria-busy"); });
  }

  document.querySelectorAll("details[data-pupil-table]").forEach(function (box) {
    box.addEventListener("toggle", function () {
      if (box.open && !box.hasAttribute("data-loaded") && !box.querySelector("[aria-busy]")) {
        load(box, box.getAttribute("data-pupil-table"));
      }
    });
    box.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-pupil-page]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      load(box, link.getAttribute("href"));
    });
  });
})();
