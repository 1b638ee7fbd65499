//! The canonical format: one JSON object per line, `{"id"?, "text", "target", "stance", "spans"?}`.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;

use super::{build_example, Example, Need, RawRow};
use crate::error::{Error, Result};

/// One non-blank JSONL line.
pub fn parse_line(name: &str, line: usize, raw: &str, need: Need) -> Result<Example> {
    // Well-formed rows take the typed path, which borrows instead of building a map; anything
    // else goes through `serde_json::Value` to say exactly what is wrong.
    let typed =
        serde_json::from_str::<TypedRow>(raw)
            .ok()
            .and_then(|row| match row.id.map(id_text) {
                Some(None) => None, // an id that is neither string nor number: said below
                Some(Some(id)) => Some((row, Some(id))),
                None => Some((row, None)),
            });
    if let Some((row, id)) = typed {
        let raw_row = RawRow {
            id,
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
        // serde_json ends its message with " at line 1 column N": the line is ours to say.
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(&*message, |(m, _)| m);
        Error::input(
            name,
            line,
            format!("malformed JSON at column {}: {message}", e.column()),
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
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(default, borrow)]
    target: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    stance: Option<Cow<'a, str>>,
    #[serde(default)]
    spans: Option<Vec<(u64, u64)>>,
}

/// An `id` as written: a string's value, or a number's own text (so `123456789012345678901234567890`
/// and `-0` come back as they were, not as a float); `None` for anything else, which the general
/// path then reports.
fn id_text(raw: &RawValue) -> Option<String> {
    let text = raw.get();
    match text.as_bytes().first()? {
        b'"' => serde_json::from_str(text).ok(),
        b'-' | b'0'..=b'9' => Some(text.to_string()),
        _ => None,
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
        let malformed = err("{\"text\": \"a\"");
        assert!(
            malformed.starts_with("f.jsonl:1: malformed JSON at column"),
            "{malformed}"
        );
        assert!(!malformed.contains("line 1"), "{malformed}");
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
        // Ids come back as written, not through a float.
        let ids = parse(
            "f",
            "{\"id\": 123456789012345678901234567890, \"text\": \"a\"}\n{\"id\": -0, \"text\": \"b\"}\n{\"id\": 1e3, \"text\": \"c\"}",
            Need::Unlabeled,
        )
        .unwrap();
        let ids: Vec<_> = ids.iter().map(|r| r.id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["123456789012345678901234567890", "-0", "1e3"]);
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
