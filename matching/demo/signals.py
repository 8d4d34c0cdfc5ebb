"""Sent by ``seed_demo`` once the demo city is in place, so that apps above
``matching`` (the CMS's demo pages) add their part without ``matching``
importing them."""

from django.dispatch import Signal

demo_seeded = Signal()  # keyword: seed
