// Program builder: move and remove exercise rows; htmx appends rows picked from the catalog.
// The order of the rows in the page is the order of the program.
(function () {
  const items = document.getElementById("items");
  if (!items) return;
  const hint = document.getElementById("items-empty");

  function refresh() {
    if (hint) hint.hidden = items.querySelector(".item-row") !== null;
  }

  items.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move], [data-remove]");
    if (!button) return;
    const row = button.closest(".item-row");
    if (button.hasAttribute("data-remove")) {
      row.remove();
      refresh();
      return;
    }
    if (button.dataset.move === "up" && row.previousElementSibling) {
      items.insertBefore(row, row.previousElementSibling);
    } else if (button.dataset.move === "down" && row.nextElementSibling) {
      items.insertBefore(row.nextElementSibling, row);
    }
    button.focus();
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target !== items) return;
    refresh();
    const last = items.lastElementChild;
    if (last) last.scrollIntoView({ behavior: "smooth", block: "center" });
  });
  refresh();
})();
