//! Snowball stemming through rust-stemmers, with the language as a saved, user-facing option.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

use super::short_key;
use super::tokenize::{tokenize, Kind, Token};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Every language, in declaration order (the order the command line lists them in).
    pub const ALL: [Language; 20] = [
        Language::Arabic,
        Language::Danish,
        Language::Dutch,
        Language::English,
        Language::Finnish,
        Language::French,
        Language::German,
        Language::Greek,
        Language::Hungarian,
        Language::Italian,
        Language::Norwegian,
        Language::Portuguese,
        Language::Romanian,
        Language::Russian,
        Language::Spanish,
        Language::Swedish,
        Language::Tamil,
        Language::Turkish,
        Language::None,
        Language::Auto,
    ];

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

/// The language a statement is stemmed in under `--language auto`: the cheap rules of
/// `by_script_and_function_words` first; else whatlang's answer among the languages Snowball
/// stems, when it is sure of it; else the usual language of the statement's script (Latin:
/// English, Cyrillic: Russian), since a short headline or tweet is too little text to tell
/// English from Danish. `None` (no stemming) for any other script.
pub fn detect(text: &str) -> Language {
    detect_in(text, &tokenize(text))
}

/// `detect`, given the statement's tokens.
pub(super) fn detect_in(text: &str, tokens: &[Token]) -> Language {
    by_script_and_function_words(text, tokens).unwrap_or_else(|| by_whatlang(text))
}

/// Common English words that are rare in the other Latin-script languages Snowball stems (not
/// "is", "in", "was", "for", "at", "a": Dutch, German, Scandinavian or Romance words too).
const ENGLISH_FUNCTION_WORDS: [&str; 82] = [
    "the", "and", "that", "with", "this", "which", "from", "have", "has", "had", "been", "were",
    "would", "could", "should", "their", "they", "them", "said", "says", "will", "its", "but",
    "not", "who", "what", "there", "than", "because", "his", "her", "him", "she", "he", "our",
    "you", "your", "about", "after", "into", "out", "more", "when", "also", "just", "all", "some",
    "can", "we", "my", "to", "of", "it", "be", "up", "one", "new", "how", "why", "being", "other",
    "these", "those", "while", "where", "did", "does", "get", "got", "like", "only", "then", "now",
    "even", "most", "many", "such", "very", "any", "each", "both", "if",
];

/// The commonest words of the other Latin-script languages Snowball stems, written in ASCII,
/// that English text rarely has.
const OTHER_LATIN_FUNCTION_WORDS: [&str; 84] = [
    "de", "la", "le", "les", "des", "et", "est", "une", "du", "que", "qui", "pas", "pour", "dans",
    "sur", "au", "der", "das", "und", "ist", "nicht", "ein", "eine", "zu", "mit", "von", "dem",
    "auf", "sich", "auch", "el", "los", "las", "por", "una", "para", "del", "se", "il", "di",
    "che", "non", "della", "sono", "um", "em", "da", "os", "het", "een", "en", "dat", "niet", "op",
    "te", "zijn", "voor", "og", "det", "er", "som", "med", "har", "och", "att", "av", "ett", "ja",
    "ei", "ole", "az", "es", "hogy", "nem", "egy", "si", "cu", "ca", "nu", "pe", "este", "bir",
    "bu", "ile",
];

/// Whether a word is one of `ENGLISH_FUNCTION_WORDS` (`Some(true)`) or of
/// `OTHER_LATIN_FUNCTION_WORDS` (`Some(false)`), in any case: one hash look-up of the word
/// packed into an integer, since every statement asks it of every word.
fn function_word_language(word: &str) -> Option<bool> {
    static TABLE: OnceLock<FxHashMap<u64, bool>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let english = ENGLISH_FUNCTION_WORDS.iter().map(|w| (w, true));
        let other = OTHER_LATIN_FUNCTION_WORDS.iter().map(|w| (w, false));
        english
            .chain(other)
            .filter_map(|(w, is_english)| Some((packed_lowercase(w)?, is_english)))
            .collect()
    });
    table.get(&packed_lowercase(word)?).copied()
}

/// An ASCII word of at most 8 bytes, lowercased, as the integer of its bytes (no word holds a
/// zero byte, so the padding tells lengths apart).
fn packed_lowercase(word: &str) -> Option<u64> {
    if word.len() > 8 || !word.is_ascii() {
        return None;
    }
    // At most 8 bytes: the packed integer fits in 64 bits.
    Some(short_key::ascii_lowercase(
        short_key::packed(word.as_bytes()) as u64,
    ))
}

