/* Live meeting record: autosave, drafts that survive a lost connection, and visible conflicts.
 *
 * Progressive enhancement of the record form (it works without this file: a plain POST, and the
 * server shows both versions on a conflict). While the coordinator types, each change is kept as a
 * draft in this tab's sessionStorage (gone when the tab closes: these are child-protection notes)
 * and saved to the JSON API after a pause. Only the fields changed since the last known server
 * state are sent, with the version they were typed on. A 409 means someone else saved first: the
 * two versions are merged field by field (a three-way merge against the last known server state);
 * only a field both people changed differently is a real conflict, shown beside the field with
 * buttons to keep both, take the other or keep one's own. Nothing typed is lost: a draft stays
 * until the server has accepted it and is restored (and merged) after a reload.
 */
(function () {
  "use strict";
  const form = document.querySelector("form[data-autosave-url]");
  const savedScript = document.getElementById("record-saved");
  if (!form || !savedScript) return;

  const url = form.dataset.autosaveUrl;
  const prefix = "systeemi-draft-" + form.dataset.userId + "-";
  const key = prefix + form.dataset.itemId;
  const status = document.getElementById("autosave-status");
  const versionInput = form.querySelector("input[name=version]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const fields = Array.from(form.querySelectorAll("textarea"));
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
  const names = fields.map((f) => f.name);
  const text = (id) => status.dataset[id] || "";
  const norm = (s) => String(s == null ? "" : s).replace(/\r\n?/g, "\n");
  const pick = (record) => Object.fromEntries(names.map((n) => [n, norm(record[n])]));
  const storage = (() => {
    try {
      return window.sessionStorage;
    } catch (err) {
      return null; // storage disabled: autosave still works, drafts do not survive a reload
    }
  })();

  const saved = JSON.parse(savedScript.textContent);
  let version = saved.version; // the server version `base` belongs to
  let base = pick(saved.values); // what the server holds, as far as this page knows
  const conflicts = {}; // field -> the other person's text, until the user resolves it
  let timer = null;
  let inFlight = null;
  let retrying = false;

  const values = () => Object.fromEntries(fields.map((f) => [f.name, norm(f.value)]));
  const dirty = () => names.filter((n) => norm(byName[n].value) !== base[n] && !(n in conflicts));
  const unsaved = () => dirty().length > 0 || Object.keys(conflicts).length > 0;

  function say(message, kind) {
    status.textContent = message;
    status.className = "autosave-status " + (kind || "");
  }

  function setVersion(v) {
    version = v;
    versionInput.value = v;
  }

  function storeDraft() {
    if (!storage) return;
    try {
      if (unsaved()) storage.setItem(key, JSON.stringify({ version, base, values: values(), conflicts }));
      else storage.removeItem(key);
    } catch (err) {
      /* quota or privacy mode: the server copy is what counts */
    }
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  /* Three-way merge of the server's current record into the form. Returns the fields that are in
   * conflict (both sides changed them differently). */
  function merge(serverVersion, server) {
    const found = [];
    for (const n of names) {
      const mine = norm(byName[n].value);
      const theirs = server[n];
      if (theirs === base[n] || theirs === mine) {
        // They did not change it, or changed it the same way: mine stands.
      } else if (mine === base[n]) {
        byName[n].value = theirs; // only they changed it: take theirs
      } else {
        conflicts[n] = theirs;
        found.push(n);
      }
      base[n] = theirs;
    }
    setVersion(serverVersion);
    return found;
  }

  function resolve(name, value) {
    const field = byName[name];
    if (value !== null) field.value = value;
    delete conflicts[name];
    const panel = document.getElementById("conflict-" + name);
    if (panel) panel.remove();
    field.removeAttribute("aria-describedby");
    field.focus();
    storeDraft();
    save();
  }

  function showConflict(name) {
    const field = byName[name];
    let panel = document.getElementById("conflict-" + name);
    if (panel) panel.remove();
    panel = document.createElement("div");
    panel.id = "conflict-" + name;
    panel.className = "conflict";
    panel.setAttribute("role", "group");
    const label = form.querySelector('label[for="' + field.id + '"]');
    const title = document.createElement("p");
    title.id = "conflict-" + name + "-title";
    title.className = "conflict-title";
    title.textContent = text("theirsTitle") + (label ? " – " + label.textContent.trim() : "");
    panel.setAttribute("aria-labelledby", title.id);
    const theirs = document.createElement("pre");
    theirs.id = "conflict-" + name + "-text";
    theirs.className = "theirs";
    theirs.textContent = conflicts[name];
    const actions = document.createElement("p");
    actions.className = "actions";
    const button = (caption, onClick) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "btn-small";
      b.textContent = caption;
      b.addEventListener("click", onClick);
      actions.appendChild(b);
    };
    button(text("keepBoth"), () => {
      const mine = norm(field.value).trim();
      const other = conflicts[name].trim();
      resolve(name, [other, mine].filter(Boolean).join("\n\n"));
    });
    button(text("takeTheirs"), () => resolve(name, conflicts[name]));
    button(text("keepMine"), () => resolve(name, null));
    panel.append(title, theirs, actions);
    field.insertAdjacentElement("afterend", panel);
    field.setAttribute("aria-describedby", title.id + " " + theirs.id);
  }

  function saySaved() {
    // Written as the server writes times (systeemi/formats/): the Finnish region in every language, 8.30.
    const time = new Date().toLocaleTimeString((document.documentElement.lang || "fi") + "-FI", { timeStyle: "short" });
    say(text("saved").replace("%(time)s", time), "ok");
  }

  function sayConflicts() {
    say(text("conflict"), "error");
  }

  function detail(body) {
    const d = body && body.detail;
    if (!d) return "";
    if (typeof d === "string") return d;
    return Object.values(d)
      .flat()
      .map((e) => (e && e.msg) || String(e)) // the API's field errors: {loc, msg}
      .join(" ");
  }

  async function save() {
    clearTimeout(timer);
    if (inFlight) {
      await inFlight; // one request at a time; then send whatever is still unsaved
      return save();
    }
    const send = dirty();
    if (!send.length) {
      if (Object.keys(conflicts).length) sayConflicts();
      else saySaved();
      storeDraft();
      return;
    }
    const sent = Object.fromEntries(send.map((n) => [n, norm(byName[n].value)]));
    say(text("saving"));
    inFlight = (async () => {
      let response;
      try {
        response = await fetch(url, {
          method: "PATCH",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
          body: JSON.stringify({ version, ...sent }),
          credentials: "same-origin",
        });
      } catch (err) {
        say(text("offline"), "warn"); // no connection: keep the draft, try again
        retrying = true;
        schedule(5000);
        return;
      }
      let body = null;
      try {
        body = await response.json();
      } catch (err) {
        body = null;
      }
      if (response.status === 409 && body) {
        const found = merge(body.version, pick(body));
        found.forEach(showConflict);
        storeDraft();
        if (found.length) sayConflicts();
        else say(text("merged"), "warn");
        if (dirty().length) schedule(0); // save the merged record (all but the conflicting fields) on top of theirs
        return;
      }
      if (response.status >= 500 || !body) {
        say(text("retry"), "warn");
        retrying = true;
        schedule(5000);
        return;
      }
      if (!response.ok) {
        say(text("rejected").replace("%(detail)s", detail(body)), "error"); // e.g. approved meanwhile
        return;
      }
      retrying = false;
      setVersion(body.version);
      base = pick(body);
      if (Object.keys(conflicts).length) sayConflicts();
      else saySaved();
      if (dirty().length) schedule(300); // typed while the request was on its way
    })();
    try {
      await inFlight;
    } finally {
      inFlight = null;
      storeDraft();
    }
  }

  // Forget drafts left in this tab by someone else who used it before.
  if (storage) {
    for (let i = storage.length - 1; i >= 0; i--) {
      const k = storage.key(i);
      if (k && k.startsWith("systeemi-draft-") && !k.startsWith(prefix)) storage.removeItem(k);
    }
  }

  if (saved.conflict) {
    // The server's conflict page (the form was posted without this script's help): the fields hold
    // what was typed, `saved` what the server has. Offer the same choices as after an autosave.
    form.querySelectorAll(".saved-version").forEach((el) => (el.hidden = true));
    for (const n of names) {
      if (norm(byName[n].value) !== base[n]) conflicts[n] = base[n];
    }
    Object.keys(conflicts).forEach(showConflict);
    storeDraft();
  } else {
    const draft = storage && JSON.parse(storage.getItem(key) || "null");
    if (draft && draft.values) {
      // Put back what was typed on this tab, against the server state it was typed on, then merge
      // whatever the server has now.
      base = Object.assign({}, base, draft.base);
      setVersion(draft.version);
      for (const n of names) {
        if (n in draft.values && norm(byName[n].value) !== draft.values[n]) byName[n].value = draft.values[n];
      }
      Object.assign(conflicts, draft.conflicts || {});
      if (draft.version !== saved.version) merge(saved.version, pick(saved.values));
      Object.keys(conflicts).forEach(showConflict);
      if (unsaved()) {
        say(text("restored"), "warn");
        schedule(0);
      } else storeDraft();
    }
  }

  form.addEventListener("input", (event) => {
    if (!(event.target instanceof HTMLTextAreaElement)) return;
    storeDraft();
    if (!retrying) schedule(1200);
  });

  // Ctrl+S (Cmd+S) anywhere on the page saves the record now.
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      retrying = false;
      save();
    }
  });

  // The record form's own button saves through the API too; other forms on the page (hypotheses,
  // steps, the timer) first save the record so that nothing typed is left behind.
  document.addEventListener("submit", async (event) => {
    const target = event.target;
    if (target === form) {
      event.preventDefault();
      retrying = false;
      save();
      return;
    }
    if (target.dataset.recordFlushed || !dirty().length) return;
    event.preventDefault();
    await save();
    target.dataset.recordFlushed = "1";
    target.requestSubmit(event.submitter || undefined);
  });

  window.addEventListener("offline", () => {
    if (unsaved()) say(text("offline"), "warn");
  });
  window.addEventListener("online", () => {
    retrying = false;
    if (dirty().length) save();
  });
  // Leaving with unsaved text: try once more on the way out (the draft stays in this tab either way),
  // and ask before closing when the text cannot be saved now.
  window.addEventListener("pagehide", () => {
    const send = dirty();
    if (!send.length || inFlight) return;
    try {
      fetch(url, {
        method: "PATCH",
        keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ version, ...Object.fromEntries(send.map((n) => [n, norm(byName[n].value)])) }),
        credentials: "same-origin",
      });
    } catch (err) {
      /* the draft is restored on the next visit */
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (retrying || Object.keys(conflicts).length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
