// The one time-zone picker (the list comes from accounts/zones.py): every
// select[data-zone-picker] gets a search box that narrows its options, and the browser's own zone
// moves to the top; with data-detect (the page named no zone) it is chosen too. Load this before
// scripts that read the select (bookings/slots.js): it does its work as soon as it runs.
(function () {
  "use strict";

  function intlName(zone) {
    try {
      return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
    } catch (e) {
      return "";
    }
  }

  // Chromium still reports some zones by retired names (Asia/Calcutta for Asia/Kolkata), so an
  // option matches when Intl gives it the same name as the detected zone.
  function detectedOption(select) {
    const detected = intlName(undefined);
    if (!detected) return null;
    const options = [...select.options];
    return options.find((o) => o.value === detected)
      || options.find((o) => intlName(o.value) === detected) || null;
  }

  function words(text) {
    return text.toLowerCase().replaceAll("_", " ");
  }

  function searchBox(select) {
    const box = document.createElement("input");
    box.type = "search";
    box.className = "zone-search";
    box.placeholder = "Search, e.g. London or Kolkata";
    box.setAttribute("aria-label", "Find a zone");
    box.setAttribute("aria-controls", select.id);
    box.autocomplete = "off";
    let timer = 0;
    box.addEventListener("input", () => {
      const query = words(box.value.trim());
      let first = null;
      for (const option of select.options) {
        option.hidden = query !== "" && !words(option.value + " " + option.text).includes(query);
        if (!option.hidden && !first) first = option;
      }
      // Choose the first match, once typing pauses (each choice reloads the times).
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (first && select.selectedOptions[0]?.hidden !== false) {
          select.value = first.value;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }, 400);
    });
    return box;
  }

  function enhance(select) {
    const own = detectedOption(select);
    if (own) {
      select.prepend(own);
      own.dataset.detected = "";
      own.text = own.text + " (your device)";
      if ("detect" in select.dataset) own.selected = true;
    }
    select.before(searchBox(select));
  }

  document.querySelectorAll("select[data-zone-picker]").forEach(enhance);
})();
