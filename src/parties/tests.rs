//! Tests of the party registry and alias matching.

use super::*;
use crate::folding::*;

fn names(registry: &Registry, text: &str) -> Vec<String> {
    registry
        .mentions(text)
        .iter()
        .map(|m| registry.parties()[m.party].name.clone())
        .collect()
}

#[test]
fn embedded_registry_loads_and_has_the_core_parties() {
    let registry = Registry::default_registry();
    for name in [
        "Russia",
        "United States",
        "Israel",
        "Hamas",
        "Iran",
        "Ukraine",
        "NATO",
        "Hezbollah",
        "Ansarallah",
        "China",
        "European Union",
        "Syria",
    ] {
        assert!(registry.resolve(name).is_some(), "{name} missing");
    }
}

#[test]
fn every_case_form_of_russian_names_finds_its_party() {
    let registry = Registry::default_registry();
    let cases = [
        (
            "Russia",
            ["Москва", "Москвы", "Москве", "Москву", "Москвой", "Москве"],
        ),
        (
            "United States",
            [
                "Вашингтон",
                "Вашингтона",
                "Вашингтону",
                "Вашингтон",
                "Вашингтоном",
                "Вашингтоне",
            ],
        ),
        (
            "Ukraine",
            [
                "Украина",
                "Украины",
                "Украине",
                "Украину",
                "Украиной",
                "Украине",
            ],
        ),
    ];
    for (party, forms) in cases {
        for form in forms {
            let text = format!("В заявлении говорится, что {form} готова к переговорам.");
            assert_eq!(names(&registry, &text), [party], "{form}");
            assert_eq!(registry.canonical(form), party, "{form}");
        }
    }
    // Adjectives and acronyms, and no match inside a longer word.
    assert_eq!(
        names(&registry, "США обвинили Москву в затягивании войны"),
        ["United States", "Russia"]
    );
    assert_eq!(names(&registry, "российские дипломаты"), ["Russia"]);
    assert!(names(&registry, "москвичи вышли на улицы").is_empty());
}

#[test]
fn aliases_resolve_to_canonical_names() {
    let registry = Registry::default_registry();
    assert_eq!(registry.canonical("washington"), "United States");
    assert_eq!(registry.canonical("USA"), "United States");
    assert_eq!(registry.canonical("the Kremlin"), "Russia");
    assert_eq!(registry.canonical("Atheism"), "Atheism");
}

#[test]
fn finds_aliases_on_whole_words_preferring_the_longest() {
    let registry = Registry::default_registry();
    let text = "The Kremlin accused Washington; Abbas Araghchi met Mahmoud Abbas.";
    assert_eq!(
        names(&registry, text),
        ["Russia", "United States", "Iran", "Palestinian Authority"]
    );
    // "Moscowitz" is not Moscow; "us" is not the United States.
    assert!(names(&registry, "Let us ask Mr Moscowitz.").is_empty());
    assert_eq!(
        names(&registry, "US and UN officials"),
        ["United States", "United Nations"]
    );
}

#[test]
fn a_longer_alias_that_is_not_a_whole_word_leaves_the_shorter_one() {
    let party = |name: &str, aliases: &[&str]| Party {
        name: name.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        ambiguous: Vec::new(),
    };
    let registry = Registry::new(vec![
        party("Gaza", &["Gaza Strip"]),
        party("Stripe", &["stripe"]),
    ])
    .unwrap();
    // "Gaza Strip" matches first and longest but ends inside "stripped".
    let mentions = registry.mentions("Gaza stripped of power, stripe");
    let spans: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
    assert_eq!(spans, [(0, 4), (24, 30)]);
}

/// Mentions by brute force, as the matching rules say: every alias at every code point,
/// folded unless all-capitals, whole words only, then leftmost and longest first without
/// overlaps.
fn mentions_by_brute_force(registry: &Registry, text: &str) -> Vec<Mention> {
    let raw: Vec<char> = text.chars().collect();
    let folded: Vec<char> = raw.iter().map(|&c| fold_char(c)).collect();
    let word_at = |i: usize| is_word_char(folded[i]);
    let mut all = Vec::new();
    for (index, party) in registry.parties().iter().enumerate() {
        for alias in std::iter::once(&party.name).chain(&party.aliases) {
            let (hay, pattern): (&[char], Vec<char>) = if is_acronym(alias) {
                (&raw, alias.chars().collect())
            } else {
                (&folded, alias.chars().map(fold_char).collect())
            };
            for start in 0..hay.len() {
                let end = start + pattern.len();
                if end <= hay.len()
                    && hay[start..end] == pattern[..]
                    && (start == 0 || !word_at(start - 1))
                    && (end == hay.len() || !word_at(end))
                {
                    let key = fold(alias);
                    let ambiguous = party.ambiguous.iter().any(|a| fold(a) == key);
                    all.push(Mention {
                        party: index,
                        start,
                        end,
                        ambiguous,
                    });
                }
            }
        }
    }
    all.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<Mention> = Vec::new();
    for m in all {
        if kept.last().is_none_or(|last| m.start >= last.end) {
            kept.push(m);
        }
    }
    kept
}

