//! Hotspot maths against scikit-learn, esda and h3-py fixtures.
