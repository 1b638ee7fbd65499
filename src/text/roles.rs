//! Role cues for the target without a parser, for sentences that name several people:
//! - the nearest content words on each side of a mention (`LN:`/`LM:` left, `RN:`/`RM:` right),
//!   skipping function words that the distance bands of `L1:`…`R4:` count;
//! - which entity a content word stands nearest to: the target (`T:`) or another capitalized
//!   name or registered party (`O:`);
//! - whether a mention opens its clause (subject-like) or the sentence (`P:`);
//! - whether the target speaks (`P:speaker`): "X said / accused / warned …", "X's foreign ministry
//!   said", "according to X". The guidelines read a speaker's words toward the parties they are
//!   about, so the speaker itself is mostly `none`; the bag of words alone cannot tell the two;
//! - whether the target is defended (`P:defended`): the object of a blame, accusation or hostile
//!   measure that the statement dismisses ("attempts to blame Tehran were provocative", "rejected
//!   calls to isolate Damascus"), which the guidelines label favor although the words are hostile;
//! - whether the target is spared (`P:spared`): the object of a criticism withheld ("did not
//!   condemn Israel's strike", "declined to blame the Houthis"), labeled none, not against.
//!
//! Every pass is linear in the number of terms, however many mentions a statement holds.

use super::marks::ShortLower;
use super::word_facts::WordFacts;
use super::{Family, Feature, Terms};

/// Term flag: capitalized where a sentence does not start (a name, most likely).
pub const CAPITAL: u8 = 1;
/// Term flag: a function word (articles, prepositions, pronouns, auxiliaries).
pub const FUNCTION: u8 = 2;
/// Term flag: the placeholder of another registered party (`<party>`).
pub const OTHER_PARTY_MENTION: u8 = 4;
/// Term flag: a verb of saying, accusing or judging ("said", "accused", "warned", "praised").
pub const SPEECH: u8 = 8;
/// Term flag: a word that may stand between a party and its speech verb ("X's foreign ministry
/// said", "X on Monday warned", "X has repeatedly accused").
pub const SPEAKER_GAP: u8 = 16;
/// Term flag: "according" (as in "according to X").
pub const ACCORDING: u8 = 32;
/// Term flag: a blame, accusation or hostile measure aimed at what follows ("blame", "accusations",
/// "claims", "isolate", "sanction", "condemn").
pub const HOSTILE: u8 = 64;
/// Term flag: a word that dismisses a claim ("rejected", "denied", "baseless", "provocative").
pub const DISMISSAL: u8 = 128;
/// How many terms may stand between a mention and its speech verb.
const MAX_SPEAKER_GAP: usize = 6;
/// How many terms before a mention a hostile word may stand and still be aimed at it
/// ("accusations that the Revolutionary Guards armed …": three).
const MAX_HOSTILE_GAP: usize = 5;
/// How far from a hostile word a dismissal may stand and still dismiss it.
const MAX_DISMISSAL_DISTANCE: usize = 10;

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

#[rustfmt::skip]
fn is_speech_verb(raw: &str) -> bool {
    let Some(lower) = ShortLower::<12>::new(raw) else {
        return false;
    };
    matches!(
        lower.bytes(),
        b"said" | b"says" | b"say" | b"told" | b"tells" | b"stated" | b"states" | b"declared"
            | b"declares" | b"announced" | b"announces" | b"accused" | b"accuses" | b"called"
            | b"calls" | b"warned" | b"warns" | b"urged" | b"urges" | b"insisted" | b"insists"
            | b"argued" | b"argues" | b"claimed" | b"claims" | b"denied" | b"denies"
            | b"rejected" | b"rejects" | b"dismissed" | b"dismisses" | b"condemned"
            | b"condemns" | b"denounced" | b"denounces" | b"praised" | b"praises"
            | b"welcomed" | b"welcomes" | b"criticised" | b"criticized" | b"criticises"
            | b"criticizes" | b"blamed" | b"blames" | b"demanded" | b"demands" | b"stressed"
            | b"stresses" | b"vowed" | b"vows" | b"pledged" | b"pledges" | b"threatened"
            | b"threatens" | b"charged" | b"alleged" | b"alleges" | b"described"
            | b"describes" | b"branded" | b"brands" | b"labelled" | b"labeled" | b"hailed"
            | b"hails" | b"thanked" | b"thanks" | b"slammed" | b"slams" | b"decried"
            | b"decries" | b"lambasted" | b"reiterated" | b"reiterates" | b"affirmed"
            | b"affirms" | b"maintained" | b"maintains" | b"suggested" | b"suggests"
            | b"wrote" | b"writes" | b"responded" | b"replied" | b"countered" | b"complained"
            | b"protested" | b"expressed" | b"voiced" | b"noted" | b"notes" | b"added"
            | b"acknowledged" | b"admitted" | b"conceded" | b"asserted" | b"asserts"
            | b"defended" | b"defends" | b"questioned" | b"signalled" | b"signaled"
            // Base forms, after "did not", "will", "would", "must".
            | b"condemn" | b"accuse" | b"call" | b"warn" | b"urge" | b"praise" | b"welcome"
            | b"criticise" | b"criticize" | b"blame" | b"deny" | b"reject" | b"dismiss"
            | b"denounce" | b"thank" | b"defend" | b"demand" | b"insist" | b"claim"
    )
}

