/* Draws the supervision charts from the JSON the page carries (json_script), so
   the page needs no inline script under the Content-Security-Policy. */
(function () {
  "use strict";

  var PALETTE = ["#2e7d32", "#c62828", "#6a1b9a", "#f9a825", "#1565c0", "#00838f", "#ef6c00", "#5d4037", "#546e7a"];

  function bar(entry) {
    return {
      type: "bar",
      data: { labels: entry.labels, datasets: [{ label: entry.title, data: entry.values, backgroundColor: PALETTE[4] }] },
      options: {
        plugins: { title: { display: true, text: entry.title }, legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: entry.precision } } }
      }
    };
  }

  function grouped(entry, stack) {
    return {
      type: "bar",
      data: {
        labels: entry.labels,
        datasets: entry.series.map(function (series, index) {
          return { label: series.label, data: series.values, backgroundColor: PALETTE[index] };
        })
      },
      options: {
        plugins: { title: { display: true, text: entry.title } },
        scales: {
          x: { stacked: stack },
          y: { stacked: stack, beginAtZero: true, ticks: { precision: entry.precision } }
        }
      }
    };
  }

  function doughnut(entry) {
    return {
      type: "doughnut",
      data: { labels: entry.labels, datasets: [{ data: entry.values, backgroundColor: PALETTE.slice(0, entry.values.length) }] },
      options: { plugins: { title: { display: true, text: entry.title } } }
    };
  }

  function stacked(entry) {
    return grouped(entry, true);
  }

  function sideBySide(entry) {
    return grouped(entry, false);
  }

  var BUILDERS = { applications: bar, referrals: stacked, emergencies: doughnut, money: sideBySide };

  function draw() {
    var source = document.getElementById("supervision-chart-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    window.supervisionCharts = [];
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var key = canvas.getAttribute("data-chart");
      var config = BUILDERS[key](data[key]);
      config.options.animation = false;
      config.options.responsive = true;
      config.options.maintainAspectRatio = false;
      window.supervisionCharts.push(new window.Chart(canvas, config));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
