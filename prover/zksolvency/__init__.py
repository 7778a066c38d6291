"""zksolvency: zero-knowledge proofs of solvency for derivatives venues."""

__version__ = "0.1.0"

__all__ = ["__version__"]
