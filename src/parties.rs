//! The party registry: canonical names, aliases, and finding mentions of parties in text.
//!
//! Matching is case-insensitive on whole words and prefers the longest alias. Short all-capitals
//! aliases ("US", "UN", "PA", "EU") match only in capitals, because "us" is a pronoun.

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::alias_matcher::{AliasMatcher, Found};
use crate::error::{Error, Result};
use crate::folding::{find_words, fold, SortedSpans};
use crate::text::short_key::{ascii_lowercase_key, short_key};

/// The registry shipped in labeled/parties.toml, compiled into the binary.
pub const DEFAULT_REGISTRY: &str = include_str!("../labeled/parties.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Aliases that can also mean something else; still matched, but flagged to users.
    #[serde(default)]
    pub ambiguous: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    party: Vec<Party>,
}

/// A code-point range `[start, end)` in a text.
pub type Span = (usize, usize);

/// One mention of a party in a text, as code-point offsets (end exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub party: usize,
    pub start: usize,
    pub end: usize,
    pub ambiguous: bool,
}

pub struct Registry {
    parties: Vec<Party>,
    /// Folded (lowercased) alias → party index, for resolving names given by users.
    by_alias: HashMap<String, usize>,
    /// The same for folded aliases short enough for a `short_key`: a name given in plain
    /// ASCII, as most are, is found by an integer, lowercased in place.
    by_short_alias: HashMap<u128, usize>,
    /// Every alias: all-capitals ones matched as written, the others in any case; and the
    /// party and ambiguity of each.
    matcher: AliasMatcher,
    owner: Vec<(usize, bool)>,
    /// Each alias as written in the registry, in the matcher's order.
    alias_names: Vec<String>,
    /// Tells registries' aliases apart, for the matches a `SpanScratch` keeps.
    fingerprint: u64,
}

/// `Registry::spans_into`'s working buffers, owned by the caller and reused from statement to
/// statement (a scorer keeps one per worker).
#[derive(Default)]
pub struct SpanScratch {
    matches: Matches,
    sorted_targets: SortedSpans,
}

/// The alias matches of the last statement walked, with the registry (fingerprint) and the
/// statement they are of: the rows of one statement toward several targets, and the mentions
/// a scorer reports beside them, walk its text once.
#[derive(Default)]
struct Matches {
    found: Vec<Found>,
    of: Option<(u64, String)>,
}

fn is_acronym(alias: &str) -> bool {
    let letters: Vec<char> = alias.chars().filter(|&c| c != '.').collect();
    letters.len() <= 4 && letters.iter().all(|c| c.is_uppercase())
}

/// What a model records of the registry it was trained with (see `Registry::record`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistryRecord {
    /// SHA-256 of the parties, their aliases and ambiguous aliases, in order.
    pub sha256: String,
    pub parties: Vec<String>,
}

