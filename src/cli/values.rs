//! The command line's spellings of the library's option types (stemming language, file format,
//! selection metric, suggestion strategy), so that the library itself does not know clap.
//!
//! Each is a thin clap enum whose value names and per-value help are the command line's, with a
//! `From` into the library type; the parsers below map what clap parsed into the library type,
//! so arguments keep the library types and `--help`, completions and the "possible values" of
//! an invalid value are clap's own.

use clap::builder::{EnumValueParser, PossibleValue, TypedValueParser};
use clap::ValueEnum;

use crate::cv::Metric;
use crate::data::Format;
use crate::suggest::Strategy;
use crate::text::Language;

/// The parser of an option of a library type `T`, spelled on the command line as `E`.
fn mapped<E, T>() -> impl TypedValueParser<Value = T>
where
    E: ValueEnum + Clone + Send + Sync + 'static,
    T: From<E> + Clone + Send + Sync + 'static,
{
    EnumValueParser::<E>::new().map(T::from)
}

/// `--language`, `--cv-language`.
pub fn language() -> impl TypedValueParser<Value = Language> {
    mapped::<LanguageArg, Language>()
}

/// `--format` of labeled and to-be-scored files.
pub fn format() -> impl TypedValueParser<Value = Format> {
    mapped::<FormatArg, Format>()
}

/// `train --metric`.
pub fn metric() -> impl TypedValueParser<Value = Metric> {
    mapped::<MetricArg, Metric>()
}

/// `suggest --strategy`.
pub fn strategy() -> impl TypedValueParser<Value = Strategy> {
    mapped::<StrategyArg, Strategy>()
}

/// A library language, spelled by its own name: the list is `Language::ALL`, not a copy of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LanguageArg(Language);

const LANGUAGE_ARGS: [LanguageArg; Language::ALL.len()] = {
    let mut args = [LanguageArg(Language::Auto); Language::ALL.len()];
    let mut i = 0;
    while i < args.len() {
        args[i] = LanguageArg(Language::ALL[i]);
        i += 1;
    }
    args
};

impl ValueEnum for LanguageArg {
    fn value_variants<'a>() -> &'a [Self] {
        &LANGUAGE_ARGS
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let value = PossibleValue::new(self.0.name());
        Some(match self.0 {
            Language::None => value.help("No stemming: words are only lowercased"),
            Language::Auto => {
                value.help("Each statement in its own language, detected from its text (whatlang)")
            }
            _ => value,
        })
    }
}

impl From<LanguageArg> for Language {
    fn from(arg: LanguageArg) -> Language {
        arg.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Jsonl,
    Csv,
    Tsv,
    /// SemEval-2016 Task 6: ID<TAB>Target<TAB>Tweet<TAB>Stance with a header line.
    Semeval,
    /// One statement per line, no labels (scoring only).
    Text,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Csv => Format::Csv,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Semeval => Format::Semeval,
            FormatArg::Text => Format::Text,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MetricArg {
    /// SemEval-2016's mean F1 of favor and against.
    #[value(name = "f_avg")]
    FAvg,
    #[value(name = "macro_f1")]
    MacroF1,
    Accuracy,
}

impl From<MetricArg> for Metric {
    fn from(arg: MetricArg) -> Metric {
        match arg {
            MetricArg::FAvg => Metric::FAvg,
            MetricArg::MacroF1 => Metric::MacroF1,
            MetricArg::Accuracy => Metric::Accuracy,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StrategyArg {
    /// 1 − (largest − second largest probability): the two leading classes are close.
    Margin,
    /// Entropy of the three probabilities, divided by ln 3 (0 certain, 1 uniform).
    Entropy,
    /// A seeded random order: the baseline the others must beat.
    Random,
}

impl From<StrategyArg> for Strategy {
    fn from(arg: StrategyArg) -> Strategy {
        match arg {
            StrategyArg::Margin => Strategy::Margin,
            StrategyArg::Entropy => Strategy::Entropy,
            StrategyArg::Random => Strategy::Random,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The command-line names of an argument enum's values, each with the library value's name.
    fn names<E, T>(name: impl Fn(T) -> &'static str) -> Vec<(String, &'static str)>
    where
        E: ValueEnum,
        T: From<E>,
    {
        E::value_variants()
            .iter()
            .map(|v| {
                let spelled = v.to_possible_value().unwrap().get_name().to_string();
                (spelled, name(T::from(v.clone())))
            })
            .collect()
    }

    fn assert_same(pairs: Vec<(String, &'static str)>, all: Vec<&'static str>) {
        for (spelled, name) in &pairs {
            assert_eq!(spelled, name);
        }
        let spelled: Vec<&str> = pairs.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(spelled, all, "every library value, in the library's order");
    }

    #[test]
    fn languages_are_the_librarys() {
        let all = Language::ALL.map(Language::name).to_vec();
        assert_same(names::<LanguageArg, Language>(Language::name), all);
    }

    #[test]
    fn formats_are_the_librarys() {
        let all = Format::ALL.map(Format::name).to_vec();
        assert_same(names::<FormatArg, Format>(Format::name), all);
    }

    #[test]
    fn metrics_are_the_librarys() {
        let all = [Metric::FAvg, Metric::MacroF1, Metric::Accuracy]
            .map(Metric::name)
            .to_vec();
        assert_same(names::<MetricArg, Metric>(Metric::name), all);
    }

    #[test]
    fn strategies_map_one_to_one() {
        let strategies: Vec<Strategy> = StrategyArg::value_variants()
            .iter()
            .map(|&s| Strategy::from(s))
            .collect();
        assert_eq!(
            strategies,
            [Strategy::Margin, Strategy::Entropy, Strategy::Random]
        );
    }
}
