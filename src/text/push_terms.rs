//! From a statement's tokens to its terms: each word normalized and stemmed (memoized with its
//! facts in the caller's `Scratch`), each mention of the target or of another party collapsed
//! into one placeholder term, clauses and negation scopes counted along the way, and, when
//! asked, each term's id and each word's vector row.

use super::analyzer::{Analyzer, MentionSpans};
use super::scratch::Scratch;
use super::stem::{self, Language};
use super::terms::{Terms, VectorWord, NUMBER, OTHER_PARTY, TARGET, URL};
use super::tokenize::{tokenize_into, Kind, Token};
use super::word_facts::{CachedWord, TermIds, VectorRows, WordCache, WordFacts, NO_ROW};
use super::{lexicon, marks, roles};
use crate::folding::{fold_into, SortedSpans};
use rust_stemmers::Stemmer;

/// The spans of the target's mentions and of other parties' mentions, sorted.
type Spans<'a> = (&'a SortedSpans, &'a SortedSpans);

/// Where the walk over a statement's tokens stands.
#[derive(Default)]
struct Walk {
    /// The mention whose placeholder is the last term, while its tokens go on.
    open_span: Option<(usize, usize)>,
    /// Index of the current clause.
    clause: u32,
    /// Whether a negation cue earlier in the clause governs the next term.
    negated: bool,
    /// Where the previous token ended (0 before the first).
    previous_end_byte: usize,
    /// The statement's stemming language.
    language: Language,
}

impl Walk {
    /// Steps onto a token that ends at `end_byte`: punctuation `between` it and the token
    /// before, or a clause opener, starts a new clause, which ends any negation's scope.
    fn step(&mut self, between: &str, opens_clause: bool, end_byte: usize) {
        if marks::ends_clause(between) || opens_clause {
            self.clause += 1;
            self.negated = false;
        }
        self.previous_end_byte = end_byte;
    }
}

/// The token being made a term: its text, its cached word (words only), facts and role flags.
struct Current<'t, 'w> {
    token: Token,
    raw: &'t str,
    word: Option<&'w mut CachedWord>,
    facts: WordFacts,
    flags: u8,
}

/// A mention's placeholder term: the mention's span, the placeholder's text, and whether the
/// mention is of the target.
#[derive(Clone, Copy)]
struct Placeholder {
    span: (usize, usize),
    text: &'static str,
    is_target: bool,
}

impl Analyzer {
    /// `terms_into`, and with `ids`, each term's id in that numbering too (`Terms::ids`), with
    /// `vectors`, the words' vector rows for the dense block (`Terms::vector_words`): both are
    /// memoized with the word's facts, so scoring looks up neither a term nor a word.
    pub fn terms_with_ids_into(
        &self,
        scratch: &mut Scratch,
        text: &str,
        (target_spans, other_spans): MentionSpans,
        (ids, vectors): (Option<&TermIds>, Option<&VectorRows>),
        terms: &mut Terms,
    ) {
        terms.clear();
        let Scratch {
            words,
            word,
            tokens,
            tokenized,
            detected,
            spans: (sorted_targets, sorted_others),
            ..
        } = scratch;
        sorted_targets.refill(target_spans);
        sorted_others.refill(other_spans);
        words.use_numbering(ids, vectors);
        if tokenized != text {
            tokenize_into(text, tokens);
            tokenized.clear();
            tokenized.push_str(text);
            *detected = None;
        }
        let language = match self.config.language {
            Language::Auto => *detected.get_or_insert_with(|| stem::detect_in(text, tokens)),
            language => language,
        };
        terms.set_language(language);
        self.push_terms(
            (text, language),
            tokens,
            (sorted_targets, sorted_others),
            (words, word),
            (ids, vectors),
            terms,
        );
        terms.set_defended(roles::is_defended(terms));
    }

    /// One term per token, or one per mention for the tokens of a mention.
    fn push_terms(
        &self,
        (text, language): (&str, Language),
        tokens: &[Token],
        spans: Spans,
        (words, word_buffer): (&mut WordCache, &mut String),
        (ids, vectors): (Option<&TermIds>, Option<&VectorRows>),
        terms: &mut Terms,
    ) {
        let mut walk = Walk {
            language,
            ..Walk::default()
        };
        for (position, &token) in tokens.iter().enumerate() {
            let raw = &text[token.byte_start..token.byte_end];
            let between = &text[walk.previous_end_byte..token.byte_start];
            let (word, facts) =
                self.word_and_facts((words, word_buffer), (token.kind, language), raw);
            let first = walk.previous_end_byte == 0;
            let flags = if self.config.roles {
                roles::flags(raw, between, first, &facts)
            } else {
                0
            };
            walk.step(between, facts.opens_clause, token.byte_end);
            let mut current = Current {
                token,
                raw,
                word,
                facts,
                flags,
            };
            if let Some(vectors) = vectors {
                // A negated word's vector says the opposite of what the clause says ("did
                // not condemn"): pooled, it would pull toward what is denied.
                let denied = walk.negated && self.config.negation;
                push_vector_word(&mut current, position, spans.0, denied, vectors, terms);
            }
            if let Some(placeholder) = self.placeholder(token, spans) {
                self.push_placeholder(placeholder, &current, &mut walk, ids, terms);
                continue;
            }
            walk.open_span = None;
            self.push_term(current, &walk, ids, terms);
            walk.negated |= token.kind == Kind::Word && facts.negation;
        }
    }

