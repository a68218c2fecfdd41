// Program builder: move and remove exercise rows; htmx appends rows picked from the catalog.
// The order of the rows in the page is the order of the program. Leaving the page with edits
// not yet saved asks first (the browser's own "leave site?" prompt).
(function () {
  const items = document.getElementById("items");
  if (!items) return;
  const form = document.getElementById("program-form");
  const hint = document.getElementById("items-empty");
  let unsaved = false;
  const edited = () => {
    unsaved = true;
  };

  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  form.addEventListener("submit", () => {
    unsaved = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = "";
  });

  function refresh() {
    if (hint) hint.hidden = items.querySelector(".item-row") !== null;
  }

  items.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move], [data-remove]");
    if (!button) return;
    const row = button.closest(".item-row");
    edited();
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
    edited();
    refresh();
    const last = items.lastElementChild;
    // On a phone the catalog sits above the rows: stay at the search and say what was added.
    if (last && window.matchMedia("(min-width: 1000px)").matches) {
      last.scrollIntoView({ behavior: "smooth", block: "center" });
    }
    const note = document.getElementById("added-note");
    const name = last && last.querySelector(".item-title strong");
    if (note && name) note.textContent = `Added ${name.textContent} as exercise ${items.children.length}.`;
  });
  refresh();
})();
