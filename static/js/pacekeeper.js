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

/* A table wider than the screen scrolls inside its box: the box becomes a
   focusable, named region so keyboard users can scroll it too. */
(function () {
  "use strict";
  function markScrollable(root) {
    (root || document).querySelectorAll(".table-wrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption");
        var heading = box.closest("section") && box.closest("section").querySelector("h2, h3");
        box.setAttribute("aria-label", (caption || heading || { textContent: "Table" }).textContent.trim() + " (scrolls sideways)");
      } else if (!scrolls && box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { markScrollable(); });
  window.addEventListener("resize", function () { markScrollable(); });
  document.addEventListener("htmx:afterSettle", function () { markScrollable(); });
})();

/* Focus follows the user through in-place edits, and results are announced.
   - An opened edit focuses its first field (or its first invalid one).
   - Saving or cancelling returns focus to the section's Edit button.
   - A control marked data-focus-after="#id" sends focus there once its answer
     is in (a moved board card keeps focus); with data-announce-after its text
     is read out too ("Load more" announces the cards it added). A field the
     answer marks autofocus (a new row, the first row in error) takes focus first.
   - Escape in an edit form cancels it (its link marked data-cancel).
   - Each answer is read out in the polite live region #live-region. */
(function () {
  "use strict";
  var pending = null;

  function focusable(root) {
    return root.querySelector(
      ".field-invalid input, .field-invalid select, .field-invalid textarea, [aria-invalid=true]"
    ) || root.querySelector(
      "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])"
    );
  }

  function focusOn(element) {
    if (!element) return false;
    if (element.tabIndex < 0 && !element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
    element.focus({ preventScroll: false });
    return document.activeElement === element;
  }

  function announce(text) {
    var region = document.getElementById("live-region");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function nameOf(root) {
    var heading = root && root.querySelector("h2, h3, caption");
    return heading ? heading.textContent.replace(/^Edit\s+/i, "").trim() : "";
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    var target = event.detail.target;
    var marked = source.closest && source.closest("[data-focus-after]");
    pending = {
      targetId: target && target.id,
      focusAfter: marked ? marked.getAttribute("data-focus-after") : null,
      announceAfter: marked ? marked.getAttribute("data-announce-after") : null,
      focusedId: document.activeElement && document.activeElement.id,
      verb: (event.detail.requestConfig && event.detail.requestConfig.verb) || "get",
    };
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var state = pending;
    pending = null;
    if (!state) return;
    var status = event.detail.xhr ? event.detail.xhr.status : 200;
    // "Load more" swaps itself out: focus goes to the first card it brought.
    if (state.announceAfter && status < 400) {
      announce(state.announceAfter);
      if (state.focusAfter && focusOn(document.querySelector(state.focusAfter))) return;
    }
    var root = (state.targetId && document.getElementById(state.targetId)) || event.detail.elt;
    if (!root || !root.isConnected) return;
    var editing = root.matches(".section-editing, .row-editing") || root.querySelector("form.edit-form");
    var name = nameOf(root);
    if (status === 409) {
      announce("Not saved: someone else changed this meanwhile. Their version is shown.");
    } else if (status >= 400) {
      announce("Not saved: check the fields marked.");
    } else if (state.verb === "post") {
      announce((name ? name + ": " : "") + "saved.");
    } else if (editing) {
      announce("Editing " + (name || "this section") + ". Escape cancels.");
    }
    if (focusOn(root.querySelector("[autofocus]"))) return;
    if (state.focusAfter && status < 400 && focusOn(document.querySelector(state.focusAfter))) return;
    if (editing && focusOn(focusable(root))) return;
    var stillThere = state.focusedId && document.getElementById(state.focusedId);
    if (stillThere && focusOn(stillThere)) return;
    if (document.activeElement && document.activeElement !== document.body && document.activeElement.isConnected) return;
    if (focusOn(root.querySelector("[data-edit-button]"))) return;
    focusOn(root.querySelector("h2, h3") || root);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    var form = event.target.closest && event.target.closest(".section-editing, .row-editing");
    var cancel = form && form.querySelector("[data-cancel]");
    if (!cancel) return;
    event.preventDefault();
    cancel.click();
  });
})();
