//! Snowball stemming through rust-stemmers, with the language as a saved, user-facing option.

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum Language {
    Arabic,
    Danish,
    Dutch,
    English,
    Finnish,
    French,
    German,
    Greek,
    Hungarian,
    Italian,
    Norwegian,
    Portuguese,
    Romanian,
    Russian,
    Spanish,
    Swedish,
    Tamil,
    Turkish,
    /// No stemming: words are only lowercased.
    #[default]
    None,
    /// Each statement in its own language, detected from its text (whatlang).
    Auto,
}

impl Language {
    /// The language's name as the command line spells it (`english`, `none`, `auto`); no
    /// allocation, since scoring asks for it per row.
    pub fn name(self) -> &'static str {
        match self {
            Language::Arabic => "arabic",
            Language::Danish => "danish",
            Language::Dutch => "dutch",
            Language::English => "english",
            Language::Finnish => "finnish",
            Language::French => "french",
            Language::German => "german",
            Language::Greek => "greek",
            Language::Hungarian => "hungarian",
            Language::Italian => "italian",
            Language::Norwegian => "norwegian",
            Language::Portuguese => "portuguese",
            Language::Romanian => "romanian",
            Language::Russian => "russian",
            Language::Spanish => "spanish",
            Language::Swedish => "swedish",
            Language::Tamil => "tamil",
            Language::Turkish => "turkish",
            Language::None => "none",
            Language::Auto => "auto",
        }
    }
}

pub fn stemmer(language: Language) -> Option<Stemmer> {
    let algorithm = match language {
        Language::Arabic => Algorithm::Arabic,
        Language::Danish => Algorithm::Danish,
        Language::Dutch => Algorithm::Dutch,
        Language::English => Algorithm::English,
        Language::Finnish => Algorithm::Finnish,
        Language::French => Algorithm::French,
        Language::German => Algorithm::German,
        Language::Greek => Algorithm::Greek,
        Language::Hungarian => Algorithm::Hungarian,
        Language::Italian => Algorithm::Italian,
        Language::Norwegian => Algorithm::Norwegian,
        Language::Portuguese => Algorithm::Portuguese,
        Language::Romanian => Algorithm::Romanian,
        Language::Russian => Algorithm::Russian,
        Language::Spanish => Algorithm::Spanish,
        Language::Swedish => Algorithm::Swedish,
        Language::Tamil => Algorithm::Tamil,
        Language::Turkish => Algorithm::Turkish,
        Language::None | Language::Auto => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// The languages Snowball stems, as whatlang names them.
const STEMMED: [(whatlang::Lang, Language); 18] = [
    (whatlang::Lang::Ara, Language::Arabic),
    (whatlang::Lang::Dan, Language::Danish),
    (whatlang::Lang::Nld, Language::Dutch),
    (whatlang::Lang::Eng, Language::English),
    (whatlang::Lang::Fin, Language::Finnish),
    (whatlang::Lang::Fra, Language::French),
    (whatlang::Lang::Deu, Language::German),
    (whatlang::Lang::Ell, Language::Greek),
    (whatlang::Lang::Hun, Language::Hungarian),
    (whatlang::Lang::Ita, Language::Italian),
    (whatlang::Lang::Nob, Language::Norwegian),
    (whatlang::Lang::Por, Language::Portuguese),
    (whatlang::Lang::Ron, Language::Romanian),
    (whatlang::Lang::Rus, Language::Russian),
    (whatlang::Lang::Spa, Language::Spanish),
    (whatlang::Lang::Swe, Language::Swedish),
    (whatlang::Lang::Tam, Language::Tamil),
    (whatlang::Lang::Tur, Language::Turkish),
];

/// The language a statement is stemmed in under `--language auto`: whatlang's answer among the
/// languages Snowball stems, when it is sure of it; otherwise the usual language of the
/// statement's script (Latin: English, Cyrillic: Russian), since a short headline or tweet is
/// too little text to tell English from Danish. `None` (no stemming) for any other script.
pub fn detect(text: &str) -> Language {
    use std::sync::OnceLock;
    use whatlang::{Detector, Script};
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    let detector =
        DETECTOR.get_or_init(|| Detector::with_allowlist(STEMMED.iter().map(|p| p.0).collect()));
    let Some(info) = detector.detect(text) else {
        return Language::None;
    };
    if info.is_reliable() {
        if let Some(&(_, language)) = STEMMED.iter().find(|p| p.0 == info.lang()) {
            return language;
        }
    }
    match info.script() {
        Script::Latin => Language::English,
        Script::Cyrillic => Language::Russian,
        Script::Arabic => Language::Arabic,
        Script::Greek => Language::Greek,
        Script::Tamil => Language::Tamil,
        _ => Language::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_told_apart_by_language() {
        assert_eq!(
            detect("США обвинили Москву в затягивании войны"),
            Language::Russian
        );
        assert_eq!(
            detect("Washington accused Moscow of prolonging the war"),
            Language::English
        );
        assert_eq!(
            detect("Le gouvernement français a condamné l'attaque contre les civils"),
            Language::French
        );
        assert_eq!(
            detect("Die Bundesregierung hat den Angriff auf Zivilisten verurteilt"),
            Language::German
        );
        // Too short to tell apart from other Latin-script languages: English, by its script.
        assert_eq!(detect("Go Hillary!"), Language::English);
        assert_eq!(detect("12345 !!!"), Language::None);
    }

    #[test]
    fn names_are_the_command_lines() {
        use clap::ValueEnum;
        for language in Language::value_variants() {
            let value = language.to_possible_value().unwrap();
            assert_eq!(language.name(), value.get_name());
        }
    }
}
