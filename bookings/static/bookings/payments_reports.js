// Owner reports: draw the revenue-by-week bar chart from the panel's JSON.
(function () {
  "use strict";
  if (typeof window.Chart !== "function") return;
  const colours = ["#3d7a6a", "#c9a227", "#b5543c"];
  document.querySelectorAll("canvas.payments-chart").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.source);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const money = new Intl.NumberFormat(undefined, { style: "currency", currency: data.currency });
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: colours[i % colours.length] })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, ticks: { callback: (v) => money.format(v) } } },
        plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${money.format(c.parsed.y)}` } } },
      },
    });
  });
})();
