"""Camunda documents and other byte sources: references, the REST document store, external URLs.

It knows HTTP (httpx) and Camunda's document API, and nothing of S3 or Zeebe.
"""
