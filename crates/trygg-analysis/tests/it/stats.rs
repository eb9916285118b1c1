//! Statistics against statsmodels, ipfn and pandas fixtures.
