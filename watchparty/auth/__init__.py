"""Authentication building blocks: password hashing and policy, tokens, TOTP, bearer check.

The account flows that use them live in `watchparty.services` (accounts, sessions, ...).
"""
