/* The family member's rating page: show each line's value as it moves, and ask for every line.
 *
 * Progressive enhancement: without this file the sliders still post their values. A slider
 * starts in the middle, so the page makes sure each line was actually marked before sending.
 */
(function () {
  "use strict";
  const form = document.querySelector("form.rate-form");
  if (!form) return;
  const sliders = Array.from(form.querySelectorAll("input[type=range]"));
  const show = (input) => {
    const out = document.getElementById(input.id + "-out");
    if (out) out.textContent = Number(input.value).toLocaleString(document.documentElement.lang, { minimumFractionDigits: 1 });
  };
  const mark = (input) => {
    input.dataset.touched = "1";
    input.closest(".vas").classList.remove("needs-mark");
    show(input);
  };
  for (const input of sliders) {
    show(input);
    input.addEventListener("input", () => mark(input));
    // A tap where the thumb already is (the middle, 5,0) changes no value and fires no "input",
    // yet it is the person's mark.
    input.addEventListener("pointerup", () => mark(input));
  }
  // A double tap on "Send" would post twice: the second post finds the link used and its answer
  // replaces the thank-you page. Send once; a page restored with the back button may send again.
  let sending = false;
  window.addEventListener("pageshow", () => {
    sending = false;
  });
  form.addEventListener("submit", (event) => {
    if (sending) {
      event.preventDefault();
      return;
    }
    const untouched = sliders.filter((s) => s.dataset.touched !== "1");
    if (!untouched.length) {
      sending = true;
      return;
    }
    event.preventDefault();
    for (const s of untouched) s.closest(".vas").classList.add("needs-mark");
    let note = form.querySelector(".untouched-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "error untouched-note";
      note.setAttribute("role", "alert");
      form.insertBefore(note, form.querySelector("button[type=submit]"));
    }
    note.textContent = untouched.length > 1 ? form.dataset.untouchedMany : form.dataset.untouched;
    untouched[0].focus();
  });
})();
