//! Decoding stored events and commands fast: internally tagged enums (`{"type": "assigned",
//! ...}`) read without buffering ([`tagged_enum!`]), instants in the form `Serialize` writes
//! read directly (`instant`), shared values read into their `Arc` with one allocation
//! (`arc`). What each accepts and refuses is what serde's derive and chrono accept and
//! refuse.
//!
//! # Tagged enums
//!
//! serde's derived `Deserialize` for an internally tagged enum cannot know the variant until
//! it has seen the tag, which may come last, so it first reads the whole object into serde's
//! private buffer (every key, string and nested object copied) and then reads the variant's
//! fields from that buffer. The objects this crate writes start with the tag (`Serialize`
//! writes it first), so [`tagged_enum!`] gives the enum a `Deserialize` that reads the first
//! key of the object and:
//! - when it is the tag, reads the variant's name and hands the rest of the same map to the
//!   derived `Deserialize` of an *externally* tagged mirror of the enum, through `TagFirst`,
//!   an `EnumAccess` over the remaining entries: a struct variant reads them as its fields, a
//!   newtype variant as its value, a unit variant ignores them. Nothing is buffered.
//! - otherwise replays that first key and falls back to the derived internally tagged
//!   `Deserialize` of a second mirror, which buffers as before.
//!
//! Both mirrors are serde *remote* definitions that the macro writes from the one list of
//! variants: they build the public enum directly, so no conversion is written either. The
//! fast path accepts and refuses what the derived one does: unknown fields are ignored, a
//! repeated tag is a `duplicate field` error, the tag's value is read by the same derived
//! variant identifier (same `unknown variant` message), and anything that is not an object
//! goes to the derived path. Errors are reported where they occur (the derived path reports
//! most at the end of the object, so the line and column differ), and where an object holds
//! two faults the message may name the other one: the derived path, reading everything
//! first, reports a repeated tag or a syntax error before a bad value that precedes it.

/// Defines an internally tagged enum once, with its `Serialize`, and a `Deserialize` that
/// reads the tag-first objects that `Serialize` writes without buffering (see the module
/// documentation).
///
/// The first line names the tag and the variants' renaming rule; the rest is the enum as it
/// would be written by hand (attributes, documentation, variants of any shape that serde's
/// internally tagged enums allow). Field attributes are copied into both mirrors, so
/// `serde(flatten)`, `serde(default)` and the like keep their meaning. One invocation per
/// module: it defines the private modules `external_mirror` and `internal_mirror`, whose
/// enums see the module's imports through `use super::*` (and the public enum as `Remote`).
/// Variant and field attributes must be ones the mirrors' serde derive understands (docs,
/// `serde(...)`, `cfg_attr` on `serde`).
macro_rules! tagged_enum {
    (
        #[tagged(tag = $tag:literal, rename_all = $rename_all:literal)]
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $( ( $($tuple:tt)* ) )? $( { $($fields:tt)* } )?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        #[cfg_attr(feature = "serde", serde(tag = $tag, rename_all = $rename_all))]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant $( ( $($tuple)* ) )? $( { $($fields)* } )?
            ),*
        }

        /// The same enum, externally tagged: the fast path reads the variant's name from the
        /// tag's value and the fields from the rest of the object.
        #[cfg(feature = "serde")]
        mod external_mirror {
            #[allow(unused_imports)]
            use super::*;
            use super::$name as Remote;

            #[derive(serde::Deserialize)]
            #[serde(remote = "Remote", rename_all = $rename_all)]
            #[allow(dead_code)]
            pub(super) enum $name {
                $(
                    $(#[$vmeta])*
                    $variant $( ( $($tuple)* ) )? $( { $($fields)* } )?
                ),*
            }
        }

        /// The same enum with serde's derived internally tagged format: the path for objects
        /// whose first key is not the tag, and for sequences.
        #[cfg(feature = "serde")]
        mod internal_mirror {
            #[allow(unused_imports)]
            use super::*;
            use super::$name as Remote;

            #[derive(serde::Deserialize)]
            #[serde(remote = "Remote", tag = $tag, rename_all = $rename_all)]
            #[allow(dead_code)]
            pub(super) enum $name {
                $(
                    $(#[$vmeta])*
                    $variant $( ( $($tuple)* ) )? $( { $($fields)* } )?
                ),*
            }
        }

        #[cfg(feature = "serde")]
        impl $crate::serde_tagged::InternallyTagged for $name {
            const TAG: &'static str = $tag;
            const EXPECTING: &'static str = concat!("internally tagged enum ", stringify!($name));

            fn external<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                external_mirror::$name::deserialize(deserializer)
            }

            fn internal<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                internal_mirror::$name::deserialize(deserializer)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::serde_tagged::deserialize(deserializer)
            }
        }
    };
}

