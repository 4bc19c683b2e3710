"""Profiles: the single, validated description of a conversion."""
