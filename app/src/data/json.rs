//! JSON text for the data layer: [`from_str`] and [`to_string`]. The staff app uses `serde_json`; the
//! resident's entry (feature `vote`, ≤ 100 KB on the wire, issue 8) uses the small reader and writer below.
//!
//! Why a second JSON: `serde_json` builds an error message for every way a value can be wrong, and those
//! messages bring Rust's number formatting and a reader per type into the Wasm — about a fifth of the
//! resident's download. Here an error is only "this is not the JSON expected" and where: the resident's
//! page never shows more (a server answer it cannot read is `invalid_response`). The serde derives of the
//! core's types are the same; only the format differs. The tests read and write the resident's real types
//! with both and compare.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why JSON text could not be read or written: `serde_json`'s error (with its message) in the staff app,
/// the small format's offset in the resident's entry.
#[cfg(not(feature = "vote"))]
pub use serde_json::Error;
#[cfg(feature = "vote")]
pub use small::Error;

/// Reads `T` from JSON text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    #[cfg(feature = "vote")]
    return small::from_str(text);
    #[cfg(not(feature = "vote"))]
    return serde_json::from_str(text);
}

/// Writes `v` as JSON text.
pub fn to_string<T: Serialize + ?Sized>(v: &T) -> Result<String, Error> {
    #[cfg(feature = "vote")]
    return small::to_string(v);
    #[cfg(not(feature = "vote"))]
    return serde_json::to_string(v);
}

/// The small JSON reader and writer (RFC 8259), serde-compatible, with errors that carry no message.
pub mod small {
    use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
    use serde::ser::{self, Serialize};
    use std::fmt::Display;

