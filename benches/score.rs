//! Micro-benchmarks of the scoring hot path on the embedded default model: the analyzer alone
//! (tokenize, normalize, stem, mark the target), and scoring one statement end to end (mentions,
//! features, TF-IDF row, logits). Run with `cargo bench --bench score`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};

use stance::model::Scorer;
use stance::parties::Registry;

const STATEMENT: &str =
    "Lavrov said attempts to blame Tehran for the strikes were provocative and \
accused Washington of prolonging the war in Ukraine, while Kyiv thanked its European partners.";

fn scorer() -> Scorer {
    let model = stance::load_model(None).expect("the embedded default model loads");
    Scorer::new(model, Registry::default_registry())
}

fn analyzer(c: &mut Criterion) {
    let scorer = scorer();
    let (spans, others) = scorer.registry().spans(STATEMENT, "Iran", None);
    let analyzer = scorer.analyzer();
    let mut features = 0;
    c.bench_function("analyzer: terms and features of one statement", |b| {
        b.iter(|| {
            let terms = analyzer.terms(black_box(STATEMENT), &spans, &others);
            analyzer.for_each_feature(&terms, |_| features += 1);
            terms.len()
        })
    });
    black_box(features);
}

fn score_one(c: &mut Criterion) {
    let scorer = scorer();
    c.bench_function("score: one statement toward one party", |b| {
        b.iter(|| scorer.predict(black_box(STATEMENT), black_box("Iran"), None))
    });
    c.bench_function("score: one statement toward one party, given spans", |b| {
        b.iter(|| scorer.predict(black_box(STATEMENT), black_box("Iran"), Some(&[(30, 36)])))
    });
}

criterion_group!(benches, analyzer, score_one);
criterion_main!(benches);
