"""DealQuest: a text-adventure role-play game about the difference between sales and marketing."""

__version__ = "0.1.0"
