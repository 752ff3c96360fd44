"""Personal data (UU 27/2022 PDP): the inventory generated from each domain's declarations,
export and erasure on request, retention, and the audit-chain alarm. See docs/privacy.md."""
