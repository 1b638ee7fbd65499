//! Micro-benchmarks of the scoring hot path on the embedded default model: the analyzer alone
//! (tokenize, normalize, stem, mark the target), and scoring one statement end to end (mentions,
//! features, TF-IDF row, logits). Run with `cargo bench --bench score`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};

use stance::model::{ScoreState, Scorer};
use stance::parties::Registry;
use stance::text::{Scratch, Terms};

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
    let (scratch, mut terms) = (&mut Scratch::default(), Terms::default());
    c.bench_function("analyzer: terms and features of one statement", |b| {
        b.iter(|| {
            let text = black_box(STATEMENT);
            analyzer.terms_into(scratch, text, (&spans, &others), &mut terms);
            analyzer.for_each_feature(&terms, scratch, |_| features += 1);
            terms.len()
        })
    });
    black_box(features);
}

fn score_one(c: &mut Criterion) {
    let scorer = scorer();
    let state = &mut ScoreState::default();
    c.bench_function("score: one statement toward one party", |b| {
        b.iter(|| scorer.predict_with(state, black_box(STATEMENT), black_box("Iran"), None))
    });
    c.bench_function("score: one statement toward one party, given spans", |b| {
        let spans = Some(&[(30, 36)][..]);
        b.iter(|| scorer.predict_with(state, black_box(STATEMENT), black_box("Iran"), spans))
    });
}

criterion_group!(benches, analyzer, score_one);
criterion_main!(benches);
