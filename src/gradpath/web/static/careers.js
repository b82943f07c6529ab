// Career pages: draws the wage-range chart from the page's own data attribute (the table beside it holds the
// same figures and stays the content), and opens a certification's <details> when a link targets it.
// Everything here is an enhancement: without JavaScript the pages show the tables.
(function () {
  "use strict";

  var KEYS = ["p10", "p25", "median", "p75", "p90"];

  function money(value) {
    return "$" + Math.round(value).toLocaleString("en-US");
  }

  function complete(row) {
    // A top-coded or unpublished percentile has no number: such a row is left to the table.
    return KEYS.every(function (k) { return typeof row[k] === "number"; });
  }

  function drawWageChart(box) {
    if (typeof window.Chart === "undefined") {
      return;
    }
    var data;
    try {
      data = JSON.parse(box.getAttribute("data-wage-chart"));
    } catch (err) {
      return;
    }
    var rows = (data.rows || []).filter(complete);
    if (!rows.length) {
      return;
    }
    box.hidden = false;
    box.classList.add("rows-" + rows.length);
    // Long metro names wrap at the comma so the axis keeps room for the bars on narrow screens.
    var labels = rows.map(function (r) { return r.label.split(/,\s+/); });
    var styles = getComputedStyle(document.documentElement);
    var ink = styles.getPropertyValue("--ink").trim() || "#1b1f24";
    var accent = styles.getPropertyValue("--accent").trim() || "#0b5cad";
    var light = styles.getPropertyValue("--chart-range").trim() || "#8fb3dc";
    new window.Chart(box.querySelector("canvas"), {
      type: "bar",
      data: {
        labels: labels,
        datasets: [
          {
            label: "10th–90th percentile",
            data: rows.map(function (r) { return [r.p10, r.p90]; }),
            backgroundColor: light,
            borderColor: accent,
            borderWidth: 1,
            grouped: false,
            barPercentage: 0.7,
            order: 3
          },
          {
            label: "25th–75th percentile",
            data: rows.map(function (r) { return [r.p25, r.p75]; }),
            backgroundColor: accent,
            grouped: false,
            barPercentage: 0.7,
            order: 2
          },
          {
            type: "line",
            label: "Median",
            data: rows.map(function (r) { return r.median; }),
            showLine: false,
            pointStyle: "line",
            rotation: 90,
            pointRadius: 16,
            pointHoverRadius: 18,
            borderWidth: 4,
            borderColor: ink,
            backgroundColor: ink,
            order: 1
          }
        ]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { ticks: { callback: function (v) { return money(v); }, color: ink }, title: { display: true, text: "Annual wage (USD), " + (data.source || ""), color: ink } },
          y: { ticks: { color: ink } }
        },
        plugins: {
          legend: { position: "bottom", labels: { color: ink } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var raw = ctx.raw;
                var text = Array.isArray(raw) ? money(raw[0]) + " – " + money(raw[1]) : money(raw);
                return ctx.dataset.label + ": " + text;
              }
            }
          }
        }
      }
    });
  }

  function openTargetedDetails() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") {
      el.open = true;
    }
  }

  function init() {
    document.querySelectorAll("[data-wage-chart]").forEach(drawWageChart);
    openTargetedDetails();
  }

  window.addEventListener("hashchange", openTargetedDetails);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
