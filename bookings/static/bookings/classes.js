// The timetable in the visitor's own zone: on a first visit (no zone chosen yet) reload the
// page once with the browser's zone; the server renders every time in it.
(function () {
  var field = document.querySelector("[data-visitor-zone]");
  if (!field || field.dataset.visitorZone === "given") return;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || zone === field.value) return;
  var url = new URL(window.location.href);
  url.searchParams.set("tz", zone);
  window.location.replace(url.toString());
})();

// Filters apply as soon as one is chosen (a Filter button stands in without JavaScript).
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