#[rustfmt::skip]
fn is_speaker_gap(raw: &str) -> bool {
    let Some(lower) = ShortLower::<14>::new(raw) else {
        return false;
    };
    matches!(
        lower.bytes(),
        b"foreign" | b"ministry" | b"minister" | b"ministers" | b"spokesperson" | b"spokesman"
            | b"spokeswoman" | b"official" | b"officials" | b"government" | b"envoy"
            | b"ambassador" | b"embassy" | b"delegation" | b"delegate" | b"leader"
            | b"leaders" | b"leadership" | b"deputy" | b"prime" | b"president" | b"state"
            | b"department" | b"office" | b"secretary" | b"military" | b"army" | b"defence"
            | b"defense" | b"mission" | b"representative" | b"statement" | b"media" | b"sources"
            | b"monday" | b"tuesday" | b"wednesday" | b"thursday" | b"friday" | b"saturday"
            | b"sunday" | b"yesterday" | b"today" | b"earlier" | b"later" | b"repeatedly"
            | b"again" | b"publicly" | b"openly" | b"sharply" | b"recently" | b"swiftly"
            | b"quickly" | b"strongly" | b"firmly" | b"not" | b"did" | b"does" | b"had"
            | b"has" | b"have" | b"was" | b"is" | b"also" | b"then" | b"once" | b"chief"
            | b"will" | b"would" | b"must" | b"could" | b"may" | b"never"
    )
}

#[rustfmt::skip]
fn is_hostile(raw: &str) -> bool {
    let Some(lower) = ShortLower::<12>::new(raw) else {
        return false;
    };
    matches!(
        lower.bytes(),
        b"blame" | b"blamed" | b"blames" | b"blaming" | b"accuse" | b"accused" | b"accuses"
            | b"accusing" | b"accusation" | b"accusations" | b"allegation" | b"allegations"
            | b"claim" | b"claims" | b"charge" | b"charges" | b"isolate" | b"isolating"
            | b"sanction" | b"sanctions" | b"punish" | b"punishing" | b"condemn" | b"condemned"
            | b"condemning" | b"criticise" | b"criticize" | b"criticised" | b"criticized"
            | b"denounce" | b"denounced" | b"demonise" | b"demonize" | b"demonising"
            | b"demonizing" | b"scapegoat" | b"vilify" | b"smear" | b"smears"
    )
}

#[rustfmt::skip]
fn is_dismissal(raw: &str) -> bool {
    let Some(lower) = ShortLower::<14>::new(raw) else {
        return false;
    };
    matches!(
        lower.bytes(),
        b"reject" | b"rejected" | b"rejects" | b"dismiss" | b"dismissed" | b"dismisses"
            | b"deny" | b"denied" | b"denies" | b"refuted" | b"rebuffed" | b"provocative"
            | b"provocation" | b"baseless" | b"groundless" | b"unfounded" | b"absurd"
            | b"false" | b"fabricated" | b"fabrication" | b"fabrications" | b"lie" | b"lies"
            | b"slander" | b"slanderous" | b"smears" | b"nonsense" | b"ridiculous"
            | b"propaganda" | b"disinformation" | b"fantasy" | b"fantasies" | b"fiction"
    )
}

