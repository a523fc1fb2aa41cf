"""Thin pages: read the view from ``dashboard.state``, data from ``dashboard.data``, render."""
