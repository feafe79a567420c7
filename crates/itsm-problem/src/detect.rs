//! Finding problems in incident history: recurring clusters of incidents (being built).
