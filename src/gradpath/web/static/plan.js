// Planner pages. Everything here is an enhancement: without JavaScript the form submits as a plain GET,
// the cash flows are a table, and the browser's own print command prints the plan.
//
// * "Save this profile in this browser" keeps the form's query string in localStorage (this browser only;
//   nothing is sent to or stored on the server), and "Use my saved profile" reopens /plan with it.
// * The cash-flow chart is drawn from the page's own data attribute; the table below it holds the same figures.
(function () {
  "use strict";

  var KEY = "gradpath.plan.profile";

  function storage() {
    try {
      return window.localStorage;
    } catch (err) {
      return null; // storage disabled: the buttons stay hidden
    }
  }

  function formQuery(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && value.trim() !== "") {
        params.append(name, value.trim());
      }
    });
    return params.toString();
  }

  function setupStorage() {
    var box = document.querySelector("[data-plan-storage]");
    var form = document.querySelector("form.plan-form");
    var store = storage();
    if (!box || !form || !store) {
      return;
    }
    var status = box.querySelector("[data-plan-status]");
    var load = box.querySelector("[data-plan-load]");
    var forget = box.querySelector("[data-plan-forget]");
    function refresh(message) {
      var saved = store.getItem(KEY);
      load.hidden = !saved;
      forget.hidden = !saved;
      status.textContent = message || "";
    }
    box.hidden = false;
    refresh();
    box.querySelector("[data-plan-save]").addEventListener("click", function () {
      store.setItem(KEY, formQuery(form));
      refresh("Saved in this browser only.");
    });
    load.addEventListener("click", function () {
      var saved = store.getItem(KEY);
      if (saved !== null) {
        window.location.assign("/plan?" + saved);
      }
    });
    forget.addEventListener("click", function () {
      store.removeItem(KEY);
      refresh("The saved profile was removed from this browser.");
    });
  }

  function money(value) {
    var sign = value < 0 ? "−$" : "$";
    return sign + Math.abs(Math.round(value)).toLocaleString("en-US");
  }

  function drawCashflow(box) {
    if (typeof window.Chart === "undefined") {
      return;
    }
    var flows;
    try {
      flows = JSON.parse(box.getAttribute("data-cashflow"));
    } catch (err) {
      return;
    }
    if (!flows || !flows.length) {
      return;
    }
    box.hidden = false;
    var styles = getComputedStyle(document.documentElement);
    var accent = styles.getPropertyValue("--accent").trim() || "#0b5cad";
    var bad = styles.getPropertyValue("--bad-ink").trim() || "#9b1c1c";
    var ink = styles.getPropertyValue("--ink").trim() || "#1b1f24";
    new window.Chart(box.querySelector("canvas"), {
      data: {
        labels: flows.map(function (f) { return "Year " + f.year; }),
        datasets: [
          {
            type: "bar",
            label: "Net this year",
            data: flows.map(function (f) { return f.net; }),
            backgroundColor: flows.map(function (f) { return f.net < 0 ? bad : accent; }),
            order: 2
          },
          {
            type: "line",
            label: "Running total",
            data: flows.map(function (f) { return f.cumulative; }),
            borderColor: ink,
            backgroundColor: ink,
            pointRadius: 2,
            order: 1
          }
        ]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { ticks: { callback: function (v) { return money(v); } } } },
        plugins: {
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + money(c.parsed.y); } } }
        }
      }
    });
  }

  function setupPrint() {
    // A printed plan lists every assumption: open the collapsed ones first.
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll(".plan-page details").forEach(function (d) { d.open = true; });
    });
    var button = document.querySelector("[data-plan-print]");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    }
  }

  function start() {
    setupStorage();
    setupPrint();
    document.querySelectorAll("[data-cashflow]").forEach(drawCashflow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
