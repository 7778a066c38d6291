"""Orders signed with EdDSA over Baby Jubjub and Poseidon, as circomlib's ``EdDSAPoseidonVerifier`` checks."""

from zksolvency.orders.eddsa import Signature, public_key, sign, verify
from zksolvency.orders.keyfile import AccountKey, new_key, read_key_file, read_public_keys, write_key_file
from zksolvency.orders.order import Order, order_message, read_orders, sign_order, verify_order

__all__ = [
    "AccountKey",
    "Order",
    "Signature",
    "new_key",
    "order_message",
    "public_key",
    "read_key_file",
    "read_orders",
    "read_public_keys",
    "sign",
    "sign_order",
    "verify",
    "verify_order",
    "write_key_file",
]