    /// A word's entry in the cache, with its stem and facts; the facts of any other token.
    fn word_and_facts<'w>(
        &self,
        (words, word_buffer): (&'w mut WordCache, &mut String),
        (kind, language): (Kind, Language),
        raw: &str,
    ) -> (Option<&'w mut CachedWord>, WordFacts) {
        match kind {
            Kind::Word => {
                let word = words.get(language as u8, raw, |out| {
                    normalize_word(raw, stem::stemmer(language).as_ref(), word_buffer, out)
                });
                let facts = word.facts;
                (Some(word), facts)
            }
            _ => (
                None,
                WordFacts {
                    valence: 0,
                    function_word: roles::is_function_word(raw),
                    opens_clause: marks::opens_clause(raw),
                    negation: false,
                    role_cues: roles::role_cues(raw),
                },
            ),
        }
    }

    /// The placeholder the token stands under, if it is in a mention: the target's (with
    /// `target_placeholder`) before another party's (with `other_parties`).
    fn placeholder(&self, token: Token, (target_spans, other_spans): Spans) -> Option<Placeholder> {
        let overlaps = |spans: &SortedSpans| spans.overlapping(token.start, token.end);
        let placeholder = |text, is_target| {
            move |span| Placeholder {
                span,
                text,
                is_target,
            }
        };
        if self.config.target_placeholder {
            overlaps(target_spans).map(placeholder(TARGET, true))
        } else {
            None
        }
        .or_else(|| {
            self.config
                .other_parties
                .then(|| overlaps(other_spans).map(placeholder(OTHER_PARTY, false)))
                .flatten()
        })
    }

    /// A token of a mention: its word among the target words (with `target_words`), and the
    /// mention's placeholder term, pushed at its first token and widened over the next ones.
    fn push_placeholder(
        &self,
        placeholder: Placeholder,
        current: &Current,
        walk: &mut Walk,
        ids: Option<&TermIds>,
        terms: &mut Terms,
    ) {
        let token = current.token;
        if let (true, Some(word)) = (placeholder.is_target, &current.word) {
            if self.config.target_words {
                terms.push_target_word(&word.stem);
                // A Russian noun's ending is its case, and its case its role: "США обвинили
                // Москву" (accusative: the accused) against "Москва обвинила" (the accuser).
                if walk.language == Language::Russian {
                    let folded = crate::folding::fold(current.raw);
                    let ending = folded.strip_prefix(&*word.stem).unwrap_or("");
                    terms.push_target_word(&format!("-{ending}"));
                    terms.push_target_word(russian_shape(current.raw));
                }
            }
        }
        match terms.last_mut() {
            Some(last) if walk.open_span == Some(placeholder.span) => last.end = token.end,
            _ => {
                let flags = if placeholder.is_target {
                    0
                } else {
                    roles::OTHER_PARTY_MENTION
                };
                terms.push(
                    |a| a.push_str(placeholder.text),
                    (token.start, token.end),
                    walk.clause,
                    walk.negated,
                    (flags, 0),
                    placeholder.is_target,
                );
                terms.push_id(ids, None);
                walk.open_span = Some(placeholder.span);
            }
        }
    }

    /// A token outside mentions as a term: a word's stem, a hashtag or @mention folded, or the
    /// placeholder of a URL or number; with its valence when the lexicon is on.
    fn push_term(&self, current: Current, walk: &Walk, ids: Option<&TermIds>, terms: &mut Terms) {
        let Current {
            token,
            raw,
            word,
            facts,
            flags,
        } = current;
        let write = |arena: &mut String| match token.kind {
            Kind::Url => arena.push_str(URL),
            Kind::Number => arena.push_str(NUMBER),
            Kind::Hashtag | Kind::Mention => fold_into(raw, arena),
            Kind::Word => {
                if let Some(word) = &word {
                    arena.push_str(&word.stem);
                }
            }
        };
        let valence = match token.kind {
            _ if !self.config.lexicon => 0,
            Kind::Word => facts.valence,
            Kind::Hashtag => lexicon::valence(&raw[1..]),
            _ => 0,
        };
        // Words never hold '<': only the placeholder above stands for the target.
        terms.push(
            write,
            (token.start, token.end),
            walk.clause,
            walk.negated,
            (flags, valence),
            false,
        );
        terms.push_id(ids, word);
    }
}

