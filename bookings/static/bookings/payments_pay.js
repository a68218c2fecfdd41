// The pay page: mount Stripe's Payment Element, confirm the payment, then wait for Tonic to
// confirm the booking (webhook, or a re-read of the PaymentIntent) and show it.
(function () {
  "use strict";
  const box = document.getElementById("pay");
  if (!box) return;
  const form = document.getElementById("pay-form");
  const button = document.getElementById("pay-button");
  const message = document.getElementById("pay-message");
  const loading = document.getElementById("pay-loading");

  function say(text, kind) {
    message.textContent = text;
    message.dataset.kind = kind || "";
  }

  // Poll the booking; `check` asks the server to re-read the PaymentIntent from Stripe.
  function waitForConfirmation(check, triesLeft) {
    const url = box.dataset.statusUrl + (check ? "?check=1" : "");
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((data) => {
        if (data.status !== "held") {
          window.location.reload();
        } else if (triesLeft > 0) {
          window.setTimeout(() => waitForConfirmation(check, triesLeft - 1), check ? 2000 : 3000);
        } else if (check) {
          say("Your payment is being processed. This page will update; you can also refresh it.", "info");
        }
      })
      .catch(() => window.setTimeout(() => waitForConfirmation(check, triesLeft - 1), 5000));
  }

  // Someone may pay from another tab, or a webhook may arrive: keep an eye on the booking.
  waitForConfirmation(false, 180);

  if (typeof window.Stripe !== "function") {
    if (loading) loading.remove();
    say("The secure card form could not be loaded. Check your connection and refresh the page.", "error");
    return;
  }
  const stripe = window.Stripe(box.dataset.publishableKey);
  const elements = stripe.elements({
    clientSecret: box.dataset.clientSecret,
    appearance: { theme: "stripe", variables: { colorPrimary: "#3d7a6a", borderRadius: "6px" } },
  });
  const paymentElement = elements.create("payment", { layout: "tabs" });
  paymentElement.mount("#payment-element");
  if (loading) loading.remove();
  button.disabled = false;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    say("", "");
    // A membership saves the card (a SetupIntent); Tonic then subscribes with it.
    const confirm = (box.dataset.mode === "setup" ? stripe.confirmSetup : stripe.confirmPayment).bind(stripe);
    const result = await confirm({
      elements,
      redirect: "if_required",
      confirmParams: { return_url: box.dataset.returnUrl },
    });
    button.removeAttribute("aria-busy");
    if (result.error) {
      button.disabled = false;
      say(result.error.message || "The payment did not go through. Please try again.", "error");
      return;
    }
    say("Payment received. Confirming…", "ok");
    waitForConfirmation(true, 15);
  });
})();
