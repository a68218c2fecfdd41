// The printable program's "Print" button (no inline handlers: the CSP allows only our files).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
