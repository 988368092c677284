"""Estimators of autocorrelation (re-exported by ``ssmkit.autocorr``)."""

__all__: list[str] = []
