"""Where a guest pays the couple for a pledge: the couple's own details, kept with their account.

Registries sit below accounts, so they ask through the `registry_payment_details` hook, which the app
keeping the details answers with a `PaymentDetails` (or None).
"""

from dataclasses import dataclass

from wagtail import hooks

PAYMENT_DETAILS_HOOK = "registry_payment_details"


@dataclass(frozen=True)
class PaymentDetails:
    paypal_me_url: str = ""
    bank_transfer_details: str = ""

    @property
    def given(self) -> bool:
        return bool(self.paypal_me_url or self.bank_transfer_details)


def payment_details_for(*, registry_id: int) -> PaymentDetails:
    for answer in hooks.get_hooks(PAYMENT_DETAILS_HOOK):
        details = answer(registry_id)
        if details is not None:
            return details
    return PaymentDetails()
