// The agreement space: choosing the parties redraws the page; clicking a point opens its
// package in the builder. Every package point of the chart carries it as `terms`.
"use strict";

(() => {
  const form = document.getElementById("space-form");
  const x = document.getElementById("space-x");
  const y = document.getElementById("space-y");

  // The address of a view, keeping the open scenario and date.
  function address(path, params) {
    const kept = new URLSearchParams(window.location.search);
    const out = new URLSearchParams();
    for (const key of ["s", "as_of"]) {
      if (kept.get(key)) out.set(key, kept.get(key));
    }
    for (const [key, value] of Object.entries(params)) out.set(key, value);
    return `${path}?${out.toString()}`;
  }

  if (form && x && y) {
    const go = () => {
      if (x.value === y.value) return; // the same party twice: wait for the other choice
      window.location.assign(address("/space", { parties: `${x.value},${y.value}` }));
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      go();
    });
    x.addEventListener("change", go);
    y.addEventListener("change", go);
  }

  const termsOf = (item) => (item && item.datum && item.datum.terms) || null;

  document.addEventListener("zopa:chart", (event) => {
    const figure = event.target.closest ? event.target.closest("#figure-space-chart") : null;
    if (!figure) return;
    const view = event.detail;
    view.addEventListener("click", (_event, item) => {
      const terms = termsOf(item);
      if (terms) window.location.assign(address("/builder", { terms }));
    });
    view.addEventListener("mousemove", (_event, item) => {
      view.container().style.cursor = termsOf(item) ? "pointer" : "";
    });
  });
})();
