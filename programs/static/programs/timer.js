// Hold timers on the client's program: count a hold down, once per side when the item says so.
// A finished hold ticks that exercise in the practice log form (the client still saves it).
(function () {
  const format = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;

  document.querySelectorAll("[data-timer]").forEach((box) => {
    const seconds = parseInt(box.dataset.seconds, 10);
    const sides = box.dataset.perSide === "true" ? 2 : 1;
    const item = box.dataset.item;
    const output = box.querySelector("output");
    const start = box.querySelector("[data-timer-start]");
    const reset = box.querySelector("[data-timer-reset]");
    const note = box.querySelector(".timer-note");
    let left = seconds;
    let side = 1;
    let tick = null;

    const tickInLog = () => {
      const checkbox = document.querySelector(`.log-form input[name="completed_items"][value="${item}"]`);
      if (!checkbox) return false;
      checkbox.checked = true;
      return true;
    };
    const label = () => (sides === 2 ? `Start ${side === 1 ? "first" : "second"} side` : "Start hold");
    const show = () => {
      output.textContent = format(left);
    };
    const stop = () => {
      clearInterval(tick);
      tick = null;
      box.classList.remove("running");
    };
    const finish = () => {
      stop();
      box.classList.add("done");
      if (sides === 2 && side === 1) {
        side = 2;
        left = seconds;
        note.textContent = "Switch sides, then start again.";
      } else {
        side = 1;
        const ticked = tickInLog() ? " Ticked in your practice log below." : "";
        note.textContent = `Done. Come out of it slowly.${ticked}`;
      }
      show();
      start.textContent = label();
    };

    start.addEventListener("click", () => {
      if (tick) {
        stop();
        start.textContent = "Resume";
        return;
      }
      if (left <= 0) left = seconds;
      box.classList.add("running");
      box.classList.remove("done");
      note.textContent = sides === 2 ? `${side === 1 ? "First" : "Second"} side: breathe easily.` : "Breathe easily.";
      start.textContent = "Pause";
      reset.hidden = false;
      tick = setInterval(() => {
        left -= 1;
        show();
        if (left <= 0) finish();
      }, 1000);
    });

    reset.addEventListener("click", () => {
      stop();
      left = seconds;
      side = 1;
      note.textContent = "";
      box.classList.remove("done");
      reset.hidden = true;
      start.textContent = label();
      show();
    });

    show();
    start.textContent = label();
  });
})();
