//! `stance train`: fit a model from labeled files and write it atomically.

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cv::{self, FeatureSet, Grid, Metric};
use crate::data::{Example, Format};
use crate::model::{TrainOptions, TrainingFile};
use crate::pooling::PoolingOptions;
use crate::text::{stem, AnalyzerConfig, Language};
use crate::train::balancing_repeats_rows;
use crate::vectors::{self, WordVectors};
use crate::{model_file, train, Error, Result};
use std::collections::{HashMap, HashSet};

/// The default model's recipe: the project's corpus, then every file of licensed real data in
/// labeled/external/ (by name), their rows pooled.
const DEFAULT_TRAIN: &str = "labeled/train.jsonl";
const DEFAULT_EXTERNAL: &str = "labeled/external";
const DEFAULT_OUT: &str = "models/default.stance";

/// labeled/train.jsonl and the labeled files of labeled/external/, sorted by name.
fn default_training_files() -> Result<Vec<PathBuf>> {
    let mut external: Vec<PathBuf> = std::fs::read_dir(DEFAULT_EXTERNAL)
        .map_err(|e| {
            Error::Usage(format!(
                "{DEFAULT_EXTERNAL}: {e} (run `stance train` without files from the repository root, or name the files)"
            ))
        })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    external.sort();
    Ok(std::iter::once(PathBuf::from(DEFAULT_TRAIN))
        .chain(external)
        .collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Switch {
    On,
    Off,
}

#[derive(Args)]
#[command(
    about = "Train a model from labeled files",
    after_help = "Examples:\n  stance train                                  # labeled/ + labeled/external/ → models/default.stance\n  \
# settings selected by 5-fold cross-validation (L2, balancing, per-target models, character n-grams)\n  \
stance train --out news.model a.jsonl b.csv\n  \
stance train --out tweets.model --metric f_avg semeval/train.jsonl\n  \
# fixed settings, no selection\n  \
stance train --out tweets.model --no-select --min-target-rows 100 --balance --l2 10 --char-ngrams 2-5 semeval/train.jsonl\n  \
# other candidates: 3 dealings of the folds, stemming languages tried too\n  \
stance train --out tweets.model --cv-repeats 3 --metric f_avg --cv-language english,none semeval/train.jsonl\n  \
# Russian news (language detected per statement); F1_PN is the f_avg formula\n  \
stance train --out ru.model --metric f_avg rusentne/train.jsonl\n\n\
Labeled files: JSONL {\"id\"?, \"text\", \"target\", \"stance\", \"spans\"?}, CSV/TSV with a header naming \
text, target, stance (id optional), or SemEval-2016 TSV (ID, Target, Tweet, Stance)."
)]
pub struct TrainArgs {
    /// Labeled files. None: the default model's recipe, run from the repository root:
    /// labeled/train.jsonl and every labeled/external/*.jsonl, rows pooled (per-source 5-fold CV
    /// chose pooling over --augment-sources: scripts/bench/sources-cv.py), with a model per
    /// language under --language auto (English and Russian there).
    files: Vec<PathBuf>,
    /// Where to write the model; required when FILES are given. Default: models/default.stance
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// File format, when the extension does not tell it.
    #[arg(long, value_parser = super::values::format())]
    format: Option<Format>,
    /// Stemming language; `auto` detects each statement's language (whatlang) and stems it
    /// in that language, `none` only lowercases.
    #[arg(long, value_parser = super::values::language(), default_value = "auto")]
    language: Language,
    /// Longest word n-gram.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=5))]
    ngrams: u64,
    /// Do not replace the target's mentions by a placeholder (for comparison).
    #[arg(long)]
    no_target_placeholder: bool,
    /// Do not replace other registered parties' mentions by `<party>`.
    #[arg(long)]
    no_other_parties: bool,
    /// Terms within this distance of a target mention get context features; 0 turns them off.
    #[arg(long, default_value_t = 6)]
    context_window: usize,
    /// No features for the clause that holds the target.
    #[arg(long)]
    no_clause: bool,
    /// No negation-scope features.
    #[arg(long)]
    no_negation: bool,
    /// No target role features (nearest content words, nearest entity, clause position).
    #[arg(long)]
    no_roles: bool,
    /// Sentiment-lexicon features (VADER valence sign of each word, negation-aware).
    #[arg(long, value_enum, default_value_t = Switch::On)]
    lexicon: Switch,
    /// With the lexicon: its signs again by the side of the target they stand on, within
    /// --context-window (V:L-pos, V:R-neg).
    #[arg(long, value_enum, default_value_t = Switch::On)]
    lexicon_sides: Switch,
    /// The words of the target's own mentions as features (M:trump): who the target is.
    #[arg(long, value_enum, default_value_t = Switch::On)]
    target_words: Switch,
    /// Only the word n-grams (and the target placeholder): turns off other parties, context,
    /// clause, negation, role, lexicon and target-word features, and word vectors unless
    /// --vectors is given.
    #[arg(long)]
    plain: bool,
    /// Pretrained word vectors pooled around the target (left and right context, the mention,
    /// the statement): the project's vectors file or the text format of GloVe, word2vec and
    /// fastText `.vec` files (`word v1 … vd` per line, an optional `count dim` header). Default:
    /// the bundled GloVe 6B 50d vectors for English (and `--language none`; selection leaves
    /// them off when most statements are in another language); `none`: no vectors.
    #[arg(long, value_name = "FILE|none")]
    vectors: Option<String>,
    /// Words of the vectors file the model keeps (the file's first, i.e. most frequent, words).
    #[arg(long, default_value_t = vectors::DEFAULT_WORDS, value_name = "N")]
    vector_words: usize,
    /// Weight of the pooled-vectors block against the sparse blocks (default 1). Not given, with
    /// the bundled vectors: selection tries the vectors on and off.
    #[arg(long, value_name = "W", value_parser = super::positive_weight)]
    vector_weight: Option<f32>,
    /// Tokens before and after a mention pooled as its context; 0: the whole side.
    #[arg(long, default_value_t = 6, value_name = "N")]
    vector_window: usize,
    /// Character n-grams of each term, e.g. 2-5, or `off`. Not given: selection tries off and
    /// 2-5 (off with --no-select).
    #[arg(long, value_name = "MIN-MAX|off", value_parser = parse_chars, conflicts_with = "cv_chars")]
    char_ngrams: Option<(usize, usize)>,
    /// Weight of the character n-gram block against the word block.
    #[arg(long, default_value_t = 1.0, value_parser = super::weight)]
    char_weight: f32,
    /// Weight of the target context and clause block against the word block.
    #[arg(long, default_value_t = 1.0, value_parser = super::weight)]
    context_weight: f32,
    /// Minimum number of statements a feature must occur in.
    #[arg(long, default_value_t = 2)]
    min_df: usize,
    /// Vocabulary size: the features that tell the stances apart best by chi-square.
    #[arg(long, default_value_t = 100_000)]
    max_features: usize,
    /// Largest dense matrix handed to linfa for one model, in MiB; models over many rows keep
    /// fewer columns (the best by chi-square) to stay within it.
    #[arg(long, default_value_t = 256)]
    dense_budget_mib: usize,
    /// Rows a target needs for a model of its own (e.g. 100); others use the pooled model.
    /// `none`: the pooled model serves every target. Not given: selection tries `none` and,
    /// when a target has 100 rows, 100 (`none` with --no-select).
    #[arg(long, value_name = "N|none", conflicts_with = "cv_min_target_rows")]
    min_target_rows: Option<String>,
    /// L2 regularization strength (scikit-learn's C = 1 / l2). Not given: selection tries 10,
    /// 3, 1, 0.3 and 0.1 (0.5 with --no-select).
    #[arg(long, value_parser = super::l2_strength, conflicts_with = "cv_l2")]
    l2: Option<f64>,
    /// Solver iteration limit.
    #[arg(long, default_value_t = 200)]
    max_iter: u64,
    /// Let linfa start from zero instead of a sparse L-BFGS warm start (slower; same optimum).
    #[arg(long)]
    no_warm_start: bool,
    /// Leave out invalid rows (reported on stderr) instead of stopping at the first.
    #[arg(long)]
    skip_invalid: bool,
    /// Repeat rows of smaller classes so every stance weighs about the same: `--balance` or
    /// `--balance=off`. Not given: selection tries both (off with --no-select).
    #[arg(long, value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "on",
          value_name = "on|off", conflicts_with = "cv_balance")]
    balance: Option<Switch>,
    /// With --min-target-rows: fit one model over all rows in which every feature has a shared
    /// copy and a copy for the row's target (Daumé III's feature augmentation), instead of
    /// separate per-target models, so targets borrow evidence from each other.
    #[arg(long)]
    augment_targets: bool,
    /// With --augment-targets: weight of the shared copy against the target's own (0.5 was best
    /// of 0.3, 0.5, 0.7 and 1 by cross-validation on SemEval-2016).
    #[arg(long, default_value_t = 0.5, requires = "augment_targets", value_parser = super::weight)]
    shared_weight: f32,
    /// Each training file is a source (the project's corpus, real news, …): one model in which
    /// every feature has a shared copy and a copy per file, each file with its own intercept
    /// (Daumé III), so what one source's labels mean does not blur another's. New text is
    /// scored by the mean of the files' models. On the default model's two sources it served
    /// real news worse than pooling the rows (scripts/bench/sources-cv.py).
    #[arg(long)]
    augment_sources: bool,
    /// With --augment-sources: weight of the shared copy against each file's own.
    #[arg(long, default_value_t = 1.0, requires = "augment_sources", value_parser = super::weight)]
    source_shared_weight: f32,
    /// Train exactly the given (or default) settings: no selection.
    #[arg(long)]
    no_select: bool,
    /// Folds of the cross-validation that selection judges candidates by (rows of one
    /// statement stay in one fold).
    #[arg(long, visible_alias = "cv", value_name = "K", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(2..=50))]
    folds: u64,
    /// What selection maximizes (`f_avg`: SemEval-2016's mean F1 of favor and against, the
    /// F1_PN of RuSentNE-2023).
    #[arg(long, value_parser = super::values::metric(), default_value = "macro_f1")]
    metric: Metric,
    /// Seed of the cross-validation folds.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Repeated K-fold: deal the folds R times (seeds --seed, --seed + 1, …) and judge each
    /// setting on all R × K held-out folds. Default: 3 under 1,500 statements, else 1.
    #[arg(long, value_name = "R", value_parser = clap::value_parser!(u64).range(1..=20))]
    cv_repeats: Option<u64>,
    /// L2 strengths selection tries (default 10,3,1,0.3,0.1).
    #[arg(long, value_delimiter = ',', value_parser = super::l2_strength)]
    cv_l2: Vec<f64>,
    /// Character n-gram settings selection tries: `off` or MIN-MAX (default off,2-5).
    #[arg(long, value_delimiter = ',', value_parser = parse_chars)]
    cv_chars: Vec<(usize, usize)>,
    /// Per-target model thresholds selection tries; `none` means the pooled model only
    /// (default: none, and 100 when a target has 100 rows).
    #[arg(long, value_delimiter = ',', value_parser = parse_threshold)]
    cv_min_target_rows: Vec<Option<usize>>,
    /// Class balancing selection tries: `off`, `on` or `off,on` (default off,on when balancing
    /// would repeat rows).
    #[arg(long, value_delimiter = ',', value_enum)]
    cv_balance: Vec<Switch>,
    /// Target augmentation tried by selection with per-target models: `off`, `on` (at
    /// --shared-weight) or `off,on` (default: --augment-targets as given).
    #[arg(long, value_delimiter = ',', value_enum)]
    cv_augment_targets: Vec<Switch>,
    /// The none threshold tried by selection: `off`, `on` or `off,on` (default). On, a shift of
    /// the none class's logit is chosen by CV (each fold's on the other folds) to serve
    /// --metric: F_avg on neutral-heavy news wants favor and against answered more often.
    #[arg(long, value_delimiter = ',', value_enum, value_name = "on|off")]
    cv_none_threshold: Vec<Switch>,
    /// Stemming languages tried by selection, e.g. `english,none` (default: --language as given).
    #[arg(long, value_delimiter = ',', value_parser = super::values::language())]
    cv_language: Vec<Language>,
    /// Weights of the pooled-vectors block tried by selection, `off` for none, e.g. `off,0.5,1`
    /// (default: --vector-weight as given).
    #[arg(long, value_delimiter = ',', value_name = "W|off")]
    cv_vector_weight: Vec<String>,
    #[command(flatten)]
    registry: super::RegistryArgs,
}

