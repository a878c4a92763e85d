"""Mock server and MSW generation from the same specs."""
