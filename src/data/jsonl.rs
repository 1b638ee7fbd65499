//! The canonical format: one JSON object per line, `{"id"?, "text", "target", "stance", "spans"?}`.

use serde::Deserialize;
use serde_json::{Map, Value};
use std::borrow::Cow;

use super::{build_example, Example, Need, RawRow};
use crate::error::{Error, Result};

/// One non-blank JSONL line.
pub fn parse_line(name: &str, line: usize, raw: &str, need: Need) -> Result<Example> {
    // Well-formed rows take the typed path, which borrows instead of building a map; anything
    // else goes through `serde_json::Value` to say exactly what is wrong.
    if let Ok(row) = serde_json::from_str::<TypedRow>(raw) {
        let raw_row = RawRow {
            id: row.id.map(|Id(id)| id.into_owned()),
            text: row.text.into_owned(),
            target: row.target.map(Cow::into_owned),
            stance: row.stance.as_deref(),
            spans: row.spans.map(|s| {
                s.into_iter()
                    .map(|(a, b)| (a as usize, b as usize))
                    .collect()
            }),
        };
        return build_example(name, line, raw_row, need);
    }
    let value: Value = serde_json::from_str(raw).map_err(|e| {
        Error::input(
            name,
            line,
            format!("malformed JSON at column {}: {e}", e.column()),
        )
    })?;
    let Value::Object(object) = value else {
        return Err(Error::input(name, line, "expected a JSON object"));
    };
    parse_object(name, line, &object, need)
}

fn parse_object(
    name: &str,
    line: usize,
    object: &Map<String, Value>,
    need: Need,
) -> Result<Example> {
    let string = |field: &str| -> Result<Option<String>> {
        match object.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Error::input(
                name,
                line,
                format!("`{field}` must be a string"),
            )),
        }
    };
    let id = match object.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            return Err(Error::input(
                name,
                line,
                "`id` must be a string or a number",
            ))
        }
    };
    let text = string("text")?.ok_or_else(|| Error::input(name, line, "missing `text`"))?;
    let spans = match object.get("spans") {
        None | Some(Value::Null) => None,
        Some(value) => Some(parse_spans(value).ok_or_else(|| {
            Error::input(
                name,
                line,
                "`spans` must be a list of [start, end] pairs of whole numbers",
            )
        })?),
    };
    let stance = string("stance")?;
    let target = string("target")?;
    let row = RawRow {
        id,
        text,
        target,
        stance: stance.as_deref(),
        spans,
    };
    build_example(name, line, row, need)
}

/// A row with the expected field types; unknown fields are ignored, as on the `Value` path.
#[derive(Deserialize)]
struct TypedRow<'a> {
    #[serde(default, borrow)]
    id: Option<Id<'a>>,
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(default, borrow)]
    target: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    stance: Option<Cow<'a, str>>,
    #[serde(default)]
    spans: Option<Vec<(u64, u64)>>,
}

/// An `id` given as a string or a number, kept as text (numbers as serde_json prints them).
struct Id<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Id<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Id<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Id<'de>, E> {
                Ok(Id(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Id<'de>, E> {
                Ok(Id(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<Id<'de>, E> {
                Ok(Id(Cow::Owned(serde_json::Number::from(v).to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<Id<'de>, E> {
                Ok(Id(Cow::Owned(serde_json::Number::from(v).to_string())))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Id<'de>, E> {
                serde_json::Number::from_f64(v)
                    .map(|n| Id(Cow::Owned(n.to_string())))
                    .ok_or_else(|| E::custom("not a finite number"))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

fn parse_spans(value: &Value) -> Option<Vec<(usize, usize)>> {
    value
        .as_array()?
        .iter()
        .map(|pair| {
            let pair = pair.as_array()?;
            match pair.as_slice() {
                [start, end] => Some((start.as_u64()? as usize, end.as_u64()? as usize)),
                _ => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Stance;

    fn parse(name: &str, content: &str, need: Need) -> Result<Vec<Example>> {
        crate::data::parse(name, content, crate::data::Format::Jsonl, need)
    }

    #[test]
    fn reads_rows_with_ids_spans_and_blank_lines() {
        let content = "{\"id\": 7, \"text\": \"Kyiv thanked Brussels\", \"target\": \"EU\", \"stance\": \"FAVOR\", \"spans\": [[13, 21]]}\r\n\n{\"text\": \"t\", \"target\": \"x\", \"stance\": \"none\"}\n";
        let rows = parse("f", content, Need::Labeled).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].id.as_deref(), Some("7"));
        assert_eq!(rows[0].stance, Some(Stance::Favor));
        assert_eq!(rows[0].spans, Some(vec![(13, 21)]));
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn bad_rows_name_line_and_problem() {
        let err = |c: &str| parse("f.jsonl", c, Need::Labeled).unwrap_err().to_string();
        assert!(err("{\"text\": \"a\"").starts_with("f.jsonl:1: malformed JSON"));
        assert_eq!(err("[1, 2]"), "f.jsonl:1: expected a JSON object");
        assert_eq!(
            err("{\"target\": \"x\", \"stance\": \"none\"}"),
            "f.jsonl:1: missing `text`"
        );
        assert_eq!(
            err("{\"text\": 5, \"target\": \"x\", \"stance\": \"none\"}"),
            "f.jsonl:1: `text` must be a string"
        );
        assert_eq!(
            err("\n{\"text\": \"a\", \"target\": \"x\", \"stance\": \"maybe\"}"),
            "f.jsonl:2: unknown stance \"maybe\" (expected favor, against or none)"
        );
        assert_eq!(
            err("{\"text\": \"a\", \"stance\": \"none\"}"),
            "f.jsonl:1: missing or empty `target`"
        );
    }

    #[test]
    fn typed_and_general_paths_read_rows_alike() {
        let rows = parse(
            "f",
            "{\"id\": -3, \"text\": \"a\", \"extra\": [1, {}], \"target\": null}\n\
             {\"id\": 1.5, \"text\": \"b\"}\n\
             {\"text\": \"first\", \"text\": \"second\", \"spans\": null}\n\
             {\"text\": \"caf\\u00e9 \\\"q\\\"\", \"id\": \"x\\ty\"}",
            Need::Unlabeled,
        )
        .unwrap();
        assert_eq!(rows[0].id.as_deref(), Some("-3"));
        assert_eq!(rows[0].target, None);
        assert_eq!(rows[1].id.as_deref(), Some("1.5"));
        // A repeated field (refused by the typed path) keeps the last value, as serde_json does.
        assert_eq!(rows[2].text, "second");
        assert_eq!(rows[3].text, "café \"q\"");
        assert_eq!(rows[3].id.as_deref(), Some("x\ty"));
    }

    #[test]
    fn unlabeled_rows_may_lack_target_and_stance() {
        let rows = parse("f", "{\"text\": \"hello\"}", Need::Unlabeled).unwrap();
        assert_eq!(rows[0].target, None);
        assert_eq!(rows[0].stance, None);
    }
}
