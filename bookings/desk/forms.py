"""The desk's form: an amount in currency units (95.00), turned into minor units here."""

from decimal import Decimal

from django import forms

from ..money import minor_units
from .models import DeskPayment


class DeskMoneyForm(forms.Form):
    """Money taken or given back at the desk; `minor(currency)` is the amount in minor units."""

    amount = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=10, decimal_places=2, label="Amount"
    )
    method = forms.ChoiceField(choices=DeskPayment.Method.choices, label="How")
    note = forms.CharField(required=False, max_length=200, label="Note (optional)")

    def minor(self, currency: str) -> int:
        """The cleaned amount in minor units; a fraction the currency has not is an error."""
        try:
            return minor_units(self.cleaned_data["amount"], currency)
        except ValueError as exc:
            self.add_error("amount", str(exc))
            return 0