pub(crate) use tagged_enum;

#[cfg(feature = "serde")]
pub(crate) use de::{InternallyTagged, deserialize};

#[cfg(feature = "serde")]
mod de {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::value::{
        BorrowedBytesDeserializer, BorrowedStrDeserializer, BytesDeserializer,
        MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer, StringDeserializer,
        U64Deserializer,
    };
    use serde::de::{
        DeserializeSeed, Deserializer, EnumAccess, Error, IgnoredAny, MapAccess, SeqAccess,
        Unexpected, VariantAccess, Visitor,
    };

    /// An enum whose `Deserialize` [`tagged_enum!`](super::tagged_enum) writes: its tag, and
    /// the derived decoders of its two mirrors.
    pub(crate) trait InternallyTagged: Sized {
        /// The tag's key (`"type"`).
        const TAG: &'static str;
        /// What the derived decoder says it expected (`internally tagged enum Event`).
        const EXPECTING: &'static str;
        /// Decodes the externally tagged mirror (an enum access whose variant name is the
        /// tag's value).
        fn external<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
        /// Decodes with serde's derived internally tagged format.
        fn internal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
    }

    /// The `Deserialize` of an [`InternallyTagged`] enum.
    pub(crate) fn deserialize<'de, T: InternallyTagged, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        // `deserialize_any`, as the derived decoder asks: a map or a sequence.
        deserializer.deserialize_any(TaggedVisitor(PhantomData))
    }

    struct TaggedVisitor<T>(PhantomData<T>);

    impl<'de, T: InternallyTagged> Visitor<'de> for TaggedVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }

        #[inline]
        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<T, M::Error> {
            match map.next_key_seed(FirstKeySeed::<T>(PhantomData))? {
                Some(FirstKey::Tag) => T::external(TagFirst::<T, M> {
                    map,
                    tagged: PhantomData,
                }),
                first => T::internal(MapAccessDeserializer::new(Replay::<T, M> {
                    first,
                    map,
                    tagged: PhantomData,
                })),
            }
        }

        fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<T, S::Error> {
            T::internal(SeqAccessDeserializer::new(seq))
        }
    }

    /// An object whose first key was the tag, its value not yet read: as a deserializer, an
    /// enum whose variant name is the tag's value and whose content is the rest of the map.
    struct TagFirst<T, M> {
        map: M,
        tagged: PhantomData<T>,
    }

    impl<'de, T: InternallyTagged, M: MapAccess<'de>> Deserializer<'de> for TagFirst<T, M> {
        type Error = M::Error;

        #[inline]
        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, M::Error> {
            visitor.visit_enum(self)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map struct
            enum identifier ignored_any
        }
    }

    impl<'de, T: InternallyTagged, M: MapAccess<'de>> EnumAccess<'de> for TagFirst<T, M> {
        type Error = M::Error;
        type Variant = AfterTag<T, M>;

        #[inline]
        fn variant_seed<V: DeserializeSeed<'de>>(
            mut self,
            seed: V,
        ) -> Result<(V::Value, AfterTag<T, M>), M::Error> {
            // The tag's value, read by the mirror's derived variant identifier: the same
            // names, and the same errors, as the derived internally tagged decoder.
            let variant = self.map.next_value_seed(seed)?;
            Ok((
                variant,
                AfterTag {
                    map: self.map,
                    tagged: PhantomData,
                },
            ))
        }
    }

    /// The rest of the map after the tag: a second tag is an error (`duplicate field`), as in
    /// the derived decoder; other keys pass through untouched.
    struct AfterTag<T, M> {
        map: M,
        tagged: PhantomData<T>,
    }

    impl<'de, T: InternallyTagged, M: MapAccess<'de>> VariantAccess<'de> for AfterTag<T, M> {
        type Error = M::Error;

        #[inline]
        fn unit_variant(mut self) -> Result<(), M::Error> {
            // A unit variant ignores whatever else the object holds, as the derived one does.
            while self.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(())
        }

        #[inline]
        fn newtype_variant_seed<S: DeserializeSeed<'de>>(
            self,
            seed: S,
        ) -> Result<S::Value, M::Error> {
            // The value is the rest of the object (a struct, or a struct variant whose fields
            // include a flattened one).
            seed.deserialize(MapAccessDeserializer::new(self))
        }

        fn tuple_variant<V: Visitor<'de>>(
            self,
            _len: usize,
            visitor: V,
        ) -> Result<V::Value, M::Error> {
            // serde refuses tuple variants in internally tagged enums at compile time, so the
            // mirrors have none; an object is not a tuple in any case.
            Err(M::Error::invalid_type(Unexpected::Map, &visitor))
        }

        #[inline]
        fn struct_variant<V: Visitor<'de>>(
            self,
            _fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, M::Error> {
            visitor.visit_map(self)
        }
    }

    impl<'de, T: InternallyTagged, M: MapAccess<'de>> MapAccess<'de> for AfterTag<T, M> {
        type Error = M::Error;

        #[inline]
        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, M::Error> {
            self.map.next_key_seed(NotTag::<T, K> {
                seed,
                tagged: PhantomData,
            })
        }

        #[inline]
        fn next_value_seed<V: DeserializeSeed<'de>>(
            &mut self,
            seed: V,
        ) -> Result<V::Value, M::Error> {
            self.map.next_value_seed(seed)
        }

        fn size_hint(&self) -> Option<usize> {
            self.map.size_hint()
        }
    }

    /// A key seed that refuses the tag and hands any other key on to the inner seed.
    struct NotTag<T, K> {
        seed: K,
        tagged: PhantomData<T>,
    }

    impl<'de, T: InternallyTagged, K: DeserializeSeed<'de>> DeserializeSeed<'de> for NotTag<T, K> {
        type Value = K::Value;

        #[inline]
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<K::Value, D::Error> {
            deserializer.deserialize_identifier(self)
        }
    }

    impl<'de, T: InternallyTagged, K: DeserializeSeed<'de>> Visitor<'de> for NotTag<T, K> {
        type Value = K::Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a field name")
        }

        fn visit_u64<E: Error>(self, v: u64) -> Result<K::Value, E> {
            self.seed.deserialize(U64Deserializer::new(v))
        }

        #[inline]
        fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<K::Value, E> {
            if v == T::TAG {
                return Err(E::duplicate_field(T::TAG));
            }
            self.seed.deserialize(BorrowedStrDeserializer::new(v))
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<K::Value, E> {
            if v == T::TAG {
                return Err(E::duplicate_field(T::TAG));
            }
            self.seed.deserialize(StrDeserializer::new(v))
        }

        fn visit_borrowed_bytes<E: Error>(self, v: &'de [u8]) -> Result<K::Value, E> {
            if v == T::TAG.as_bytes() {
                return Err(E::duplicate_field(T::TAG));
            }
            self.seed.deserialize(BorrowedBytesDeserializer::new(v))
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<K::Value, E> {
            if v == T::TAG.as_bytes() {
                return Err(E::duplicate_field(T::TAG));
            }
            self.seed.deserialize(BytesDeserializer::new(v))
        }
    }

    /// The first key of the object: the tag, or another key kept to be replayed.
    enum FirstKey<'de> {
        Tag,
        Str(&'de str),
        String(String),
        Bytes(&'de [u8]),
        ByteBuf(Vec<u8>),
        U64(u64),
    }

    struct FirstKeySeed<T>(PhantomData<T>);

    impl<'de, T: InternallyTagged> DeserializeSeed<'de> for FirstKeySeed<T> {
        type Value = FirstKey<'de>;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl<'de, T: InternallyTagged> Visitor<'de> for FirstKeySeed<T> {
        type Value = FirstKey<'de>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a field name")
        }

        fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(FirstKey::U64(v))
        }

        fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(if v == T::TAG {
                FirstKey::Tag
            } else {
                FirstKey::Str(v)
            })
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(if v == T::TAG {
                FirstKey::Tag
            } else {
                FirstKey::String(v.to_owned())
            })
        }

        fn visit_borrowed_bytes<E: Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
            Ok(if v == T::TAG.as_bytes() {
                FirstKey::Tag
            } else {
                FirstKey::Bytes(v)
            })
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Self::Value, E> {
            Ok(if v == T::TAG.as_bytes() {
                FirstKey::Tag
            } else {
                FirstKey::ByteBuf(v.to_vec())
            })
        }
    }

    /// A map whose first key was read already: replays it, then reads on.
    struct Replay<'de, T, M> {
        first: Option<FirstKey<'de>>,
        map: M,
        tagged: PhantomData<T>,
    }

    impl<'de, T: InternallyTagged, M: MapAccess<'de>> MapAccess<'de> for Replay<'de, T, M> {
        type Error = M::Error;

        #[inline]
        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, M::Error> {
            match self.first.take() {
                None => self.map.next_key_seed(seed),
                Some(FirstKey::Tag) => seed
                    .deserialize(BorrowedStrDeserializer::new(T::TAG))
                    .map(Some),
                Some(FirstKey::Str(s)) => {
                    seed.deserialize(BorrowedStrDeserializer::new(s)).map(Some)
                }
                Some(FirstKey::String(s)) => seed.deserialize(StringDeserializer::new(s)).map(Some),
                Some(FirstKey::Bytes(b)) => seed
                    .deserialize(BorrowedBytesDeserializer::new(b))
                    .map(Some),
                Some(FirstKey::ByteBuf(b)) => {
                    seed.deserialize(BytesDeserializer::new(&b)).map(Some)
                }
                Some(FirstKey::U64(n)) => seed.deserialize(U64Deserializer::new(n)).map(Some),
            }
        }

        #[inline]
        fn next_value_seed<V: DeserializeSeed<'de>>(
            &mut self,
            seed: V,
        ) -> Result<V::Value, M::Error> {
            self.map.next_value_seed(seed)
        }

        fn size_hint(&self) -> Option<usize> {
            self.map
                .size_hint()
                .map(|n| n.saturating_add(usize::from(self.first.is_some())))
        }
    }
}

