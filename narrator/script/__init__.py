"""Routine to Script: what is said and held, in order, and where it falls on the clock."""
