"""Talks over time: alternating-offers negotiation while walk-away points drift."""
