// Embeds models/default.stance when it exists, so a fresh checkout can build the binary that
// trains it in the first place.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_default_model)");
    println!("cargo::rerun-if-changed=models/default.stance");
    if std::path::Path::new("models/default.stance").exists() {
        println!("cargo::rustc-cfg=has_default_model");
    }
}
