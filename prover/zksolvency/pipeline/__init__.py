"""End-to-end jobs built from the stages (demo now; rounds later)."""
