"""tocsin: news about military and political tension, as checkable events."""

__version__ = "0.1.0"
