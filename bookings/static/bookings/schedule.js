// The staff schedule: one FullCalendar per specialist, side by side, moved together.
// The feed sends wall-clock times of the chosen zone without an offset and every calendar runs
// in timeZone "UTC", so FullCalendar draws them as they read (it has no named zones without a
// date library plugin).
(function () {
  "use strict";

  const root = document.querySelector("[data-schedule]");
  const configNode = document.getElementById("schedule-config");
  if (!root || !configNode || !window.FullCalendar) return;
  const config = JSON.parse(configNode.textContent);
  const columnsBox = root.querySelector("[data-columns]");
  const title = root.querySelector("[data-title]");
  const zoneSelect = root.querySelector("[data-zone]");
  const cancelled = root.querySelector("[data-cancelled]");
  const filters = root.querySelector("[data-filters]");
  const narrow = window.matchMedia("(max-width: 700px)").matches;
  const several = config.specialists.length > 1;
  let zone = config.tz;
  let view = several || narrow ? "timeGridDay" : "timeGridWeek";

  // "Now" as a wall-clock time in the display zone, dressed as UTC for FullCalendar.
  function wallNow() {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date()).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}Z`;
  }

  let zones;
  try { zones = Intl.supportedValuesOf("timeZone"); } catch (e) { zones = [zone]; }
  if (!zones.includes(zone)) zones.unshift(zone);
  zoneSelect.replaceChildren(...zones.map((z) => {
    const option = document.createElement("option");
    option.value = z;
    option.textContent = z.replaceAll("_", " ");
    option.selected = z === zone;
    return option;
  }));

  const calendars = config.specialists.map((specialist) => {
    const column = document.createElement("section");
    column.className = "schedule-column";
    column.dataset.specialist = specialist.id;
    const heading = document.createElement("h3");
    const dot = document.createElement("span");
    dot.className = "dot";
    dot.style.background = specialist.color;
    heading.append(dot, specialist.name);
    const holder = document.createElement("div");
    column.append(heading, holder);
    columnsBox.append(column);

    if (several) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.addEventListener("change", () => {
        column.hidden = !box.checked;
        calendars.forEach((c) => c.updateSize());
      });
      label.append(box, " " + specialist.name);
      filters.append(label);
    }

    return new FullCalendar.Calendar(holder, {
      timeZone: "UTC",
      now: wallNow,
      initialView: view,
      initialDate: config.date || undefined,
      headerToolbar: false,
      height: "auto",
      allDaySlot: false,
      nowIndicator: true,
      slotMinTime: "07:00:00",
      slotMaxTime: "21:00:00",
      slotDuration: "00:15:00",
      slotLabelInterval: "01:00",
      firstDay: 1,
      eventTimeFormat: { hour: "numeric", minute: "2-digit", meridiem: "short" },
      noEventsContent: "Nothing booked",
      events: {
        url: config.events,
        extraParams: () => ({
          specialist: specialist.id, tz: zone, cancelled: cancelled.checked ? "1" : "0",
        }),
        failure: () => { title.textContent = "Could not load the schedule."; },
      },
      datesSet: (info) => { title.textContent = info.view.title; },
      // Selecting an empty time books a client into it (the form says which zone it is in).
      selectable: true,
      selectMirror: true,
      selectOverlap: false,
      select: (info) => {
        const params = new URLSearchParams({
          specialist: specialist.id, start: info.startStr.replace(/Z$/, "").slice(0, 16), tz: zone,
        });
        window.location.href = `${config.book}?${params}`;
      },
    });
  });

  function setView(name) {
    view = name;
    columnsBox.classList.toggle("view-week", name === "timeGridWeek" && several);
    columnsBox.classList.toggle("view-list", name === "listWeek");
    root.querySelectorAll("[data-view]").forEach((b) => {
      b.setAttribute("aria-pressed", String(b.dataset.view === name));
    });
    calendars.forEach((c) => c.changeView(name));
  }

  calendars.forEach((c) => c.render());
  setView(view);

  root.querySelectorAll("[data-nav]").forEach((button) => {
    button.addEventListener("click", () => calendars.forEach((c) => c[button.dataset.nav]()));
  });
  root.querySelectorAll("[data-view]").forEach((button) => {
    button.addEventListener("click", () => setView(button.dataset.view));
  });
  cancelled.addEventListener("change", () => calendars.forEach((c) => c.refetchEvents()));
  zoneSelect.addEventListener("change", () => {
    zone = zoneSelect.value;
    // Stay on the same wall-clock day; only the drawing zone changes.
    calendars.forEach((c) => c.refetchEvents());
  });
})();
