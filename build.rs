// Embeds models/default.stance (and the bundled vectors) when they exist, so a fresh checkout can build the binary that
// trains it in the first place.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_default_model)");
    println!("cargo::rerun-if-changed=models/default.stance");
    if std::path::Path::new("models/default.stance").exists() {
        println!("cargo::rustc-cfg=has_default_model");
    }
    // The bundled word vectors (scripts/data/fetch-glove), which English training uses.
    println!("cargo::rustc-check-cfg=cfg(has_bundled_vectors)");
    println!("cargo::rerun-if-changed=models/glove-6b-50d.vectors");
    if std::path::Path::new("models/glove-6b-50d.vectors").exists() {
        println!("cargo::rustc-cfg=has_bundled_vectors");
    }
}
