//! Label Studio's import format with pre-annotations: a JSON array of tasks, each with the row in
//! `data` and the model's choice in `predictions`, for the labeling config in
//! `docs/label-studio.xml` (a `Text` object named `text`, a `Choices` control named `stance`
//! with the choices favor, against and none).

use serde::Serialize;

/// The labeling config the tasks are made for.
pub const CONFIG: &str = include_str!("../docs/label-studio.xml");
/// The config's `Choices` control: a result's `from_name`.
pub const FROM_NAME: &str = "stance";
/// The config's `Text` object: a result's `to_name`; also the data field it shows.
pub const TO_NAME: &str = "text";

/// One task: the row to label and the model's prediction for it.
#[derive(Debug, Clone, Serialize)]
pub struct Task<'a> {
    pub data: Data<'a>,
    pub predictions: Vec<Prediction>,
}

/// The row, as the config's `$text` and `$target` read it, with the input's id.
#[derive(Debug, Clone, Serialize)]
pub struct Data<'a> {
    pub text: &'a str,
    pub target: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    /// Why the row was suggested (as in `suggest`'s JSONL), for sorting in the data manager.
    pub uncertainty: f64,
}

/// A model's pre-annotation: Label Studio sorts tasks by `score`, lowest first.
#[derive(Debug, Clone, Serialize)]
pub struct Prediction {
    pub model_version: String,
    /// The probability of the predicted stance.
    pub score: f64,
    pub result: Vec<ResultItem>,
}

/// One labeled region; for a `Choices` control the whole text.
#[derive(Debug, Clone, Serialize)]
pub struct ResultItem {
    /// Unique within the import.
    pub id: String,
    pub from_name: &'static str,
    pub to_name: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub value: Choices,
}

#[derive(Debug, Clone, Serialize)]
pub struct Choices {
    pub choices: Vec<&'static str>,
}

impl<'a> Task<'a> {
    /// The task of the `rank`-th suggestion (0-based; it makes the result's id unique), with
    /// the model's predicted stance and its probability.
    pub fn new(
        data: Data<'a>,
        rank: usize,
        model_version: &str,
        stance: &'static str,
        probability: f64,
    ) -> Task<'a> {
        Task {
            data,
            predictions: vec![Prediction {
                model_version: model_version.to_string(),
                score: probability.clamp(0.0, 1.0),
                result: vec![ResultItem {
                    id: format!("stance-{}", rank + 1),
                    from_name: FROM_NAME,
                    to_name: TO_NAME,
                    kind: "choices",
                    value: Choices {
                        choices: vec![stance],
                    },
                }],
            }],
        }
    }
}

/// The tasks as one JSON array, a task to a line.
pub fn to_json(tasks: &[Task]) -> String {
    let mut out = String::from("[");
    for (k, task) in tasks.iter().enumerate() {
        out.push_str(if k == 0 { "\n" } else { ",\n" });
        out.push_str(
            &serde_json::to_string(task).expect("a task of strings and numbers serializes"),
        );
    }
    out.push_str(if tasks.is_empty() { "]\n" } else { "\n]\n" });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_has_the_names_the_results_use() {
        assert!(CONFIG.contains(&format!(
            "<Choices name=\"{FROM_NAME}\" toName=\"{TO_NAME}\""
        )));
        assert!(CONFIG.contains(&format!("<Text name=\"{TO_NAME}\" value=\"$text\"")));
        assert!(CONFIG.contains("value=\"$target\""));
        for stance in crate::data::Stance::ALL {
            assert!(CONFIG.contains(&format!("<Choice value=\"{}\"/>", stance.name())));
        }
        // XML allows no "--" inside a comment, and Label Studio refuses a config that has one.
        for comment in CONFIG.split("<!--").skip(1) {
            let body = &comment[..comment.find("-->").expect("comment closed")];
            assert!(!body.contains("--"), "{body}");
        }
    }

    #[test]
    fn tasks_are_a_json_array_in_the_documented_shape() {
        assert_eq!(to_json(&[]), "[]\n");
        let data = |id| Data {
            text: "Kyiv thanked NATO",
            target: "NATO",
            id,
            uncertainty: 0.5,
        };
        let tasks = [
            Task::new(data(Some("a1")), 0, "stance test", "favor", 0.8),
            Task::new(data(None), 1, "stance test", "none", 1.5),
        ];
        let parsed: serde_json::Value = serde_json::from_str(&to_json(&tasks)).unwrap();
        let first = &parsed[0];
        assert_eq!(first["data"]["text"], "Kyiv thanked NATO");
        assert_eq!(first["data"]["id"], "a1");
        let prediction = &first["predictions"][0];
        assert_eq!(prediction["model_version"], "stance test");
        assert_eq!(prediction["score"], 0.8);
        let result = &prediction["result"][0];
        assert_eq!(result["type"], "choices");
        assert_eq!(result["from_name"], "stance");
        assert_eq!(result["to_name"], "text");
        assert_eq!(result["value"]["choices"][0], "favor");
        assert!(parsed[1]["data"].get("id").is_none());
        assert_eq!(parsed[1]["predictions"][0]["score"], 1.0);
        assert_ne!(result["id"], parsed[1]["predictions"][0]["result"][0]["id"]);
    }
}
