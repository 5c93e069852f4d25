// Runs: start without leaving the page, follow the progress, cancel; swap in the result.
"use strict";

(() => {
  const api = (id) => "/api/runs/" + encodeURIComponent(id);
  const message = () => document.getElementById("run-message");
  const LISTS = ["sections", "strategies"]; // the form fields with several values (checkboxes)

  async function follow(id, onUpdate) {
    for (;;) {
      const response = await fetch(api(id), { headers: { Accept: "application/json" } });
      if (!response.ok) return null;
      const job = await response.json();
      onUpdate(job);
      if (job.status !== "queued" && job.status !== "running") return job;
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
  }

  function showRow(job) {
    const row = document.querySelector('tr[data-run="' + job.id + '"]');
    if (!row) return;
    row.querySelector(".status").textContent = job.status;
    row.querySelector("progress").value = job.fraction;
    if (job.status !== "queued" && job.status !== "running") {
      const button = row.querySelector("button.cancel");
      if (button) button.remove();
    }
  }

  async function cancel(id) {
    const response = await zopa.post(api(id) + "/cancel");
    if (response.ok) showRow(await response.json());
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.cancel");
    if (button) cancel(button.dataset.run);
  });

  // The run page: follow it, then show the result.
  const run = document.getElementById("run");
  if (run && (run.dataset.status === "queued" || run.dataset.status === "running")) {
    follow(run.dataset.run, (job) => {
      run.dataset.status = job.status;
      document.getElementById("run-status").textContent = job.status;
      document.getElementById("run-progress").value = job.fraction;
      document.getElementById("run-count").textContent =
        job.done.toLocaleString("en") + " / " + job.total.toLocaleString("en");
      if (job.status !== "queued" && job.status !== "running") {
        const button = document.getElementById("cancel-run");
        if (button) button.remove();
      }
    }).then((job) => {
      if (job) zopa.swap(run.dataset.result, document.getElementById("run-result"));
    });
  }

  // The form: start the run here, add it to the table and follow it.
  const form = document.getElementById("run-form");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = {};
      new FormData(form).forEach((value, key) => {
        if (key === "csrf_token") return;
        if (LISTS.includes(key)) (body[key] = body[key] || []).push(value);
        else body[key] = value;
      });
      const response = await zopa.post("/api/runs", body);
      const data = await response.json();
      if (!response.ok) {
        message().textContent = (data.messages || [data.error]).join(" ");
        return;
      }
      // the run's page keeps the open scenario and the date, not the page's own parameters
      const here = new URLSearchParams(window.location.search);
      const kept = new URLSearchParams();
      for (const key of ["s", "as_of"]) if (here.get(key)) kept.set(key, here.get(key));
      const query = kept.toString();
      window.location.assign(
        "/runs/" + encodeURIComponent(data.id) + (query ? "?" + query : ""),
      );
    });
  }

  // The runs table: keep active runs current.
  document.querySelectorAll("#runs tr[data-run]").forEach((row) => {
    const status = row.querySelector(".status").textContent;
    if (status === "queued" || status === "running") follow(row.dataset.run, showRow);
  });
})();
