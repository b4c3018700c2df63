"""Writes. ``posting`` is the only writer of the book; the others build domain steps on top of it."""
