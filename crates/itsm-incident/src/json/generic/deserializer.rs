//! The `serde::Deserializer` side of [`Reader`]: `deserialize_*` for each shape, and the
//! sequence, map, enum and map-key accessors serde's derived code drives (moved out of
//! `generic.rs`, which keeps the reader and its errors).

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Unexpected, Visitor};

use super::super::text::Syntax;
use super::{Fault, Reader, Result};

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Fault;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = match self.parse_whitespace() {
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
            Some(b'n') => {
                self.eat_char();
                self.parse_ident(b"ull")?;
                visitor.visit_unit()
            }
            Some(b't') => {
                self.eat_char();
                self.parse_ident(b"rue")?;
                visitor.visit_bool(true)
            }
            Some(b'f') => {
                self.eat_char();
                self.parse_ident(b"alse")?;
                visitor.visit_bool(false)
            }
            Some(c @ (b'-' | b'0'..=b'9')) => self.parse_signed(c == b'-')?.visit(visitor),
            Some(b'"') => {
                self.eat_char();
                self.visit_str(visitor)
            }
            Some(b'[') => self.visit_array(visitor),
            Some(b'{') => self.visit_object(visitor),
            Some(_) => Err(self.error(Syntax::ExpectedSomeValue)),
        };
        value.map_err(|fault: Fault| fault.or_at(self.pos))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = match self.parse_whitespace() {
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
            Some(b't') => {
                self.eat_char();
                self.parse_ident(b"rue")?;
                visitor.visit_bool(true)
            }
            Some(b'f') => {
                self.eat_char();
                self.parse_ident(b"alse")?;
                visitor.visit_bool(false)
            }
            Some(_) => Err(self.peek_invalid_type(&visitor)),
        };
        value.map_err(|fault: Fault| fault.or_at(self.pos))
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_number(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_number(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_number(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_number(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_number(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_number(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_number(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_number(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_number(visitor)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_number(visitor)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mut buf = String::new();
        match self.parse_whitespace() {
            Some(b'-') => {
                self.eat_char();
                buf.push('-');
            }
            Some(_) => {}
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
        }
        self.scan_integer128(&mut buf)?;
        let value = match buf.parse::<i128>() {
            Ok(int) => visitor.visit_i128(int),
            Err(_) => return Err(self.error(Syntax::NumberOutOfRange)),
        };
        value.map_err(|fault: Fault| fault.or_at(self.pos))
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.parse_whitespace() {
            Some(b'-') => return Err(self.error(Syntax::NumberOutOfRange)),
            Some(_) => {}
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
        }
        let mut buf = String::new();
        self.scan_integer128(&mut buf)?;
        let value = match buf.parse::<u128>() {
            Ok(int) => visitor.visit_u128(int),
            Err(_) => return Err(self.error(Syntax::NumberOutOfRange)),
        };
        value.map_err(|fault: Fault| fault.or_at(self.pos))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = match self.parse_whitespace() {
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
            Some(b'"') => {
                self.eat_char();
                self.visit_str(visitor)
            }
            Some(_) => Err(self.peek_invalid_type(&visitor)),
        };
        value.map_err(|fault: Fault| fault.or_at(self.pos))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = match self.parse_whitespace() {
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
            Some(b'"') => {
                self.eat_char();
                self.visit_bytes(visitor)
            }
            Some(b'[') => self.deserialize_seq(visitor),
            Some(_) => Err(self.peek_invalid_type(&visitor)),
        };
        value.map_err(|fault: Fault| fault.or_at(self.pos))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.parse_whitespace() {
            Some(b'n') => {
                self.eat_char();
                self.parse_ident(b"ull")?;
                visitor.visit_none()
            }
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = match self.parse_whitespace() {
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
            Some(b'n') => {
                self.eat_char();
                self.parse_ident(b"ull")?;
                visitor.visit_unit()
            }
            Some(_) => Err(self.peek_invalid_type(&visitor)),
        };
        value.map_err(|fault: Fault| fault.or_at(self.pos))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = match self.parse_whitespace() {
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
            Some(b'[') => self.visit_array(visitor),
            Some(_) => Err(self.peek_invalid_type(&visitor)),
        };
        value.map_err(|fault: Fault| fault.or_at(self.pos))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = match self.parse_whitespace() {
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
            Some(b'{') => self.visit_object(visitor),
            Some(_) => Err(self.peek_invalid_type(&visitor)),
        };
        value.map_err(|fault: Fault| fault.or_at(self.pos))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let value = match self.parse_whitespace() {
            None => return Err(self.error(Syntax::EofWhileParsingValue)),
            Some(b'[') => self.visit_array(visitor),
            Some(b'{') => self.visit_object(visitor),
            Some(_) => Err(self.peek_invalid_type(&visitor)),
        };
        value.map_err(|fault: Fault| fault.or_at(self.pos))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.parse_whitespace() {
            Some(b'{') => {
                let value = self.deeper(|reader| {
                    reader.eat_char();
                    visitor.visit_enum(VariantAccess { reader })
                })?;
                match self.parse_whitespace() {
                    Some(b'}') => {
                        self.eat_char();
                        Ok(value)
                    }
                    Some(_) => Err(self.error(Syntax::ExpectedSomeValue)),
                    None => Err(self.error(Syntax::EofWhileParsingObject)),
                }
            }
            Some(b'"') => visitor.visit_enum(UnitVariantAccess { reader: self }),
            Some(_) => Err(self.error(Syntax::ExpectedSomeValue)),
            None => Err(self.error(Syntax::EofWhileParsingValue)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ignore_value()?;
        visitor.visit_unit()
    }
}

/// The elements of an array (`serde_json`'s `SeqAccess`).
pub(super) struct SeqAccess<'a, 'de> {
    pub(super) reader: &'a mut Reader<'de>,
    pub(super) first: bool,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, 'de> {
    type Error = Fault;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let reader = &mut *self.reader;
        let more = match reader.parse_whitespace() {
            None => return Err(reader.error(Syntax::EofWhileParsingList)),
            Some(b']') => false,
            Some(_) if self.first => {
                self.first = false;
                true
            }
            Some(b',') => {
                reader.eat_char();
                match reader.parse_whitespace() {
                    Some(b']') => return Err(reader.error(Syntax::TrailingComma)),
                    Some(_) => true,
                    None => return Err(reader.error(Syntax::EofWhileParsingValue)),
                }
            }
            Some(_) => return Err(reader.error(Syntax::ExpectedListCommaOrEnd)),
        };
        if more {
            seed.deserialize(&mut *self.reader).map(Some)
        } else {
            Ok(None)
        }
    }
}

/// The entries of an object (`serde_json`'s `MapAccess`).
pub(super) struct MapAccess<'a, 'de> {
    pub(super) reader: &'a mut Reader<'de>,
    pub(super) first: bool,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, 'de> {
    type Error = Fault;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let reader = &mut *self.reader;
        let more = match reader.parse_whitespace() {
            None => return Err(reader.error(Syntax::EofWhileParsingObject)),
            Some(b'}') => false,
            Some(peek) if self.first => {
                self.first = false;
                if peek == b'"' {
                    true
                } else {
                    return Err(reader.error(Syntax::KeyMustBeAString));
                }
            }
            Some(b',') => {
                reader.eat_char();
                match reader.parse_whitespace() {
                    Some(b'"') => true,
                    Some(b'}') => return Err(reader.error(Syntax::TrailingComma)),
                    Some(_) => return Err(reader.error(Syntax::KeyMustBeAString)),
                    None => return Err(reader.error(Syntax::EofWhileParsingValue)),
                }
            }
            Some(_) => return Err(reader.error(Syntax::ExpectedObjectCommaOrEnd)),
        };
        if more {
            seed.deserialize(MapKey {
                reader: &mut *self.reader,
            })
            .map(Some)
        } else {
            Ok(None)
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.reader.parse_object_colon()?;
        seed.deserialize(&mut *self.reader)
    }
}

/// An enum written as an object of one entry (`serde_json`'s `VariantAccess`).
struct VariantAccess<'a, 'de> {
    reader: &'a mut Reader<'de>,
}

impl<'de> de::EnumAccess<'de> for VariantAccess<'_, 'de> {
    type Error = Fault;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        match self.reader.parse_whitespace() {
            Some(b'"') => {}
            Some(b'}') => return Err(self.reader.error(Syntax::ExpectedSomeValue)),
            Some(_) => return Err(self.reader.error(Syntax::KeyMustBeAString)),
            None => return Err(self.reader.error(Syntax::EofWhileParsingObject)),
        }
        let variant = seed
            .deserialize(MapKey {
                reader: &mut *self.reader,
            })
            .map_err(|fault| fault.or_at(self.reader.pos))?;
        self.reader.parse_object_colon()?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for VariantAccess<'_, 'de> {
    type Error = Fault;

    fn unit_variant(self) -> Result<()> {
        <()>::deserialize(self.reader)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self.reader)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(self.reader, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_struct(self.reader, "", fields, visitor)
    }
}

/// An enum written as a string: a unit variant (`serde_json`'s `UnitVariantAccess`).
struct UnitVariantAccess<'a, 'de> {
    reader: &'a mut Reader<'de>,
}

impl<'de> de::EnumAccess<'de> for UnitVariantAccess<'_, 'de> {
    type Error = Fault;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let variant = seed.deserialize(&mut *self.reader)?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariantAccess<'_, 'de> {
    type Error = Fault;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"newtype variant",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"struct variant",
        ))
    }
}

/// An object's key, whose opening quote is next (`serde_json`'s `MapKey`): a string, or
/// for the number and bool types the number or literal written inside the quotes.
struct MapKey<'a, 'de> {
    reader: &'a mut Reader<'de>,
}

impl<'de> MapKey<'_, 'de> {
    /// A number inside the quotes (`deserialize_numeric_key!`).
    fn number<V: Visitor<'de>>(
        self,
        visitor: V,
        read: impl FnOnce(&mut Reader<'de>, V) -> Result<V::Value>,
    ) -> Result<V::Value> {
        let reader = self.reader;
        reader.eat_char();
        match reader.peek() {
            Some(b'0'..=b'9' | b'-') => {}
            _ => return Err(reader.error(Syntax::ExpectedNumericKey)),
        }
        let value = read(reader, visitor)?;
        match reader.peek() {
            Some(b'"') => reader.eat_char(),
            _ => return Err(reader.error(Syntax::ExpectedDoubleQuote)),
        }
        Ok(value)
    }
}

macro_rules! numeric_keys {
    ($($method:ident => $read:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.number(visitor, |reader, visitor| de::Deserializer::$read(reader, visitor))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for MapKey<'_, 'de> {
    type Error = Fault;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.reader.eat_char();
        let value = self.reader.visit_str(visitor);
        value.map_err(|fault: Fault| fault.or_at(self.reader.pos))
    }

    numeric_keys! {
        deserialize_i8 => deserialize_i8,
        deserialize_i16 => deserialize_i16,
        deserialize_i32 => deserialize_i32,
        deserialize_i64 => deserialize_i64,
        deserialize_i128 => deserialize_i128,
        deserialize_u8 => deserialize_u8,
        deserialize_u16 => deserialize_u16,
        deserialize_u32 => deserialize_u32,
        deserialize_u64 => deserialize_u64,
        deserialize_u128 => deserialize_u128,
        deserialize_f32 => deserialize_f32,
        deserialize_f64 => deserialize_f64,
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let reader = self.reader;
        reader.eat_char();
        let value = match reader.next_char() {
            None => return Err(reader.error(Syntax::EofWhileParsingValue)),
            Some(b't') => {
                reader.parse_ident(b"rue\"")?;
                visitor.visit_bool(true)
            }
            Some(b'f') => {
                reader.parse_ident(b"alse\"")?;
                visitor.visit_bool(false)
            }
            Some(_) => {
                // `serde_json` reads the rest as a string, from the byte after the first.
                let start = reader.pos;
                reader.parse_str_bytes(true)?;
                let end = reader.pos.saturating_sub(1);
                let text = match reader.scratch.is_empty() {
                    true => reader.text.get(start..end).unwrap_or_default().to_owned(),
                    false => String::from_utf8_lossy(&reader.scratch).into_owned(),
                };
                Err(de::Error::invalid_type(Unexpected::Str(&text), &visitor))
            }
        };
        value.map_err(|fault: Fault| fault.or_at(reader.pos))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        // Keys cannot be null.
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_enum(self.reader, name, variants, visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_bytes(self.reader, visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_bytes(self.reader, visitor)
    }

    serde::forward_to_deserialize_any! {
        char str string unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}
