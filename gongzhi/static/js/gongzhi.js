/* Gongzhi: small progressive enhancements on top of htmx. No inline scripts, so a strict CSP works. */
(function () {
  "use strict";

  function toast(text) {
    var box = document.getElementById("toast");
    if (!box) { return; }
    box.innerHTML = "";
    var div = document.createElement("div");
    div.className = "alert alert-error";
    div.setAttribute("role", "alert");
    div.textContent = text;
    box.appendChild(div);
    window.setTimeout(function () { if (box.contains(div)) { box.removeChild(div); } }, 6000);
  }

  // htmx does not swap 4xx/5xx answers (except 422, see the htmx-config meta tag): tell the user why.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var body = document.body.dataset;
    var text = status === 403 ? body.msgForbidden : status === 404 ? body.msgNotFound : body.msgFailed;
    toast(text || ("HTTP " + status));
  });
  document.addEventListener("htmx:sendError", function () {
    toast(document.body.dataset.msgOffline || "Network error");
  });

  // [data-print]: a print button; [data-autosubmit]: a select that submits its form (no inline handlers).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) { field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit(); }
  });

  // Tree toggles: [data-tree-toggle] loads children once with htmx, then only shows/hides them.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-tree-toggle]");
    if (!button) { return; }
    var target = document.getElementById(button.getAttribute("aria-controls"));
    var expanded = button.getAttribute("aria-expanded") === "true";
    var summary = button.closest("summary");
    if (summary) {  // a button inside a <summary>: never fold the <details>, open it to show what loads
      event.preventDefault();
      if (!expanded) { summary.parentElement.open = true; }
    }
    button.setAttribute("aria-expanded", expanded ? "false" : "true");
    if (target && target.dataset.loaded === "1") {
      target.hidden = expanded;
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("htmx:afterSwap", function (event) {
    var el = event.detail.target;
    if (el && el.hasAttribute("data-tree-children")) {
      el.dataset.loaded = "1";
      el.hidden = false;
    }
  });

  // Reveal slots: keep the masked content, so "hide" removes the clear value from the page entirely.
  var originals = new WeakMap();
  document.addEventListener("htmx:beforeSwap", function (event) {
    var slot = event.detail.target;
    if (slot && slot.hasAttribute("data-reveal-slot") && !originals.has(slot)) {
      originals.set(slot, slot.innerHTML);
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-hide-revealed]");
    if (!button) { return; }
    var slot = button.closest("[data-reveal-slot]");
    if (slot && originals.has(slot)) {
      slot.innerHTML = originals.get(slot);
      if (window.htmx) { window.htmx.process(slot); }
      var details = slot.querySelector("details");
      if (details) { details.open = false; }
    }
  });

  // Submit the language form right away when the select changes (the button stays for no-JS users).
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) { event.target.form.submit(); }
  });
})();
