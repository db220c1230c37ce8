"""Stack output ids built from config names."""

from __future__ import annotations


def output_id(*names: str) -> str:
    """A CloudFormation output id from config names: ``("product-docs", "faq")`` -> ``ProductDocsFaq``."""
    return "".join(part.capitalize() for name in names for part in name.replace("_", "-").split("-"))
