//! The random streams: each class draws each kind of value from a stream of its own,
//! seeded from the run's seed by SplitMix64.

/// What a class draws, each from a random stream of its own.
#[derive(Clone, Copy)]
pub(crate) enum Stream {
    Arrivals,
    Service,
    Holds,
    Reopens,
    Reassignments,
    /// The passes after the first: one generator per ticket and pass, seeded from this
    /// stream, so that a ticket's passes do not depend on the order of events.
    Onward,
}

/// The number of class `class`'s stream of `kind`: all different, and those of arrivals
/// and service times as they were before the others existed (so adding a kind of draw
/// changes no earlier run).
pub(crate) fn stream(kind: Stream, class: usize) -> u64 {
    let class = class as u64;
    match kind {
        Stream::Arrivals => 2 * class,
        Stream::Service => 2 * class + 1,
        Stream::Holds => (1 << 32) + class,
        Stream::Reopens => (2 << 32) + class,
        Stream::Reassignments => (3 << 32) + class,
        Stream::Onward => (4 << 32) + class,
    }
}

/// SplitMix64: independent seeds for each stream from the one seed.
pub(crate) fn mix(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_draws_each_kind_from_a_stream_of_its_own() {
        let kinds = [
            Stream::Arrivals,
            Stream::Service,
            Stream::Holds,
            Stream::Reopens,
            Stream::Reassignments,
            Stream::Onward,
        ];
        // Five priorities at most.
        let mut all: Vec<u64> = (0..5)
            .flat_map(|class| kinds.map(|kind| stream(kind, class)))
            .collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
        // Runs from before holds, reopens and reassignments draw as they did.
        assert_eq!(
            (stream(Stream::Arrivals, 3), stream(Stream::Service, 3)),
            (6, 7)
        );
    }
}