/// The role cues of a word wherever it stands (`SPEECH`, `SPEAKER_GAP`, `ACCORDING`, `HOSTILE`,
/// `DISMISSAL`), kept with its other facts (`WordFacts`) so that each distinct word is matched
/// once.
pub fn role_cues(raw: &str) -> u8 {
    let speaker = if is_speech_verb(raw) {
        SPEECH
    } else if is_speaker_gap(raw) {
        SPEAKER_GAP
    } else if raw.eq_ignore_ascii_case("according") {
        ACCORDING
    } else {
        0
    };
    let hostile = if is_hostile(raw) { HOSTILE } else { 0 };
    let dismissal = if is_dismissal(raw) { DISMISSAL } else { 0 };
    speaker | hostile | dismissal
}

/// Flags of one token from its facts; `between` is the text since the previous token.
pub fn flags(raw: &str, between: &str, first: bool, facts: &WordFacts) -> u8 {
    // Most tokens are one space after the one before.
    let sentence_start = first
        || (between != " "
            && between
                .chars()
                .any(|c| matches!(c, '.' | '!' | '?' | '"' | '“')));
    let mut flags = facts.role_cues;
    let capital = match raw.as_bytes().first() {
        Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
        _ => raw.chars().next().is_some_and(char::is_uppercase),
    };
    if !sentence_start && capital {
        flags |= CAPITAL;
    }
    if facts.function_word {
        flags |= FUNCTION;
    }
    flags
}

/// Whether the mention at term `m` speaks: a speech verb follows it within a few gap words
/// (function words, offices, days, adverbs), or "according (to)" comes just before it.
fn speaks(terms: &Terms, m: usize, previous_content: Option<usize>) -> bool {
    if previous_content.is_some_and(|i| terms.get(i).flags & ACCORDING != 0) {
        return true;
    }
    for j in (m + 1..terms.len()).take(MAX_SPEAKER_GAP + 1) {
        let t = terms.get(j);
        if t.flags & SPEECH != 0 {
            return true;
        }
        if t.flags & (FUNCTION | SPEAKER_GAP) == 0 {
            return false;
        }
    }
    false
}

/// How the statement treats the target at mention `m` with a blame or hostile measure aimed at
/// it: `Defended` when a dismissal stands near the hostile word, `Spared` when the hostile word
/// is negated ("did not condemn", "declined to blame"); `None` without one. Not aimed at it: the
/// accuser in "claims by X".
fn treatment(terms: &Terms, m: usize) -> Option<Family> {
    let by_or_from = m
        .checked_sub(1)
        .is_some_and(|p| matches!(terms.text(p), "by" | "from"));
    if by_or_from {
        return None;
    }
    let h = (m.saturating_sub(MAX_HOSTILE_GAP)..m)
        .rev()
        .find(|&i| terms.get(i).flags & HOSTILE != 0)?;
    let near =
        h.saturating_sub(MAX_DISMISSAL_DISTANCE)..(h + MAX_DISMISSAL_DISTANCE + 1).min(terms.len());
    if near
        .filter(|&i| i != h)
        .any(|i| terms.get(i).flags & DISMISSAL != 0)
    {
        Some(Family::Defended)
    } else if terms.get(h).negated {
        Some(Family::Spared)
    } else {
        None
    }
}

/// Whether term `i` is a content word: not a function word, not the target.
fn is_content(terms: &Terms, i: usize) -> bool {
    let t = terms.get(i);
    !t.is_target && t.flags & FUNCTION == 0
}

/// The nearest content term before term `m`.
fn previous_content(terms: &Terms, m: usize) -> Option<usize> {
    (0..m).rev().find(|&i| is_content(terms, i))
}

