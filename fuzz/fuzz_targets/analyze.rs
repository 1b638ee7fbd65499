//! The analyzer and the party registry on arbitrary text with arbitrary spans: never a panic, and
//! terms and mentions stay inside the text.
#![no_main]

use libfuzzer_sys::arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use stance::parties::Registry;
use stance::text::{Analyzer, AnalyzerConfig, Language};
use std::sync::OnceLock;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::default_registry)
}

const LANGUAGES: [Language; 4] = [
    Language::English,
    Language::Russian,
    Language::Arabic,
    Language::None,
];

fuzz_target!(|bytes: &[u8]| {
    let mut u = Unstructured::new(bytes);
    let (Ok(flags), Ok(text)) = (u8::arbitrary(&mut u), <&str>::arbitrary(&mut u)) else {
        return;
    };
    let chars = text.chars().count();
    let mut spans = Vec::new();
    // `arbitrary` yields zeros once the input runs out, so stop at its end.
    while !u.is_empty() && spans.len() < 64 {
        let (Ok(a), Ok(b)) = (u16::arbitrary(&mut u), u16::arbitrary(&mut u)) else {
            break;
        };
        spans.push((a as usize % (chars + 3), b as usize % (chars + 3)));
    }
    let (targets, others) = spans.split_at(spans.len() / 2);

    let registry = registry();
    let mentions = registry.mentions(text);
    let mut previous_end = 0;
    for m in &mentions {
        assert!(
            m.start >= previous_end && m.start < m.end && m.end <= chars,
            "{m:?}"
        );
        previous_end = m.end;
    }
    let target = ["Russia", "United States", "EU", "Hillary Clinton"][flags as usize % 4];
    let (found, found_others) = registry.spans(text, target, None);
    assert!(found
        .iter()
        .chain(&found_others)
        .all(|&(s, e)| s < e && e <= chars));

    let analyzer = Analyzer::new(AnalyzerConfig {
        language: LANGUAGES[(flags >> 2) as usize % 4],
        char_min: if flags & 0x10 != 0 { 2 } else { 0 },
        char_max: if flags & 0x10 != 0 { 5 } else { 0 },
        ..AnalyzerConfig::default()
    });
    for (t, o) in [(targets, others), (&found[..], &found_others[..])] {
        let terms = analyzer.terms(text, t, o);
        for term in terms.iter() {
            assert!(term.start <= term.end && term.end <= chars, "{term:?}");
        }
        let _ = analyzer.features(text, t, o);
    }
});
