"""Annotation and extraction: spaCy, then actors, places, times, quantities,
equipment and events, each a module with one ``extract_*`` function."""
