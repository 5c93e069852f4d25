// The assumption explorer: each slider move re-runs the analysis (the server's explore) and
// keeps the explored values in the address, so that a link reproduces the view.
"use strict";

(() => {
  const form = document.getElementById("explore-form");
  if (!form) return;
  const panel = document.getElementById("explore-result");
  const sliders = Array.from(form.querySelectorAll('input[type="range"]'));
  let pending = null;
  let timer = null;

  const changed = () =>
    sliders.filter((s) => Number(s.value) !== Number(s.dataset.point));

  function query() {
    const params = new URLSearchParams(window.location.search);
    params.delete("v");
    changed().forEach((s) => params.append("v", s.dataset.path + "=" + s.value));
    return params.toString();
  }

  async function rerun() {
    const q = query();
    history.replaceState(null, "", "/assumptions" + (q ? "?" + q : ""));
    document.getElementById("download-explored").href =
      "/assumptions/scenario.yaml" + (q ? "?" + q : "");
    document.getElementById("save-explored").action =
      "/versions/save-explored" + (q ? "?" + q : "");
    if (pending) pending.abort();
    pending = new AbortController();
    panel.setAttribute("aria-busy", "true");
    try {
      await zopa.swap("/assumptions/result" + (q ? "?" + q : ""), panel, pending.signal);
      panel.removeAttribute("aria-busy");
    } catch (err) {
      if (err.name !== "AbortError") throw err;
    }
  }

  sliders.forEach((s) => {
    s.addEventListener("input", () => {
      document.getElementById(s.id + "-out").textContent = Number(s.value).toFixed(3);
      s.closest(".slider").classList.toggle("changed", Number(s.value) !== Number(s.dataset.point));
      clearTimeout(timer);
      timer = setTimeout(rerun, 40);
    });
  });

  document.getElementById("reset").addEventListener("click", (event) => {
    event.preventDefault();
    sliders.forEach((s) => {
      s.value = s.dataset.point;
      document.getElementById(s.id + "-out").textContent = Number(s.value).toFixed(3);
      s.closest(".slider").classList.remove("changed");
    });
    rerun();
  });
})();
