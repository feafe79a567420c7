//! Internally tagged enums (`{"type": "assigned", ...}`, `{"kind": "formula", ...}`) read
//! without buffering: the machinery behind the hidden [`__tagged_enum!`](crate::__tagged_enum)
//! macro, which itsm-core (for `RuleUsed`) and the practice crates (for their events and
//! commands) use. What it accepts and refuses is what serde's derive accepts and refuses.
//!
//! # Tagged enums
//!
//! serde's derived `Deserialize` for an internally tagged enum cannot know the variant until
//! it has seen the tag, which may come last, so it first reads the whole object into serde's
//! private buffer (every key, string and nested object copied) and then reads the variant's
//! fields from that buffer. The objects this crate writes start with the tag (`Serialize`
//! writes it first), so [`__tagged_enum!`](crate::__tagged_enum) gives the enum a `Deserialize` that reads the first
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
/// documentation). `#[doc(hidden)]`: for this workspace's crates, not a public API.
///
/// The first line names the tag and the variants' renaming rule; the rest is the enum as it
/// would be written by hand (attributes, documentation, variants of any shape that serde's
/// internally tagged enums allow). Field attributes are copied into both mirrors, so
/// `serde(flatten)`, `serde(default)` and the like keep their meaning. One invocation per
/// module: it defines the private modules `external_mirror` and `internal_mirror`, whose
/// enums see the module's imports through `use super::*` (and the public enum as `Remote`).
/// Variant and field attributes must be ones the mirrors' serde derive understands (docs,
/// `serde(...)`, `cfg_attr` on `serde`).
#[doc(hidden)]
#[macro_export]
macro_rules! __tagged_enum {
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
        impl $crate::__private::tagged::InternallyTagged for $name {
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
                $crate::__private::tagged::deserialize(deserializer)
            }
        }
    };
}

#[cfg(feature = "serde")]
pub use de::{InternallyTagged, deserialize};

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

    /// An enum whose `Deserialize` [`__tagged_enum!`](crate::__tagged_enum) writes: its tag, and
    /// the derived decoders of its two mirrors.
    pub trait InternallyTagged: Sized {
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
    pub fn deserialize<'de, T: InternallyTagged, D: Deserializer<'de>>(
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