/// Whether the target is defended by someone else: a mention is the object of a dismissed blame
/// or hostile measure, and no mention of it speaks (a party answering an accusation itself is
/// still accused: the guidelines' exception, "Beijing dismissed as groundless a report that
/// Chinese hackers …").
pub(super) fn is_defended(terms: &Terms) -> bool {
    let mentions = || (0..terms.len()).filter(|&m| terms.get(m).is_target);
    mentions().any(|m| treatment(terms, m) == Some(Family::Defended))
        && !mentions().any(|m| speaks(terms, m, previous_content(terms, m)))
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
    let content = |i: usize| is_content(terms, i);
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
    let defended = terms.is_defended();
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
        if speaks(terms, m, left) {
            emit(Feature::new(Family::Speaker, m, 1));
        }
        match treatment(terms, m) {
            Some(Family::Defended) if !defended => {}
            Some(family) => emit(Feature::new(family, m, 1)),
            None => {}
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

#[cfg(test)]
mod tests {
    use crate::text::{Analyzer, AnalyzerConfig};

    /// Whether the statement's features toward the party at `mention` include `feature`.
    fn has(text: &str, mention: &str, feature: &str) -> bool {
        let start = text.find(mention).expect("mention in text");
        let span = (start, start + mention.len());
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        analyzer
            .features(text, &[span], &[])
            .iter()
            .any(|f| f == feature)
    }

    /// Whether the statement's features toward the party at `mention` mark it as the speaker.
    fn speaker(text: &str, mention: &str) -> bool {
        has(text, mention, "P:speaker")
    }

    #[test]
    fn a_dismissed_accusation_defends_its_object_but_not_its_author() {
        let defended = |text, mention| has(text, mention, "P:defended");
        let text = "Lavrov said attempts to blame Tehran were provocative";
        assert!(defended(text, "Tehran"));
        assert!(!defended(text, "Lavrov"));
        assert!(defended(
            "Beijing rejected calls to isolate Damascus",
            "Damascus"
        ));
        assert!(defended(
            "Moscow called claims that Tehran supplied the drones baseless",
            "Tehran"
        ));
        // The accuser, and an accusation nobody dismisses.
        let text = "Kyiv rejected claims by Moscow that Washington ordered the raid";
        assert!(!defended(text, "Moscow"));
        assert!(defended(text, "Washington"));
        assert!(!defended("Paris blamed Tehran for the attack", "Tehran"));
        // A party denying the charge itself is still accused (the guidelines' exception).
        let text = "Beijing dismissed claims that Chinese hackers breached the network";
        assert!(defended(text, "Chinese"), "as one party's mention alone");
        let both = [(0, 7), (30, 37)];
        let analyzer = Analyzer::new(AnalyzerConfig::default());
        let features = analyzer.features(text, &both, &[]);
        assert!(!features.iter().any(|f| f == "P:defended"), "{features:?}");
    }

    #[test]
    fn a_withheld_criticism_spares_its_object() {
        let spared = |text, mention| has(text, mention, "P:spared");
        assert!(spared(
            "The minister did not condemn Israel's strike",
            "Israel"
        ));
        assert!(spared("Riyadh declined to blame the Houthis", "Houthis"));
        assert!(!spared("Riyadh condemned the Houthis", "Houthis"));
        assert!(!spared(
            "Beijing rejected calls to isolate Damascus",
            "Damascus"
        ));
    }

    #[test]
    fn the_accuser_speaks_and_the_accused_does_not() {
        let text = "Moscow accused Washington of prolonging the war";
        assert!(speaker(text, "Moscow"));
        assert!(!speaker(text, "Washington"));
        let text = "Lavrov said attempts to blame Tehran were provocative";
        assert!(speaker(text, "Lavrov"));
        assert!(!speaker(text, "Tehran"));
    }

    #[test]
    fn offices_days_and_adverbs_may_stand_between_speaker_and_verb() {
        assert!(speaker(
            "Iran's foreign ministry on Monday condemned the visit",
            "Iran"
        ));
        assert!(speaker("The Kremlin has repeatedly warned Kyiv", "Kremlin"));
        assert!(speaker("Ankara did not condemn the strike", "Ankara"));
        assert!(speaker("The raid failed, according to Kyiv", "Kyiv"));
        // Too far, or a content word that is not a verb of saying in between.
        assert!(!speaker(
            "Tehran and its regional allies in Iraq said nothing",
            "Tehran"
        ));
        assert!(!speaker("Kyiv drones struck the refinery", "Kyiv"));
        assert!(!speaker("Sanctions on Moscow were tightened", "Moscow"));
    }
}