#[test]
fn the_word_walk_finds_what_brute_force_finds() {
    let registry = Registry::default_registry();
    let corpus =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/labeled/train.jsonl"))
            .unwrap();
    let mut texts: Vec<String> = corpus
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    texts.extend([
        "Kremlin's envoy met the White House's team".to_string(),
        "THE KREMLIN and the u.s. and the U.S. and UNITED STATES OF AMERICA".into(),
        "Ça va: Türkiye backs Kyiv; the Kremlin’s “line” and U.S.-led talks".into(),
        "Moscowitz, Trumpism, Whitehouse, Kremlinology".into(),
        "Counterproductively, Russia said".into(),
        "UNCONSTITUTIONALLY NATO".into(),
        "US-UK talks; us; U.S.A.; the USA’s; EU/NATO; İSRAİL and ISRAEL".into(),
        "Islamic Republic of Iran, Iranian, Iran's; Palestinian Authority".into(),
        String::new(),
    ]);
    let mut with_mentions = 0;
    for text in &texts {
        let expected = mentions_by_brute_force(&registry, text);
        assert_eq!(registry.mentions(text), expected, "{text}");
        with_mentions += usize::from(!expected.is_empty());
    }
    assert!(
        with_mentions > texts.len() / 2,
        "{with_mentions} of {}",
        texts.len()
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..Default::default()
    })]
    #[test]
    fn the_word_walk_finds_what_brute_force_finds_in_any_text(
        pieces in proptest::collection::vec(proptest::sample::select(vec![
            "Kremlin", "kremlin", "the ", "The Kremlin", "THE", " Kremlin", "U.S.", "U.S.A.",
            "U.S", ".", "US", "us", "USA", " ", ",", "-", "’s", "'s", "`s", "İ", "i\u{307}",
            "\u{212A}remlin", "Türkiye", "TÜRKİYE", "a", "Moscowitz", "Moscow", "#", "_",
            "NATO", "Nato", "white house", "White", " House", "Islamic Republic of Iran",
            "Iran", "Palestinian", " Authority", "Abbas", "日本", "Σ", "1", "\n",
        ]), 0..14)
    ) {
        let registry = Registry::default_registry();
        let text: String = pieces.concat();
        proptest::prop_assert_eq!(
            registry.mentions(&text),
            mentions_by_brute_force(&registry, &text),
            "{:?}",
            text
        );
    }
}

#[test]
fn empty_aliases_are_refused() {
    let party = Party {
        name: "Russia".into(),
        aliases: vec!["Moscow".into(), " ".into()],
        ambiguous: Vec::new(),
    };
    let error = Registry::new(vec![party]).err().unwrap();
    assert!(
        error.contains("Russia") && error.contains("empty"),
        "{error}"
    );
}

#[test]
fn general_punctuation_holds_no_word_character() {
    let words: Vec<char> = ('\u{2000}'..='\u{206F}')
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    assert!(words.is_empty(), "{words:?}");
}

#[test]
fn folding_keeps_word_characters() {
    // `find_words` and the key-word check rely on it for every code point.
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        assert_eq!(is_word_char(c), is_word_char(fold_char(c)), "{c:?}");
    }
}

#[test]
fn each_registry_resolves_names_its_own_way() {
    let party = |name: &str, alias: &str| Party {
        name: name.into(),
        aliases: vec![alias.into()],
        ambiguous: Vec::new(),
    };
    let a = Registry::new(vec![party("Russia", "Moscow")]).unwrap();
    let b = Registry::new(vec![party("Kansas", "Topeka"), party("Idaho", "Moscow")]).unwrap();
    // Alternately on one thread, with the same name: the last answer kept for one registry
    // must never serve the other.
    for _ in 0..2 {
        assert_eq!(a.canonical("Moscow"), "Russia");
        assert_eq!(b.canonical("Moscow"), "Idaho");
        assert_eq!(a.canonical(" moscow "), "Russia");
        assert_eq!(a.canonical("Kyiv"), "Kyiv");
    }
}

#[test]
fn what_folds_into_ascii() {
    // `find_words` searches ASCII needles in the unfolded text, relying on this.
    let into_ascii: Vec<char> = (0x80..=0x10FFFF)
        .filter_map(char::from_u32)
        .filter(|&c| fold_char(c).is_ascii())
        .collect();
    assert_eq!(into_ascii, ['\u{130}', '\u{2018}', '\u{2019}', '\u{212A}']);
}