/// Reads an `Arc<T>` with one allocation: serde's own (`rc` feature) reads a `Box<T>`, then
/// moves it into a second allocation for the `Arc`.
#[cfg(feature = "serde")]
pub(crate) fn arc<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    deserializer: D,
) -> Result<std::sync::Arc<T>, D::Error> {
    T::deserialize(deserializer).map(std::sync::Arc::new)
}

/// Reads an instant as chrono's `Deserialize` for `DateTime<Utc>` does (an RFC 3339 string,
/// any offset, converted to UTC; the same errors), with a direct path for the form
/// `Serialize` writes: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, `Z`.
/// chrono's general parser takes several times as long as the rest of a short event.
#[cfg(feature = "serde")]
pub(crate) fn instant<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<chrono::DateTime<chrono::Utc>, D::Error> {
    deserializer.deserialize_str(instant::InstantVisitor)
}

#[cfg(feature = "serde")]
mod instant {
    use std::fmt;

    use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
    use serde::de::{Error, Visitor};

    /// chrono's visitor, with the direct path in front.
    pub(super) struct InstantVisitor;

    impl Visitor<'_> for InstantVisitor {
        type Value = DateTime<Utc>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            // chrono's words, so that errors read the same.
            f.write_str("an RFC 3339 formatted date and time string")
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<DateTime<Utc>, E> {
            match canonical(v.as_bytes()) {
                Some(instant) => Ok(instant),
                None => v
                    .parse::<DateTime<FixedOffset>>()
                    .map(|instant| instant.with_timezone(&Utc))
                    .map_err(E::custom),
            }
        }
    }

    /// The value of `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`, or `None` for anything else (another
    /// shape, an impossible date, a leap second): chrono's parser then decides.
    pub(super) fn canonical(s: &[u8]) -> Option<DateTime<Utc>> {
        let (head, rest) = (s.get(..19)?, s.get(19..)?);
        let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
        if !separators.iter().all(|&(i, c)| head.get(i) == Some(&c)) {
            return None;
        }
        let number = |from: usize, to: usize| head.get(from..to).and_then(digits);
        let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
        let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
        let nanos = match rest {
            [b'Z'] => 0,
            [b'.', fraction @ .., b'Z'] if (1..=9).contains(&fraction.len()) => {
                let value = digits(fraction)?;
                // Scale to nanoseconds: `.5` is 500,000,000 ns.
                let scale = 10u32.checked_pow(9 - u32::try_from(fraction.len()).ok()?)?;
                value.checked_mul(scale)?
            }
            _ => return None,
        };
        let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
        // `from_hms_nano_opt` refuses second 60; leap seconds go to chrono's parser.
        let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
        Some(date.and_time(time).and_utc())
    }

    /// The decimal value of ASCII digits (at most 9, so it fits), or `None`.
    fn digits(bytes: &[u8]) -> Option<u32> {
        bytes.iter().try_fold(0u32, |value, &b| {
            b.is_ascii_digit().then(|| value * 10 + u32::from(b - b'0'))
        })
    }
}
