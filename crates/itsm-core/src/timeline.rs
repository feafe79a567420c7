//! Practice-neutral ticket timelines (being written for issue 22: the input of `itsm-metrics`).
