"""Domain logic per area; handlers call these with keyword-only arguments (DESIGN §2)."""
