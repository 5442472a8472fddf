//! dbc-sim: see README.