/// The cheap answer for the two languages the bundled model knows, `None` when it takes
/// whatlang (35 µs for a short statement, more than the rest of scoring). It reads the
/// statement's word and hashtag tokens:
/// - written mostly in Cyrillic letters: Russian (the only Cyrillic language Snowball stems, so
///   whatlang answers the same);
/// - in Latin letters alone: English when at least two words, and one in eight, are English
///   function words, or when every letter is ASCII and no word is among the other Latin-script
///   languages' commonest words. Those languages write most sentences with such a word or an
///   accented letter, while whatlang, on a short English headline without function words,
///   often answers Danish or Dutch, and the statement would be stemmed in that language.
fn by_script_and_function_words(text: &str, tokens: &[Token]) -> Option<Language> {
    let all_ascii = text.is_ascii();
    if all_ascii && ascii_english(text, tokens) {
        return Some(Language::English);
    }
    let (mut ascii, mut latin, mut cyrillic, mut other) = (0usize, 0usize, 0usize, 0usize);
    let (mut words, mut english, mut foreign) = (0usize, 0usize, 0usize);
    for token in tokens {
        let word = &text[token.byte_start..token.byte_end];
        let word = match token.kind {
            Kind::Word => word,
            Kind::Hashtag => &word[1..],
            _ => continue,
        };
        words += 1;
        if all_ascii {
            ascii += word.len();
        } else {
            for c in word.chars() {
                match c {
                    'a'..='z' | 'A'..='Z' => ascii += 1,
                    '\u{c0}'..='\u{24f}' => latin += 1,
                    '\u{400}'..='\u{52f}' => cyrillic += 1,
                    c if c.is_alphabetic() => other += 1,
                    _ => {}
                }
            }
        }
        if token.kind == Kind::Word {
            match function_word_language(word) {
                Some(true) => english += 1,
                Some(false) => foreign += 1,
                None => {}
            }
        }
    }
    let latin_only = cyrillic == 0 && other == 0 && ascii + latin > 0;
    if cyrillic > ascii + latin + other {
        Some(Language::Russian)
    } else if latin_only && english >= 2 && english * 8 >= words
        || latin_only && latin == 0 && foreign == 0
    {
        Some(Language::English)
    } else {
        None
    }
}

/// The common case of `by_script_and_function_words`, sooner: whether an ASCII statement has a
/// word (or hashtag) and none of `OTHER_LATIN_FUNCTION_WORDS`, which are all short.
fn ascii_english(text: &str, tokens: &[Token]) -> bool {
    let mut has_word = false;
    for token in tokens {
        match token.kind {
            Kind::Word => {
                let word = &text[token.byte_start..token.byte_end];
                if word.len() <= LONGEST_OTHER_LATIN_FUNCTION_WORD
                    && function_word_language(word) == Some(false)
                {
                    return false;
                }
                has_word = true;
            }
            Kind::Hashtag => has_word = true,
            _ => {}
        }
    }
    has_word
}

/// The length of the longest of `OTHER_LATIN_FUNCTION_WORDS`, in bytes.
const LONGEST_OTHER_LATIN_FUNCTION_WORD: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < OTHER_LATIN_FUNCTION_WORDS.len() {
        if OTHER_LATIN_FUNCTION_WORDS[i].len() > longest {
            longest = OTHER_LATIN_FUNCTION_WORDS[i].len();
        }
        i += 1;
    }
    longest
};

fn by_whatlang(text: &str) -> Language {
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

    fn cheap(text: &str) -> Option<Language> {
        by_script_and_function_words(text, &tokenize(text))
    }

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
    fn english_function_words_and_cyrillic_letters_answer_without_whatlang() {
        // whatlang alone calls this headline Danish; its English function words make it English.
        let headline = "Michael Cohen knew of some abuse allegations against former New York \
                        attorney general, court filing says";
        assert_eq!(by_whatlang(headline), Language::Danish);
        assert_eq!(detect(headline), Language::English);
        let russian = "Лавров назвал провокацией попытки обвинить Tehran";
        assert_eq!(cheap(russian), Some(Language::Russian));
        // One English word in a French sentence is not enough: whatlang decides.
        let french = "Le ministre a dit que the attaque contre les civils était inacceptable";
        assert_eq!(cheap(french), None);
        assert_eq!(detect(french), Language::French);
        for other in [
            "Merkel trifft Putin in Moskau und spricht mit ihm über die Ukraine",
            "El presidente dijo que la guerra no ha terminado",
            "Regeringen har fordømt angrebet mod civile",
            "Il governo ha condannato the attacco",
        ] {
            assert_eq!(cheap(other), None, "{other}");
        }
        // ASCII letters alone and none of the other languages' commonest words: English, where
        // whatlang alone would stem this tweet (SemEval-2016 val) as French.
        let tweet = "@user @user 2 hours left, let's chip in $5, Nevada! #raisethenewPOTUS #SemST";
        assert_eq!(by_whatlang(tweet), Language::French);
        assert_eq!(cheap(tweet), Some(Language::English));
        for english in [
            "Appeals court upholds block on Trump's travel ban",
            "Trump to meet Putin in Helsinki",
            "Go Hillary! #SemST",
        ] {
            assert_eq!(cheap(english), Some(Language::English), "{english}");
        }
        // Short, with a word of another language or an accented letter: whatlang decides.
        assert_eq!(cheap("Viva la revolucion"), None);
        assert_eq!(cheap("Merci à Paris"), None);
        assert_eq!(cheap("12345 !!!"), None);
    }

    #[test]
    fn function_words_are_found_in_any_case_and_in_one_list_only() {
        for word in ENGLISH_FUNCTION_WORDS {
            assert_eq!(function_word_language(word), Some(true), "{word}");
            assert!(!OTHER_LATIN_FUNCTION_WORDS.contains(&word), "{word}");
        }
        for word in OTHER_LATIN_FUNCTION_WORDS {
            assert_eq!(function_word_language(word), Some(false), "{word}");
        }
        assert_eq!(function_word_language("The"), Some(true));
        assert_eq!(function_word_language("UND"), Some(false));
        for other in ["them'", "th", "thee", "becausee", "über", ""] {
            assert_eq!(function_word_language(other), None, "{other}");
        }
    }

    #[test]
    fn names_are_serde_names() {
        for language in Language::ALL {
            let json = serde_json::to_string(&language).unwrap();
            assert_eq!(json, format!("\"{}\"", language.name()));
        }
    }
}
