/* The live record's few needs beyond htmx (the form autosaves with hx-trigger, and the server
 * merges and answers with the status, the version and the fields whose state changed).
 *
 * - Ctrl+S saves now: htmx's key filters need eval, which the content security policy forbids.
 * - A lost connection or a failed save says so (htmx swaps nothing then) and tries again: the
 *   text stays in the form; going back online saves it (hx-trigger "online").
 * - A field someone else changed is put into the form only if nothing was typed in it while the
 *   save was on its way; otherwise the next save shows both texts as a conflict.
 * - Leaving the page with text the server does not have yet asks first.
 */
(function () {
  "use strict";
  const form = document.getElementById("record-form");
  if (!form) return;
  const region = form.querySelector(".autosave");
  const norm = (s) => String(s || "").replace(/\r\n?/g, "\n");
  let typed = 0; // inputs since the page was loaded
  let savedUpTo = 0; // inputs the server has answered for
  let sentAt = 0;
  let retry = null;

  function say(key, kind) {
    const status = document.getElementById("record-status");
    status.textContent = region.dataset[key];
    status.className = "autosave-status " + kind;
    status.dataset.state = key;
  }

  form.addEventListener("input", () => typed++);
  form.addEventListener("htmx:beforeRequest", () => {
    sentAt = typed;
    clearTimeout(retry);
    if (!form.querySelector(".conflict")) say("saving", "");
  });
  form.addEventListener("htmx:afterRequest", (event) => {
    const status = document.getElementById("record-status");
    if (event.detail.successful && status.dataset.state === "saved") savedUpTo = sentAt;
  });
  form.addEventListener("htmx:sendError", () => say("offline", "warn"));
  form.addEventListener("htmx:responseError", () => {
    say("retry", "warn");
    retry = setTimeout(() => form.requestSubmit(), 10000);
  });
  document.body.addEventListener("htmx:oobBeforeSwap", (event) => {
    const target = event.detail.target;
    const field = target.matches(".field") && target.querySelector("textarea");
    const fragment = event.detail.fragment;
    const node = fragment.dataset ? fragment : fragment.firstElementChild;
    const sent = node && node.dataset.sent;
    if (field && sent !== undefined && norm(field.value) !== norm(sent)) event.detail.shouldSwap = false;
  });
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (typed > savedUpTo || form.querySelector(".conflict")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
