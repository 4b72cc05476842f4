// Passkeys (WebAuthn): register one on the enrolment and security pages, verify a sign-in with one
// on the verification page. The server side is django-otp-webauthn's JSON views; every message the
// user sees comes from the section's data- attributes, which the template translates.
(function () {
  "use strict";

  function toBuffer(base64url) {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    const bytes = new Uint8Array(buffer);
    let binary = "";
    for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(json) {
    const options = Object.assign({}, json);
    options.challenge = toBuffer(json.challenge);
    options.user = Object.assign({}, json.user, { id: toBuffer(json.user.id) });
    options.excludeCredentials = (json.excludeCredentials || []).map((c) => Object.assign({}, c, { id: toBuffer(c.id) }));
    return options;
  }

  function requestOptions(json) {
    const options = Object.assign({}, json);
    options.challenge = toBuffer(json.challenge);
    options.allowCredentials = (json.allowCredentials || []).map((c) => Object.assign({}, c, { id: toBuffer(c.id) }));
    return options;
  }

  function credentialJSON(credential) {
    if (typeof credential.toJSON === "function") return credential.toJSON();
    const r = credential.response;
    const response = { clientDataJSON: toBase64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toBase64url(r.attestationObject);
      response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
    } else {
      response.authenticatorData = toBase64url(r.authenticatorData);
      response.signature = toBase64url(r.signature);
      if (r.userHandle) response.userHandle = toBase64url(r.userHandle);
    }
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: response,
    };
  }

  function setup(section) {
    const button = section.querySelector("[data-passkey-button]");
    const status = section.querySelector("[data-passkey-status]");
    const csrf = section.querySelector("input[name=csrfmiddlewaretoken]").value;
    const registering = section.dataset.passkey === "register";

    function show(message, state) {
      status.textContent = message;
      status.dataset.state = state || "";
    }

    if (!window.PublicKeyCredential || !navigator.credentials) {
      button.disabled = true;
      show(section.dataset.msgUnsupported, "error");
      return;
    }

    async function post(url, body) {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        body: body === undefined ? "" : JSON.stringify(body),
      });
      if (!response.ok) throw new Error("server answered " + response.status);
      return response.json();
    }

    button.addEventListener("click", async function () {
      button.disabled = true;
      show(section.dataset.msgBusy);
      try {
        const options = await post(section.dataset.beginUrl);
        const credential = registering
          ? await navigator.credentials.create({ publicKey: creationOptions(options) })
          : await navigator.credentials.get({ publicKey: requestOptions(options) });
        await post(section.dataset.completeUrl, credentialJSON(credential));
        window.location.assign(section.dataset.doneUrl);
      } catch (error) {
        const name = error && error.name;
        const key = name === "NotAllowedError" || name === "AbortError" ? "msgCancelled" : name === "InvalidStateError" ? "msgExists" : "msgFailed";
        show(section.dataset[key], "error");
        button.disabled = false;
        button.focus();
      }
    });
  }

  document.querySelectorAll("[data-passkey]").forEach(setup);
})();
