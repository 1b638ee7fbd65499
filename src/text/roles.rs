//! Role cues for the target without a parser, for sentences that name several people:
//! - the nearest content words on each side of a mention (`LN:`/`LM:` left, `RN:`/`RM:` right),
//!   skipping function words that the distance bands of `L1:`…`R4:` count;
//! - which entity a content word stands nearest to: the target (`T:`) or another capitalized
//!   name or registered party (`O:`);
//! - whether a mention opens its clause (subject-like) or the sentence (`P:`).
//!
//! Every pass is linear in the number of terms, however many mentions a statement holds.

use super::marks::ShortLower;
use super::{Family, Feature, Terms};

/// Term flag: capitalized where a sentence does not start (a name, most likely).
pub const CAPITAL: u8 = 1;
/// Term flag: a function word (articles, prepositions, pronouns, auxiliaries).
pub const FUNCTION: u8 = 2;
/// Term flag: the placeholder of another registered party (`<party>`).
pub const OTHER_PARTY_MENTION: u8 = 4;

#[rustfmt::skip] // one line of words, not one word a line
pub fn is_function_word(raw: &str) -> bool {
    let Some(lower) = ShortLower::<5>::new(raw) else {
        return false;
    };
    matches!(
        lower.bytes(),
        b"the" | b"a" | b"an" | b"of" | b"to" | b"in" | b"on" | b"for" | b"and" | b"or"
            | b"with" | b"by" | b"at" | b"from" | b"as" | b"is" | b"was" | b"are" | b"were"
            | b"be" | b"been" | b"has" | b"have" | b"had" | b"that" | b"this" | b"it" | b"its"
            | b"his" | b"her" | b"their" | b"he" | b"she" | b"they" | b"who" | b"which"
            | b"will" | b"would" | b"s" | b"mr" | b"ms" | b"mrs" | b"also" | b"about"
            | b"after" | b"into" | b"than" | b"then"
    )
}

/// Flags of one token; `between` is the text since the previous token.
pub fn flags(raw: &str, between: &str, first: bool, function_word: bool) -> u8 {
    // Most tokens are one space after the one before.
    let sentence_start = first
        || (between != " "
            && between
                .chars()
                .any(|c| matches!(c, '.' | '!' | '?' | '"' | '“')));
    let mut flags = 0;
    let capital = match raw.as_bytes().first() {
        Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
        _ => raw.chars().next().is_some_and(char::is_uppercase),
    };
    if !sentence_start && capital {
        flags |= CAPITAL;
    }
    if function_word {
        flags |= FUNCTION;
    }
    flags
}

/// Buffers reused across statements: nearest content term before and after each term, and
/// distances to the nearest entity.
#[derive(Default)]
pub struct Scratch {
    previous_content: Vec<Option<usize>>,
    next_content: Vec<Option<usize>>,
    entity_distance: Vec<usize>,
}

/// Calls `emit` for the role features of a statement that mentions the target; `nearest[i]` is
/// term i's distance to the nearest mention (`usize::MAX` without one).
pub fn for_each_feature(
    terms: &Terms,
    nearest: &[(usize, bool)],
    scratch: &mut Scratch,
    emit: &mut impl FnMut(Feature),
) {
    let count = terms.len();
    let content = |i: usize| {
        let t = terms.get(i);
        !t.is_target && t.flags & FUNCTION == 0
    };
    let is_entity = |i: usize| {
        let t = terms.get(i);
        !t.is_target && t.flags & (CAPITAL | OTHER_PARTY_MENTION) != 0
    };
    let Scratch {
        previous_content,
        next_content,
        entity_distance,
    } = scratch;
    previous_content.clear();
    let mut last = None;
    for i in 0..count {
        previous_content.push(last);
        if content(i) {
            last = Some(i);
        }
    }
    next_content.clear();
    next_content.resize(count, None);
    last = None;
    for i in (0..count).rev() {
        next_content[i] = last;
        if content(i) {
            last = Some(i);
        }
    }
    for m in (0..count).filter(|&m| terms.get(m).is_target) {
        let left = previous_content[m];
        let left_second = left.and_then(|i| previous_content[i]);
        let right = next_content[m];
        let right_second = right.and_then(|i| next_content[i]);
        for (family, term) in [
            (Family::NearestLeft, left),
            (Family::SecondLeft, left_second),
            (Family::NearestRight, right),
            (Family::SecondRight, right_second),
        ] {
            if let Some(i) = term {
                emit(Feature::new(family, i, 1));
            }
        }
        // Clause indices never decrease along the terms: the content word before the mention
        // is in its clause exactly when it has the same clause index.
        let clause = terms.get(m).clause;
        let opens_clause = left.is_none_or(|i| terms.get(i).clause != clause);
        let position = if opens_clause {
            Family::ClauseFirst
        } else {
            Family::ClauseLater
        };
        emit(Feature::new(position, m, 1));
        if left.is_none() {
            emit(Feature::new(Family::SentenceFirst, m, 1));
        }
    }
    distances_to(count, is_entity, entity_distance);
    for i in (0..count).filter(|&i| content(i) && !is_entity(i)) {
        let family = if entity_distance[i] < nearest[i].0 {
            Family::NearerOther
        } else {
            Family::NearerTarget
        };
        emit(Feature::new(family, i, 1));
    }
}

/// For each index below `count`, the distance to the nearest index (other than itself) where
/// `hit` holds, `usize::MAX` if none; two passes.
fn distances_to(count: usize, hit: impl Fn(usize) -> bool, out: &mut Vec<usize>) {
    out.clear();
    out.resize(count, usize::MAX);
    let mut last = None;
    for (i, slot) in out.iter_mut().enumerate() {
        if let Some(h) = last {
            *slot = i - h;
        }
        if hit(i) {
            last = Some(i);
        }
    }
    last = None;
    for i in (0..count).rev() {
        if let Some(h) = last {
            out[i] = out[i].min(h - i);
        }
        if hit(i) {
            last = Some(i);
        }
    }
}
