//! Generates the typed i18n catalogue from `locales/*.json`, and refuses to build when
//! a key is missing from either locale.

use std::collections::BTreeSet;
use std::error::Error;
use std::path::{Path, PathBuf};

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

const LOCALES: [&str; 2] = ["en", "zh"];

fn keys(value: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let serde_json::Value::Object(map) = value {
        for (k, v) in map {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if v.is_object() {
                keys(v, &key, out);
            } else {
                out.insert(key);
            }
        }
    }
}

fn key_set(path: &Path) -> Result<BTreeSet<String>, Box<dyn Error>> {
    let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let mut out = BTreeSet::new();
    keys(&value, "", &mut out);
    Ok(out)
}

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=locales");
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("locales");
    let sets: Vec<BTreeSet<String>> = LOCALES
        .iter()
        .map(|l| key_set(&dir.join(format!("{l}.json"))))
        .collect::<Result<_, _>>()?;
    for (i, set) in sets.iter().enumerate() {
        for (j, other) in sets.iter().enumerate() {
            let missing: Vec<&String> = other.difference(set).collect();
            if i != j && !missing.is_empty() {
                return Err(format!(
                    "locale {} is missing keys present in {}: {missing:?}",
                    LOCALES[i], LOCALES[j]
                )
                .into());
            }
        }
    }

    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR unset")?).join("i18n");
    let cfg = Config::new(LOCALES[0])?
        .add_locale(LOCALES[1])?
        .parse_options(ParseOptions::default().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}