    /// JSON that is not what was expected; the byte offset where reading stopped.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Error(pub usize);

    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("invalid JSON at ")?;
            f.write_str(&self.0.to_string())
        }
    }

    impl std::error::Error for Error {}

    impl de::Error for Error {
        fn custom<T: Display>(_: T) -> Self {
            Error(usize::MAX)
        }
    }

    impl ser::Error for Error {
        fn custom<T: Display>(_: T) -> Self {
            Error(usize::MAX)
        }
    }

    /// Reads `T` from JSON text; nothing but white space may follow the value.
    pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
        let mut d = De {
            s: text,
            i: 0,
            depth: 0,
        };
        let v =
            T::deserialize(&mut d).map_err(|e| if e.0 == usize::MAX { Error(d.i) } else { e })?;
        d.ws();
        if d.i != text.len() {
            return Err(Error(d.i));
        }
        Ok(v)
    }

    /// Writes `v` as JSON text (non-finite numbers as `null`, as `serde_json` does).
    pub fn to_string<T: Serialize + ?Sized>(v: &T) -> Result<String, Error> {
        let mut out = String::new();
        v.serialize(&mut Ser(&mut out))?;
        Ok(out)
    }

    /// How deep lists and objects may nest (as `serde_json`): deeper is an error, not a stack overflow.
    const MAX_DEPTH: u32 = 128;

    struct De<'a> {
        s: &'a str,
        i: usize,
        depth: u32,
    }

    impl<'a> De<'a> {
        fn err<T>(&self) -> Result<T, Error> {
            Err(Error(self.i))
        }

        fn ws(&mut self) {
            let b = self.s.as_bytes();
            while self.i < b.len() && matches!(b[self.i], b' ' | b'\n' | b'\r' | b'\t') {
                self.i += 1;
            }
        }

        /// The next byte after white space, not taken.
        fn peek(&mut self) -> Result<u8, Error> {
            self.ws();
            match self.s.as_bytes().get(self.i) {
                Some(&c) => Ok(c),
                None => self.err(),
            }
        }

        fn eat(&mut self, c: u8) -> Result<(), Error> {
            if self.peek()? != c {
                return self.err();
            }
            self.i += 1;
            Ok(())
        }

        fn word(&mut self, w: &str) -> Result<(), Error> {
            if !self.s[self.i..].starts_with(w) {
                return self.err();
            }
            self.i += w.len();
            Ok(())
        }

        /// A string: borrowed when it has no escape, else unescaped into a new one.
        #[inline(never)]
        fn string(&mut self) -> Result<Str<'a>, Error> {
            self.eat(b'"')?;
            let b = self.s.as_bytes();
            let start = self.i;
            let mut owned: Option<String> = None;
            let mut run = start;
            loop {
                let Some(&c) = b.get(self.i) else {
                    return self.err();
                };
                match c {
                    b'"' => {
                        let s = &self.s[run..self.i];
                        self.i += 1;
                        return Ok(match owned {
                            None => Str::Borrowed(s),
                            Some(mut o) => {
                                o.push_str(s);
                                Str::Owned(o)
                            }
                        });
                    }
                    b'\\' => {
                        let o = owned.get_or_insert_with(String::new);
                        o.push_str(&self.s[run..self.i]);
                        self.i += 1;
                        let e = *b.get(self.i).ok_or(Error(self.i))?;
                        self.i += 1;
                        let ch = match e {
                            b'"' => '"',
                            b'\\' => '\\',
                            b'/' => '/',
                            b'b' => '\u{8}',
                            b'f' => '\u{c}',
                            b'n' => '\n',
                            b'r' => '\r',
                            b't' => '\t',
                            b'u' => {
                                let hi = self.hex4()?;
                                let code = if (0xD800..0xDC00).contains(&hi) {
                                    self.word("\\u")?;
                                    let lo = self.hex4()?;
                                    if !(0xDC00..0xE000).contains(&lo) {
                                        return self.err();
                                    }
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    hi
                                };
                                char::from_u32(code).ok_or(Error(self.i))?
                            }
                            _ => return self.err(),
                        };
                        o.push(ch);
                        run = self.i;
                    }
                    0..=0x1f => return self.err(),
                    _ => self.i += 1,
                }
            }
        }

        fn hex4(&mut self) -> Result<u32, Error> {
            let h = self.s.get(self.i..self.i + 4).ok_or(Error(self.i))?;
            let v = u32::from_str_radix(h, 16).map_err(|_| Error(self.i))?;
            self.i += 4;
            Ok(v)
        }

        /// The next value's first token: a whole scalar, or the opening of a list or an object (taken).
        /// Not generic, so the per-type readers share one copy of the parsing.
        #[inline(never)]
        fn token(&mut self) -> Result<Tok<'a>, Error> {
            let c = self.peek()?;
            let start = self.i;
            Ok(match c {
                b'n' => {
                    self.word("null")?;
                    Tok::Null
                }
                b't' => {
                    self.word("true")?;
                    Tok::Bool(true)
                }
                b'f' => {
                    self.word("false")?;
                    Tok::Bool(false)
                }
                b'"' => Tok::Str(self.string()?),
                b'[' | b'{' => {
                    self.i += 1;
                    self.enter()?;
                    Tok::Open(c)
                }
                b'-' | b'0'..=b'9' => {
                    let b = self.s.as_bytes();
                    let mut float = false;
                    while let Some(&c) = b.get(self.i) {
                        match c {
                            b'0'..=b'9' | b'-' | b'+' => {}
                            b'.' | b'e' | b'E' => float = true,
                            _ => break,
                        }
                        self.i += 1;
                    }
                    let t = &self.s[start..self.i];
                    if float {
                        Tok::F64(t.parse().map_err(|_| Error(start))?)
                    } else if t.starts_with('-') {
                        Tok::I64(t.parse().map_err(|_| Error(start))?)
                    } else {
                        Tok::U64(t.parse().map_err(|_| Error(start))?)
                    }
                }
                _ => return self.err(),
            })
        }

        /// Skips one value of any kind.
        #[inline(never)]
        fn skip(&mut self) -> Result<(), Error> {
            if let Tok::Open(c) = self.token()? {
                let close = if c == b'[' { b']' } else { b'}' };
                let mut first = true;
                while self.more(&mut first, close)? {
                    if close == b'}' {
                        self.string()?;
                        self.eat(b':')?;
                    }
                    self.skip()?;
                }
                self.close(close)?;
            }
            Ok(())
        }

        fn enter(&mut self) -> Result<(), Error> {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return self.err();
            }
            Ok(())
        }

        /// A list's items, its `[` taken.
        fn list<V: Visitor<'a>>(&mut self, v: V) -> Result<V::Value, Error> {
            let r = v.visit_seq(Items::of(self))?;
            self.close(b']')?;
            Ok(r)
        }

        /// An object's entries, its `{` taken.
        fn object<V: Visitor<'a>>(&mut self, v: V) -> Result<V::Value, Error> {
            let r = v.visit_map(Items::of(self))?;
            self.close(b'}')?;
            Ok(r)
        }

        /// Takes `[` or `{`, one level deeper.
        fn open(&mut self, c: u8) -> Result<(), Error> {
            self.eat(c)?;
            self.enter()
        }

        /// Takes `]` or `}`, one level up.
        fn close(&mut self, c: u8) -> Result<(), Error> {
            self.eat(c)?;
            self.depth -= 1;
            Ok(())
        }

        /// Between a collection's items: `true` when another item follows.
        #[inline(never)]
        fn more(&mut self, first: &mut bool, close: u8) -> Result<bool, Error> {
            let c = self.peek()?;
            if c == close {
                return Ok(false);
            }
            if !std::mem::replace(first, false) {
                self.eat(b',')?;
            }
            Ok(true)
        }
    }

    enum Str<'a> {
        Borrowed(&'a str),
        Owned(String),
    }

    enum Tok<'a> {
        Null,
        Bool(bool),
        Str(Str<'a>),
        U64(u64),
        I64(i64),
        F64(f64),
        /// `[` or `{`, taken.
        Open(u8),
    }

    /// The other number kinds read as `u64` does (the visitor converts and checks the range).
    macro_rules! numbers {
        ($de:lifetime; $($method:ident)*) => {$(
            fn $method<V: Visitor<$de>>(self, v: V) -> Result<V::Value, Error> {
                self.deserialize_u64(v)
            }
        )*};
    }

    impl<'de> de::Deserializer<'de> for &mut De<'de> {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            match self.token()? {
                Tok::Null => v.visit_unit(),
                Tok::Bool(b) => v.visit_bool(b),
                Tok::Str(Str::Borrowed(s)) => v.visit_borrowed_str(s),
                Tok::Str(Str::Owned(s)) => v.visit_string(s),
                Tok::U64(n) => v.visit_u64(n),
                Tok::I64(n) => v.visit_i64(n),
                Tok::F64(n) => v.visit_f64(n),
                Tok::Open(b'[') => self.list(v),
                Tok::Open(_) => self.object(v),
            }
        }

        fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            if self.peek()? == b'n' {
                self.word("null")?;
                v.visit_none()
            } else {
                v.visit_some(self)
            }
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            v: V,
        ) -> Result<V::Value, Error> {
            v.visit_newtype_struct(self)
        }

        /// A unit variant is its name as a string; any other variant is `{"name": value}`.
        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: &'static [&'static str],
            v: V,
        ) -> Result<V::Value, Error> {
            if self.peek()? == b'"' {
                let name = match self.string()? {
                    Str::Borrowed(s) => s.to_string(),
                    Str::Owned(s) => s,
                };
                return v.visit_enum(name.into_deserializer());
            }
            self.open(b'{')?;
            let r = v.visit_enum(Variant { d: &mut *self })?;
            self.close(b'}')?;
            Ok(r)
        }

        // Each kind of value below calls only the visitor method it can need, so a type's reader keeps
        // only that (a struct's reader has no code for being read from a list, as `deserialize_any`
        // would give it).
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: &'static [&'static str],
            v: V,
        ) -> Result<V::Value, Error> {
            self.deserialize_map(v)
        }

        fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            self.open(b'{')?;
            self.object(v)
        }

        fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            self.open(b'[')?;
            self.list(v)
        }

        fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, Error> {
            self.deserialize_seq(v)
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: usize,
            v: V,
        ) -> Result<V::Value, Error> {
            self.deserialize_seq(v)
        }

        fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            match self.string()? {
                Str::Borrowed(s) => v.visit_borrowed_str(s),
                Str::Owned(s) => v.visit_string(s),
            }
        }

        fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            self.deserialize_str(v)
        }

        fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            self.deserialize_str(v)
        }

        fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            match self.token()? {
                Tok::Bool(b) => v.visit_bool(b),
                _ => self.err(),
            }
        }

        fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            self.word("null")?;
            v.visit_unit()
        }

        /// Skips a value of any kind (an unknown field), with one copy of the code for every type.
        fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            self.skip()?;
            v.visit_unit()
        }

        serde::forward_to_deserialize_any! {
            i128 u128 char bytes byte_buf unit_struct
        }

        fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            match self.token()? {
                Tok::U64(n) => v.visit_u64(n),
                Tok::I64(n) => v.visit_i64(n),
                Tok::F64(n) => v.visit_f64(n),
                _ => self.err(),
            }
        }

        numbers! { 'de; deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_f32 deserialize_f64 }
    }

    struct Items<'a, 'de> {
        d: &'a mut De<'de>,
        first: bool,
    }

    impl<'a, 'de> Items<'a, 'de> {
        fn of(d: &'a mut De<'de>) -> Self {
            Items { d, first: true }
        }

        /// The next item of a list, or key of an object (`close` says which); `None` at the end.
        fn next<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
            close: u8,
        ) -> Result<Option<T::Value>, Error> {
            if !self.d.more(&mut self.first, close)? {
                return Ok(None);
            }
            if close == b'}' && self.d.peek()? != b'"' {
                return self.d.err();
            }
            seed.deserialize(&mut *self.d).map(Some)
        }
    }

    impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
        type Error = Error;
        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            s: T,
        ) -> Result<Option<T::Value>, Error> {
            self.next(s, b']')
        }
    }

    impl<'de> de::MapAccess<'de> for Items<'_, 'de> {
        type Error = Error;
        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            s: K,
        ) -> Result<Option<K::Value>, Error> {
            self.next(s, b'}')
        }
        fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
            self.d.eat(b':')?;
            seed.deserialize(&mut *self.d)
        }
    }

    struct Variant<'a, 'de> {
        d: &'a mut De<'de>,
    }

    impl<'de> de::EnumAccess<'de> for Variant<'_, 'de> {
        type Error = Error;
        type Variant = Self;
        fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
            let name = seed.deserialize(&mut *self.d)?;
            self.d.eat(b':')?;
            Ok((name, self))
        }
    }

    impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
        type Error = Error;
        fn unit_variant(self) -> Result<(), Error> {
            de::Deserialize::deserialize(&mut *self.d)
        }
        fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
            seed.deserialize(&mut *self.d)
        }
        fn tuple_variant<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, Error> {
            de::Deserializer::deserialize_any(&mut *self.d, v)
        }
        fn struct_variant<V: Visitor<'de>>(
            self,
            _: &'static [&'static str],
            v: V,
        ) -> Result<V::Value, Error> {
            de::Deserializer::deserialize_any(&mut *self.d, v)
        }
    }

    struct Ser<'a>(&'a mut String);

    impl Ser<'_> {
        fn str(&mut self, s: &str) {
            let o = &mut *self.0;
            o.push('"');
            for c in s.chars() {
                match c {
                    '"' => o.push_str("\\\""),
                    '\\' => o.push_str("\\\\"),
                    '\n' => o.push_str("\\n"),
                    '\r' => o.push_str("\\r"),
                    '\t' => o.push_str("\\t"),
                    c if (c as u32) < 0x20 => {
                        o.push_str("\\u00");
                        o.push(char::from_digit(c as u32 >> 4, 16).unwrap_or('0'));
                        o.push(char::from_digit(c as u32 & 15, 16).unwrap_or('0'));
                    }
                    c => o.push(c),
                }
            }
            o.push('"');
        }

        fn int(&mut self, v: impl ToString) -> Result<(), Error> {
            self.0.push_str(&v.to_string());
            Ok(())
        }

        /// Opens a collection; `Many` writes the separators and the close.
        fn open(&mut self, c: char, close: char) -> Many<'_> {
            self.0.push(c);
            Many {
                o: &mut *self.0,
                first: true,
                close,
            }
        }

        /// `{"name":` before an enum's non-unit variant; `Many::end` closes it.
        fn variant(&mut self, name: &str, open: char, close: char) -> Many<'_> {
            self.0.push('{');
            self.str(name);
            self.0.push(':');
            self.0.push(open);
            Many {
                o: &mut *self.0,
                first: true,
                close,
            }
        }
    }

    struct Many<'a> {
        o: &'a mut String,
        first: bool,
        close: char,
    }

    impl Many<'_> {
        fn sep(&mut self) {
            if !std::mem::replace(&mut self.first, false) {
                self.o.push(',');
            }
        }
        fn item<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
            self.sep();
            v.serialize(&mut Ser(&mut *self.o))
        }
        fn field<T: Serialize + ?Sized>(&mut self, k: &str, v: &T) -> Result<(), Error> {
            self.sep();
            Ser(&mut *self.o).str(k);
            self.o.push(':');
            v.serialize(&mut Ser(&mut *self.o))
        }
        fn close(self, variant: bool) -> Result<(), Error> {
            self.o.push(self.close);
            if variant {
                self.o.push('}');
            }
            Ok(())
        }
    }

    /// A collection being written; `variant` when it is an enum variant's (one more `}`).
    struct Coll<'a> {
        m: Many<'a>,
        variant: bool,
    }

    /// Integers are written in decimal.
    macro_rules! integers {
        ($($method:ident: $t:ty),*) => {$(
            fn $method(self, v: $t) -> Result<(), Error> {
                self.int(v)
            }
        )*};
    }

    impl<'a, 'b> ser::Serializer for &'a mut Ser<'b> {
        type Ok = ();
        type Error = Error;
        type SerializeSeq = Coll<'a>;
        type SerializeTuple = Coll<'a>;
        type SerializeTupleStruct = Coll<'a>;
        type SerializeTupleVariant = Coll<'a>;
        type SerializeMap = Coll<'a>;
        type SerializeStruct = Coll<'a>;
        type SerializeStructVariant = Coll<'a>;

        fn serialize_bool(self, v: bool) -> Result<(), Error> {
            self.0.push_str(if v { "true" } else { "false" });
            Ok(())
        }
        integers! {
            serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
            serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64
        }
        fn serialize_f32(self, v: f32) -> Result<(), Error> {
            self.serialize_f64(v as f64)
        }
        /// Numbers as JavaScript writes them (shortest round-trip form); not finite → `null`.
        fn serialize_f64(self, v: f64) -> Result<(), Error> {
            if !v.is_finite() {
                return self.serialize_unit();
            }
            // JavaScript's own shortest form: Rust's float formatting would add ~14 KB to the Wasm.
            #[cfg(target_arch = "wasm32")]
            let text = String::from(
                js_sys::Number::from(v)
                    .to_string_with_radix(10)
                    .map_err(|_| Error(0))?,
            );
            #[cfg(not(target_arch = "wasm32"))]
            let text = v.to_string();
            self.0.push_str(&text);
            Ok(())
        }
        fn serialize_char(self, v: char) -> Result<(), Error> {
            self.str(v.encode_utf8(&mut [0; 4]));
            Ok(())
        }
        fn serialize_str(self, v: &str) -> Result<(), Error> {
            self.str(v);
            Ok(())
        }
        fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
            let mut s = self.open('[', ']');
            for b in v {
                s.item(b)?;
            }
            s.close(false)
        }
        fn serialize_none(self) -> Result<(), Error> {
            self.serialize_unit()
        }
        fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
            v.serialize(self)
        }
        fn serialize_unit(self) -> Result<(), Error> {
            self.0.push_str("null");
            Ok(())
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
            self.serialize_unit()
        }
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            name: &'static str,
        ) -> Result<(), Error> {
            self.str(name);
            Ok(())
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            v: &T,
        ) -> Result<(), Error> {
            v.serialize(self)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            name: &'static str,
            v: &T,
        ) -> Result<(), Error> {
            self.0.push('{');
            self.str(name);
            self.0.push(':');
            v.serialize(&mut *self)?;
            self.0.push('}');
            Ok(())
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Coll<'a>, Error> {
            Ok(Coll {
                m: self.open('[', ']'),
                variant: false,
            })
        }
        fn serialize_tuple(self, _: usize) -> Result<Coll<'a>, Error> {
            self.serialize_seq(None)
        }
        fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Coll<'a>, Error> {
            self.serialize_seq(None)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            name: &'static str,
            _: usize,
        ) -> Result<Coll<'a>, Error> {
            Ok(Coll {
                m: self.variant(name, '[', ']'),
                variant: true,
            })
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Coll<'a>, Error> {
            Ok(Coll {
                m: self.open('{', '}'),
                variant: false,
            })
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Coll<'a>, Error> {
            self.serialize_map(None)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            name: &'static str,
            _: usize,
        ) -> Result<Coll<'a>, Error> {
            Ok(Coll {
                m: self.variant(name, '{', '}'),
                variant: true,
            })
        }
    }

    /// The list-like collections: each item written after a comma.
    macro_rules! list_like {
        ($($collection:ident :: $item:ident),*) => {$(
            impl ser::$collection for Coll<'_> {
                type Ok = ();
                type Error = Error;
                fn $item<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
                    self.m.item(v)
                }
                fn end(self) -> Result<(), Error> {
                    self.m.close(self.variant)
                }
            }
        )*};
    }

    list_like!(
        SerializeSeq::serialize_element,
        SerializeTuple::serialize_element,
        SerializeTupleStruct::serialize_field,
        SerializeTupleVariant::serialize_field
    );

    /// A map's key is written as a string: a string key as it is, any other key as its JSON text.
    impl ser::SerializeMap for Coll<'_> {
        type Ok = ();
        type Error = Error;
        fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Error> {
            self.m.sep();
            let mut key = String::new();
            k.serialize(&mut Ser(&mut key))?;
            if key.starts_with('"') {
                self.m.o.push_str(&key);
            } else {
                Ser(&mut *self.m.o).str(&key);
            }
            self.m.o.push(':');
            Ok(())
        }
        fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
            v.serialize(&mut Ser(&mut *self.m.o))
        }
        fn end(self) -> Result<(), Error> {
            self.m.close(self.variant)
        }
    }

    /// The struct-like collections: `"name":value` after a comma.
    macro_rules! struct_like {
        ($($collection:ident),*) => {$(
            impl ser::$collection for Coll<'_> {
                type Ok = ();
                type Error = Error;
                fn serialize_field<T: Serialize + ?Sized>(
                    &mut self,
                    k: &'static str,
                    v: &T,
                ) -> Result<(), Error> {
                    self.m.field(k, v)
                }
                fn end(self) -> Result<(), Error> {
                    self.m.close(self.variant)
                }
            }
        )*};
    }

    struct_like!(SerializeStruct, SerializeStructVariant);
}