/// The feature sets of the grid: every character n-gram setting with every stemming language
/// (`languages` empty: the base analyzer's language alone, left out of the names) and every
/// vector weight (`weights` empty: the base pooling alone).
fn feature_grid(
    base: &TrainOptions,
    chars: &[(usize, usize)],
    languages: &[Language],
    weights: &[String],
) -> Result<Vec<FeatureSet>> {
    let named_weights = !weights.is_empty();
    let mut poolings = vec![base.vectors];
    if named_weights {
        poolings.clear();
        for w in weights {
            let pooling = match w.trim() {
                "off" => None,
                w => Some(PoolingOptions {
                    weight: super::positive_weight(w)
                        .map_err(|e| Error::Usage(format!("--cv-vector-weight: {e}")))?,
                    ..base.vectors.unwrap_or_default()
                }),
            };
            if !poolings.contains(&pooling) {
                poolings.push(pooling);
            }
        }
    }
    let base = &base.analyzer;
    let named_languages = !languages.is_empty();
    let languages = if named_languages {
        dedup(languages)
    } else {
        vec![base.language]
    };
    let mut sets = Vec::new();
    for &(char_min, char_max) in chars {
        for &language in &languages {
            let mut name = if char_max == 0 {
                "words".to_string()
            } else {
                format!("words+chars {char_min}-{char_max}")
            };
            if named_languages {
                name += &format!(", stems {}", language.name());
            }
            for &vectors in &poolings {
                let mut name = name.clone();
                if named_weights {
                    match vectors {
                        Some(p) => name += &format!(", vectors {}", p.weight),
                        None => name += ", no vectors",
                    }
                }
                sets.push(FeatureSet {
                    name,
                    // Vectors count as an extra when they are searched: within noise, the
                    // model without them is the simpler one.
                    extras: usize::from(char_max > 0)
                        + usize::from(named_weights && vectors.is_some()),
                    analyzer: AnalyzerConfig {
                        char_min,
                        char_max,
                        language,
                        ..base.clone()
                    },
                    vectors,
                });
            }
        }
    }
    Ok(sets)
}

