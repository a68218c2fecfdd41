// Pain and adherence over time (Chart.js), drawn from the json_script block each canvas names.
(function () {
  function shortDate(iso) {
    return new Date(`${iso}T00:00:00`).toLocaleDateString(undefined, { month: "short", day: "numeric" });
  }

  function draw() {
    if (!window.Chart) return;
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const source = document.getElementById(canvas.dataset.chart);
      if (!source || canvas.dataset.drawn) return;
      const data = JSON.parse(source.textContent);
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        data: {
          labels: data.labels.map(shortDate),
          datasets: [
            {
              type: "line",
              label: "Pain (0-10)",
              data: data.pain,
              yAxisID: "pain",
              borderColor: "#b3541e",
              backgroundColor: "#b3541e",
              tension: 0.25,
              spanGaps: true,
              order: 1,
            },
            {
              type: "bar",
              label: "Exercises done (%)",
              data: data.adherence,
              yAxisID: "adherence",
              backgroundColor: "rgba(61, 122, 106, 0.35)",
              borderColor: "#3d7a6a",
              borderWidth: 1,
              order: 2,
            },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: "index", intersect: false },
          scales: {
            pain: { position: "left", min: 0, max: 10, title: { display: true, text: "Pain" } },
            adherence: {
              position: "right",
              min: 0,
              max: 100,
              grid: { drawOnChartArea: false },
              title: { display: true, text: "Done %" },
            },
            x: { ticks: { maxRotation: 0, autoSkip: true } },
          },
        },
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
