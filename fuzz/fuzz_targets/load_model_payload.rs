//! Past the checksum: the input is a model payload, given a correct header (magic, version,
//! SHA-256, length) before `model_file::from_bytes`, so bincode and the scorer see arbitrary
//! models. A file like this is one that was written by another build, or made by hand: the
//! checksum only guards against corruption. Whatever loads must score without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stance::model::Scorer;
use stance::model_file;
use stance::parties::Registry;

const NAME: &str = "fuzz.stance";
const HEADER_LEN: usize = 8 + 4 + 32 + 8;

/// `payload` behind a correct header, laid out as `model_file::to_bytes` writes it.
fn wrap(payload: &[u8]) -> Vec<u8> {
    let hex = model_file::sha256_hex(payload);
    let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
    bytes.extend_from_slice(b"STANCEMD");
    bytes.extend_from_slice(&model_file::FORMAT_VERSION.to_le_bytes());
    for i in 0..32 {
        bytes.push(u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap());
    }
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

fuzz_target!(|payload: &[u8]| {
    let Ok(model) = model_file::from_bytes(NAME, &wrap(payload)) else {
        return;
    };
    let mut targets: Vec<String> = model.targets.keys().cloned().collect();
    targets.extend(["Russia".to_string(), "European Union".to_string()]);
    let scorer = Scorer::new(model, Registry::default_registry());
    for target in &targets {
        for text in [
            "Kyiv thanked Brussels for the new aid.",
            "Moscow did not condemn the strikes, but NATO accused Russia of shelling",
        ] {
            let _ = scorer.predict(text, target, None);
        }
    }
});