/// The values in their first order, each once.
fn dedup<T: PartialEq + Copy>(values: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for &v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn parse_threshold(value: &str) -> std::result::Result<Option<usize>, String> {
    match value.trim() {
        "none" => Ok(None),
        n => n
            .parse()
            .map(Some)
            .map_err(|_| format!("{n:?} is not a whole number or `none`")),
    }
}

/// The values a searched setting takes: the one given on the command line (fixed), else its
/// `--cv-*` list, else the automatic candidates. A value listed twice is tried once.
fn candidates<T: PartialEq + Copy>(given: Option<T>, listed: &[T], automatic: &[T]) -> Vec<T> {
    match given {
        Some(value) => vec![value],
        None if listed.is_empty() => dedup(automatic),
        None => dedup(listed),
    }
}

/// The candidates selection judges: each searched setting given on the command line stays
/// fixed; the others take their `--cv-*` lists or the automatic candidates.
fn selection_grid(
    args: &TrainArgs,
    base: &TrainOptions,
    examples: &[Example],
    statements: usize,
) -> Result<Grid> {
    let mut rows_per_target: HashMap<&str, usize> = HashMap::new();
    for e in examples {
        *rows_per_target
            .entry(e.target.as_deref().unwrap_or_default())
            .or_default() += 1;
    }
    let own_models =
        rows_per_target.values().any(|&n| n >= OWN_MODEL_ROWS) && rows_per_target.len() > 1;
    let labels: Vec<usize> = examples
        .iter()
        .map(|e| e.stance.unwrap_or(crate::data::Stance::None).index())
        .collect();
    let thresholds = match &args.min_target_rows {
        Some(_) => vec![base.min_target_rows],
        None if args.cv_min_target_rows.is_empty() && own_models => {
            vec![None, Some(OWN_MODEL_ROWS)]
        }
        None if args.cv_min_target_rows.is_empty() => vec![None],
        None => dedup(&args.cv_min_target_rows),
    };
    // Character n-grams earn their cost on small sets of short, noisy text (SemEval-2016: +2
    // points of F_avg in CV); on NewsMTSC's 8,739 rows they tied with words alone and doubled
    // the time of selection.
    let automatic_chars: &[(usize, usize)] = if examples.len() < LARGE_DATA {
        &[(0, 0), (2, 5)]
    } else {
        &[(0, 0)]
    };
    let chars = candidates(args.char_ngrams, &args.cv_chars, automatic_chars);
    let repeats = args
        .cv_repeats
        .map_or(if statements < SMALL_DATA { 3 } else { 1 }, |r| r as usize);
    let augment = candidates(
        args.augment_targets.then_some(true),
        &args
            .cv_augment_targets
            .iter()
            .map(|&s| s == Switch::On)
            .collect::<Vec<_>>(),
        &[false],
    );
    Ok(Grid {
        folds: args.folds as usize,
        repeats,
        metric: args.metric,
        seed: args.seed,
        l2: candidates(args.l2, &args.cv_l2, &[10.0, 3.0, 1.0, 0.3, 0.1]),
        features: feature_grid(
            base,
            &chars,
            &args.cv_language,
            &vector_weights(args, base, examples),
        )?,
        min_target_rows: thresholds,
        balance: candidates(
            args.balance.map(|b| b == Switch::On),
            &args
                .cv_balance
                .iter()
                .map(|&s| s == Switch::On)
                .collect::<Vec<_>>(),
            if balancing_repeats_rows(&labels) {
                &[false, true]
            } else {
                &[false]
            },
        ),
        augment_targets: augment
            .into_iter()
            .map(|on| on.then_some(args.shared_weight))
            .collect(),
        none_threshold: candidates(
            None,
            &args
                .cv_none_threshold
                .iter()
                .map(|&s| s == Switch::On)
                .collect::<Vec<_>>(),
            &[false, true],
        ),
    })
}

/// The vector weights selection tries: `--cv-vector-weight` as given; else, when training uses
/// the bundled vectors and neither they nor their weight were chosen on the command line, the
/// vectors off and on (they gain 1 to 4 points of macro-F1 on NewsMTSC's news, and nothing on
/// SemEval's tweets, which rarely name their target), or off alone when the statements are
/// not `mostly_english`; else the base pooling alone (empty).
fn vector_weights(args: &TrainArgs, base: &TrainOptions, examples: &[Example]) -> Vec<String> {
    if !args.cv_vector_weight.is_empty() {
        return args.cv_vector_weight.clone();
    }
    let automatic = args.vectors.is_none() && args.vector_weight.is_none();
    match base.vectors {
        Some(_) if automatic && !mostly_english(examples, base.analyzer.language) => {
            vec!["off".into()]
        }
        Some(pooling) if automatic => vec!["off".into(), pooling.weight.to_string()],
        _ => Vec::new(),
    }
}

/// Whether the bundled vectors, which are English, are worth a candidate: the statements are
/// stemmed as English, or not stemmed, or at least half of them are detected English under
/// `--language auto`. On Russian news they find almost no word, and trying them doubled the
/// fits of selection for nothing.
fn mostly_english(examples: &[Example], language: Language) -> bool {
    match language {
        Language::English | Language::None => true,
        Language::Auto => {
            let mut texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
            texts.sort_unstable();
            texts.dedup();
            let english = texts
                .iter()
                .filter(|t| stem::detect(t) == Language::English)
                .count();
            2 * english >= texts.len()
        }
        _ => false,
    }
}

/// L2 strength with --no-select: within 0.3 points of 5-fold CV's best on both the project's
/// corpus and NewsMTSC, with word vectors.
const DEFAULT_L2: f64 = 0.5;

/// Per-target models are a candidate when some target has this many rows.
const OWN_MODEL_ROWS: usize = 100;
/// From this many rows on, character n-grams are no automatic candidate.
const LARGE_DATA: usize = 5000;
/// Under this many statements, selection deals the folds three times.
const SMALL_DATA: usize = 1500;

/// The word vectors training uses: `--vectors FILE`, none, or the bundled English ones (for
/// `--language auto` too: words of other languages find no row in them).
fn load_vectors(
    given: Option<&str>,
    language: Language,
    max_words: usize,
) -> Result<Option<WordVectors>> {
    match given.map(str::trim) {
        Some("none") => Ok(None),
        Some(path) => WordVectors::read(std::path::Path::new(path), max_words).map(Some),
        None if matches!(
            language,
            Language::English | Language::None | Language::Auto
        ) =>
        {
            let mut bundled = WordVectors::bundled().ok_or_else(|| {
                Error::Usage(
                    "this build has no bundled word vectors (models/glove-6b-50d.vectors was missing at build time); pass --vectors FILE or --vectors none".into(),
                )
            })?;
            bundled.truncate(max_words);
            Ok(Some(bundled))
        }
        None => Ok(None),
    }
}

/// `off` (no character n-grams, as (0, 0)) or MIN-MAX.
fn parse_chars(s: &str) -> std::result::Result<(usize, usize), String> {
    match s.trim() {
        "off" => Ok((0, 0)),
        range => parse_range(range),
    }
}

fn parse_range(s: &str) -> std::result::Result<(usize, usize), String> {
    let (a, b) = s.split_once('-').ok_or("expected MIN-MAX, e.g. 2-5")?;
    let (a, b): (usize, usize) = (
        a.trim().parse().map_err(|_| "MIN is not a whole number")?,
        b.trim().parse().map_err(|_| "MAX is not a whole number")?,
    );
    if a == 0 || a > b || b > 10 {
        return Err("need 1 <= MIN <= MAX <= 10".into());
    }
    Ok((a, b))
}

pub fn run(args: TrainArgs) -> Result<ExitCode> {
    // The default model's recipe is fixed (chosen by per-source CV, reproduced byte for byte
    // by CI): no selection.
    let recipe = args.files.is_empty();
    let select = !(args.no_select || recipe);
    let (files, out) = match (recipe, args.out.clone()) {
        (true, out) => (default_training_files()?, out.unwrap_or(DEFAULT_OUT.into())),
        (false, Some(out)) => (args.files.clone(), out),
        (false, None) => {
            return Err(Error::Usage(
                "--out MODEL is required when training files are given".into(),
            ))
        }
    };
    let inputs: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    super::refuse_overwriting_an_input("--out", &out, &inputs)?;
    if args.max_features == 0 {
        return Err(Error::Usage("--max-features must be at least 1".into()));
    }
    if args.vector_words == 0 {
        return Err(Error::Usage("--vector-words must be at least 1".into()));
    }
    if args.vector_window > 1000 {
        return Err(Error::Usage("--vector-window must be at most 1000".into()));
    }
    let vectors = match (&args.vectors, args.plain) {
        (None, true) => Some("none"),
        (given, _) => given.as_deref(),
    };
    let word_vectors = load_vectors(vectors, args.language, args.vector_words)?;
    if word_vectors.is_none() && !args.cv_vector_weight.is_empty() {
        return Err(Error::Usage(
            "--cv-vector-weight needs word vectors: drop --vectors none (or --plain), or name a file".into(),
        ));
    }
    let (char_min, char_max) = args.char_ngrams.unwrap_or((0, 0));
    let balance = args.balance.map(|b| b == Switch::On);
    let options = TrainOptions {
        analyzer: AnalyzerConfig {
            language: args.language,
            ngram_max: args.ngrams as usize,
            target_placeholder: !args.no_target_placeholder,
            other_parties: !(args.no_other_parties || args.plain),
            context_window: if args.plain { 0 } else { args.context_window },
            clause: !(args.no_clause || args.plain),
            negation: !(args.no_negation || args.plain),
            roles: !(args.no_roles || args.plain),
            char_min,
            char_max,
            lexicon: args.lexicon == Switch::On && !args.plain,
            lexicon_sides: args.lexicon_sides == Switch::On && !args.plain,
            target_words: args.target_words == Switch::On && !args.plain,
        },
        char_weight: args.char_weight,
        context_weight: args.context_weight,
        min_df: args.min_df.max(1),
        max_features: args.max_features,
        min_target_rows: match &args.min_target_rows {
            Some(m) => {
                parse_threshold(m).map_err(|e| Error::Usage(format!("--min-target-rows: {e}")))?
            }
            None => None,
        },
        l2: args.l2.unwrap_or(DEFAULT_L2),
        max_iterations: args.max_iter,
        warm_start: !args.no_warm_start,
        balance: balance.unwrap_or(false),
        dense_budget_mib: args.dense_budget_mib.max(1),
        augment_targets: args.augment_targets.then_some(args.shared_weight),
        augment_sources: args.augment_sources.then_some(args.source_shared_weight),
        vectors: word_vectors.as_ref().map(|_| PoolingOptions {
            window: args.vector_window,
            weight: args
                .vector_weight
                .unwrap_or(PoolingOptions::default().weight),
        }),
    };
    let labeled = super::read_labeled(&files, args.format, args.skip_invalid)?;
    let fingerprints = files
        .iter()
        .zip(labeled.rows_per_file)
        .zip(labeled.sha256_per_file)
        .map(|((file, rows), sha256)| TrainingFile {
            path: file.display().to_string(),
            sha256,
            rows,
        })
        .collect();
    let examples = labeled.examples;
    let registry = args.registry.registry()?;
    let statements = examples
        .iter()
        .map(|e| e.text.as_str())
        .collect::<HashSet<_>>()
        .len();
    let grid = if select {
        Some(selection_grid(&args, &options, &examples, statements)?)
    } else {
        None
    };
    let mut skipped = None;
    let mut options = options;
    let grid = grid.filter(|grid| {
        // One candidate: nothing to choose, its settings as they are.
        if let Some(sole) = grid.sole_candidate(&options) {
            options = sole;
            return false;
        }
        let too_few = statements < 2 * grid.folds;
        if too_few {
            skipped = Some(format!(
                "selection skipped: {statements} statements are too few for {}-fold cross-validation; trained the default settings",
                grid.folds
            ));
        }
        !too_few
    });
    let (options, selected) = match grid {
        Some(grid) => {
            let steps = (grid.features.len() * grid.folds * grid.repeats) as u64;
            let bar = super::progress::bar(steps, "selection", false);
            let selected = cv::cross_validate(
                &examples,
                &options,
                &grid,
                &registry,
                word_vectors.as_ref(),
                &|step| {
                    bar.set_message(step.to_string());
                    bar.inc(1);
                },
            )?;
            bar.finish_and_clear();
            eprintln!(
                "selection: {} (`stance inspect` shows every candidate)",
                selected.reason
            );
            (selected.options.clone(), Some(selected))
        }
        None => (options, None),
    };
    let spinner = super::progress::spinner(&format!("training on {} rows", examples.len()));
    let chosen_vectors = word_vectors.as_ref().filter(|_| options.vectors.is_some());
    let mut model = train::train(&examples, fingerprints, &options, &registry, chosen_vectors)?;
    spinner.finish_and_clear();
    if let Some(selected) = selected {
        if selected.none_shift != 0.0 {
            model.shift_none(selected.none_shift);
        }
        model.calibrate(selected.temperature);
        model.metadata.cross_validation = selected.table;
        model.metadata.selection = Some(selected.reason);
    }
    if recipe {
        // Without selection the none threshold is not chosen; a language's own model (the
        // Russian one: neutral-heavy news) may still need one, chosen on its own rows.
        let spinner = super::progress::spinner("choosing each language model's none threshold");
        let shifts = cv::language_none_shifts(
            &examples,
            &options,
            &registry,
            chosen_vectors,
            (args.folds as usize, args.seed, args.metric),
        )?;
        spinner.finish_and_clear();
        for t in shifts {
            if t.shift != 0.0 {
                model.shift_language_none(t.language, t.shift);
            }
            eprintln!(
                "none threshold of the {} model: {:+.2} ({}-fold CV on its rows, {} {:.4} without, {:.4} with)",
                t.language.name(),
                t.shift,
                args.folds,
                args.metric.name(),
                t.without,
                t.with
            );
        }
    }
    model.metadata.notes.extend(skipped);
    model_file::save(&model, &out)?;
    let languages = model.language_models();
    let languages = if languages.is_empty() {
        String::new()
    } else {
        format!("; a model per language: {}", languages.join(", "))
    };
    eprintln!(
        "trained on {} rows ({} targets, {} with a model of their own{languages}), {} features → {}",
        examples.len(),
        model.metadata.rows_per_target.len(),
        model.target_models(),
        model.vocabulary.len(),
        out.display()
    );
    for note in &model.metadata.notes {
        eprintln!("note: {note}");
    }
    Ok(ExitCode::SUCCESS)
}
