//! `stance train`: fit a model from labeled files and write it atomically.

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cv::{self, FeatureSet, Grid, Metric};
use crate::data::Format;
use crate::model::{TrainOptions, TrainingFile};
use crate::pooling::PoolingOptions;
use crate::text::{AnalyzerConfig, Language};
use crate::vectors::{self, WordVectors};
use crate::{model_file, train, Error, Result};

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
stance train --out news.model --ngrams 3 --l2 0.5 a.jsonl b.csv\n  \
# tweets about topics: a model per target, classes balanced, character n-grams, no stemming\n  \
stance train --out tweets.model --min-target-rows 100 --balance --l2 10 --char-ngrams 2-5 --language none --vectors none semeval/train.jsonl\n  \
# let 3 x 5-fold cross-validation choose\n  \
stance train --out tweets.model --cv 5 --cv-repeats 3 --metric f_avg --cv-balance off,on --cv-language english,none semeval/train.jsonl\n\n\
Labeled files: JSONL {\"id\"?, \"text\", \"target\", \"stance\", \"spans\"?}, CSV/TSV with a header naming \
text, target, stance (id optional), or SemEval-2016 TSV (ID, Target, Tweet, Stance)."
)]
pub struct TrainArgs {
    /// Labeled files. None: the default model's recipe, run from the repository root:
    /// labeled/train.jsonl and every labeled/external/*.jsonl, rows pooled (per-source 5-fold CV
    /// chose pooling over --augment-sources: scripts/bench/sources-cv.py).
    files: Vec<PathBuf>,
    /// Where to write the model; required when FILES are given. Default: models/default.stance
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// File format, when the extension does not tell it.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Stemming language.
    #[arg(long, value_enum, default_value_t = Language::English)]
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
    /// the bundled GloVe 6B 50d vectors for English (and `--language none`); `none`: no vectors.
    #[arg(long, value_name = "FILE|none")]
    vectors: Option<String>,
    /// Words of the vectors file the model keeps (the file's first, i.e. most frequent, words).
    #[arg(long, default_value_t = vectors::DEFAULT_WORDS, value_name = "N")]
    vector_words: usize,
    /// Weight of the pooled-vectors block against the sparse blocks.
    #[arg(long, default_value_t = 1.0, value_name = "W", value_parser = super::positive_weight)]
    vector_weight: f32,
    /// Tokens before and after a mention pooled as its context; 0: the whole side.
    #[arg(long, default_value_t = 6, value_name = "N")]
    vector_window: usize,
    /// Character n-grams of each term, e.g. 2-5; off by default.
    #[arg(long, value_name = "MIN-MAX", value_parser = parse_range)]
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
    /// `none`: the pooled model serves every target (best on news text by cross-validation;
    /// SemEval-style topic targets do better with their own models).
    #[arg(long, default_value = "none", value_name = "N|none")]
    min_target_rows: String,
    /// L2 regularization strength (scikit-learn's C = 1 / l2). With word vectors, 0.5 is within
    /// 0.3 points of 5-fold CV's best on both the project's corpus and NewsMTSC.
    #[arg(long, default_value_t = 0.5, value_parser = super::l2_strength)]
    l2: f64,
    /// Solver iteration limit.
    #[arg(long, default_value_t = 200)]
    max_iter: u64,
    /// Let linfa start from zero instead of a sparse L-BFGS warm start (slower; same optimum).
    #[arg(long)]
    no_warm_start: bool,
    /// Leave out invalid rows (reported on stderr) instead of stopping at the first.
    #[arg(long)]
    skip_invalid: bool,
    /// Repeat rows of smaller classes so every stance weighs about the same.
    #[arg(long)]
    balance: bool,
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
    /// Choose --l2, character n-grams, --min-target-rows (and, if asked, --balance,
    /// --augment-targets and --language) by K-fold cross-validation, then train the final model on all rows with
    /// the best.
    #[arg(long, value_name = "K")]
    cv: Option<usize>,
    /// What cross-validation maximizes.
    #[arg(long, value_enum, default_value_t = Metric::FAvg)]
    metric: Metric,
    /// Seed of the cross-validation folds.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Repeated K-fold: deal the folds R times (seeds --seed, --seed + 1, …) and judge each
    /// setting on all R × K held-out folds, so that settings a few tenths apart are not picked
    /// by how one dealing fell.
    #[arg(long, default_value_t = 1, value_name = "R", value_parser = clap::value_parser!(u64).range(1..))]
    cv_repeats: u64,
    /// L2 strengths tried by --cv.
    #[arg(long, value_delimiter = ',', default_value = "0.1,0.3,1,3", value_parser = super::l2_strength)]
    cv_l2: Vec<f64>,
    /// Character n-gram settings tried by --cv: `off` or MIN-MAX.
    #[arg(long, value_delimiter = ',', default_value = "off,2-5")]
    cv_chars: Vec<String>,
    /// Per-target model thresholds tried by --cv; `none` means the pooled model only.
    #[arg(long, value_delimiter = ',', default_value = "100,none")]
    cv_min_target_rows: Vec<String>,
    /// Class balancing tried by --cv: `off`, `on` or `off,on` (default: --balance as given).
    #[arg(long, value_delimiter = ',', value_enum)]
    cv_balance: Vec<Switch>,
    /// Target augmentation tried by --cv with per-target models: `off`, `on` (at
    /// --shared-weight) or `off,on` (default: --augment-targets as given).
    #[arg(long, value_delimiter = ',', value_enum)]
    cv_augment_targets: Vec<Switch>,
    /// Stemming languages tried by --cv, e.g. `english,none` (default: --language as given).
    #[arg(long, value_delimiter = ',', value_enum)]
    cv_language: Vec<Language>,
    /// Weights of the pooled-vectors block tried by --cv, `off` for none, e.g. `off,0.5,1`
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
    chars: &[String],
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
    for c in chars {
        let (char_min, char_max) = match c.trim() {
            "off" => (0, 0),
            range => {
                parse_range(range).map_err(|e| Error::Usage(format!("--cv-chars {range}: {e}")))?
            }
        };
        for &language in &languages {
            let mut name = if char_max == 0 {
                "words".to_string()
            } else {
                format!("words+chars {char_min}-{char_max}")
            };
            if named_languages {
                name += &format!(", stems {}", language_name(language));
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

/// A language as the command line spells it.
fn language_name(language: Language) -> String {
    use clap::ValueEnum;
    language
        .to_possible_value()
        .map_or_else(|| format!("{language:?}"), |v| v.get_name().to_string())
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

fn threshold_grid(values: &[String]) -> Result<Vec<Option<usize>>> {
    values
        .iter()
        .map(|v| parse_threshold(v).map_err(|e| Error::Usage(format!("--cv-min-target-rows: {e}"))))
        .collect()
}

/// A `--cv-*` list of switches as grid values, or the option as given when the list is empty; a
/// value listed twice is tried once.
fn switch_grid(switches: &[Switch], given: bool) -> Vec<bool> {
    if switches.is_empty() {
        return vec![given];
    }
    let on: Vec<bool> = switches.iter().map(|&s| s == Switch::On).collect();
    dedup(&on)
}

/// The word vectors training uses: `--vectors FILE`, none, or the bundled ones for English.
fn load_vectors(
    given: Option<&str>,
    language: Language,
    max_words: usize,
) -> Result<Option<WordVectors>> {
    match given.map(str::trim) {
        Some("none") => Ok(None),
        Some(path) => WordVectors::read(std::path::Path::new(path), max_words).map(Some),
        None if matches!(language, Language::English | Language::None) => {
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
    let (files, out) = match (args.files.is_empty(), args.out) {
        (true, out) => (default_training_files()?, out.unwrap_or(DEFAULT_OUT.into())),
        (false, Some(out)) => (args.files, out),
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
        min_target_rows: parse_threshold(&args.min_target_rows)
            .map_err(|e| Error::Usage(format!("--min-target-rows: {e}")))?,
        l2: args.l2,
        max_iterations: args.max_iter,
        warm_start: !args.no_warm_start,
        balance: args.balance,
        dense_budget_mib: args.dense_budget_mib.max(1),
        augment_targets: args.augment_targets.then_some(args.shared_weight),
        augment_sources: args.augment_sources.then_some(args.source_shared_weight),
        vectors: word_vectors.as_ref().map(|_| PoolingOptions {
            window: args.vector_window,
            weight: args.vector_weight,
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
    let (options, table) = match args.cv {
        Some(folds) => {
            let grid = Grid {
                folds,
                repeats: args.cv_repeats as usize,
                metric: args.metric,
                seed: args.seed,
                l2: args.cv_l2.clone(),
                features: feature_grid(
                    &options,
                    &args.cv_chars,
                    &args.cv_language,
                    &args.cv_vector_weight,
                )?,
                min_target_rows: threshold_grid(&args.cv_min_target_rows)?,
                balance: switch_grid(&args.cv_balance, options.balance),
                augment_targets: switch_grid(
                    &args.cv_augment_targets,
                    options.augment_targets.is_some(),
                )
                .into_iter()
                .map(|on| on.then_some(args.shared_weight))
                .collect(),
            };
            let steps = (grid.features.len() * grid.folds * grid.repeats) as u64;
            let bar = super::progress::bar(steps, "cross-validation", false);
            let (best, table) = cv::cross_validate(
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
            eprint!("{}", super::cv_table(&table, ""));
            (best, table)
        }
        None => (options, Vec::new()),
    };
    let spinner = super::progress::spinner(&format!("training on {} rows", examples.len()));
    let chosen_vectors = word_vectors.as_ref().filter(|_| options.vectors.is_some());
    let mut model = train::train(&examples, fingerprints, &options, &registry, chosen_vectors)?;
    spinner.finish_and_clear();
    model.metadata.cross_validation = table;
    model_file::save(&model, &out)?;
    eprintln!(
        "trained on {} rows ({} targets, {} with a model of their own), {} features → {}",
        examples.len(),
        model.metadata.rows_per_target.len(),
        model.targets.len(),
        model.vocabulary.len(),
        out.display()
    );
    for note in &model.metadata.notes {
        eprintln!("note: {note}");
    }
    Ok(ExitCode::SUCCESS)
}
