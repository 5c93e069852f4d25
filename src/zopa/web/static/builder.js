// The package builder: re-evaluate the package as each choice changes (no page reload).
// The server renders the result panel (GET /builder/result, an HTML fragment); this file only
// keeps the address in step with the choices and swaps the panel in. Without JavaScript the
// forms submit as plain GET requests.
"use strict";

(() => {
  const form = document.getElementById("builder-form");
  const start = document.getElementById("start-proposal");
  const panel = document.getElementById("builder-result");
  if (!form || !panel) return;
  document.documentElement.classList.add("js");
  const proposals = JSON.parse(document.getElementById("builder-proposals").textContent);
  const selects = Array.from(form.querySelectorAll("select[data-issue]"));
  const proposers = Array.from(form.querySelectorAll('input[type="checkbox"][name="by"]'));
  let pending = null;

  const terms = () => selects.map((s) => `${s.dataset.issue}=${s.value}`).join(",");
  const by = () => proposers.filter((c) => c.checked).map((c) => c.value).join(",");

  // The address of this view: the open scenario and date kept, the package and proposers set.
  function query() {
    const params = new URLSearchParams(window.location.search);
    for (const key of Array.from(params.keys())) {
      if (key !== "s" && key !== "as_of") params.delete(key);
    }
    params.set("terms", terms());
    if (by()) params.set("by", by());
    return params.toString();
  }

  // Show which proposal (if any) the package is.
  function markStart() {
    const now = terms();
    const match = Object.keys(proposals).find((pid) => proposals[pid].terms === now);
    if (start) start.value = match || "";
  }

  async function update() {
    const q = query();
    history.replaceState(null, "", `/builder?${q}`);
    const link = document.getElementById("builder-link");
    if (link) link.href = `/builder?${q}`;
    if (pending) pending.abort();
    const controller = new AbortController();
    pending = controller;
    panel.setAttribute("aria-busy", "true");
    try {
      await zopa.swap(`/builder/result?${q}`, panel, controller.signal);
    } catch (err) {
      if (err.name === "AbortError") return; // a newer choice replaced this request
      panel.innerHTML = "";
      const p = document.createElement("p");
      p.className = "problems";
      p.setAttribute("role", "alert");
      p.textContent = "The package could not be evaluated: " + err;
      panel.appendChild(p);
    }
    if (pending === controller) {
      pending = null;
      panel.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("change", () => {
    markStart();
    update();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    update();
  });

  if (start) {
    start.form.addEventListener("submit", (event) => event.preventDefault());
    start.addEventListener("change", () => {
      const chosen = proposals[start.value];
      if (!chosen) return;
      const package_ = new Map(chosen.terms.split(",").map((t) => t.split("=")));
      for (const s of selects) {
        if (package_.has(s.dataset.issue)) s.value = package_.get(s.dataset.issue);
      }
      for (const c of proposers) c.checked = chosen.by.includes(c.value);
      update();
    });
  }
})();