#[test]
fn folding_runs_is_folding_each_code_point() {
    for text in [
        "",
        "Plain ASCII, NATO`s",
        "Kyiv’s “allies” and İSTANBUL",
        "ÉLYSÉE",
        "日本`",
        "a’",
    ] {
        let by_char: String = text.chars().map(fold_char).collect();
        assert_eq!(fold(text), by_char, "{text:?}");
    }
}

#[test]
fn spans_are_code_point_offsets() {
    let registry = Registry::default_registry();
    let text = "Ça va: Türkiye backs Kyiv";
    let spans = registry.target_spans(text, "Turkey");
    assert_eq!(spans, vec![(7, 14)]);
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(chars[7..14].iter().collect::<String>(), "Türkiye");
    assert_eq!(registry.target_spans(text, "Ukraine"), vec![(21, 25)]);
}

#[test]
fn unregistered_targets_are_found_by_their_own_words() {
    let registry = Registry::default_registry();
    assert_eq!(
        registry.target_spans("I back hillary clinton, not Clintons", "Hillary Clinton"),
        vec![(7, 22)]
    );
    // Every case, whole words only, and the same spans as the general (non-ASCII) search.
    let text = "Cruz, cruz! CRUZ xcruz Cruzan Cruz";
    let ascii = find_words(text, "Cruz");
    assert_eq!(ascii, vec![(0, 4), (6, 10), (12, 16), (30, 34)]);
    assert!(find_words("Cr", "Cruz").is_empty());
    // The same search over code points, the slow way, on ASCII and other texts.
    let slow = |text: &str, needle: &str| {
        let hay: Vec<char> = text.chars().map(fold_char).collect();
        let pat: Vec<char> = needle.chars().map(fold_char).collect();
        let mut spans = Vec::new();
        let mut i = 0;
        while !pat.is_empty() && i + pat.len() <= hay.len() {
            let end = i + pat.len();
            let word = |j: usize| is_word_char(hay[j]);
            if hay[i..end] == pat[..]
                && (i == 0 || !word(i - 1))
                && (end == hay.len() || !word(end))
            {
                spans.push((i, end));
                i = end;
            } else {
                i += 1;
            }
        }
        spans
    };
    for (text, needle) in [
        (text, "Cruz"),
        ("xa-a-a a-a", "a-a"),
        ("“Cruz” said Cruz’s aide, CRUZ—and ÇRUZ", "Cruz"),
        ("Beto O’Rourke and O'Rourke", "O'Rourke"),
        ("Türkiye, TÜRKIYE; türkiyem", "Türkiye"),
        ("ééé é", "é"),
        ("a", ""),
        ("éCruz Cruzé «Cruz» Çruz — Cruz’s", "Cruz"),
        ("\u{212A}yiv, KYIV and Kyiv’s", "Kyiv"),
        ("İstanbul, istanbul, \u{130}STANBUL", "istanbul"),
        ("Mc’Cain McCain", "Mc'Cain"),
        ("日本 Abe 日本Abe Abe日本 abe", "Abe"),
    ] {
        assert_eq!(
            find_words(text, needle),
            slow(text, needle),
            "{text} / {needle}"
        );
    }
}

#[test]
fn one_span_scratch_serves_any_statement_target_and_registry() {
    // The scratch keeps the last statement's alias matches; a new statement or another
    // registry's aliases must be matched afresh.
    let default = Registry::default_registry();
    let small = Registry::from_toml(
        "[[party]]\nname = \"Atlantis\"\naliases = [\"Tehran\"]\n",
        "small.toml",
    )
    .unwrap();
    let (a, b) = (
        "Moscow accused Tehran and Washington of lying",
        "Washington praised Kyiv",
    );
    let asks = [
        (&default, a, "Iran"),
        (&default, a, "Russia"),
        (&default, b, "Ukraine"),
        (&small, a, "Atlantis"),
        (&default, a, "United States"),
        (&small, b, "Atlantis"),
        (&default, a, "Iran"),
    ];
    let scratch = &mut SpanScratch::default();
    let (mut target, mut others) = (Vec::new(), Vec::new());
    for (registry, text, party) in asks {
        registry.spans_into(text, party, None, (&mut target, &mut others), scratch);
        assert_eq!(
            (target.clone(), others.clone()),
            registry.spans(text, party, None),
            "{party}: {text}"
        );
    }
    // The small registry's own alias, not Iran's, as a check that both were asked.
    assert_eq!(small.target_spans(a, "Atlantis"), vec![(15, 21)]);
}
