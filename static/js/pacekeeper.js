/* Pacekeeper's only script of its own: small conveniences on top of htmx.
   Every page works without it. */
(function () {
  "use strict";

  // Close an open menu (<details data-menu>) on a click outside it or on Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  function toast(text) {
    var box = document.createElement("div");
    box.className = "toast";
    box.setAttribute("role", "alert");
    box.textContent = text;
    document.body.appendChild(box);
    window.setTimeout(function () { box.remove(); }, 6000);
  }

  // Errors htmx does not swap (403, 404, 500, network) get a visible message.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var messages = {
      403: "Your role in this workspace does not allow that.",
      404: "That item no longer exists. Reload the page to see the latest.",
    };
    toast(messages[status] || "Something went wrong (" + status + "). Your change was not saved.");
  });
  document.addEventListener("htmx:sendError", function () {
    toast("The server could not be reached. Check your connection and try again.");
  });
})();

/* The what-if ratio slider shows its value as "80 / 20" while it moves. */
(function () {
  "use strict";
  document.addEventListener("input", function (event) {
    var slider = event.target;
    if (!slider.matches || !slider.matches("input[type=range][data-ratio-output]")) return;
    var output = document.getElementById(slider.dataset.ratioOutput);
    if (!output) return;
    var present = Number(slider.value);
    var spans = output.querySelectorAll("span");
    if (spans.length === 2) {
      spans[0].textContent = String(present);
      spans[1].textContent = String(100 - present);
    }
  });
})();

/* Small conveniences: submit a filter on change, print a page. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) select.form.requestSubmit();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
  // "Print one-pager" opens the page with the print dialog already up.
  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("[data-print-on-load]")) window.print();
  });
})();

/* A form marked data-busy says it is working once sent (a large upload) and
   cannot be sent twice. */
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form[data-busy]") || form.classList.contains("is-busy")) return;
  form.classList.add("is-busy");
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
});

window.addEventListener("pageshow", function () {
  // Coming back to the page (the back button) makes the form usable again.
  document.querySelectorAll("form.is-busy").forEach(function (form) {
    form.classList.remove("is-busy");
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = false; });
  });
});

/* Select a read-only field's text on focus (an invitation link to copy). */
document.addEventListener("focusin", function (event) {
  if (event.target.matches && event.target.matches("input[data-select-on-focus]")) event.target.select();
});
