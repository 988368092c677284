"""The theory of "Autocorrelation Matters" as functions (re-exported by ``ssmkit.autocorr``)."""

__all__: list[str] = []