#[cfg(test)]
mod tests {
    use super::small;
    use crate::renovation::resident::{Refusal, ResidentRecord, VoteLogin};
    use linli_core::protocol::ErrorBody;
    use linli_core::renovation::api::{BallotAnswer, Receipt, VoteBallot};
    use linli_core::renovation::{Ballot, CastAt, Tally, TallyInput, VoterHousehold};
    use linli_core::rules::RuleSet;
    use uuid::Uuid;

    /// The login answer as the server sends it (escapes, Chinese, a float, nulls, an unknown field).
    const LOGIN: &str = r#"{"token":"t\"1\\x","expires_at":1780000000000,"project":{"id":"0190a0b0-0000-7000-8000-000000000001","name":"幸福里\n综合整治 \u5e78\ud83c\udfe0","kind":"comprehensive","survey_opens":"2026-05-06","survey_closes":"2026-05-15","grace_days":3,"show_running_results":false},
        "compound":{"id":"0190a0b0-0000-7000-8000-000000000002","name":"C"},
        "household":{"id":"0190a0b0-0000-7000-8000-000000000003","building":"1号楼","unit":"1单元","door":"101","area_m2":72.5},
        "menu":[{"id":"0190a0b0-0000-7000-8000-000000000004","name":"路面","class":"basic","catalogue":"road","description":"","cost_yuan":1000,"share_per_household_yuan":null,"owners_decision":false,"matter":"ordinary","position":0}],
        "open":true,"my_ballot":null}"#;

    fn tally() -> Tally {
        let input = TallyInput {
            households: ["a", "b", "c"]
                .iter()
                .zip([60.0, 72.5, 80.25])
                .map(|(id, area_m2)| VoterHousehold {
                    id: id.to_string(),
                    area_m2,
                    owners: 1,
                })
                .collect(),
            ballots: [("a", true, 1), ("b", false, 2)]
                .into_iter()
                .map(|(id, agree, ms)| Ballot {
                    household_id: id.into(),
                    agree,
                    items: if agree { vec!["road".into()] } else { vec![] },
                    cast_at: CastAt::Ms(ms),
                })
                .collect(),
            items: vec!["road".into()],
            matter: Default::default(),
            item_matters: Default::default(),
            item_electorates: Default::default(),
        };
        input.tally(&RuleSet::default().renovation).unwrap()
    }

    fn record() -> ResidentRecord {
        let id = Uuid::from_u128(0x0190a0b0_0000_7000_8000_000000000009);
        ResidentRecord {
            code: "AB12CD34".into(),
            login: serde_json::from_str(LOGIN).unwrap(),
            pending: Some(VoteBallot {
                id,
                agree: true,
                items: vec![Uuid::from_u128(4)],
                cast_at_ms: 1_780_000_000_123,
            }),
            receipt: Some(Receipt {
                ballot_id: id,
                door: "101".into(),
                agree: true,
                items: vec![],
                cast_at_ms: 5,
                received_at_ms: 6,
            }),
            refused: Some(Refusal {
                code: "closed".into(),
                message: "调查已结束「\t」".into(),
            }),
            results: Some(tally()),
        }
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let by_serde_json: VoteLogin = serde_json::from_str(LOGIN).unwrap();
        let by_small: VoteLogin = small::from_str(LOGIN).unwrap();
        assert_eq!(by_small, by_serde_json);
        assert_eq!(by_small.token, "t\"1\\x");
        assert_eq!(by_small.view.project.name, "幸福里\n综合整治 幸🏠");
        assert_eq!(by_small.view.household.area_m2, 72.5);
        assert_eq!(by_small.view.menu[0].cost_yuan, 1000.0);
    }

    #[test]
    fn the_resident_record_round_trips_and_matches_serde_json() {
        let rec = record();
        let text = small::to_string(&rec).unwrap();
        // Read back unchanged (floats included), by either reader.
        assert_eq!(small::from_str::<ResidentRecord>(&text).unwrap(), rec);
        // A record kept by the staff build (serde_json) is read by the resident's, and the other way.
        let kept = serde_json::to_string(&rec).unwrap();
        assert_eq!(small::from_str::<ResidentRecord>(&kept).unwrap(), rec);
        assert_eq!(serde_json::from_str::<ResidentRecord>(&text).unwrap(), rec);
    }

    #[test]
    fn reads_the_results_answer_as_its_tally() {
        let t = tally();
        assert!(
            small::to_string(&t)
                .unwrap()
                .contains(r#""area_ratio":0.282021151586369,"#)
        );
        // `/api/vote/results` sends the tally's fields with the project and menu beside them.
        let mut answer = serde_json::to_value(&t).unwrap();
        answer["households"] = 3.into();
        answer["project"] =
            serde_json::json!({"name": "]}\",", "nested": [1, -2.5e-3, {"x": [null, true]}]});
        let read: Tally = small::from_str(&answer.to_string()).unwrap();
        assert_eq!(read, t);
        assert_eq!(read.coverage.responded, 2);
    }

    #[test]
    fn reads_answers_and_errors() {
        let a: BallotAnswer =
            small::from_str(r#"{"status":"rejected","code":"closed","message":"已截止"}"#).unwrap();
        assert_eq!(a.code.as_deref(), Some("closed"));
        assert!(a.receipt.is_none());
        let e: ErrorBody = small::from_str(
            r#"{"error":{"code":"too_many_attempts","message":"请稍后再试","field":"code"}}"#,
        )
        .unwrap();
        assert_eq!(e.error.field.as_deref(), Some("code"));
    }

    #[test]
    fn numbers_are_read_as_json_writes_them() {
        assert_eq!(small::from_str::<f64>(" -1.5e3 ").unwrap(), -1500.0);
        assert_eq!(small::from_str::<f64>("7").unwrap(), 7.0);
        assert_eq!(small::from_str::<i32>("-42").unwrap(), -42);
        assert_eq!(
            small::from_str::<u64>("18446744073709551615").unwrap(),
            u64::MAX
        );
        assert_eq!(
            small::to_string(&[0.1, 72.5, -3.0]).unwrap(),
            "[0.1,72.5,-3]"
        );
        assert_eq!(small::to_string(&f64::NAN).unwrap(), "null");
    }

    #[test]
    fn bad_json_is_an_error_at_its_place() {
        assert_eq!(small::from_str::<Vec<u32>>("[1,2,]"), Err(small::Error(5)));
        assert_eq!(small::from_str::<Vec<u32>>("[1,2] x"), Err(small::Error(6)));
        assert_eq!(small::from_str::<String>("\"open"), Err(small::Error(5)));
        assert_eq!(small::from_str::<String>("\"a\\qb\""), Err(small::Error(4)));
        assert_eq!(
            small::from_str::<String>("\"\\ud83c\""),
            Err(small::Error(7))
        );
        assert!(small::from_str::<u8>("300").is_err());
        assert!(small::from_str::<u32>("-1").is_err());
        assert!(small::from_str::<Receipt>(r#"{"ballot_id":"not a uuid"}"#).is_err());
        assert!(small::from_str::<VoteLogin>("").is_err());
        // Nesting deeper than 128 is refused, not a stack overflow; 128 is read.
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(
            small::from_str::<serde::de::IgnoredAny>(&deep(129)),
            Err(small::Error(129))
        );
        assert!(small::from_str::<serde::de::IgnoredAny>(&deep(128)).is_ok());
        let deep_field = format!(r#"{{"status":"accepted","x":{}}}"#, deep(100_000));
        assert!(small::from_str::<BallotAnswer>(&deep_field).is_err());
        assert!(small::from_str::<VoteLogin>(&LOGIN[..LOGIN.len() - 2]).is_err());
    }

    #[test]
    fn strings_with_every_escape_round_trip() {
        let s = "引号\" 反斜杠\\ 换行\n 回车\r 制表\t 控制\u{1} 🏠 /";
        let text = small::to_string(s).unwrap();
        assert_eq!(text, serde_json::to_string(s).unwrap());
        assert_eq!(small::from_str::<String>(&text).unwrap(), s);
        assert_eq!(
            small::from_str::<String>(r#""\/\b\f\u00e9""#).unwrap(),
            "/\u{8}\u{c}é"
        );
    }
}