/// The letter case of a Russian mention's word, as a target word: Russian capitalizes proper
/// names alone, so a lowercase mention is a profession, a nationality or a group ("тренер",
/// "кубинских"), one in capitals an acronym ("США", "ФСБ"), and each kind has its own prior
/// that the word alone teaches only for the words training saw.
fn russian_shape(raw: &str) -> &'static str {
    let mut chars = raw.chars();
    match chars.next() {
        Some(first) if first.is_uppercase() => {
            let mut rest = chars.peekable();
            if rest.peek().is_some() && rest.all(|c| !c.is_lowercase()) {
                "^upper"
            } else {
                "^capital"
            }
        }
        _ => "^lower",
    }
}

/// Lowercase, drop a possessive "'s", then stem; appends the result to `out`.
fn normalize_word(raw: &str, stemmer: Option<&Stemmer>, word: &mut String, out: &mut String) {
    word.clear();
    fold_into(raw, word);
    if word.ends_with("'s") {
        word.truncate(word.len() - 2);
    }
    match stemmer {
        Some(stemmer) => out.push_str(&stemmer.stem(word)),
        None => out.push_str(word),
    }
}

/// With vectors, a word's row for the dense block (a hashtag's too, by its text), kept when it
/// has one or when the word is in a mention of the target; a `denied` word (in a negation's
/// scope) outside the mentions is left out.
fn push_vector_word(
    current: &mut Current,
    position: usize,
    target_spans: &SortedSpans,
    denied: bool,
    vectors: &VectorRows,
    terms: &mut Terms,
) {
    let token = current.token;
    let row = match (&mut current.word, token.kind) {
        (Some(word), _) => word.vector_row(vectors, current.raw),
        (None, Kind::Hashtag) => (vectors.row_of)(&current.raw[1..]),
        _ => NO_ROW,
    };
    let mention = target_spans.overlapping(token.start, token.end).is_some();
    if denied && !mention {
        return;
    }
    if row != NO_ROW || (mention && token.kind == Kind::Word) {
        terms.push_vector_word(VectorWord {
            row,
            token: position as u32,
            mention,
            defence_cue: current.flags & (roles::HOSTILE | roles::DISMISSAL) != 0,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::text::{Analyzer, AnalyzerConfig, Language, Terms};

    fn texts(terms: &Terms) -> Vec<&str> {
        (0..terms.len()).map(|i| terms.text(i)).collect()
    }

    #[test]
    fn lowercases_stems_and_normalizes() {
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let terms = analyzer.terms(
            "Sanctions HIT Russia's banks: 12 of them http://x.y #NoWar",
            &[],
            &[],
        );
        assert_eq!(
            texts(&terms),
            ["sanction", "hit", "russia", "bank", "<num>", "of", "them", "<url>", "#nowar"]
        );
    }

    #[test]
    fn target_mentions_become_one_placeholder() {
        let analyzer = Analyzer::new(AnalyzerConfig::plain());
        let text = "The White House thanked Kyiv";
        let toward_us = analyzer.terms(text, &[(4, 15)], &[]);
        assert_eq!(texts(&toward_us), ["the", "<target>", "thank", "kyiv"]);
        assert_eq!((toward_us.get(1).start, toward_us.get(1).end), (4, 15));
        let toward_ukraine = analyzer.terms(text, &[(24, 28)], &[]);
        assert_ne!(
            analyzer.features(text, &[(4, 15)], &[]),
            analyzer.features(text, &[(24, 28)], &[])
        );
        assert_eq!(texts(&toward_ukraine).last(), Some(&"<target>"));
    }

    #[test]
    fn under_auto_each_statement_is_stemmed_in_its_own_language() {
        let auto = Analyzer::new(AnalyzerConfig {
            language: Language::Auto,
            ..AnalyzerConfig::plain()
        });
        let russian = "Соединённые Штаты обвинили российских дипломатов в шпионаже";
        assert_eq!(
            texts(&auto.terms(russian, &[], &[])),
            [
                "соединен",
                "штат",
                "обвин",
                "российск",
                "дипломат",
                "в",
                "шпионаж"
            ]
        );
        // The same words under a fixed English analyzer keep their endings.
        let english = Analyzer::new(AnalyzerConfig::plain());
        assert!(texts(&english.terms(russian, &[], &[])).contains(&"обвинили"));
        // English text is still stemmed as English, in the same analyzer.
        assert_eq!(
            texts(&auto.terms("Sanctions hit the banks", &[], &[])),
            ["sanction", "hit", "the", "bank"]
        );
    }

    #[test]
    fn placeholder_can_be_disabled() {
        let config = AnalyzerConfig {
            target_placeholder: false,
            ..AnalyzerConfig::plain()
        };
        let analyzer = Analyzer::new(config);
        assert_eq!(
            analyzer.features("Trump and Biden", &[(0, 5)], &[]),
            analyzer.features("Trump and Biden", &[(10, 15)], &[])
        );
    }
}
