//! Feature families: what a feature is about, and the prefix that marks its text.

/// Prefix of the target-word features (`M:trump`), in the word block.
pub const TARGET_WORD_PREFIX: &str = "M:";
/// Prefix of the character n-gram features (`c: ka`), the character block.
pub const CHAR_NGRAM_PREFIX: &str = "c:";

/// The blocks of a statement's row, each L2-normalized on its own and weighted (see
/// `features::Vocabulary`): words (n-grams, negation, lexicon signs, target words), character
/// n-grams, and the marks of where a term stands toward the target (context, clause, roles).
pub const WORD_BLOCK: u8 = 0;
pub const CHAR_BLOCK: u8 = 1;
pub const CONTEXT_BLOCK: u8 = 2;

/// What a feature is about: a word n-gram, or one term marked by where it stands toward the
/// target (side and distance band, clause) or by a negation's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Family {
    Ngram,
    Left1,
    Left2,
    Left4,
    Right1,
    Right2,
    Right4,
    Clause,
    Negated,
    NearestLeft,
    SecondLeft,
    NearestRight,
    SecondRight,
    NearerTarget,
    NearerOther,
    ClauseFirst,
    ClauseLater,
    SentenceFirst,
    LexPos,
    LexNeg,
    LexLeftPos,
    LexLeftNeg,
    LexRightPos,
    LexRightNeg,
    Speaker,
    Defended,
    Spared,
}

impl Family {
    pub const ALL: [Family; 27] = [
        Family::Ngram,
        Family::Left1,
        Family::Left2,
        Family::Left4,
        Family::Right1,
        Family::Right2,
        Family::Right4,
        Family::Clause,
        Family::Negated,
        Family::NearestLeft,
        Family::SecondLeft,
        Family::NearestRight,
        Family::SecondRight,
        Family::NearerTarget,
        Family::NearerOther,
        Family::ClauseFirst,
        Family::ClauseLater,
        Family::SentenceFirst,
        Family::LexPos,
        Family::LexNeg,
        Family::LexLeftPos,
        Family::LexLeftNeg,
        Family::LexRightPos,
        Family::LexRightNeg,
        Family::Speaker,
        Family::Defended,
        Family::Spared,
    ];

    /// The prefix of its features' text (`L1:accus`); n-grams have none.
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Ngram => "",
            Family::Left1 => "L1:",
            Family::Left2 => "L2:",
            Family::Left4 => "L4:",
            Family::Right1 => "R1:",
            Family::Right2 => "R2:",
            Family::Right4 => "R4:",
            Family::Clause => "C:",
            Family::Negated => "N:",
            Family::NearestLeft => "LN:",
            Family::SecondLeft => "LM:",
            Family::NearestRight => "RN:",
            Family::SecondRight => "RM:",
            Family::NearerTarget => "T:",
            Family::NearerOther => "O:",
            Family::ClauseFirst => "P:clause-first",
            Family::ClauseLater => "P:clause-later",
            Family::SentenceFirst => "P:sentence-first",
            Family::LexPos => "V:pos",
            Family::LexNeg => "V:neg",
            Family::LexLeftPos => "V:L-pos",
            Family::LexLeftNeg => "V:L-neg",
            Family::LexRightPos => "V:R-pos",
            Family::LexRightNeg => "V:R-neg",
            Family::Speaker => "P:speaker",
            Family::Defended => "P:defended",
            Family::Spared => "P:spared",
        }
    }

    /// The part of the prefix before its ':' (`L1`, `P`); empty for n-grams.
    pub fn tag(self) -> &'static str {
        self.prefix().split_once(':').map_or("", |(tag, _)| tag)
    }

    /// The block its features belong to: the target's context, clause and roles in
    /// `CONTEXT_BLOCK`; n-grams, negation scopes and lexicon signs in `WORD_BLOCK`.
    pub fn block(self) -> u8 {
        match self {
            Family::Ngram
            | Family::Negated
            | Family::LexPos
            | Family::LexNeg
            | Family::LexLeftPos
            | Family::LexLeftNeg
            | Family::LexRightPos
            | Family::LexRightNeg => WORD_BLOCK,
            Family::Left1
            | Family::Left2
            | Family::Left4
            | Family::Right1
            | Family::Right2
            | Family::Right4
            | Family::Clause
            | Family::NearestLeft
            | Family::SecondLeft
            | Family::NearestRight
            | Family::SecondRight
            | Family::NearerTarget
            | Family::NearerOther
            | Family::ClauseFirst
            | Family::ClauseLater
            | Family::SentenceFirst
            | Family::Speaker
            | Family::Defended
            | Family::Spared => CONTEXT_BLOCK,
        }
    }

    /// Whether its features' text holds their terms; the mention's position in its clause or
    /// sentence is a fixed text.
    pub fn has_terms(self) -> bool {
        !matches!(
            self,
            Family::ClauseFirst
                | Family::ClauseLater
                | Family::SentenceFirst
                | Family::LexPos
                | Family::LexNeg
                | Family::LexLeftPos
                | Family::LexLeftNeg
                | Family::LexRightPos
                | Family::LexRightNeg
                | Family::Speaker
                | Family::Defended
                | Family::Spared
        )
    }

    /// The family and terms of a feature's text; `None` for character n-grams (`c:`), whose
    /// text is not made of terms.
    pub fn parse(feature: &str) -> Option<(Family, &str)> {
        if let Some(&fixed) = Family::ALL
            .iter()
            .find(|f| !f.has_terms() && f.prefix() == feature)
        {
            return Some((fixed, ""));
        }
        match feature.split_once(':') {
            None => Some((Family::Ngram, feature)),
            Some((prefix, rest)) => Family::ALL[1..]
                .iter()
                .filter(|f| f.has_terms())
                .find(|f| &f.prefix()[..f.prefix().len() - 1] == prefix)
                .map(|&f| (f, rest)),
        }
    }
}