/// The line (1-based) of byte `offset` in `source`.
fn line_at(source: &str, offset: usize) -> usize {
    1 + source.as_bytes()[..offset.min(source.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

impl Registry {
    /// The built-in registry with the parties of a registry file (TOML, as labeled/parties.toml)
    /// added: a party of a name already known gains the file's aliases. `only`: the file's
    /// parties alone. Errors name the file, the line and the problem.
    pub fn with_file(path: &Path, only: bool) -> Result<Self> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let source = String::from_utf8(bytes).map_err(|e| {
            let line = line_at(
                std::str::from_utf8(&e.as_bytes()[..e.utf8_error().valid_up_to()]).unwrap_or(""),
                usize::MAX,
            );
            Error::input(&name, line, "is not valid UTF-8")
        })?;
        let file: RegistryFile = toml::from_str(&source).map_err(|e| {
            let line = e.span().map_or(1, |span| line_at(&source, span.start));
            Error::input(
                &name,
                line,
                format!(
                    "{} (see labeled/parties.toml for the format)",
                    e.message().trim().replace('\n', "; ")
                ),
            )
        })?;
        if file.party.is_empty() {
            return Err(Error::file(&name, "holds no [[party]]"));
        }
        // The line of the first quoted `word` in the file, for messages.
        let line_of = |word: &str| {
            let quoted = format!("{word:?}");
            source
                .lines()
                .position(|l| l.contains(&quoted))
                .map_or(1, |i| i + 1)
        };
        let mut parties = if only {
            Vec::new()
        } else {
            Self::default_registry().parties
        };
        for party in file.party {
            if party.name.trim().is_empty() {
                return Err(Error::input(
                    &name,
                    line_of(&party.name),
                    "a party's name is empty",
                ));
            }
            match parties
                .iter_mut()
                .find(|p| fold(&p.name) == fold(&party.name))
            {
                Some(known) => {
                    for alias in party.aliases {
                        if !known.aliases.iter().any(|a| fold(a) == fold(&alias)) {
                            known.aliases.push(alias);
                        }
                    }
                    for alias in party.ambiguous {
                        if !known.ambiguous.iter().any(|a| fold(a) == fold(&alias)) {
                            known.ambiguous.push(alias);
                        }
                    }
                }
                None => parties.push(party),
            }
        }
        Self::build(parties)
            .map_err(|(message, alias)| Error::input(&name, line_of(&alias), message))
    }

    /// What a model records of this registry: a SHA-256 of every party's name, aliases and
    /// ambiguous aliases in order, and the party names.
    pub fn record(&self) -> RegistryRecord {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for party in &self.parties {
            for (kind, list) in [
                ("name", std::slice::from_ref(&party.name)),
                ("aliases", party.aliases.as_slice()),
                ("ambiguous", party.ambiguous.as_slice()),
            ] {
                hasher.update(kind.as_bytes());
                for item in list {
                    hasher.update([0x1f]);
                    hasher.update(item.as_bytes());
                }
                hasher.update([0x1e]);
            }
        }
        let sha256 = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        RegistryRecord {
            sha256,
            parties: self.parties.iter().map(|p| p.name.clone()).collect(),
        }
    }

    pub fn default_registry() -> Self {
        // The embedded registry is checked by the test suite; failing here is a build defect.
        Self::from_toml(DEFAULT_REGISTRY, "labeled/parties.toml")
            .unwrap_or_else(|e| panic!("embedded party registry is invalid: {e}"))
    }

    pub fn from_toml(source: &str, origin: &str) -> Result<Self> {
        let file: RegistryFile =
            toml::from_str(source).map_err(|e| Error::file(origin, e.to_string()))?;
        Self::new(file.party).map_err(|m| Error::file(origin, m))
    }

    pub fn new(parties: Vec<Party>) -> std::result::Result<Self, String> {
        Self::build(parties).map_err(|(message, _)| message)
    }

    /// `new`, with the alias at fault beside each message.
    fn build(parties: Vec<Party>) -> std::result::Result<Self, (String, String)> {
        let mut by_alias: HashMap<String, usize> = HashMap::default();
        let (mut patterns, mut owner) = (Vec::new(), Vec::new());
        for (index, party) in parties.iter().enumerate() {
            for alias in std::iter::once(&party.name).chain(&party.aliases) {
                if alias.trim().is_empty() {
                    return Err((
                        format!("party {:?} has an empty alias", party.name),
                        alias.clone(),
                    ));
                }
                let key = fold(alias);
                if let Some(&other) = by_alias.get(&key) {
                    if other != index {
                        return Err((
                            format!(
                                "alias {alias:?} belongs to both {} and {}",
                                parties[other].name, parties[index].name
                            ),
                            alias.clone(),
                        ));
                    }
                }
                by_alias.insert(key.clone(), index);
                let ambiguous = party.ambiguous.iter().any(|a| fold(a) == key);
                patterns.push((alias.clone(), is_acronym(alias)));
                owner.push((index, ambiguous));
            }
        }
        Ok(Registry {
            matcher: AliasMatcher::new(&patterns).map_err(|m| (m, String::new()))?,
            fingerprint: crate::io::fingerprint(&patterns),
            alias_names: patterns.iter().map(|(alias, _)| alias.clone()).collect(),
            owner,
            parties,
            by_short_alias: by_alias
                .iter()
                .filter_map(|(alias, &party)| Some((short_key(0, alias)?, party)))
                .collect(),
            by_alias,
        })
    }

    pub fn parties(&self) -> &[Party] {
        &self.parties
    }

    /// The party a user-given name or alias stands for, in any case.
    pub fn resolve(&self, name: &str) -> Option<&Party> {
        self.party_index(name).map(|i| &self.parties[i])
    }

    /// The index of the party `name` stands for (a hash look-up of the folded name; scoring
    /// asks once or twice per row, which costs little beside analyzing the statement).
    fn party_index(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        // Folding plain ASCII (no backtick, which folds to an apostrophe) is lowercasing it.
        if !name.contains('`') {
            if let Some(key) = ascii_lowercase_key(name.as_bytes()) {
                return self.by_short_alias.get(&key).copied();
            }
        }
        crate::folding::with_folded(name, |folded| self.by_alias.get(folded).copied())
    }

    /// The canonical name for a target: the party's name if registered, else the name as given.
    pub fn canonical<'a>(&'a self, target: &'a str) -> &'a str {
        match self.resolve(target) {
            Some(party) => &party.name,
            None => target.trim(),
        }
    }

    /// All mentions of registered parties, leftmost-longest, never overlapping.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        self.matcher
            .find(text)
            .into_iter()
            .map(|found| {
                let (party, ambiguous) = self.owner[found.alias];
                Mention {
                    party,
                    start: found.start,
                    end: found.end,
                    ambiguous,
                }
            })
            .collect()
    }

    /// `mentions`, each with the alias (as the registry writes it) that matched.
    pub fn mentions_with_aliases(&self, text: &str) -> Vec<(Mention, &str)> {
        self.with_aliases(&self.matcher.find(text))
    }

    /// `mentions_with_aliases`, walking the text only when `scratch` has not just walked it.
    pub fn mentions_with_aliases_in(
        &self,
        text: &str,
        scratch: &mut SpanScratch,
    ) -> Vec<(Mention, &str)> {
        self.with_aliases(self.matches(text, &mut scratch.matches))
    }

    /// Matches as mentions, each with the alias (as the registry writes it) that matched.
    fn with_aliases(&self, found: &[Found]) -> Vec<(Mention, &str)> {
        found
            .iter()
            .map(|found| {
                let (party, ambiguous) = self.owner[found.alias];
                let mention = Mention {
                    party,
                    start: found.start,
                    end: found.end,
                    ambiguous,
                };
                (mention, self.alias_names[found.alias].as_str())
            })
            .collect()
    }

    /// The aliases found in `text`, kept in `matches` for the next ask about the same text.
    fn matches<'m>(&self, text: &str, matches: &'m mut Matches) -> &'m [Found] {
        let known = matches.of.as_ref().is_some_and(|(registry, statement)| {
            *registry == self.fingerprint && statement == text
        });
        if !known {
            self.matcher.find_into(text, &mut matches.found);
            let (registry, statement) = matches.of.get_or_insert_with(Default::default);
            *registry = self.fingerprint;
            statement.clear();
            statement.push_str(text);
        }
        &matches.found
    }

    /// The alias of `party` that `matched` (text found in a statement) spells, in any case.
    pub fn alias_spelled<'a>(&'a self, party: &str, matched: &str) -> Option<&'a str> {
        let index = self.party_index(party)?;
        let key = fold(matched.trim());
        let party = &self.parties[index];
        std::iter::once(&party.name)
            .chain(&party.aliases)
            .find(|alias| fold(alias) == key)
            .map(String::as_str)
    }

    /// Spans of the target (as given, or found by `target_spans`) and of every other registered
    /// party mentioned in `text`.
    pub fn spans(
        &self,
        text: &str,
        target: &str,
        given: Option<&[(usize, usize)]>,
    ) -> (Vec<Span>, Vec<Span>) {
        let (mut target_spans, mut others) = (Vec::new(), Vec::new());
        let scratch = &mut SpanScratch::default();
        self.spans_into(
            text,
            target,
            given,
            (&mut target_spans, &mut others),
            scratch,
        );
        (target_spans, others)
    }

    /// `spans`, into reused buffers (scoring asks for every row).
    pub fn spans_into(
        &self,
        text: &str,
        target: &str,
        given: Option<&[(usize, usize)]>,
        (target_spans, others): (&mut Vec<Span>, &mut Vec<Span>),
        scratch: &mut SpanScratch,
    ) {
        target_spans.clear();
        others.clear();
        let party = self.party_index(target);
        let SpanScratch {
            matches,
            sorted_targets,
        } = scratch;
        let found = self.matches(text, matches);
        let party_of = |f: &Found| self.owner[f.alias].0;
        match given {
            Some(spans) => target_spans.extend_from_slice(spans),
            None => match party {
                Some(p) => target_spans.extend(
                    found
                        .iter()
                        .filter(|f| party_of(f) == p)
                        .map(|f| (f.start, f.end)),
                ),
                None => target_spans.extend(find_words(text, target.trim())),
            },
        }
        sorted_targets.refill(target_spans);
        others.extend(
            found
                .iter()
                .filter(|f| {
                    Some(party_of(f)) != party
                        && sorted_targets.overlapping(f.start, f.end).is_none()
                })
                .map(|f| (f.start, f.end)),
        );
    }

    /// Spans of `target` in `text`: the registered party's aliases, or the target's own words.
    pub fn target_spans(&self, text: &str, target: &str) -> Vec<(usize, usize)> {
        match self.party_index(target) {
            Some(party) => self
                .mentions(text)
                .into_iter()
                .filter(|m| m.party == party)
                .map(|m| (m.start, m.end))
                .collect(),
            None => find_words(text, target.trim()),
        }
    }
}

#[cfg(test)]
mod tests;
