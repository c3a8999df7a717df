//! A serde deserializer over a value the browser's `JSON.parse` made, whose errors carry no
//! text. The app only asks whether an answer has the shape it expects, never why not; serde's
//! error messages (every type's description, and float printing for "invalid type: floating
//! point …") were 7 KB of the reset bundle's 157 (docs/performance.md), and they stay out only
//! when the error type drops them unformatted. serde-wasm-bindgen, which keeps them, still
//! writes JSON.

use js_sys::{Array, ArrayIntoIter, Number, Object};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// The value is not of the expected shape.
#[derive(Debug, thiserror::Error)]
#[error("the value is not of the expected shape")]
pub struct Mismatch;

impl de::Error for Mismatch {
    fn custom<T: std::fmt::Display>(_why: T) -> Self {
        Mismatch
    }
}

/// A JSON value: null, a boolean, a number, a string, an array or a plain object.
pub struct Value(pub JsValue);

impl<'de> de::Deserializer<'de> for Value {
    type Error = Mismatch;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        let value = self.0;
        if value.is_null_or_undefined() {
            visitor.visit_unit()
        } else if let Some(flag) = value.as_bool() {
            visitor.visit_bool(flag)
        } else if let Some(number) = value.as_f64() {
            // Whole numbers go as integers, which integer fields need (floats take them too).
            if Number::is_safe_integer(&value) {
                visitor.visit_i64(number as i64)
            } else {
                visitor.visit_f64(number)
            }
        } else if let Some(text) = value.as_string() {
            visitor.visit_string(text)
        } else if let Some(array) = value.dyn_ref::<Array>() {
            visitor.visit_seq(Items(array.clone().into_iter()))
        } else if let Some(object) = value.dyn_ref::<Object>() {
            visitor.visit_map(Entries {
                entries: Object::entries(object).into_iter(),
                value: None,
            })
        } else {
            Err(Mismatch)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        if self.0.is_null_or_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Mismatch> {
        visitor.visit_newtype_struct(self)
    }

    /// Rekey's enums are written as their variant's name, so that is the one form read.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Mismatch> {
        let variant = self.0.as_string().ok_or(Mismatch)?;
        visitor.visit_enum(variant.into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// An array's items, in order.
struct Items(ArrayIntoIter);

impl<'de> de::SeqAccess<'de> for Items {
    type Error = Mismatch;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Mismatch> {
        self.0
            .next()
            .map(|item| seed.deserialize(Value(item)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// An object's own `[key, value]` pairs (`Object.entries`), each value held until it is read.
struct Entries {
    entries: ArrayIntoIter,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = Mismatch;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Mismatch> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        let entry = entry.unchecked_into::<Array>();
        self.value = Some(entry.get(1));
        seed.deserialize(Value(entry.get(0))).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Mismatch> {
        seed.deserialize(Value(self.value.take().ok_or(Mismatch)?))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}
