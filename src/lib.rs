//! `stance`: which side a statement takes toward a named party — favor, against or none.
//!
//! labeled files → analyzer → vocabulary and TF-IDF → linfa-logistic models (per target + pooled)
//! → model file → scores and evaluations.

pub mod alias_matcher;
pub mod article;
pub mod article_report;
pub mod audit;
pub mod cli;
pub mod cv;
pub mod data;
pub mod error;
pub mod eval;
pub mod feature_keys;
pub mod features;
pub mod folding;
pub mod io;
pub mod label_studio;
pub mod metrics;
pub mod model;
pub mod model_file;
pub mod model_info;
pub mod parties;
pub mod pooling;
pub mod report;
pub mod scoring;
pub mod solver;
pub mod suggest;
pub mod text;
pub mod train;
pub mod vectors;

pub use error::{Error, Result};

/// The default model (`stance train`: labeled/train.jsonl and labeled/external/), embedded at
/// build time when present.
pub fn default_model_bytes() -> Option<&'static [u8]> {
    #[cfg(has_default_model)]
    {
        Some(include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/models/default.stance"
        )))
    }
    #[cfg(not(has_default_model))]
    {
        None
    }
}

/// Loads `path`, or the embedded default model when no path is given.
pub fn load_model(path: Option<&std::path::Path>) -> Result<model::StanceModel> {
    match path {
        Some(path) => model_file::load(path),
        None => match default_model_bytes() {
            Some(bytes) => model_file::from_bytes("embedded default model", bytes),
            None => Err(Error::NoDefaultModel),
        },
    }
}
