// The compare page's chart: median earnings one year after against median debt, drawn with Chart.js
// from the table that is always on the page (the chart's text alternative). One dataset per program
// so the legend names each point, with a distinct colour and marker shape (not colour alone).
(function () {
  "use strict";
  var box = document.querySelector("[data-chart-box]");
  var canvas = document.getElementById("compare-chart");
  if (!box || !canvas || !window.Chart) return;
  var shapes = ["circle", "rect", "triangle", "rectRot", "star", "crossRot", "rectRounded", "cross", "line", "dash"];
  var colours = ["#0b5cad", "#b3261e", "#1e6b34", "#8a5300", "#6a1b9a", "#00695c", "#4a5360", "#ad1457", "#283593", "#5d4037"];
  var datasets = [];
  document.querySelectorAll("#chart-data tr[data-point]").forEach(function (row, i) {
    var colour = colours[i % colours.length];
    datasets.push({
      label: row.getAttribute("data-label"),
      data: [{ x: Number(row.getAttribute("data-debt")), y: Number(row.getAttribute("data-earnings")) }],
      pointStyle: shapes[i % shapes.length],
      backgroundColor: colour,
      borderColor: colour,
      pointRadius: 8,
      pointHoverRadius: 10
    });
  });
  if (!datasets.length) return;
  function money(value) {
    return "$" + Math.round(Number(value)).toLocaleString("en-US");
  }
  box.hidden = false;
  new window.Chart(canvas, {
    type: "scatter",
    data: { datasets: datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { beginAtZero: true, grace: "10%", title: { display: true, text: "Median debt (USD)" }, ticks: { callback: money } },
        y: {
          beginAtZero: true,
          grace: "10%",
          title: { display: true, text: "Median earnings 1 year after (USD)" },
          ticks: { callback: money }
        }
      },
      plugins: {
        legend: { position: "bottom", labels: { usePointStyle: true } },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              return ctx.dataset.label + ": debt " + money(ctx.parsed.x) + ", earnings " + money(ctx.parsed.y);
            }
          }
        }
      }
    }
  });
})();
