"""zeebe-s3-connector: a Zeebe job worker for Amazon S3 and S3-compatible stores."""

__version__ = "0.1.0"
__all__ = ["__version__"]
