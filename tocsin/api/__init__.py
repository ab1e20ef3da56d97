"""The REST API and dashboard server (FastAPI); see :func:`create_app`."""

from tocsin.api.app import create_app

__all__ = ["create_app"]
