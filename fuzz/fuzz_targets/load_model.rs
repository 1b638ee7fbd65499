//! `model_file::from_bytes` on arbitrary bytes: never a panic, errors name the file. A file that
//! loads is then used to score, as `stance score` would.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stance::model::Scorer;
use stance::model_file;
use stance::parties::Registry;

const NAME: &str = "fuzz.stance";

fuzz_target!(|bytes: &[u8]| {
    match model_file::from_bytes(NAME, bytes) {
        Ok(model) => {
            let scorer = Scorer::new(model, Registry::default_registry());
            for (text, target) in [
                ("Kyiv thanked Brussels for the new aid.", "European Union"),
                ("Moscow did not condemn the strikes", "Russia"),
            ] {
                let _ = scorer.predict(text, target, None);
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.starts_with(NAME),
                "error does not name the file: {message:?}"
            );
        }
    }
});
