// zopa workspace: what every page needs. No framework, no build step.
"use strict";

const zopa = {
  csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  },

  // Draw every chart of a container from its embedded Vega-Lite specification.
  drawCharts(root) {
    if (typeof vegaEmbed !== "function") return;
    const options = JSON.parse(document.getElementById("vega-options").textContent);
    (root || document).querySelectorAll("div.vega[data-spec]").forEach((el) => {
      if (el.dataset.drawn) return;
      const source = document.getElementById(el.dataset.spec);
      if (!source) return;
      el.dataset.drawn = "1";
      vegaEmbed(el, JSON.parse(source.textContent), options)
        .then((result) => {
          el.dataset.rendered = "1";
          el.dispatchEvent(new CustomEvent("zopa:chart", { detail: result.view, bubbles: true }));
        })
        .catch((err) => {
          el.dataset.rendered = "error";
          el.textContent = "The chart could not be drawn: " + err;
        });
    });
  },

  // GET a server-rendered fragment and put it in place of a container's content.
  async swap(url, target, signal) {
    const response = await fetch(url, { headers: { Accept: "text/html" }, signal });
    const text = await response.text();
    target.innerHTML = text;
    zopa.drawCharts(target);
    return response.ok;
  },

  async post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "X-CSRF-Token": zopa.csrf(), "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });
  },
};

window.zopa = zopa;
document.addEventListener("DOMContentLoaded", () => zopa.drawCharts(document));
