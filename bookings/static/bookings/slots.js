// The week of free times on /book/ and on the manage page (reschedule).
// Reads GET /api/availability/ in the visitor's zone (detected with Intl, changeable) and draws
// one button per free start. The API returns times already in that zone, so the local date and
// clock are read straight from the ISO strings; Intl only formats them.
(function () {
  "use strict";

  const DAYS_SHOWN = 7;
  const PARTS = [["Morning", 12], ["Afternoon", 17], ["Evening", 24]]; // [name, until hour]
  const SEARCH_DAYS = 56; // how far ahead to look when the first week is empty (API max 62)

  function todayIn(zone) {
    // en-CA formats dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
    }).format(new Date());
  }

  function addDays(ymd, n) {
    const d = new Date(ymd + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function dayLabel(ymd) {
    return new Intl.DateTimeFormat(undefined, {
      weekday: "short", day: "numeric", month: "short", timeZone: "UTC",
    }).format(new Date(ymd + "T00:00:00Z"));
  }

  function clockLabel(iso, zone) {
    return new Intl.DateTimeFormat(undefined, {
      hour: "numeric", minute: "2-digit", timeZone: zone,
    }).format(new Date(iso));
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setUp(root) {
    const select = root.querySelector("[data-zone]");
    const status = root.querySelector("[data-status]");
    const daysBox = root.querySelector("[data-days]");
    const label = root.querySelector("[data-week-label]");
    const prev = root.querySelector("[data-prev]");
    const next = root.querySelector("[data-next]");
    const mode = root.dataset.mode;
    const wide = window.matchMedia("(min-width: 900px)");
    // zone_picker.js has already chosen the browser's own zone when the page named none.
    let zone = select.value || root.dataset.studioTz;
    let weekStart = todayIn(zone);
    let request = 0;

    function url(start, end) {
      const params = new URLSearchParams({
        service: root.dataset.service, start: start, end: end, tz: zone,
      });
      if (root.dataset.specialist && root.dataset.specialist !== "any") {
        params.set("specialist", root.dataset.specialist);
      }
      // Rescheduling: the booking's own time may be reused.
      if (root.dataset.token) params.set("token", root.dataset.token);
      return root.dataset.api + "?" + params.toString();
    }

    async function fetchSlots(start, end) {
      const response = await fetch(url(start, end), { headers: { Accept: "application/json" } });
      const body = await response.json();
      if (!response.ok) {
        const message = Object.values(body).flat().join(" ");
        throw new Error(message || "Could not load times.");
      }
      // With "any specialist" several people may be free at once: one button per start.
      const seen = new Set();
      return body.slots.filter((slot) => !seen.has(slot.start) && seen.add(slot.start));
    }

    // Rescheduling: the booking's own time is marked, and choosing another asks first.
    function currentSlot(slot, text) {
      const mark = el("span", { class: "slot slot-current", "data-start": slot.start }, text);
      mark.append(el("small", {}, "your time"));
      return mark;
    }

    function whenLabel(iso) {
      const day = new Intl.DateTimeFormat(undefined, {
        weekday: "short", day: "numeric", month: "short", timeZone: zone,
      }).format(new Date(iso));
      return `${day}, ${clockLabel(iso, zone)}`;
    }

    function askToMove(slot) {
      const dialog = root.closest("form").querySelector("[data-move-confirm]");
      dialog.querySelector("[data-move-question]").textContent = `Move to ${whenLabel(slot.start)}?`;
      dialog.querySelector("[data-move-from]").textContent = `Your booking is now on `
        + `${whenLabel(root.dataset.current)} (times in ${zone.replaceAll("_", " ")}). `
        + "The old time goes back to the calendar.";
      dialog.querySelector("[data-move-yes]").value = slot.start;
      dialog.showModal();
    }

    function slotControl(slot) {
      const text = clockLabel(slot.start, zone);
      if (mode === "post") {
        if (root.dataset.current && Date.parse(root.dataset.current) === Date.parse(slot.start)) {
          return currentSlot(slot, text);
        }
        const button = el("button", {
          type: "button", class: "slot outline", "data-start": slot.start,
        }, text);
        button.addEventListener("click", () => askToMove(slot));
        return button;
      }
      const params = new URLSearchParams({
        specialist: root.dataset.specialist || "any", start: slot.start, tz: zone,
      });
      return el("a", {
        href: root.dataset.target + "?" + params.toString(), role: "button",
        class: "slot outline", "data-start": slot.start,
      }, text);
    }

    // A day of 15-minute starts is a wall of buttons: split it where people think of the day.
    function partsOf(daySlots) {
      const parts = new Map(PARTS.map(([name]) => [name, []]));
      daySlots.forEach((slot) => {
        const hour = Number(slot.start.slice(11, 13)); // local clock: the ISO string is in `zone`
        parts.get(PARTS.find(([, until]) => hour < until)[0]).push(slot);
      });
      return [...parts.entries()].filter(([, partSlots]) => partSlots.length);
    }

    function draw(slots) {
      const byDay = new Map();
      for (let i = 0; i < DAYS_SHOWN; i++) byDay.set(addDays(weekStart, i), []);
      slots.forEach((slot) => {
        const day = slot.start.slice(0, 10);
        if (byDay.has(day)) byDay.get(day).push(slot);
      });
      let opened = false;
      daysBox.replaceChildren(...[...byDay.entries()].map(([day, daySlots]) => {
        const box = el("details", { class: "slot-day", "data-day": day });
        const summary = el("summary", {}, dayLabel(day));
        summary.append(el("small", { class: "muted" },
          daySlots.length ? ` · ${daySlots.length} free` : " · none free"));
        box.append(summary);
        partsOf(daySlots).forEach(([part, partSlots]) => {
          const group = el("div", { class: "slot-part", "data-part": part });
          group.append(el("p", { class: "slot-part-name" }, part));
          const list = el("div", { class: "slot-list" });
          partSlots.forEach((slot) => list.append(slotControl(slot)));
          group.append(list);
          box.append(group);
        });
        if (wide.matches || (!opened && daySlots.length)) {
          box.open = true;
          opened = opened || daySlots.length > 0;
        }
        return box;
      }));
      label.textContent = dayLabel(weekStart) + " – " + dayLabel(addDays(weekStart, DAYS_SHOWN - 1));
      prev.disabled = weekStart <= todayIn(zone);
    }

    async function load(searchAhead) {
      const mine = ++request;
      status.textContent = "Loading free times…";
      try {
        let slots = await fetchSlots(weekStart, addDays(weekStart, DAYS_SHOWN - 1));
        if (!slots.length && searchAhead) {
          const later = await fetchSlots(addDays(weekStart, DAYS_SHOWN),
            addDays(weekStart, DAYS_SHOWN + SEARCH_DAYS - 1));
          if (later.length) {
            weekStart = later[0].start.slice(0, 10);
            slots = later;
          }
        }
        if (mine !== request) return;
        draw(slots);
        status.textContent = slots.length
          ? `Times in ${zone.replaceAll("_", " ")}. Choose one.`
          : "No free times this week. Try a later week.";
      } catch (error) {
        if (mine !== request) return;
        status.textContent = error.message;
      }
    }

    select.addEventListener("change", () => {
      zone = select.value;
      root.closest("form")?.querySelector("input[name=tz]")?.setAttribute("value", zone);
      weekStart = todayIn(zone);
      load(true);
    });
    prev.addEventListener("click", () => {
      const earliest = todayIn(zone);
      weekStart = addDays(weekStart, -DAYS_SHOWN) < earliest ? earliest : addDays(weekStart, -DAYS_SHOWN);
      load(false);
    });
    next.addEventListener("click", () => {
      weekStart = addDays(weekStart, DAYS_SHOWN);
      load(false);
    });
    root.closest("form")?.querySelector("[data-move-cancel]")?.addEventListener("click", (e) => {
      e.target.closest("dialog").close();
    });
    root.closest("form")?.querySelector("input[name=tz]")?.setAttribute("value", zone);
    load(true);
  }

  document.querySelectorAll("[data-slot-picker]").forEach(setUp);
})();
